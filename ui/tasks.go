package ui

import (
	"casenotes/app"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// tasksHorizon is how far ahead the task list looks.
const tasksHorizon = 60 * 24 * time.Hour

// taskList is every open, dated checklist item and referral across cases that is
// overdue or due in the next 60 days, overdue first.
type taskList struct{ s *Shell }

func newTaskList(s *Shell) *taskList { return &taskList{s: s} }

func (l *taskList) object() fyne.CanvasObject {
	now := l.s.clock.Now()
	tasks, err := l.s.records.UpcomingAndOverdue(now, tasksHorizon)
	if err != nil {
		return failed("Tasks", err)
	}
	if len(tasks) == 0 {
		return container.NewVBox(heading("Tasks"),
			emptyState("Nothing is overdue or due in the next 60 days. Due dates of checklist items, referrals and action items, court dates and NCMEC report deadlines appear here."))
	}
	app.SortTasks(tasks)
	overdue := 0
	for _, t := range tasks {
		if t.Overdue {
			overdue++
		}
	}
	summary := fmt.Sprintf("%d due in the next 60 days", len(tasks)-overdue)
	if overdue > 0 {
		summary = fmt.Sprintf("%d overdue, ", overdue) + summary
	}
	list := widget.NewList(
		func() int { return len(tasks) },
		newTaskRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { setTaskRow(o, tasks[i], now) },
	)
	return container.NewBorder(container.NewVBox(heading("Tasks"), quiet(summary)), nil, nil, nil, list)
}
