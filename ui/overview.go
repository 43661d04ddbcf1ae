package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// overviewDeadlines is how many of a case's next deadlines the overview lists.
const overviewDeadlines = 8

// overviewTab is the case at a glance: the case, the victim's profile (alias
// first), the legal identity behind a deliberate reveal, checklist progress by
// phase and the next deadlines.
type overviewTab struct {
	ws       *caseWorkspace
	box      *fyne.Container
	identity *identityPanel
	slot     loadSlot // the checklist and referrals behind progress and deadlines
}

func (o *overviewTab) build() fyne.CanvasObject {
	o.box = container.NewVBox()
	o.identity = newIdentityPanel(o.ws)
	o.refresh()
	return container.NewVScroll(o.box)
}

// refresh reads the case again and redraws the overview. A revealed identity
// stays as it is.
func (o *overviewTab) refresh() {
	if o.box == nil || !o.ws.open() {
		return
	}
	ws := o.ws
	ov := ws.ov
	c := ov.Case
	objs := []fyne.CanvasObject{subheading(caseLabel(c.Number, ov.Victim.Alias)), wrapped(c.Title)}
	if line := recordCounts(ov); line != "" {
		objs = append(objs, quiet(line))
	}

	status := statusTitle(c.Status)
	if c.Status == app.CaseClosed && c.ClosedReason != "" {
		status += " (" + c.ClosedReason + ")"
	}
	// The rows are gathered first and the form made once: each Append on a form
	// lays all its rows out again (a fifth of opening a case, measured).
	rows := []*widget.FormItem{formItem("Status", status), formItem("Opened", format.Date(c.Opened))}
	if !c.Closed.IsZero() {
		rows = append(rows, formItem("Closed", format.Date(c.Closed)))
	}
	if c.Jurisdiction != "" {
		rows = append(rows, formItem("Jurisdiction", c.Jurisdiction))
	}
	rows = append(rows, formItem("Team", orNone(strings.Join(c.Assigned, ", "))),
		formItem("Indicators", orNone(strings.Join(c.Tags, ", "))))
	if c.Origin != "" {
		rows = append(rows, formItem("Received from", c.Origin))
	}
	form := widget.NewForm(rows...)
	objs = append(objs, form, o.caseActions(), subheading("Victim"), victimForm(ov.Victim), o.victimActions(), o.identity.object())
	if add := o.identityActions(); add != nil {
		objs = append(objs, add)
	}

	objs = append(objs, o.practicePanel()) // reports, court, review, hold (issue 14: overview_practice.go)
	progress := container.NewVBox(subheading("Checklist"), loading())
	objs = append(objs, progress)
	o.box.Objects = objs
	// A box not laid out yet (the overview being built) is left to the layout that
	// places it: refreshed now, it would lay every row out at no width first, and
	// the wrapping values would be measured letter by letter (a third of opening
	// a case, measured).
	if !o.box.Size().IsZero() {
		o.box.Refresh()
	}
	type lists struct {
		items []app.ChecklistItem
		refs  []app.Referral
	}
	readCase(ws, &o.slot, func(r *app.Records, id app.ID) (lists, error) {
		var l lists
		var err error
		if l.items, err = r.Checklist(id); err != nil {
			return l, err
		}
		l.refs, err = r.Referrals(id)
		return l, err
	}, func(l lists, err error) {
		objs := []fyne.CanvasObject{subheading("Checklist")}
		switch {
		case err != nil && l.items == nil:
			objs = append(objs, failedLine(err), subheading("Next deadlines"), failedLine(err))
		case err != nil:
			objs = append(objs, phaseProgress(l.items)...)
			objs = append(objs, subheading("Next deadlines"), failedLine(err))
		default:
			objs = append(objs, phaseProgress(l.items)...)
			objs = append(objs, subheading("Next deadlines"))
			objs = append(objs, deadlineRows(caseDeadlines(l.items, l.refs, ws.now()), ws.now())...)
		}
		progress.Objects = objs
		progress.Refresh()
	})
}

// hideIdentity puts the legal identity away (leaving the case, locking).
func (o *overviewTab) hideIdentity() {
	if o.identity != nil {
		o.identity.hide()
	}
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func failedLine(err error) fyne.CanvasObject {
	l := errorLabel()
	say(l, app.Sentence(err))
	return l
}

// recordCounts is a line such as "3 final notes · 1 draft · 2 releases".
func recordCounts(ov app.Overview) string {
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, strconv.Itoa(n)+" "+many)
		}
	}
	add(ov.Notes, "final note", "final notes")
	add(ov.Drafts, "draft", "drafts")
	add(ov.Addenda, "addendum", "addenda")
	add(ov.Releases, "release", "releases")
	add(ov.OpenReferrals, "open referral", "open referrals")
	add(ov.Events, "timeline event", "timeline events")
	return strings.Join(parts, " · ")
}

