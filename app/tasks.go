package app

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"
)

// Task kinds: what a task index entry points at inside its case.
const (
	TaskChecklist = "checklist"
	TaskReferral  = "referral"
	// The MDT practice's task sources (issue 14, practice_tasks.go).
	TaskAction  = "action"  // an open action item from a case review
	TaskHearing = "hearing" // a court date without a recorded outcome
	TaskReport  = "report"  // an NCMEC report not yet made, due 24 hours after the missing episode began
)

// TaskRef is what a service tells the task index about one dated item of a case: a
// checklist item or a referral. Item must be the Key.ID of that item's record in the
// case, so that the commit path can find every entry of a shredded case from its record keys.
// Title and Partner are the only text the index holds: never put victim data in
// them beyond the item's own title.
type TaskRef struct {
	Case    ID
	Item    ID
	Kind    string // TaskChecklist, TaskReferral or a practice kind
	Due     time.Time
	Title   string
	Partner string
}

// Task is one open, dated item of the "upcoming and overdue" list across cases. It
// carries the case number and the victim's alias for display, read from the case
// list entry: the legal identity is never read to build it.
type Task struct {
	Case       ID
	CaseNumber string
	Alias      string
	Item       ID
	Kind       string // TaskChecklist, TaskReferral, TaskAction, TaskHearing or TaskReport
	Title      string
	Partner    string
	Due        time.Time
	// Overdue: the whole due day (UTC) has passed by the "now" of the query; for
	// timed kinds (a hearing, an NCMEC report) the due moment itself has passed.
	Overdue bool
}

// The task index lives at vault level (zero case) so the upcoming/overdue query reads
// one small record per dated item and never unseals a case. Each item has one
// record under a task ID derived from its case and item IDs:
//
//	Key{RecTask, zero, Order: due (Unix seconds), ID: taskID} -> taskEntry
//
// Entries list by due date. The derivers find an item's entry from the item's value
// before the change (its due date: the change keeps the old value of every task
// source, tracksOld), so moving a due date or clearing an item costs no read of the
// index. Vaults before schema 9 also kept a pointer record for each entry, at
// Order legacyTaskPointerOrder; migration 9 deletes them, and every listing stops
// before that order.
const legacyTaskPointerOrder = math.MaxUint64

type taskEntry struct {
	Case    ID
	Item    ID
	Kind    string
	Due     time.Time
	Title   string
	Partner string
}

// Task entries are read by the thousand on every task list, so they are stored in a
// small binary form rather than JSON (decoding JSON was most of the list's cost):
//
//	version(1)=1 | case(16) | item(16) | kind(1) | due(8, Unix seconds, big-endian)
//	| title length(2) | title | partner length(1) | partner
const taskFormat = 1

var taskKinds = [...]string{1: TaskChecklist, 2: TaskReferral, 3: TaskAction, 4: TaskHearing, 5: TaskReport}

func encodeTask(e taskEntry) []byte {
	title, partner := truncateUTF8(e.Title, math.MaxUint16), truncateUTF8(e.Partner, math.MaxUint8)
	b := make([]byte, 0, 1+16+16+1+8+2+len(title)+1+len(partner))
	b = append(b, taskFormat)
	b = append(b, e.Case[:]...)
	b = append(b, e.Item[:]...)
	kind := byte(0)
	for i, k := range taskKinds {
		if k != "" && k == e.Kind {
			kind = byte(i)
		}
	}
	b = append(b, kind)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Due.Unix()))
	b = binary.BigEndian.AppendUint16(b, uint16(len(title)))
	b = append(b, title...)
	b = append(b, byte(len(partner)))
	return append(b, partner...)
}

func decodeTask(b []byte) (taskEntry, error) {
	var e taskEntry
	title, partner, err := readTask(b, &e)
	if err != nil {
		return taskEntry{}, err
	}
	e.Title, e.Partner = string(title), string(partner)
	return e, nil
}

var errTaskEntry = fmt.Errorf("task entry: %w", ErrIntegrity)

