package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// Sort orders of the case list.
const (
	sortNumber = "Case number"
	sortNewest = "Newest first"
	sortAlias  = "Alias"
)

const (
	allStatuses = "All statuses"
	allPartners = "All partners"
	allTags     = "All indicators"
)

// caseList is the list of cases beside the selected case. The list is virtualised
// (widget.List creates rows only for what is visible), and filtering works on the
// case index entries in memory (their checklist counts answer the partner filter,
// one read of the task index the overdue one), so 10,000 cases stay smooth.
type caseList struct {
	s *Shell

	all      []app.CaseSummary
	shown    []*app.CaseSummary // into all: one pointer per case, not a 208-byte copy
	overdue  map[app.ID]int     // overdue items per case, from the task index
	search   *widget.Entry
	status   *widget.Select
	partner  *widget.Select
	tag      *widget.Select
	late     *widget.Check
	order    *widget.Select
	list     *widget.List
	count    *widget.Label
	detail   *fyne.Container
	selected app.ID
	ws       *caseWorkspace // the selected case's workspace

	// current reports whether the list is still on show (mainView.slot); rows are
	// the slots of case rows read again after an edit.
	current func() bool
	rows    map[app.ID]*loadSlot
	// wantSearch: Ctrl+F came while the list was loading; the search box takes the
	// keyboard once it is there.
	wantSearch bool
}

func newCaseList(s *Shell, current func() bool) *caseList { return &caseList{s: s, current: current} }

// caseListData is what the case list reads: every case list entry, the overdue
// items per case and the tags the indicator filter offers.
type caseListData struct {
	all     []app.CaseSummary
	overdue map[app.ID]int
	tags    []string
}

func readCaseList(r *app.Records, now time.Time) (caseListData, error) {
	var d caseListData
	var err error
	if d.all, err = r.ListCases(app.CaseFilter{}); err != nil || len(d.all) == 0 {
		return d, err
	}
	// The overdue counts alone: the list already has every case's number and
	// alias, so the tasks themselves (a label read per case) are not needed.
	if d.overdue, err = r.OverdueByCase(now); err != nil {
		return d, err
	}
	indicators, err := r.Indicators()
	if err != nil {
		indicators = nil // the filter offers the tags on cases
	}
	d.tags = filterTags(indicators, d.all)
	return d, nil
}

// object is the section: its header and a quiet placeholder at once, the list and
// the case last open once read off the UI goroutine.
func (c *caseList) object() fyne.CanvasObject {
	box := container.NewStack(container.NewVBox(c.header(), loading()))
	now := c.s.clock.Now()
	readOff(c.s, c.current, func(r *app.Records) (caseListData, error) { return readCaseList(r, now) },
		func(d caseListData, err error) {
			showRead(box, c.show(d, err))
			if c.wantSearch && c.search != nil {
				c.s.win.Canvas().Focus(c.search)
			}
		})
	return box
}

// show builds the section from what was read.
func (c *caseList) show(d caseListData, err error) fyne.CanvasObject {
	if err != nil {
		return failed("Cases", err)
	}
	c.all = d.all
	if len(c.all) == 0 {
		return container.NewVBox(c.header(), emptyState(noCasesYet))
	}
	c.overdue = d.overdue
	c.search = widget.NewEntry()
	c.search.SetPlaceHolder("Search cases (Ctrl+F)")
	c.search.OnChanged = func(string) { c.refilter() }
	statuses := []string{allStatuses}
	for _, st := range app.CaseStatuses {
		statuses = append(statuses, statusTitle(st))
	}
	c.status = widget.NewSelect(statuses, func(string) { c.refilter() })
	c.status.SetSelected(statusTitle(app.CaseOpen))
	partners := []string{allPartners}
	for _, p := range app.Partners {
		partners = append(partners, p.Title())
	}
	c.partner = widget.NewSelect(partners, func(string) { c.refilter() })
	c.partner.SetSelected(allPartners)
	c.tag = widget.NewSelect(append([]string{allTags}, d.tags...), func(string) { c.refilter() })
	c.tag.SetSelected(allTags)
	c.late = widget.NewCheck("Overdue only", func(bool) { c.refilter() })
	c.order = widget.NewSelect([]string{sortNumber, sortNewest, sortAlias}, func(string) { c.refilter() })
	c.order.SetSelected(sortNumber)
	c.count = quiet("")
	c.list = widget.NewList(
		func() int { return len(c.shown) },
		func() fyne.CanvasObject {
			title := newRowText("", fyne.TextStyle{Bold: true}, widget.MediumImportance)
			sub := newRowText("", fyne.TextStyle{}, widget.LowImportance)
			return container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()*2), title, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			cs := c.shown[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*rowText).SetText(caseLabel(cs.Number, cs.Alias))
			sub := statusTitle(cs.Status)
			if n := c.overdue[cs.ID]; n > 0 {
				sub += fmt.Sprintf(" · %d overdue", n)
			}
			box.Objects[1].(*rowText).SetText(sub + " · " + cs.Title)
		},
	)
	c.list.OnSelected = func(i widget.ListItemID) {
		if c.ws != nil && c.ws.id == c.shown[i].ID {
			return // a refilter reselecting the open case: keep its workspace as it is
		}
		c.showCase(*c.shown[i])
	}
	c.detail = container.NewStack(emptyState("Choose a case on the left."))
	c.refilter()
	c.reselect()

	filters := container.NewVBox(c.search,
		container.NewGridWithColumns(2, c.status, c.order),
		container.NewGridWithColumns(2, c.partner, c.tag),
		c.late)
	left := container.NewBorder(container.NewVBox(filters, c.count), nil, nil, nil, c.list)
	split := container.NewHSplit(left, container.NewPadded(c.detail))
	split.Offset = 0.3 // the workspace needs the room; rows truncate
	return container.NewBorder(c.header(), nil, nil, nil, split)
}

