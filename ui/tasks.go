package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// tasksHorizonDays is how far ahead the task list looks: through the end of the
// 60th day after today.
const tasksHorizonDays = 60

// tasksPage is how many tasks the list reads at a time: more than a screen holds
// many times over, and a read that stays quick however large the vault (75,000
// tasks at 50,000 cases); "Show more" reads the next page.
const tasksPage = 500

// taskList is the open, dated checklist items, referrals, action items, hearings
// and NCMEC reports across cases that are overdue or due in the next 60 days,
// overdue first, read a page at a time.
type taskList struct {
	s *Shell
	// current reports whether the list is still on show (mainView.slot).
	current func() bool
	box     *fyne.Container
	rows    int // how many tasks the list reads
}

func newTaskList(s *Shell, current func() bool) *taskList {
	return &taskList{s: s, current: current, rows: tasksPage}
}

// object is the section: its title and a quiet placeholder at once, the list once
// read off the UI goroutine.
func (l *taskList) object() fyne.CanvasObject {
	l.box = container.NewStack(container.NewVBox(heading("Tasks"), loading()))
	l.load()
	return l.box
}

func (l *taskList) load() {
	now, rows := l.s.clock.Now(), l.rows
	readOff(l.s, l.current, func(r *app.Records) (app.TaskPage, error) {
		return r.TasksDue(now, tasksHorizonDays, rows)
	}, func(p app.TaskPage, err error) {
		showRead(l.box, l.show(p, err, now))
	})
}

// show builds the list from a page.
func (l *taskList) show(p app.TaskPage, err error, now time.Time) fyne.CanvasObject {
	if err != nil {
		return failed("Tasks", err)
	}
	tasks := p.Tasks
	if len(tasks) == 0 {
		return container.NewVBox(heading("Tasks"),
			emptyState("Nothing is overdue or due in the next 60 days. Due dates of checklist items, referrals and action items, court dates and NCMEC report deadlines appear here."))
	}
	summary := format.Count(p.DueSoon, "item", "items") + " due in the next 60 days"
	if p.Overdue > 0 {
		summary = format.Count(p.Overdue, "item", "items") + " overdue, " + summary
	}
	top := container.NewVBox(heading("Tasks"), quiet(summary))
	var bottom fyne.CanvasObject
	if more := p.More(); more > 0 {
		next := widget.NewButton("Show more", func() {
			l.rows += tasksPage
			l.load()
		})
		next.Importance = widget.LowImportance
		// One line beside its button: a wrapping label in an HBox gets no width and
		// draws a letter a line.
		bottom = container.NewHBox(
			quietLine(fmt.Sprintf("The first %s by due date; %s more.", format.Count(len(tasks), "item", "items"), format.Count(more, "item", "items"))),
			next)
	}
	list := widget.NewList(
		func() int { return len(tasks) },
		newTaskRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { setTaskRow(o, tasks[i], now) },
	)
	if shown := l.rows - tasksPage; shown > 0 && shown < len(tasks) {
		list.ScrollTo(shown) // Show more: the first of the new rows, where the list ended
	}
	return container.NewBorder(top, bottom, nil, nil, list)
}
