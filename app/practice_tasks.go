package app

import (
	"encoding/json"
	"fmt"
	"time"
)

// The MDT practice's task sources (issue 14): records of a case that put an entry on
// the task list, derived on the commit path like checklist items and referrals
// (derive.go asks practiceTaskOf about every type in taskSourceTypes):
//
//   - an open action item from a case review, by its due date;
//   - a hearing without a recorded outcome, by its date and time;
//   - an NCMEC report not yet made, due 24 hours after the missing episode began.

// taskSourceTypes are the record types of a case whose records may have a task
// entry: the commit path clears their entries when the case is shredded or closed
// and restores them when it reopens.
var taskSourceTypes = []RecordType{RecChecklist, RecReferral, RecActionItem, RecHearing, RecReference}

// isTaskSource reports whether records of type t may have task entries.
func isTaskSource(t RecordType) bool {
	for _, s := range taskSourceTypes {
		if s == t {
			return true
		}
	}
	return false
}

// practiceTaskOf decodes a practice task source and says whether it wants a task
// entry; handled is false for types that are not practice task sources.
func practiceTaskOf(t RecordType, value []byte) (ref TaskRef, wanted, handled bool, err error) {
	switch t {
	case RecActionItem:
		var a ActionItem
		if err := json.Unmarshal(value, &a); err != nil {
			return TaskRef{}, false, true, fmt.Errorf("action item: %w", ErrIntegrity)
		}
		ref, wanted = a.task()
	case RecHearing:
		var h Hearing
		if err := json.Unmarshal(value, &h); err != nil {
			return TaskRef{}, false, true, fmt.Errorf("hearing: %w", ErrIntegrity)
		}
		ref, wanted = h.task()
	case RecReference:
		var r Reference
		if err := json.Unmarshal(value, &r); err != nil {
			return TaskRef{}, false, true, fmt.Errorf("reference: %w", ErrIntegrity)
		}
		ref, wanted = r.task()
	default:
		return TaskRef{}, false, false, nil
	}
	return ref, wanted, true, nil
}

// taskOverdue says whether a task is overdue at now: a dated item once its whole
// due day has passed, a timed one (a hearing, an NCMEC report) once its moment has.
func taskOverdue(kind string, due, now time.Time) bool {
	if kind == TaskHearing || kind == TaskReport {
		return !now.Before(due)
	}
	return pastDue(due, now)
}
