package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// deriveCaseIndexes keeps the two vault-level indexes in step with what a change
// wrote into cases, in the change's own transaction:
//
//   - the case index entry (CaseSummary: number, title, alias, status, checklist
//     counts), which the case list, the dashboard and the task list read instead of
//     unsealing cases;
//   - the task index, one entry per open, dated checklist item or referral of a case
//     that is not closed.
//
// Services write only the records of a case; this is the one place that derives
// these indexes from them. Counts follow each item's change (old and new value), so
// a bulk load counts in memory instead of reading back what it just wrote.
func deriveCaseIndexes(c *Change) error {
	touched := map[ID][]*write{}
	var order []ID
	for _, w := range c.writes {
		if c.quietChecklist && (w.Key.Type == RecChecklist || w.Key.Type == RecChecklistBase) {
			continue // a checklist moved to its sparse form: nothing a user sees changed
		}
		switch w.Key.Type {
		case RecCase, RecVictim, RecChecklist, RecReferral:
		case RecActionItem, RecHearing, RecReference: // MDT practice task sources (issue 14)
		default:
			continue
		}
		if _, gone := c.shred[w.Key.Case]; gone {
			continue
		}
		if _, ok := touched[w.Key.Case]; !ok {
			order = append(order, w.Key.Case)
		}
		touched[w.Key.Case] = append(touched[w.Key.Case], w)
	}
	for id, items := range c.shred {
		if err := forgetCase(c, id, items); err != nil {
			return err
		}
	}
	for _, id := range order {
		if err := deriveCase(c, id, touched[id]); err != nil {
			return err
		}
	}
	return nil
}

// forgetCase removes a shredded case's index entry and task entries.
func forgetCase(c *Change, id ID, items []ID) error {
	for _, item := range items {
		if err := clearTask(c, id, item); err != nil {
			return err
		}
	}
	return c.Delete(caseIndexKey(id))
}

// deriveCase brings one case's index entry and task entries up to date with the
// writes the change made to it.
func deriveCase(c *Change, id ID, writes []*write) error {
	cs, err := getCase(c, id)
	if isNotFound(err) {
		return nil // a case not (or no longer) there has nothing to index
	}
	if err != nil {
		return err
	}
	// A closed case has no tasks to chase, and a received case is the sender's to
	// chase: neither puts entries on the task list.
	closed := cs.Status == CaseClosed || cs.ReadOnly
	wasClosed, reopenedOrClosed := closed, false
	if w := findWrite(writes, RecCase); w != nil && w.hadOld {
		var old Case
		if err := json.Unmarshal(w.Old, &old); err != nil {
			return fmt.Errorf("case record: %w", ErrIntegrity)
		}
		wasClosed = old.Status == CaseClosed || old.ReadOnly
		reopenedOrClosed = wasClosed != closed
	}
	if reopenedOrClosed {
		// Closing clears every task of the case (it keeps the task list fast in a
		// vault of thousands of closed cases); reopening puts them back.
		if err := syncAllTasks(c, id, closed); err != nil {
			return err
		}
	} else {
		for _, w := range writes {
			if err := syncTaskOf(c, w, closed); err != nil {
				return err
			}
		}
	}
	return writeCaseEntry(c, cs, writes)
}

// findWrite returns the change's write of the case's record of type t (the case
// record and the victim profile have one record per case).
func findWrite(writes []*write, t RecordType) *write {
	for _, w := range writes {
		if w.Key.Type == t {
			return w
		}
	}
	return nil
}

// taskOf decodes a task source (a checklist item or a referral of case c) and says
// whether it wants an entry on the task list.
func taskOf(t RecordType, c ID, value []byte) (TaskRef, bool, error) {
	switch t {
	case RecChecklist:
		var it ChecklistItem
		if err := json.Unmarshal(value, &it); err != nil {
			return TaskRef{}, false, fmt.Errorf("checklist item: %w", ErrIntegrity)
		}
		return it.task(c), it.Status == ItemOpen && !it.Due.IsZero(), nil
	case RecReferral:
		var ref Referral
		if err := json.Unmarshal(value, &ref); err != nil {
			return TaskRef{}, false, fmt.Errorf("referral: %w", ErrIntegrity)
		}
		return ref.task(), ref.Status.Open() && !ref.Due.IsZero(), nil
	}
	// Action items, hearings and NCMEC report deadlines (issue 14, practice_tasks.go).
	if ref, wanted, ok, err := practiceTaskOf(t, value); ok {
		return ref, wanted, err
	}
	return TaskRef{}, false, nil
}

