package app

import (
	"maps"
	"slices"
	"time"
)

// TaskPage is what the Tasks screen shows: the first tasks due, and how many
// there are in all, so a vault of 50,000 cases lists a screenful, not every task.
type TaskPage struct {
	// Tasks are the first open tasks due by the horizon, in the order every list
	// shows them (due date, case number, title), at most as many as asked for.
	Tasks []Task
	// Overdue counts the tasks whose due day has passed, DueSoon those due from
	// today through the horizon's last day (from the vault totals); a timed task
	// listed above as overdue today (a hearing, an NCMEC report) is counted as
	// overdue.
	Overdue, DueSoon int
}

// More is how many tasks the page does not list.
func (p TaskPage) More() int { return max(0, p.Overdue+p.DueSoon-len(p.Tasks)) }

// TasksDue reads the Tasks screen: the counts from the vault totals and the first
// rows entries of the task index due by the end of the horizonDays-th day after
// now's (UTC) day. Like Dashboard, its cost depends on rows, not on the number of
// cases or tasks.
func (r *Records) TasksDue(now time.Time, horizonDays, rows int) (TaskPage, error) {
	if horizonDays < 0 {
		return TaskPage{}, Invalid("horizon", "cannot be negative")
	}
	if rows < 1 {
		return TaskPage{}, Invalid("rows", "must be at least one")
	}
	var p TaskPage
	err := r.view(func(t Tx) error {
		tot, err := readTotals(t)
		if err != nil {
			return err
		}
		today, end := dayOf(now), dayOf(now)+int64(horizonDays)+1
		for _, day := range slices.Sorted(maps.Keys(tot.TaskDays)) {
			switch {
			case day < today:
				p.Overdue += tot.TaskDays[day]
			case day < end:
				p.DueSoon += tot.TaskDays[day]
			}
		}
		p.Tasks, err = listTasks(t, now, uint64(end*86400), rows)
		return err
	})
	if err != nil {
		return TaskPage{}, err
	}
	for _, task := range p.Tasks {
		if task.Overdue && dayOf(task.Due) == dayOf(now) && p.DueSoon > 0 {
			p.Overdue, p.DueSoon = p.Overdue+1, p.DueSoon-1
		}
	}
	return p, nil
}
