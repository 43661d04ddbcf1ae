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

// forgetCase removes a shredded case's index entry and task entries (keys: the
// entries it had, gathered before its records went).
func forgetCase(c *Change, id ID, keys []Key) error {
	if err := deleteThere(c, keys); err != nil {
		return err
	}
	return c.Delete(caseIndexKey(id))
}

// deleteThere deletes those of keys that hold a record. The keys a case's task
// entries could be under include some with nothing (a day whose untouched items
// all have records now; every key of a case that was already closed): a lookup
// costs less than a deletion the change then carries.
func deleteThere(c *Change, keys []Key) error {
	for _, k := range keys {
		if _, ok, err := c.Tx.SealedSum(k); err != nil {
			return err
		} else if !ok {
			continue
		}
		if err := c.Delete(k); err != nil {
			return err
		}
	}
	return nil
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
	closed := cs.noTasks()
	wasClosed, reopenedOrClosed := closed, false
	if w := findWrite(writes, RecCase); w != nil && w.hadOld {
		var old Case
		if err := json.Unmarshal(w.Old, &old); err != nil {
			return fmt.Errorf("case record: %w", ErrIntegrity)
		}
		wasClosed = old.noTasks()
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
		if err := writeCompact(c, id); err != nil {
			return err
		}
	}
	return writeCaseEntry(c, cs, writes)
}

// noTasks says a case puts nothing on the task list: a closed case has no tasks to
// chase, and a received case is the sender's to chase.
func (c *Case) noTasks() bool { return c.Status == CaseClosed || c.ReadOnly }

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

// taskOf decodes the record at k (a task source: a checklist item, a referral or a
// practice source) and says whether it wants an entry on the task list. The entry
// is the record's: its case and item are k's.
func taskOf(k Key, value []byte) (TaskRef, bool, error) {
	ref, wanted, err := decodeTaskSource(k.Type, k.Case, value)
	ref.Case, ref.Item = k.Case, k.ID
	return ref, wanted, err
}

func decodeTaskSource(t RecordType, c ID, value []byte) (TaskRef, bool, error) {
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
// is open, dated and its case is not closed; none otherwise. The entry it had is
// found from its value before the change (a closed case had none); an item that
// had no record had its entry in its case's compact entry (tasks_compact.go), and
// an untouched item of a new checklist goes into one.
func syncTaskOf(c *Change, w *write, caseClosed bool) error {
	if !isTaskSource(w.Key.Type) || caseClosed {
		return nil
	}
	if w.virtual {
		if it := w.item; it.Status == ItemOpen && !it.Due.IsZero() {
			return addCompact(c, w.Key.Case, it)
		}
		return nil
	}
	var before, after TaskRef
	var had, wants bool
	if w.hadOld {
		var err error
		if before, had, err = taskOf(w.Key, w.Old); err != nil {
			return err
		}
	}
	if had && w.oldDefault {
		// The item's first record: it leaves its case's compact entry.
		if err := leaveCompact(c, before); err != nil {
			return err
		}
		had = false
	}
	if !w.Deleted {
		var err error
		if w.Key.Type == RecChecklist {
			var it *ChecklistItem
			if it, err = w.newItem(); err != nil {
				return err
			}
			after, wants = it.task(w.Key.Case), it.Status == ItemOpen && !it.Due.IsZero()
		} else if after, wants, err = taskOf(w.Key, w.New); err != nil {
			return err
		}
	}
	if had && wants && sameTask(before, after) {
		return nil
	}
	if had {
		if err := deleteTask(c, before); err != nil {
			return err
		}
	}
	if !wants {
		return nil
	}
	if !w.hadOld && c.isNew(w.Key.Case) {
		return writeTask(freshWriter{c}, after) // a new case: nothing to read first
	}
	return writeTask(c, after)
}

// addCompact puts an untouched item of a checklist made in this change into its
// case's shared entry for its due date, which writeCompact stores once the case's
// writes are derived.
func addCompact(c *Change, id ID, it *ChecklistItem) error {
	s := c.skeletons[id]
	if s == nil {
		return fmt.Errorf("checklist skeleton: %w", ErrIntegrity) // expandSkeletons made the item from it
	}
	if c.compact == nil {
		c.compact = map[ID][]*compactTasks{}
	}
	c.compact[id] = addShared(c.compact[id], id, s, it)
	return nil
}

// writeCompact stores the shared entries built for a case in this change, if any.
func writeCompact(c *Change, id ID) error {
	entries := c.compact[id]
	delete(c.compact, id)
	return putShared(c, id, entries)
}

// putShared writes a case's shared entries (a new case's without reading first:
// their keys are made from its id).
func putShared(c *Change, id ID, entries []*compactTasks) error {
	var w Writer = c
	if c.isNew(id) {
		w = freshWriter{c}
	}
	for _, ct := range entries {
		if err := w.Put(compactKey(id, ct.Due), ct.encode()); err != nil {
			return err
		}
	}
	return nil
}

// leaveCompact takes an untouched item (ref: its default) out of its case's shared
// entry for its due date (the entry goes with its last item). An item not found
// there has an entry of its own (an index written before shared entries): that one
// goes instead.
func leaveCompact(c *Change, ref TaskRef) error {
	k := compactKey(ref.Case, ref.Due)
	b, err := c.Get(k)
	if isNotFound(err) {
		return deleteTask(c, ref)
	}
	if err != nil {
		return err
	}
	ct, err := decodeCompactTasks(b)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ct.Items, func(it compactItem) bool { return it.ID == ref.Item })
	if i < 0 {
		return deleteTask(c, ref)
	}
	ct.Items = slices.Delete(ct.Items, i, i+1)
	if len(ct.Items) == 0 {
		return c.Delete(k)
	}
	return c.Put(k, ct.encode())
}

