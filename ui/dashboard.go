package ui

import (
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// dashboardHorizonDays is how far ahead the dashboard looks for due items: through
// the end of the 14th day after today.
const dashboardHorizonDays = 14

// dashboardRows is how many overdue and upcoming items the dashboard lists (the
// Tasks section has them all), so the checklist progress below stays in sight.
const dashboardRows = 8

// dashboard is the first thing a user sees after unlocking: how many cases are
// open, and what is overdue or due soon across all of them.
type dashboard struct {
	s *Shell
	// current reports whether the dashboard is still on show (mainView.slot).
	current func() bool
}

func newDashboard(s *Shell, current func() bool) *dashboard {
	return &dashboard{s: s, current: current}
}

// object is the dashboard's box: its title and a quiet placeholder at once, the
// figures once read off the UI goroutine.
func (d *dashboard) object() fyne.CanvasObject {
	box := container.NewStack(container.NewVBox(heading("Dashboard"), loading()))
	now := d.s.clock.Now()
	// One read of the vault totals and the first rows of the task index: its cost
	// does not grow with the number of cases.
	readOff(d.s, d.current, func(r *app.Records) (app.Dashboard, error) {
		return r.Dashboard(now, dashboardHorizonDays, dashboardRows)
	}, func(sum app.Dashboard, err error) {
		showRead(box, d.show(sum, err, now))
	})
	return box
}

// show builds the dashboard from what was read.
func (d *dashboard) show(sum app.Dashboard, err error, now time.Time) fyne.CanvasObject {
	if err != nil {
		return failed("Dashboard", err)
	}
	if sum.AllCases == 0 {
		return container.NewVBox(heading("Dashboard"), emptyState(noCasesYet))
	}
	all, overdue, listed := sum.OpenCases, sum.Overdue, sum.Overdue+sum.DueSoon
	tasks := sum.Items
	tiles := container.NewGridWithColumns(3,
		statTile(strconv.Itoa(all), pick(all, "open case", "open cases"), widget.MediumImportance),
		statTile(strconv.Itoa(overdue), pick(overdue, "overdue item", "overdue items"), importanceIf(overdue > 0, widget.DangerImportance)),
		statTile(strconv.Itoa(sum.DueSoon), "due in the next 14 days", widget.MediumImportance),
	)
	var list fyne.CanvasObject
	if listed == 0 {
		list = quiet("Nothing is overdue or due in the next 14 days.")
	} else {
		rows := container.NewVBox()
		for _, t := range tasks {
			rows.Add(taskRow(t, now))
		}
		if listed > len(tasks) {
			more := widget.NewButton(fmt.Sprintf("All %d items", listed), func() { d.s.main.show(sectionTasks) })
			more.Importance = widget.LowImportance
			rows.Add(container.NewHBox(more))
		}
		list = rows
	}
	progress := d.progress(sum.Progress)
	return container.NewVScroll(container.NewVBox(
		heading("Dashboard"),
		tiles,
		gap(),
		subheading("Overdue and due soon"),
		list,
		gap(),
		d.courtDates(),
		gap(),
		progress,
	))
}

// progress is the checklist progress of all open cases, by phase and by partner,
// as bars with "7 of 12" beside them. It is added up from the counts kept on the
// case list entries into the vault totals, so no checklist is opened.
func (d *dashboard) progress(p app.ChecklistProgress) fyne.CanvasObject {
	box := container.NewVBox(subheading("Checklist progress"))
	if p.Cases > 0 {
		of := "the open case"
		if p.Cases > 1 {
			of = fmt.Sprintf("the %d open cases", p.Cases)
		}
		box.Add(quiet(fmt.Sprintf("Items done or not applicable, of all items in %s.", of)))
	}
	if p.Overall.Total == 0 {
		box.Add(quiet("No open case has checklist items."))
		return box
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
	return box
}

// progressHeading names a column of progress bars.
func progressHeading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
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
	what := newRowText("", fyne.TextStyle{}, widget.MediumImportance)
	where := newRowText("", fyne.TextStyle{}, widget.LowImportance)
	return container.NewBorder(nil, nil, container.New(widthLayout{130}, due), nil,
		container.New(layout.NewGridLayoutWithColumns(2), what, where))
}

// setTaskRow shows a task in a row made by newTaskRow.
func setTaskRow(o fyne.CanvasObject, t app.Task, now time.Time) {
	row := o.(*fyne.Container)
	grid := row.Objects[0].(*fyne.Container)
	due := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	text, imp := taskDue(t, now) // hearings and NCMEC reports read by the hour (tasks_practice.go)
	due.Importance = imp
	due.SetText(text)
	grid.Objects[0].(*rowText).SetText(t.Title)
	grid.Objects[1].(*rowText).SetText(caseLabel(t.CaseNumber, t.Alias) + partnerSuffix(t.Partner))
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
