package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// dashboardHorizon is how far ahead the dashboard looks for due items.
const dashboardHorizon = 14 * 24 * time.Hour

// dashboardRows is how many overdue and upcoming items the dashboard lists (the
// Tasks section has them all), so the checklist progress below stays in sight.
const dashboardRows = 8

// dashboard is the first thing a user sees after unlocking: how many cases are
// open, and what is overdue or due soon across all of them.
type dashboard struct{ s *Shell }

func newDashboard(s *Shell) *dashboard { return &dashboard{s: s} }

func (d *dashboard) object() fyne.CanvasObject {
	now := d.s.clock.Now()
	open, err := d.s.records.ListCases(app.CaseFilter{Status: app.CaseOpen})
	if err != nil {
		return failed("Dashboard", err)
	}
	all := len(open)
	if all == 0 {
		cases, err := d.s.records.ListCases(app.CaseFilter{})
		if err != nil {
			return failed("Dashboard", err)
		}
		if len(cases) == 0 {
			return container.NewVBox(heading("Dashboard"), emptyState(noCasesYet))
		}
	}
	tasks, err := d.s.records.UpcomingAndOverdue(now, dashboardHorizon)
	if err != nil {
		return failed("Dashboard", err)
	}
	sortTasks(tasks)
	overdue := 0
	for _, t := range tasks {
		if t.Overdue {
			overdue++
		}
	}
	tiles := container.NewGridWithColumns(3,
		statTile(strconv.Itoa(all), pick(all, "open case", "open cases"), widget.MediumImportance),
		statTile(strconv.Itoa(overdue), pick(overdue, "overdue item", "overdue items"), importanceIf(overdue > 0, widget.DangerImportance)),
		statTile(strconv.Itoa(len(tasks)-overdue), "due in the next 14 days", widget.MediumImportance),
	)
	var list fyne.CanvasObject
	if len(tasks) == 0 {
		list = quiet("Nothing is overdue or due in the next 14 days.")
	} else {
		rows := container.NewVBox()
		for _, t := range tasks[:min(len(tasks), dashboardRows)] {
			rows.Add(taskRow(t, now))
		}
		if len(tasks) > dashboardRows {
			more := widget.NewButton(fmt.Sprintf("All %d items", len(tasks)), func() { d.s.main.show(sectionTasks) })
			more.Importance = widget.LowImportance
			rows.Add(container.NewHBox(more))
		}
		list = rows
	}
	progress, err := d.progress()
	if err != nil {
		return failed("Dashboard", err)
	}
	return container.NewVScroll(container.NewVBox(
		heading("Dashboard"),
		tiles,
		gap(),
		subheading("Overdue and due soon"),
		list,
		gap(),
		progress,
	))
}

// progress is the checklist progress of all open cases, by phase and by partner,
// as bars with "7 of 12" beside them. It is added up from the counts kept on the
// case list entries (app.Records.TeamProgress), so no checklist is opened.
func (d *dashboard) progress() (fyne.CanvasObject, error) {
	p, err := d.s.records.TeamProgress(app.CaseFilter{})
	if err != nil {
		return nil, err
	}
	box := container.NewVBox(subheading("Checklist progress"))
	if p.Cases > 0 {
		of := "the open case"
		if p.Cases > 1 {
			of = fmt.Sprintf("the %d open cases", p.Cases)
		}
		box.Add(quiet(fmt.Sprintf("Items done or not applicable, of all items in %s.", of)))
	}
	if p.Uncounted > 0 {
		count := widget.NewButton("Count them", d.fillCounts)
		count.Importance = widget.LowImportance
		box.Add(container.NewBorder(nil, nil, nil, count,
			quiet(format.Count(p.Uncounted, "open case", "open cases")+" from an earlier version "+pick(p.Uncounted, "is", "are")+" not counted yet.")))
	}
	if p.Overall.Total == 0 {
		if p.Uncounted == 0 {
			box.Add(quiet("No open case has checklist items."))
		}
		return box, nil
	}
	// Rows closer together than labels usually sit, so both columns fit a glance.
	column := func(title string) *fyne.Container {
		return container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()), progressHeading(title))
	}
	phases := column("By phase")
	phases.Add(progressRow("All phases", p.Overall))
	for _, ph := range p.ByPhase {
		if ph.Total > 0 {
			phases.Add(progressRow(ph.Phase.Title(), ph.ProgressCount))
		}
	}
	partners := column("By partner")
	for _, pp := range p.ByPartner {
		partners.Add(progressRow(pp.Partner.Title(), pp.ProgressCount))
	}
	box.Add(container.NewGridWithColumns(2, phases, partners))
	return box, nil
}