// readTask checks a single entry and reads its case, item, kind and due date into
// *e; the title and partner stay in b. It allocates nothing, so the counts and the
// overdue checks read thousands of entries without copying a title.
func readTask(b []byte, e *taskEntry) (title, partner []byte, err error) {
	const fixed = 1 + 16 + 16 + 1 + 8 + 2
	if len(b) < fixed || b[0] != taskFormat {
		return nil, nil, errTaskEntry
	}
	copy(e.Case[:], b[1:17])
	copy(e.Item[:], b[17:33])
	k := int(b[33])
	if k == 0 || k >= len(taskKinds) {
		return nil, nil, errTaskEntry
	}
	e.Kind = taskKinds[k]
	e.Due = time.Unix(int64(binary.BigEndian.Uint64(b[34:42])), 0).UTC()
	n := int(binary.BigEndian.Uint16(b[42:44]))
	rest := b[fixed:]
	if len(rest) < n+1 {
		return nil, nil, errTaskEntry
	}
	title, rest = rest[:n], rest[n:]
	m := int(rest[0])
	if len(rest) != 1+m {
		return nil, nil, errTaskEntry
	}
	return title, rest[1:], nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// taskID is the index ID of a case's item. It is a hash of two random IDs, so the
// key still holds nothing a user typed.
func taskID(c, item ID) ID {
	h := sha256.New()
	h.Write([]byte("casenotes/v1 task\x00"))
	h.Write(c[:])
	h.Write(item[:])
	var id ID
	copy(id[:], h.Sum(nil))
	return id
}

// dueOrder is the key order of a due date: Unix seconds, clamped to the range a key
// can hold below the old pointer slot.
func dueOrder(due time.Time) uint64 {
	s := due.Unix()
	if s < 0 {
		return 0
	}
	if uint64(s) >= legacyTaskPointerOrder {
		return legacyTaskPointerOrder - 1
	}
	return uint64(s)
}

func checkTaskRef(ref TaskRef) error {
	switch {
	case ref.Case.IsZero():
		return Invalid("task case", "is missing")
	case ref.Item.IsZero():
		return Invalid("task item", "is missing")
	case !slices.Contains(taskKinds[1:], ref.Kind):
		return Invalid("task kind", "is not a kind of task")
	case ref.Due.IsZero():
		return Invalid("due date", "is missing")
	}
	return nil
}

// writeTask writes the index entry of one open, dated item. Call it inside the
// transaction that changes the item, after deleteTask of the entry it had, if any.
func writeTask(w Writer, ref TaskRef) error {
	if err := checkTaskRef(ref); err != nil {
		return err
	}
	e := taskEntry{Case: ref.Case, Item: ref.Item, Kind: ref.Kind, Due: ref.Due.UTC(),
		Title: ref.Title, Partner: ref.Partner}
	return w.Put(taskKey(ref), encodeTask(e))
}

// deleteTask removes the index entry an item had: ref is the item as it was when
// its entry was written (its due date places the entry).
func deleteTask(t Tx, ref TaskRef) error { return t.Delete(taskKey(ref)) }

// taskKey is where an item's entry is: under its due date.
func taskKey(ref TaskRef) Key {
	return Key{Type: RecTask, Order: dueOrder(ref.Due), ID: taskID(ref.Case, ref.Item)}
}

// sameTask reports whether two entries would be stored alike.
func sameTask(a, b TaskRef) bool {
	return a.Case == b.Case && a.Item == b.Item && a.Kind == b.Kind && a.Due.Equal(b.Due) &&
		a.Title == b.Title && a.Partner == b.Partner
}

// HearingsDue lists the hearings (TaskHearing) of open cases due before now+horizon,
// earliest first in the order every list shows, at most max of them (0: all). It
// reads the task index in due order and a case's label only for a hearing, so the
// dashboard's court dates cost what they show, not every task due in the period.
func (r *Records) HearingsDue(now time.Time, horizon time.Duration, max int) ([]Task, error) {
	if horizon < 0 || max < 0 {
		return nil, Invalid("horizon", "cannot be negative")
	}
	var tasks []Task
	err := r.view(func(t Tx) error {
		var err error
		tasks, err = listTasksOf(t, now, orderBefore(now.Add(horizon)), max, TaskHearing)
		return err
	})
	return tasks, err
}

// UpcomingAndOverdue lists every open checklist item and referral, open action
// item, hearing without an outcome and NCMEC report not yet made across all cases
// whose due date is before now+horizon, overdue first, then by due date; closed
// cases are left out (reopening one brings its tasks back); tasks due the same
// day list by case number and title, as on every list. It reads
// only the vault-level task index and the case list entries (number and alias):
// no case is unsealed and the legal identity is never touched.
func (r *Records) UpcomingAndOverdue(now time.Time, horizon time.Duration) ([]Task, error) {
	if horizon < 0 {
		return nil, Invalid("horizon", "cannot be negative")
	}
	cutoff := now.Add(horizon)
	var tasks []Task
	err := r.view(func(t Tx) error {
		var err error
		tasks, err = listTasksOf(t, now, orderBefore(cutoff), 0, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return tasks, nil
}

// OverdueByCase counts the overdue tasks of each case at now: the tasks
// UpcomingAndOverdue(now, 0) lists with Overdue set, by case. The case list shows
// the count on each row and filters on it, and already holds every case's number
// and alias, so this reads the task index entries due by now and nothing else: no
// case list entry, no template, no title. A closed case has no entries (the commit
// path takes them off when it closes); a case without a list entry may still be
// counted, and the caller shows counts only for the cases it lists.
func (r *Records) OverdueByCase(now time.Time) (map[ID]int, error) {
	out := map[ID]int{}
	err := r.view(func(t Tx) error {
		return eachTaskDueBefore(t, orderBefore(now), func(c ID, kind string, due time.Time) {
			if taskOverdue(kind, due, now) {
				out[c]++
			}
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// orderBefore is the first key order not due before t: an entry due in t's own
// second is before t when t is past the start of that second.
func orderBefore(t time.Time) uint64 {
	o := dueOrder(t)
	if t.Nanosecond() > 0 && o < legacyTaskPointerOrder-1 {
		o++
	}
	return o
}

// caseLabel is what a task shows of its case.
type caseLabel struct {
	number, alias string
	gone          bool // deleted
	closed        bool // closed cases have no tasks to chase
}

// taskCaseLabel reads the case number and alias from the case's list entry
// (CaseSummary in the vault-level case index), never the case or its victim records.
func taskCaseLabel(t Tx, c ID) (caseLabel, error) {
	var s CaseSummary
	if err := getSummary(t, c, &s); err != nil {
		return caseLabel{}, err
	}
	return caseLabel{number: s.Number, alias: s.Alias, closed: s.Status == CaseClosed}, nil
}
