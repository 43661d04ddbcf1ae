package app

import "fmt"

// migrateTaskPointers deletes the task index's pointer records (schema 8 and
// before kept one beside every entry, at Order legacyTaskPointerOrder, saying where
// the entry was). The derivers now find an entry from its item's due date before
// the change, so a pointer is a second record per dated item that nothing reads.
// Entries themselves are unchanged: the task list, the counts and the totals read
// exactly as before.
//
// Pointers sort after every entry, so a batch walks from the last pointer it
// deleted (the cursor: its key) and stops at the first key that is not one.
// Running a batch again from the same cursor finds nothing left to delete.
func migrateTaskPointers(c *Change, cursor []byte) ([]byte, bool, error) {
	after := cursor
	if len(after) == 0 {
		// Every pointer's key sorts after the last key an entry can have.
		var last ID
		for i := range last {
			last[i] = 0xff
		}
		after = Key{Type: RecTask, Order: legacyTaskPointerOrder - 1, ID: last}.Bytes()
	} else if len(after) != KeySize {
		return nil, false, fmt.Errorf("migration cursor: %w", ErrIntegrity)
	}
	var keys []Key
	done := true
	err := c.Tx.Walk(after, func(k Key, _, _ []byte, _ error) error {
		if k.Type != RecTask || !k.Case.IsZero() || k.Order != legacyTaskPointerOrder {
			return ErrStopScan // past the pointers
		}
		if len(keys) == taskPointerBatch {
			done = false
			return ErrStopScan
		}
		keys = append(keys, k)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	for _, k := range keys {
		if err := c.Delete(k); err != nil {
			return nil, false, err
		}
	}
	if done {
		return nil, true, nil
	}
	return keys[len(keys)-1].Bytes(), false, nil
}

// taskPointerBatch is how many pointers one batch deletes: a deletion is a key of
// 41 bytes, so a batch stays well under the bulk budget.
var taskPointerBatch = 5000

// migrateCompactTasks gives each open case's untouched checklist items shared task
// entries (tasks_compact.go: one for the items due the same day) in place of an
// entry each, a batch of cases at a time. What the task list, the dashboard and the
// counts show does not change: the same tasks, on the same days. A case without a
// skeleton (received, or one the sparse checklist migration left dense) keeps an
// entry per item. A batch run again deletes nothing more and writes the same
// entries.
func migrateCompactTasks(c *Change, cursor []byte) ([]byte, bool, error) {
	return casesAfter(c, cursor, compactBatch, func(id ID) error { return compactCase(c, id) })
}

// compactBatch is how many cases one batch visits: each deletes up to some forty
// entries and writes about ten.
var compactBatch = 100

// compactCase moves one case's untouched items' entries into shared entries.
func compactCase(c *Change, id ID) error {
	cs, err := getCase(c, id)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if cs.noTasks() {
		return nil // no entries
	}
	s, found, err := readSkeleton(c, id)
	if err != nil || !found {
		return err
	}
	records := map[ID]bool{}
	err = c.ScanKeys(RecChecklist, id, func(k Key) error {
		records[k.ID] = true
		return nil
	})
	if err != nil {
		return err
	}
	defs, err := s.defaults(c)
	if err != nil {
		return err
	}
	shared := compactOf(id, s, defs, func(item ID) bool { return records[item] })
	for _, ct := range shared {
		for _, it := range ct.Items {
			if err := deleteTask(c, TaskRef{Case: id, Item: it.ID, Due: ct.Due}); err != nil {
				return err
			}
		}
	}
	return putShared(c, id, shared)
}