// victimForm is the victim's profile as the team needs it: every field that was
// entered (alias, age or age band, gender, languages, interpreter, who holds care,
// the kind of placement, never an address, and the screening result).
func victimForm(v app.Victim) *widget.Form {
	age := "—"
	switch {
	case v.Age > 0 && v.AgeBand != "":
		age = fmt.Sprintf("%d (age band %s)", v.Age, v.AgeBand)
	case v.Age > 0:
		age = strconv.Itoa(v.Age)
	case v.AgeBand != "":
		age = v.AgeBand
	}
	interpreter := "not needed"
	if v.InterpreterNeeded {
		interpreter = "needed"
	}
	// Gathered first and made once, as the case's form (overviewTab.refresh).
	rows := []*widget.FormItem{formItem("Alias", v.Alias), formItem("Age", age)}
	if v.Gender != "" {
		rows = append(rows, formItem("Gender", v.Gender))
	}
	rows = append(rows, formItem("Languages", orNone(strings.Join(v.Languages, ", "))),
		formItem("Interpreter", interpreter), formItem("Placement", orNone(v.PlacementType)))
	if v.GuardianType != "" {
		rows = append(rows, formItem("Care held by", v.GuardianType))
	}
	if sc := v.Screening; sc != nil {
		tool := sc.Tool
		if sc.Version != "" {
			tool += " (version " + sc.Version + ")"
		}
		line := fmt.Sprintf("%s, %s: %s concern", tool, format.Date(sc.Date), sc.Concern)
		if sc.Screener != "" {
			line += ", screened by " + sc.Screener
		}
		rows = append(rows, formItem("Screening", line))
	}
	return widget.NewForm(rows...)
}

// phaseProgress is a bar per phase with "7 of 12" beside it, and one for all.
func phaseProgress(items []app.ChecklistItem) []fyne.CanvasObject {
	if len(items) == 0 {
		return []fyne.CanvasObject{quiet("This case has no checklist items. Add them on the Checklist tab.")}
	}
	var all app.ProgressCount
	byPhase := make([]app.ProgressCount, len(app.Phases))
	for _, it := range items {
		countItem(&all, it)
		if r := it.Phase.Rank(); r >= 0 {
			countItem(&byPhase[r], it)
		}
	}
	rows := []fyne.CanvasObject{progressRow("All phases", all)}
	for i, ph := range app.Phases {
		if byPhase[i].Total > 0 {
			rows = append(rows, progressRow(ph.Title(), byPhase[i]))
		}
	}
	return rows
}

func countItem(p *app.ProgressCount, it app.ChecklistItem) {
	p.Total++
	switch it.Status {
	case app.ItemDone:
		p.Done++
	case app.ItemNotApplicable:
		p.NotApplicable++
	}
}

// deadline is one open, dated item of the case: a checklist item or a referral.
type deadline struct {
	due     time.Time
	title   string
	partner string
	overdue bool
}

// caseDeadlines lists the case's open, dated checklist items and referrals, the
// soonest first.
func caseDeadlines(items []app.ChecklistItem, refs []app.Referral, now time.Time) []deadline {
	var out []deadline
	for _, it := range items {
		if it.Status == app.ItemOpen && !it.Due.IsZero() {
			out = append(out, deadline{it.Due, it.Title, string(it.Owner), it.Overdue(now)})
		}
	}
	for _, r := range refs {
		if r.Status.Open() && !r.Due.IsZero() {
			out = append(out, deadline{r.Due, "Referral: " + serviceTitle(r.Service), r.Partner, format.DayDiff(now, r.Due) < 0})
		}
	}
	slices.SortStableFunc(out, func(a, b deadline) int {
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return strings.Compare(a.title, b.title)
	})
	return out
}

func deadlineRows(ds []deadline, now time.Time) []fyne.CanvasObject {
	if len(ds) == 0 {
		return []fyne.CanvasObject{quiet("No open item has a due date. Set due dates on the Checklist and Referrals tabs.")}
	}
	var rows []fyne.CanvasObject
	for _, d := range ds[:min(len(ds), overviewDeadlines)] {
		due := widget.NewLabel(format.Due(d.due, d.overdue, now))
		due.Importance = dueImportance(d.due, d.overdue, now)
		what := newRowText(d.title+partnerSuffix(d.partner), fyne.TextStyle{}, widget.MediumImportance)
		rows = append(rows, container.NewBorder(nil, nil, container.New(widthLayout{130}, due), nil, what))
	}
	if n := len(ds) - overviewDeadlines; n > 0 {
		rows = append(rows, container.New(layout.NewHBoxLayout(), quietLine(fmt.Sprintf("and %d more", n))))
	}
	return rows
}
