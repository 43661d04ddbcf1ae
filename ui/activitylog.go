package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// The Activity screens: the vault's audit trail (a section of the sidebar) and one
// case's (a tab of the case workspace), read-only, paged 100 entries at a time,
// newest first, with filters, times in the computer's time zone.
//
// A log grows to 100,000 entries and more, so nothing reads it whole on the UI
// goroutine: an unfiltered page reads only its own 100 entries; a filter finds its
// matches once (app's AuditSeqs, which skips other entries by their bytes) and each
// page then reads only its rows. Every read runs off the UI goroutine.

// activityPageSize is how many entries a page shows.
const activityPageSize = 100

const allActions = "All actions"

// activityLog is one Activity screen. caseID zero is the whole vault.
type activityLog struct {
	s       *Shell
	records *app.Records
	caseID  app.ID

	caseNo       *textEntry // vault screen only
	user         *textEntry
	action       *widget.Select
	since, until *widget.DateEntry
	clear        *widget.Button

	table *widget.Table
	rows  []app.AuditRow
	// items names the checklist items the page's entries point at (the log holds
	// only their ids); read with the page, shown only on screen.
	items        map[app.ID]string
	summary      *widget.Label // what is shown: "Entries 1–100 of 12,345"
	detail       *widget.Label // the chosen entry in full
	msg          *widget.Label // a filter that cannot apply, or a read that failed
	newer, older *widget.Button

	// filter is the applied filter; seqs its matches, newest first (nil for the
	// unfiltered listing, which pages by offset); total the entries that match.
	filter app.AuditFilter
	seqs   []uint64
	total  int
	offset int
	// req numbers the reads: only the latest one's result is shown.
	req int
	// clearing is set while Clear filters resets the fields, so they apply once.
	clearing bool
}

func newActivityLog(s *Shell, caseID app.ID) *activityLog {
	return &activityLog{s: s, records: s.records, caseID: caseID}
}

// columns are the table's columns: the case's own tab has no case column.
func (a *activityLog) columns() []string {
	if a.caseID.IsZero() {
		return []string{"Time", "User", "Action", "Case", "Details"}
	}
	return []string{"Time", "User", "Action", "Details"}
}

// activityColumnWidth are the columns' widths; Details takes at least its own and
// widens to fill the screen (fillLastColumn).
var activityColumnWidth = map[string]float32{"Time": 185, "User": 170, "Action": 180, "Case": 160, "Details": 150}

func (a *activityLog) object() fyne.CanvasObject {
	a.user = newTextEntry("User")
	a.user.OnSubmitted = func(string) { a.apply() }
	titles := make([]string, 0, len(app.AuditActions))
	for _, act := range app.AuditActions {
		titles = append(titles, format.ActionTitle(act))
	}
	slices.Sort(titles)
	a.action = widget.NewSelect(append([]string{allActions}, titles...), func(string) { a.apply() })
	a.action.SetSelected(allActions)
	a.since = widget.NewDateEntry()
	a.since.SetPlaceHolder("From date")
	a.since.OnChanged = func(*time.Time) { a.apply() }
	a.until = widget.NewDateEntry()
	a.until.SetPlaceHolder("To date")
	a.until.OnChanged = func(*time.Time) { a.apply() }
	a.clear = widget.NewButton("Clear filters", a.clearFilters)
	a.clear.Importance = widget.LowImportance
	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { a.load(a.offset, true) })

	cols := a.columns()
	a.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(a.rows), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(a.rows) {
				l.SetText("")
				return
			}
			text, imp := a.cell(a.rows[id.Row], cols[id.Col])
			l.Importance = imp
			l.SetText(text)
		})
	a.table.ShowHeaderColumn = false
	a.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	a.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col])
		}
	}
	for i, c := range cols {
		a.table.SetColumnWidth(i, activityColumnWidth[c])
	}
	a.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(a.rows) {
			a.detail.SetText(entryDetail(a.rows[id.Row], a.items))
		}
	}

	a.summary = quietLine("")
	a.detail = quiet("Choose an entry to see all it records.")
	a.msg = errorLabel()
	a.newer = widget.NewButtonWithIcon("Newer", theme.NavigateBackIcon(), func() { a.page(a.offset - activityPageSize) })
	a.older = widget.NewButtonWithIcon("Older", theme.NavigateNextIcon(), func() { a.page(a.offset + activityPageSize) })
	a.older.IconPlacement = widget.ButtonIconTrailingText
	a.newer.Disable()
	a.older.Disable()

	filters := []fyne.CanvasObject{a.user, a.action, a.since, a.until}
	if a.caseID.IsZero() {
		a.caseNo = newTextEntry("Case number")
		a.caseNo.OnSubmitted = func(string) { a.apply() }
		filters = append([]fyne.CanvasObject{a.caseNo}, filters...)
	}
	filterRow := container.NewBorder(nil, nil, nil, container.NewHBox(a.clear, refresh),
		container.NewGridWithColumns(len(filters), filters...))
	pager := container.NewBorder(nil, nil, a.newer, a.older, container.NewCenter(a.summary))
	top := container.NewVBox(filterRow, a.msg, quietLine(zoneLine()))
	bottom := container.NewVBox(pager, a.detail)
	a.filter = app.AuditFilter{Case: a.caseID} // a case's tab lists only that case
	a.load(0, true)
	return container.NewBorder(top, bottom, nil, nil, container.New(fillLastColumn{a.table, cols}, a.table))
}

