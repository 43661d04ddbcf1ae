package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Vault totals: the counts the dashboard shows, kept by the commit path.
//
// One vault-level record holds the number of cases by status, the checklist counts
// of the open cases added up, and how many task index entries fall due on each day.
// deriveTotals moves it by what each change wrote to the case index and the task
// index, in the change's own transaction, so the dashboard reads one record instead
// of every case list entry and every task, and its cost does not grow with the
// vault. The migration "vault totals" counts an older vault once.

// RecTotals is the vault totals record (vault level, one record).
const RecTotals RecordType = 0x27

var totalsKey = Key{Type: RecTotals}

// vaultTotals is the stored record.
type vaultTotals struct {
	// Cases counts the case list entries by status.
	Cases map[CaseStatus]int `json:"cases,omitempty"`
	// Open adds up the checklist counts of the open cases that have counts;
	// OpenUncounted counts the open cases whose entry has none yet.
	Open          *ChecklistCounts `json:"open_checklist,omitempty"`
	OpenCounted   int              `json:"open_counted,omitempty"`
	OpenUncounted int              `json:"open_uncounted,omitempty"`
	// TaskDays counts the task index entries by due day (days since 1970-01-01, UTC).
	TaskDays map[int64]int `json:"task_days,omitempty"`
}

func readTotals(t Tx) (*vaultTotals, error) {
	tot := &vaultTotals{}
	err := getJSON(t, totalsKey, tot)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	if tot.Cases == nil {
		tot.Cases = map[CaseStatus]int{}
	}
	if tot.TaskDays == nil {
		tot.TaskDays = map[int64]int{}
	}
	if tot.Open == nil {
		tot.Open = newChecklistCounts()
	}
	return tot, nil
}

// unixDay is the UTC day of a task index order (due time in Unix seconds).
func unixDay(order uint64) int64 { return int64(order) / 86400 }

// dayOf is the UTC day of t.
func dayOf(t time.Time) int64 { return t.UTC().Unix() / 86400 }

// addEntry adds (sign 1) or removes (sign -1) one case list entry.
func (tot *vaultTotals) addEntry(s *CaseSummary, sign int) {
	tot.Cases[s.Status] += sign
	if tot.Cases[s.Status] == 0 {
		delete(tot.Cases, s.Status)
	}
	if s.Status != CaseOpen {
		return
	}
	if s.Checklist == nil {
		tot.OpenUncounted += sign
		return
	}
	tot.OpenCounted += sign
	tot.Open.addCounts(s.Checklist, sign)
}

// addTask adds or removes one task index entry due at order.
func (tot *vaultTotals) addTask(order uint64, sign int) {
	d := unixDay(order)
	tot.TaskDays[d] += sign
	if tot.TaskDays[d] == 0 {
		delete(tot.TaskDays, d)
	}
}

// deriveTotals moves the totals by the case index and task index records a change
// wrote (it runs after deriveCaseIndexes, which writes them).
func deriveTotals(c *Change) error {
	if c.skipTotals {
		return nil
	}
	var tot *vaultTotals
	var before []byte
	load := func() error {
		if tot != nil {
			return nil
		}
		var err error
		if tot, err = readTotals(c); err != nil {
			return err
		}
		before, err = json.Marshal(tot)
		return err
	}
	for _, w := range c.writes {
		switch {
		case w.Key.Type == RecCaseIndex:
			if err := load(); err != nil {
				return err
			}
			for _, side := range w.sides() {
				var s CaseSummary
				if err := json.Unmarshal(side.b, &s); err != nil {
					return fmt.Errorf("case index entry: %w", ErrIntegrity)
				}
				tot.addEntry(&s, side.sign)
			}
		case w.Key.Type == RecTask && w.Key.Order != legacyTaskPointerOrder:
			// Each task an entry stands for (one, or a shared entry's items) counts
			// on its due day: the entry before the change out, the one after in.
			if err := load(); err != nil {
				return err
			}
			for _, side := range w.sides() {
				err := eachTaskDue(side.b, func(_ ID, _ string, due time.Time) { tot.addTask(dueOrder(due), side.sign) })
				if err != nil {
					return err
				}
			}
		}
	}
	if tot == nil {
		return nil
	}
	after, err := json.Marshal(tot)
	if err != nil {
		return err
	}
	if string(after) == string(before) {
		return nil // a change that moved nothing leaves the record as it was
	}
	return c.Put(totalsKey, after)
}