// header is the section title with the New case action beside it.
func (c *caseList) header() fyne.CanvasObject {
	add := widget.NewButtonWithIcon("New case", theme.ContentAddIcon(), func() {
		c.s.showNewCase(func(created app.Case) {
			// Reopen the section on the new case, at its overview. Leave the open
			// workspace first: leaving records its case as the one to return to.
			c.leave()
			c.s.lastCase, c.s.lastTab = created.ID, ""
			if c.s.main != nil {
				c.s.main.show(sectionCases)
			}
		})
	})
	add.Importance = widget.HighImportance
	return container.NewBorder(nil, nil, heading("Cases"), container.NewCenter(container.NewHBox(c.importButton(), add)))
}

// filterTags are the indicators a case can be filtered by: the vault's list, then
// any other tag still on a case (tags stay on cases after they leave the list),
// sorted. It runs with the read, off the UI goroutine: it looks at every case's
// tags (10 ms a list at 50,000 cases when it ran in show).
func filterTags(indicators []string, all []app.CaseSummary) []string {
	tags := slices.Clone(indicators)
	seen := make(map[string]bool, len(indicators))
	for _, t := range indicators {
		seen[t] = true
	}
	var extra []string
	for i := range all {
		for _, t := range all[i].Tags {
			if !seen[t] {
				seen[t] = true
				extra = append(extra, t)
			}
		}
	}
	slices.Sort(extra)
	return append(tags, extra...)
}

// selectedPartner is the partner chosen in the filter, or "".
func (c *caseList) selectedPartner() app.Partner {
	for _, p := range app.Partners {
		if p.Title() == c.partner.Selected {
			return p
		}
	}
	return ""
}

// selectedStatus is the status chosen in the filter; anyStatus is true for all
// statuses. A status the list does not know matches as its title does.
func (c *caseList) selectedStatus() (status app.CaseStatus, anyStatus bool) {
	if c.status.Selected == allStatuses {
		return "", true
	}
	for _, st := range app.CaseStatuses {
		if statusTitle(st) == c.status.Selected {
			return st, false
		}
	}
	return app.CaseStatus(c.status.Selected), false
}

// refilter applies the search, the status, partner, indicator and overdue
// filters, and the order.
func (c *caseList) refilter() {
	if c.list == nil || c.status == nil || c.order == nil || c.partner == nil || c.tag == nil || c.late == nil {
		return // still building
	}
	q := strings.ToLower(strings.TrimSpace(c.search.Text))
	status, anyStatus := c.selectedStatus()
	partner := c.selectedPartner()
	tag := c.tag.Selected
	if tag == allTags {
		tag = ""
	}
	if cap(c.shown) < len(c.all) {
		// Room for every case at once: growing the list as it fills copied 10,000
		// entries a dozen times over on the UI goroutine (a fifth of the list's
		// first drawing, and garbage for the collector). The list holds pointers
		// into all: copying each summary made a 10 MB list at 50,000 cases.
		c.shown = make([]*app.CaseSummary, 0, len(c.all))
	}
	c.shown = c.shown[:0]
	for i := range c.all {
		cs := &c.all[i]
		if !anyStatus && cs.Status != status {
			continue
		}
		// Cases where the partner owns open checklist items (as app.CaseFilter.Partner).
		if partner != "" && cs.Checklist.Open(partner) == 0 {
			continue
		}
		if tag != "" && !slices.Contains(cs.Tags, tag) {
			continue
		}
		if c.late.Checked && c.overdue[cs.ID] == 0 {
			continue
		}
		if q != "" && !caseMatches(*cs, q) {
			continue
		}
		c.shown = append(c.shown, cs)
	}
	switch c.order.Selected {
	case sortNewest:
		slices.SortStableFunc(c.shown, func(a, b *app.CaseSummary) int { return b.Opened.Compare(a.Opened) })
	case sortAlias:
		slices.SortStableFunc(c.shown, func(a, b *app.CaseSummary) int {
			return strings.Compare(strings.ToLower(a.Alias), strings.ToLower(b.Alias))
		})
	}
	switch n := len(c.shown); {
	case n == 0:
		c.count.SetText("No case matches.")
	case n == 1:
		c.count.SetText("1 case")
	default:
		c.count.SetText(format.Count(n, "case", "cases"))
	}
	c.list.UnselectAll()
	c.list.Refresh()
	for i, cs := range c.shown {
		if cs.ID == c.selected {
			c.list.Select(i)
			break
		}
	}
}