// fillLastColumn lays a table out at its full size and widens its last column
// (Details) to take what the fixed columns leave, so nothing scrolls sideways
// unless the area is narrower than the columns' own widths.
type fillLastColumn struct {
	table *widget.Table
	cols  []string
}

func (l fillLastColumn) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (l fillLastColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixed := float32(0)
	for _, c := range l.cols[:len(l.cols)-1] {
		fixed += activityColumnWidth[c] + theme.Padding() // each column and its separator
	}
	last := max(size.Width-fixed-theme.ScrollBarSize()-2*theme.Padding(), activityColumnWidth[l.cols[len(l.cols)-1]])
	l.table.SetColumnWidth(len(l.cols)-1, last)
	objs[0].Resize(size)
	objs[0].Move(fyne.NewPos(0, 0))
}

// zoneLine says whose clock the times are on.
func zoneLine() string {
	name, off := time.Now().Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("Newest first. Times are in this computer's time zone, %s (UTC%s%02d:%02d).", name, sign, off/3600, off%3600/60)
}

// cell is one column of an entry, and how it looks: a refused or failed outcome
// (a wrong passphrase, damage found) in the error color.
func (a *activityLog) cell(r app.AuditRow, col string) (string, widget.Importance) {
	imp := widget.MediumImportance
	if r.Outcome != "" && r.Outcome != app.OutcomeOK {
		imp = widget.DangerImportance
	}
	switch col {
	case "Time":
		return auditTime(r.Time), widget.MediumImportance
	case "User":
		if r.User == "" {
			return "—", widget.LowImportance
		}
		return r.User, widget.MediumImportance
	case "Action":
		t := format.ActionTitle(r.Action)
		if imp == widget.DangerImportance && !failureActions[r.Action] {
			t += " (" + r.Outcome + ")"
		}
		return t, imp
	case "Case":
		switch {
		case r.CaseNumber != "":
			return r.CaseNumber, widget.MediumImportance
		case !r.Case.IsZero():
			return "id " + r.Case.String()[:8] + "…", widget.LowImportance
		}
		return "—", widget.LowImportance
	}
	// The table shows an item's id by its first 8 digits, as the Case column does;
	// the line below the table gives it whole.
	e := r.AuditEntry
	e.Object = app.ID{}
	var parts []string
	if d := format.AuditDetails(e); d != "" {
		parts = append(parts, d)
	}
	if name, ok := a.items[r.Object]; ok && !r.Object.IsZero() {
		parts = append(parts, name)
	} else if !r.Object.IsZero() {
		parts = append(parts, "item "+r.Object.String()[:8]+"…")
	}
	if len(parts) == 0 {
		return "—", widget.LowImportance
	}
	return strings.Join(parts, "; "), widget.LowImportance
}

// failureActions are the actions whose title already says that something was
// refused or went wrong: they need no "(refused)" after it.
var failureActions = map[string]bool{app.ActUnlockFailed: true, app.ActRecoveryFailed: true, app.ActLockout: true,
	app.ActIntegrityFailure: true}

// auditTime is an entry's time in the computer's time zone, to the second.
func auditTime(t time.Time) string { return t.Local().Format("Jan 2, 2006, 3:04:05 PM") }

// entryDetail is everything an entry records, in one paragraph, with the name of
// the checklist item it points at when the case still has it.
func entryDetail(r app.AuditRow, items map[app.ID]string) string {
	parts := []string{fmt.Sprintf("Entry %d", r.Seq), auditTime(r.Time) + " (" + r.Time.UTC().Format("15:04:05 UTC") + ")",
		format.ActionTitle(r.Action) + " [" + r.Action + "]", "outcome " + r.Outcome}
	if r.User != "" {
		parts = append(parts, "by "+r.User)
	}
	if r.CaseNumber != "" {
		parts = append(parts, "case "+r.CaseNumber)
	}
	if !r.Case.IsZero() {
		parts = append(parts, "case id "+r.Case.String())
	}
	if d := format.AuditDetails(r.AuditEntry); d != "" {
		parts = append(parts, d)
	}
	if name, ok := items[r.Object]; ok && !r.Object.IsZero() {
		parts = append(parts, "checklist item “"+name+"”")
	}
	parts = append(parts, fmt.Sprintf("vault state %d", r.Counter))
	return strings.Join(parts, " · ")
}