// progressHeading names a column of progress bars.
func progressHeading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// fillCounts counts the checklists of cases whose list entries predate the
// counts, with a progress dialog (it opens every such checklist), then shows the
// dashboard again.
func (d *dashboard) fillCounts() {
	records := d.s.records
	d.s.runWithProgress("Counting checklists", "Counting the checklists of older cases…",
		func(ctx context.Context, report func(done, total int)) error {
			_, err := records.FillChecklistCounts(ctx, report)
			return err
		},
		func(err error) {
			if err != nil && !errors.Is(err, context.Canceled) {
				dialog.ShowInformation("Not counted", app.Sentence(err), d.s.win)
			}
			if d.s.main != nil {
				d.s.main.show(sectionDashboard)
			}
		})
}

// sortTasks orders tasks by due date, then case number and title, so items due the
// same day always list in the same order.
func sortTasks(tasks []app.Task) {
	slices.SortStableFunc(tasks, func(a, b app.Task) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if c := strings.Compare(a.CaseNumber, b.CaseNumber); c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
}

// pick is the word that fits a count: one for 1, many otherwise.
func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// statTile is a large number over a short label.
func statTile(value, label string, imp widget.Importance) fyne.CanvasObject {
	v := heading(value)
	v.Importance = imp
	return widget.NewCard("", "", container.NewVBox(v, quiet(label)))
}

func importanceIf(cond bool, imp widget.Importance) widget.Importance {
	if cond {
		return imp
	}
	return widget.MediumImportance
}

// taskRow is one overdue or upcoming item: due date, case, item and partner.
func taskRow(t app.Task, now time.Time) fyne.CanvasObject {
	row := newTaskRow()
	setTaskRow(row, t, now)
	return row
}

// newTaskRow is an empty task row, laid out like a filled one so that a list
// using it as its template gives every row the height of its text.
func newTaskRow() fyne.CanvasObject {
	due := widget.NewLabel("")
	what := widget.NewLabel("")
	what.Truncation = fyne.TextTruncateEllipsis
	where := quiet("")
	where.Wrapping = fyne.TextWrapOff
	where.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, container.New(widthLayout{130}, due), nil,
		container.New(layout.NewGridLayoutWithColumns(2), what, where))
}

// setTaskRow shows a task in a row made by newTaskRow.
func setTaskRow(o fyne.CanvasObject, t app.Task, now time.Time) {
	row := o.(*fyne.Container)
	grid := row.Objects[0].(*fyne.Container)
	due := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	due.Importance = dueImportance(t.Due, t.Overdue, now)
	due.SetText(format.Due(t.Due, t.Overdue, now))
	grid.Objects[0].(*widget.Label).SetText(t.Title)
	grid.Objects[1].(*widget.Label).SetText(caseLabel(t.CaseNumber, t.Alias) + partnerSuffix(t.Partner))
}

// caseLabel names a case as every screen does: number and alias, never the legal name.
func caseLabel(number, alias string) string {
	if alias == "" {
		return number
	}
	return number + " · “" + alias + "”"
}

func partnerSuffix(p string) string {
	if p == "" {
		return ""
	}
	return " · " + app.PartnerTitle(p)
}

// dueImportance colors a due date: overdue in the error color, within a week in
// the warning color.
func dueImportance(due time.Time, overdue bool, now time.Time) widget.Importance {
	switch {
	case overdue:
		return widget.DangerImportance
	case format.DayDiff(now, due) < 7:
		return widget.WarningImportance
	default:
		return widget.MediumImportance
	}
}

// noCasesYet is the empty state of the dashboard and the case list.
const noCasesYet = "No cases yet. Create one with New case in Cases, or import a case file."

// emptyState is a calm sentence where a list would be.
func emptyState(text string) fyne.CanvasObject {
	l := paragraph(text)
	l.Alignment = fyne.TextAlignCenter
	return container.NewPadded(l)
}

// failed is a section that could not load: its title and one sentence.
func failed(title string, err error) fyne.CanvasObject {
	msg := errorLabel()
	say(msg, app.Sentence(err))
	return container.NewVBox(heading(title), msg)
}
