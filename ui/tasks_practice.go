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

// The MDT practice on the task list and the dashboard (issue 14): action items from
// case reviews read like other dated items; a hearing shows its date and time and,
// once past without an outcome, that the outcome is awaited; an NCMEC report shows
// the hours left on its 24-hour clock.

// taskDue is a task's due column.
func taskDue(t app.Task, now time.Time) (string, widget.Importance) {
	switch t.Kind {
	case app.TaskHearing:
		if t.Overdue {
			return "awaits outcome", widget.DangerImportance
		}
		when := format.Clock(t.Due)
		switch d := format.DayDiff(now, t.Due); {
		case d == 0:
			when = "today " + when
		case d == 1:
			when = "tomorrow " + when
		default:
			when = t.Due.Local().Format("Jan 2") + ", " + when
		}
		return when, dueImportance(t.Due, false, now)
	case app.TaskReport:
		left := t.Due.Sub(now)
		if t.Overdue {
			return "overdue " + shortSpan(-left), widget.DangerImportance
		}
		return "due in " + shortSpan(left), widget.WarningImportance
	}
	return format.Due(t.Due, t.Overdue, now), dueImportance(t.Due, t.Overdue, now)
}

// shortSpan is a duration in hours or minutes, for a narrow column: "21 h", "40 min".
func shortSpan(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	case d >= time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	default:
		return fmt.Sprintf("%d min", max(1, int(d/time.Minute)))
	}
}

// courtDatesHorizon is how far ahead the dashboard lists court dates.
const courtDatesHorizon = 30 * 24 * time.Hour

// courtDates is the dashboard's list of upcoming hearings across cases (and those
// past without an outcome), read off the UI goroutine.
func (d *dashboard) courtDates() fyne.CanvasObject {
	box := container.NewVBox(subheading("Court dates"))
	now := d.s.clock.Now()
	readOff(d.s, d.current, func(r *app.Records) ([]app.Task, error) {
		return r.HearingsDue(now, courtDatesHorizon, dashboardRows)
	}, func(tasks []app.Task, err error) {
		if err != nil {
			box.Add(failedLine(err))
			return
		}
		for _, t := range tasks {
			box.Add(taskRow(t, now))
		}
		if len(tasks) == 0 {
			box.Add(quiet("No hearing in the next 30 days. Court dates are recorded on a case's Court tab."))
		}
		box.Refresh()
	})
	return box
}