// syncAllTasks clears (closed) every task entry the case had before the change, or
// restores (reopened) one for each of its open, dated task sources as they are now:
// its records' own entries, and shared entries for its untouched items.
func syncAllTasks(c *Change, id ID, closed bool) error {
	if closed {
		keys, err := caseTasksBefore(c, id)
		if err != nil {
			return err
		}
		return deleteThere(c, keys)
	}
	records := map[ID]bool{}
	err := eachTaskRecord(c, id, func(k Key, value []byte) error {
		if k.Type == RecChecklist {
			records[k.ID] = true
		}
		ref, wanted, err := taskOf(k, value)
		if err != nil || !wanted {
			return err
		}
		return writeTask(c, ref)
	})
	if err != nil {
		return err
	}
	s, found, err := readSkeleton(c, id)
	if err != nil || !found {
		return err
	}
	defs, err := s.defaults(c)
	if err != nil {
		return err
	}
	return putShared(c, id, compactOf(id, s, defs, func(item ID) bool { return records[item] }))
}

// caseTasksBefore lists the keys of the task entries an open case had before the
// change: its shared entries, and the entries of its task source records as they
// were then (a record written in the change by its old value, none if it is new;
// every other one as it is). Closing and shredding a case delete them; a case that
// was closed has none, and deleting them again is harmless.
func caseTasksBefore(c *Change, id ID) ([]Key, error) {
	var keys []Key
	if s, found, err := readSkeleton(c, id); err != nil {
		return nil, err
	} else if found {
		defs, err := s.defaults(c)
		if err != nil {
			return nil, err
		}
		for _, due := range dueDays(defs) {
			keys = append(keys, compactKey(id, due))
		}
	}
	err := eachTaskRecord(c, id, func(k Key, value []byte) error {
		if _, written := c.byKey[k]; written {
			return nil
		}
		ref, wanted, err := taskOf(k, value)
		if err == nil && wanted {
			keys = append(keys, taskKey(ref))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, w := range c.writes {
		if w.Key.Case != id || !w.hadOld || w.oldDefault || w.virtual || !isTaskSource(w.Key.Type) {
			continue
		}
		ref, wanted, err := taskOf(w.Key, w.Old)
		if err != nil {
			return nil, err
		}
		if wanted {
			keys = append(keys, taskKey(ref))
		}
	}
	return keys, nil
}

// eachTaskRecord calls fn with every task source record of a case as it is now in
// the transaction (untouched checklist items have none: their entry is the compact
// one).
func eachTaskRecord(t Tx, id ID, fn func(k Key, value []byte) error) error {
	for _, typ := range taskSourceTypes {
		var keys []Key
		var values [][]byte
		err := t.Scan(typ, id, func(k Key, v []byte) error {
			keys, values = append(keys, k), append(values, v)
			return nil
		})
		if err != nil {
			return err
		}
		for i, k := range keys {
			if err := fn(k, values[i]); err != nil {
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