func (a *activityLog) clearFilters() {
	a.clearing = true
	if a.caseNo != nil {
		a.caseNo.SetText("")
	}
	a.user.SetText("")
	a.since.SetDate(nil)
	a.until.SetDate(nil)
	a.action.SetSelected(allActions)
	a.clearing = false
	a.apply()
}

// apply reads the filters and shows the first page of what matches.
func (a *activityLog) apply() {
	if a.table == nil || a.until == nil || a.clearing {
		return // still building, or clearing
	}
	say(a.msg, "")
	f := app.AuditFilter{Case: a.caseID, User: strings.TrimSpace(a.user.Text)}
	if sel := a.action.Selected; sel != allActions && sel != "" {
		f.Action = format.ActionByTitle(sel)
	}
	if d := a.since.Date; d != nil {
		f.Since = localDay(*d)
	}
	if d := a.until.Date; d != nil {
		f.Until = localDay(*d).AddDate(0, 0, 1) // through the end of that day
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		say(a.msg, "The To date is before the From date. Choose a later To date.")
		return
	}
	if a.caseNo != nil {
		if n := strings.TrimSpace(a.caseNo.Text); n != "" {
			id, err := a.records.CaseIDByNumber(n)
			if err != nil {
				say(a.msg, "No case numbered "+n+" is in this vault, and none was deleted from it. Check the number.")
				return
			}
			f.Case = id
		}
	}
	a.filter = f
	a.load(0, true)
}

// localDay is the start of a chosen calendar day in the computer's time zone.
func localDay(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.Local)
}

// page shows the page starting at offset, with the filter's matches as found.
func (a *activityLog) page(offset int) {
	a.load(max(offset, 0), false)
}

// load reads a page off the UI goroutine; find also looks the filter's matches up
// again (a new filter, or Refresh).
func (a *activityLog) load(offset int, find bool) {
	a.req++
	req, records, f := a.req, a.records, a.filter
	seqs := a.seqs
	filtered := f != (app.AuditFilter{})
	a.newer.Disable()
	a.older.Disable()
	a.summary.SetText("Loading…")
	var rows []app.AuditRow
	var items map[app.ID]string
	var total int
	var err error
	a.s.runInBackground(func() {
		defer func() { items = checklistNames(records, rows) }()
		if !filtered {
			var p app.AuditPage
			p, err = records.AuditEntries(app.AuditFilter{}, offset, activityPageSize)
			rows, total, seqs = p.Rows, int(p.Total), nil
			return
		}
		if find || seqs == nil {
			if seqs, err = records.AuditSeqs(f); err != nil {
				return
			}
		}
		total = len(seqs)
		if offset < total {
			rows, err = records.AuditRows(seqs[offset:min(offset+activityPageSize, total)])
		}
	}, func() {
		if req != a.req || a.s.records != records {
			return // a newer read, or the vault locked meanwhile
		}
		if err != nil {
			say(a.msg, app.Sentence(err))
			a.summary.SetText("")
			return
		}
		a.rows, a.items, a.total, a.offset = rows, items, total, offset
		if filtered {
			a.seqs = seqs
		} else {
			a.seqs = nil
		}
		a.table.UnselectAll()
		a.table.ScrollToTop()
		a.table.Refresh()
		a.summary.SetText(pageSummary(offset, len(rows), total, filtered))
		if offset > 0 {
			a.newer.Enable()
		}
		if offset+len(rows) < total {
			a.older.Enable()
		}
	})
}

// checklistNames reads the titles of the checklist items a page's entries point
// at, one read of each case's checklist (a deleted case has none to read).
func checklistNames(records *app.Records, rows []app.AuditRow) map[app.ID]string {
	names := map[app.ID]string{}
	read := map[app.ID]bool{}
	for _, r := range rows {
		if r.Action != app.ActChecklistChanged || r.Object.IsZero() || r.Case.IsZero() || read[r.Case] {
			continue
		}
		read[r.Case] = true
		items, err := records.Checklist(r.Case)
		if err != nil {
			continue
		}
		for _, it := range items {
			names[it.ID] = it.Title
		}
	}
	return names
}

// pageSummary says which entries are on the page: "Entries 1–100 of 12,345".
func pageSummary(offset, n, total int, filtered bool) string {
	what := "entries"
	if filtered {
		what = "matching entries"
	}
	if n == 0 {
		if filtered {
			return "No entries match these filters."
		}
		return "No entries yet."
	}
	return fmt.Sprintf("Entries %s–%s of %s %s", thousands(offset+1), thousands(offset+n), thousands(total), what)
}

// activityTab is the Activity tab of a case workspace: the case's own trail.
type activityTab struct {
	ws  *caseWorkspace
	log *activityLog
}

func (t *activityTab) build() fyne.CanvasObject {
	t.log = &activityLog{s: t.ws.s, records: t.ws.records, caseID: t.ws.id}
	return t.log.object()
}