// writeSide is a write's value before the change (sign -1) or after it (sign 1).
type writeSide struct {
	b    []byte
	sign int
}

// sides are a write's value before the change and after it, each if there is one.
func (w *write) sides() []writeSide {
	var out []writeSide
	if w.hadOld {
		out = append(out, writeSide{w.Old, -1})
	}
	if !w.Deleted {
		out = append(out, writeSide{w.New, 1})
	}
	return out
}

// countTotals counts the totals from the case index and the task index (the
// migration, and the check that the kept totals match).
func countTotals(t Tx) (*vaultTotals, error) {
	tot := &vaultTotals{Cases: map[CaseStatus]int{}, TaskDays: map[int64]int{}, Open: newChecklistCounts()}
	err := scanSummaries(t, func(s *CaseSummary) error {
		tot.addEntry(s, 1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
		if k.Order == legacyTaskPointerOrder {
			return nil
		}
		return eachTaskDue(b, func(_ ID, _ string, due time.Time) { tot.addTask(dueOrder(due), 1) })
	})
	return tot, err
}

// equal reports whether two totals count the same.
func (tot *vaultTotals) equal(o *vaultTotals) bool {
	a, _ := json.Marshal(tot)
	b, _ := json.Marshal(o)
	return string(a) == string(b)
}

// migrateTotals counts an existing vault's totals: the checklist counts of case
// list entries written before counts existed first (a batch of cases per step),
// then the totals in one step.
func migrateTotals(c *Change, cursor []byte) ([]byte, bool, error) {
	const batch = 200
	var after ID
	if len(cursor) == len(after) {
		copy(after[:], cursor)
	}
	var todo []ID
	err := c.ScanKeys(RecCaseIndex, ID{}, func(k Key) error {
		if string(k.ID[:]) <= string(after[:]) && len(cursor) > 0 {
			return nil
		}
		todo = append(todo, k.ID)
		if len(todo) == batch {
			return ErrStopScan
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	for _, id := range todo {
		var s CaseSummary
		if err := getSummary(c, id, &s); err != nil {
			return nil, false, err
		}
		if s.Checklist != nil {
			continue
		}
		counts, err := recountChecklist(c, id)
		if err != nil {
			return nil, false, err
		}
		s.Checklist = counts
		if err := putJSON(c, caseIndexKey(id), &s); err != nil {
			return nil, false, err
		}
	}
	if len(todo) == batch {
		last := todo[len(todo)-1]
		return last[:], false, nil
	}
	tot, err := countTotals(c)
	if err != nil {
		return nil, false, err
	}
	// The change's own writes above are counted by the scan; deriveTotals must not
	// move the fresh count by them again.
	c.skipTotals = true
	return nil, true, putJSON(c, totalsKey, tot)
}

// Dashboard is what the first screen after unlock shows: counts, the first items
// due, and the team's checklist progress, read from the vault totals and as many
// task index entries as it lists.
type Dashboard struct {
	OpenCases int // open cases
	AllCases  int // cases of every status
	// Overdue counts the open items whose due day has passed; DueSoon those due from
	// today through the horizon's last day.
	Overdue, DueSoon int
	// Items are the first overdue and due-soon items by due date, at most as many as
	// asked for.
	Items []Task
	// Progress adds up the checklist progress of the open cases (as TeamProgress
	// with an empty filter).
	Progress ChecklistProgress
}

// Dashboard reads the dashboard: the counts from the vault totals, and the first
// rows items of the task index that fall due by the end of the horizonDays-th day
// after now's (UTC) day, overdue first. Its cost depends on rows, not on the
// number of cases.
func (r *Records) Dashboard(now time.Time, horizonDays, rows int) (Dashboard, error) {
	if horizonDays < 0 || rows < 0 {
		return Dashboard{}, Invalid("horizon", "cannot be negative")
	}
	var d Dashboard
	err := r.view(func(t Tx) error {
		tot, err := readTotals(t)
		if err != nil {
			return err
		}
		for _, n := range tot.Cases {
			d.AllCases += n
		}
		d.OpenCases = tot.Cases[CaseOpen]
		today, end := dayOf(now), dayOf(now)+int64(horizonDays)+1 // end: the first day after the horizon
		for _, day := range slices.Sorted(maps.Keys(tot.TaskDays)) {
			switch {
			case day < today:
				d.Overdue += tot.TaskDays[day]
			case day < end:
				d.DueSoon += tot.TaskDays[day]
			}
		}
		d.Progress = tot.Open.Progress()
		d.Progress.Cases, d.Progress.Uncounted = tot.OpenCounted, tot.OpenUncounted
		d.Items, err = listTasks(t, now, uint64(end*86400), rows)
		return err
	})
	return d, err
}

// listTasks lists the task index entries due before the order limit with each
// case's number and alias, in the order every list shows them (due date, then case
// number, then title), at most max of them (0: all). Index keys order entries of
// one day by a hash, so the whole day of the last row is read before the cut: the
// rows shown are the first of the full order, not a hash's pick.
func listTasks(t Tx, now time.Time, limit uint64, max int) ([]Task, error) {
	return listTasksOf(t, now, limit, max, "")
}

// listTasksOf is listTasks for the tasks of one kind only (all kinds when kind is
// empty); a case's label is read only for a task that is kept.
func listTasksOf(t Tx, now time.Time, limit uint64, max int, kind string) ([]Task, error) {
	var tasks []Task
	labels := map[ID]caseLabel{}
	titles := templateTitles{t: t}
	add := func(e *taskEntry) error {
		if kind != "" && e.Kind != kind {
			return nil
		}
		lbl, ok := labels[e.Case]
		if !ok {
			var err error
			lbl, err = taskCaseLabel(t, e.Case)
			if errors.Is(err, ErrNotFound) {
				// A case deleted without its index: skip it rather than fail the list.
				lbl, err = caseLabel{gone: true}, nil
			}
			if err != nil {
				return err
			}
			labels[e.Case] = lbl
		}
		if lbl.gone || lbl.closed {
			return nil
		}
		tasks = append(tasks, Task{
			Case: e.Case, CaseNumber: lbl.number, Alias: lbl.alias,
			Item: e.Item, Kind: e.Kind, Title: e.Title, Partner: e.Partner,
			Due: e.Due, Overdue: taskOverdue(e.Kind, e.Due, now),
		})
		return nil
	}
	err := t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
		if k.Order == legacyTaskPointerOrder || k.Order >= limit {
			return ErrStopScan
		}
		// Entries come in due order, and every task of a shared entry is due at its
		// key: once max are listed, the rest of the last one's day is all that can
		// still come before the cut.
		if max > 0 && len(tasks) >= max && unixDay(k.Order) != dayOf(tasks[len(tasks)-1].Due) {
			return ErrStopScan
		}
		if isCompactTasks(b) && kind != "" && kind != TaskChecklist {
			return nil // a shared entry holds checklist items only
		}
		if kind != "" && !isCompactTasks(b) {
			// The kind first, without copying the title: the court dates look
			// through every entry due in the next 30 days for a few hearings.
			var e taskEntry
			if _, _, err := readTask(b, &e); err != nil {
				return err
			}
			if e.Kind != kind {
				return nil
			}
		}
		es, err := titles.expand(b)
		if err != nil {
			return err
		}
		for i := range es {
			if err := add(&es[i]); err != nil {
				return err
			}
		}
		return nil
	})
	SortTasks(tasks)
	if max > 0 && len(tasks) > max {
		tasks = tasks[:max]
	}
	return tasks, err
}

// SortTasks orders tasks by due date, then case number and title, so items due the
// same day always list in the same order.
func SortTasks(tasks []Task) {
	slices.SortStableFunc(tasks, func(a, b Task) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if c := strings.Compare(a.CaseNumber, b.CaseNumber); c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
}