// syncTaskOf makes the task index match one written task source: an entry while it
// is open, dated and its case is not closed; none otherwise.
func syncTaskOf(c *Change, w *write, caseClosed bool) error {
	if !isTaskSource(w.Key.Type) {
		return nil
	}
	if w.Deleted {
		return clearTask(c, w.Key.Case, w.Key.ID)
	}
	if caseClosed && !w.hadOld && c.isNew(w.Key.Case) {
		return nil // a closed case made in this change: no entry, none to clear
	}
	var ref TaskRef
	var wanted bool
	var err error
	if w.Key.Type == RecChecklist {
		var it *ChecklistItem
		if it, err = w.newItem(); err != nil {
			return err
		}
		ref, wanted = it.task(w.Key.Case), it.Status == ItemOpen && !it.Due.IsZero()
	} else if ref, wanted, err = taskOf(w.Key.Type, w.Key.Case, w.New); err != nil {
		return err
	}
	ref.Case, ref.Item = w.Key.Case, w.Key.ID
	switch {
	case wanted && !caseClosed && !w.hadOld && c.isNew(w.Key.Case):
		return writeTask(freshWriter{c}, ref) // a new case: no earlier entry to replace
	case wanted && !caseClosed:
		return setTask(c, ref)
	case !w.hadOld && c.isNew(w.Key.Case):
		return nil
	default:
		return clearTask(c, w.Key.Case, w.Key.ID)
	}
}

// syncAllTasks clears (closed) or restores (reopened) every task entry of a case
// from its checklist items and referrals.
func syncAllTasks(c *Change, id ID, closed bool) error {
	// Checklist items through the one merge: untouched items have no record.
	items, err := checklistItems(c, id)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		if it.Status == ItemOpen && !it.Due.IsZero() && !closed {
			err = setTask(c, it.task(id))
		} else {
			err = clearTask(c, id, it.ID)
		}
		if err != nil {
			return err
		}
	}
	for _, typ := range taskSourceTypes {
		if typ == RecChecklist {
			continue
		}
		var keys []Key
		var values [][]byte
		err := c.Scan(typ, id, func(k Key, v []byte) error {
			keys, values = append(keys, k), append(values, v)
			return nil
		})
		if err != nil {
			return err
		}
		for i, k := range keys {
			ref, wanted, err := taskOf(typ, id, values[i])
			if err != nil {
				return err
			}
			ref.Case, ref.Item = id, k.ID
			if wanted && !closed {
				err = setTask(c, ref)
			} else {
				err = clearTask(c, id, k.ID)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// writeCaseEntry writes the case's index entry from the case record, the victim's
// alias and the checklist counts, when it differs from the entry stored.
func writeCaseEntry(c *Change, cs *Case, writes []*write) error {
	var old CaseSummary
	oldRaw, err := c.Get(caseIndexKey(cs.ID))
	hadEntry := err == nil
	if hadEntry {
		if err := json.Unmarshal(oldRaw, &old); err != nil {
			return fmt.Errorf("case index entry: %w", ErrIntegrity)
		}
	} else if !isNotFound(err) {
		return err
	}
	alias := old.Alias
	if w := findWrite(writes, RecVictim); w != nil || !hadEntry {
		var v Victim
		if err := getJSON(c, victimKey(cs.ID), &v); err != nil && !isNotFound(err) {
			return err
		}
		alias = v.Alias
	}
	counts, err := entryCounts(c, cs.ID, &old, hadEntry, writes)
	if err != nil {
		return err
	}
	s := cs.summary(alias)
	s.Checklist = counts
	b, err := json.Marshal(&s)
	if err != nil {
		return fmt.Errorf("%w: encoding: %v", ErrStore, err)
	}
	if hadEntry && bytes.Equal(b, oldRaw) {
		return nil
	}
	return c.Put(caseIndexKey(cs.ID), b)
}

// entryCounts are the checklist counts of a case after the change: the stored
// entry's counts moved by each item's old and new value, or (a case created in this
// change) the new items counted, or (an entry from before counts existed) a recount.
func entryCounts(c *Change, id ID, old *CaseSummary, hadEntry bool, writes []*write) (*ChecklistCounts, error) {
	counts := old.Checklist
	switch {
	case counts != nil: // freshly decoded: safe to move in place
	case c.isNew(id) || !hadEntry && !anyOld(writes):
		counts = newChecklistCounts()
	default:
		return recountChecklist(c, id)
	}
	for _, w := range writes {
		if w.Key.Type != RecChecklist {
			continue
		}
		if w.hadOld {
			var it ChecklistItem
			if err := json.Unmarshal(w.Old, &it); err != nil {
				return nil, fmt.Errorf("checklist item: %w", ErrIntegrity)
			}
			counts.add(&it, -1)
		}
		if !w.Deleted {
			it, err := w.newItem()
			if err != nil {
				return nil, err
			}
			counts.add(it, 1)
		}
	}
	return counts, nil
}

// anyOld reports whether any write replaced a record from before the change.
func anyOld(writes []*write) bool {
	return slices.ContainsFunc(writes, func(w *write) bool { return w.hadOld })
}