// caseMatches reports whether a lower-case query appears in the case's number,
// alias, title or team.
func caseMatches(cs app.CaseSummary, q string) bool {
	if strings.Contains(strings.ToLower(cs.Number), q) ||
		strings.Contains(strings.ToLower(cs.Alias), q) ||
		strings.Contains(strings.ToLower(cs.Title), q) {
		return true
	}
	for _, p := range cs.Assigned {
		if strings.Contains(strings.ToLower(p), q) {
			return true
		}
	}
	return false
}

// showCase opens the selected case's workspace beside the list, leaving the
// previous one (which saves its draft and hides a revealed identity). Returning to
// the case last open before a lock also returns to its tab.
func (c *caseList) showCase(cs app.CaseSummary) {
	tab := ""
	if cs.ID == c.s.lastCase {
		tab = c.s.lastTab
	}
	c.leave()
	c.selected = cs.ID
	c.ws = newCaseWorkspace(c.s, cs.ID)
	if tab != "" {
		c.ws.selectTab(tab)
	}
	c.s.lastCase = cs.ID
	id := cs.ID
	c.ws.onEdited = func() { c.refreshCase(id) }
	c.detail.Objects = []fyne.CanvasObject{c.ws.object()}
	c.detail.Refresh()
}

// refreshCase reads one case's row again after a change in its workspace (status,
// alias, title, checklist, referrals): its list entry and its overdue count, then
// refilters, keeping the selection and the open workspace. It reads that one case
// only, so it stays instant in a vault of 10,000 cases.
func (c *caseList) refreshCase(id app.ID) {
	now := c.s.clock.Now()
	type row struct {
		sum  app.CaseSummary
		late int
	}
	if c.rows == nil {
		c.rows = map[app.ID]*loadSlot{}
	}
	if c.rows[id] == nil {
		c.rows[id] = &loadSlot{}
	}
	current := c.rows[id].begin()
	readOff(c.s, func() bool { return c.current() && current() }, func(r *app.Records) (row, error) {
		sum, err := r.CaseSummary(id)
		if err != nil {
			return row{}, err
		}
		late := 0
		if items, err := r.Checklist(id); err == nil {
			for i := range items {
				if items[i].Overdue(now) {
					late++
				}
			}
		}
		if refs, err := r.Referrals(id); err == nil {
			for _, ref := range refs {
				if ref.Status.Open() && !ref.Due.IsZero() && ref.Due.Before(dateOnlyUTC(now)) {
					late++
				}
			}
		}
		return row{sum, late}, nil
	}, func(got row, err error) {
		if err != nil {
			return
		}
		for i := range c.all {
			if c.all[i].ID == id {
				c.all[i] = got.sum
			}
		}
		if c.overdue != nil {
			c.overdue[id] = got.late
		}
		c.refilter()
	})
}

// leave closes the open workspace, remembering its case and tab for the return.
func (c *caseList) leave() {
	if c.ws == nil {
		return
	}
	c.s.lastCase, c.s.lastTab = c.ws.id, c.ws.tab()
	c.ws.leave()
	c.ws = nil
}

// reselect selects the case that was open before (a lock, or another section).
func (c *caseList) reselect() {
	for i, cs := range c.shown {
		if cs.ID == c.s.lastCase {
			c.list.Select(i)
			c.list.ScrollTo(i)
			return
		}
	}
}

// progressRow is a bar with "7 of 12" beside it: resolved items (done or not
// applicable) of all items.
func progressRow(label string, p app.ProgressCount) fyne.CanvasObject {
	bar := newThinBar()
	colour := theme.ColorNamePrimary
	if p.Resolved() == p.Total {
		colour = theme.ColorNameSuccess
	}
	bar.set(float64(p.Resolved())/float64(max(p.Total, 1)), colour)
	count := widget.NewLabel(fmt.Sprintf("%d of %d", p.Resolved(), p.Total))
	count.Alignment = fyne.TextAlignTrailing
	name := newRowText(label, fyne.TextStyle{}, widget.MediumImportance)
	return container.NewGridWithColumns(2, name,
		container.NewBorder(nil, nil, nil, container.New(widthLayout{72}, count), bar.box))
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// statusTitle is a case status in words.
func statusTitle(s app.CaseStatus) string {
	switch s {
	case app.CaseOpen:
		return "Open"
	case app.CaseInactive:
		return "Inactive"
	case app.CaseClosed:
		return "Closed"
	}
	return string(s)
}
