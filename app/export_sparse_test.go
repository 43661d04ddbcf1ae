package app

import (
	"fmt"
	"time"
)

// Hooks for the sparse checklist tests (checklist_migration_test.go).

// LimitMigrations keeps only the first n migrations for the length of a test, so a
// vault can be opened at the format before a later one; restore puts them back.
func LimitMigrations(n int) (restore func()) {
	saved := migrations
	migrations = saved[:n]
	return func() { migrations = saved }
}

// SparseMigration is the place of the sparse checklist migration in the list: a
// vault at schema SparseMigration+1 has not had it yet.
func SparseMigration() int {
	for i, m := range migrations {
		if m.name == "sparse checklists" {
			return i
		}
	}
	panic("no sparse checklist migration")
}

// SetSparseBatch sets how many cases one batch of the sparse checklist migration
// visits, for the length of a test.
func SetSparseBatch(n int) (restore func()) {
	saved := sparseBatch
	sparseBatch = n
	return func() { sparseBatch = saved }
}

// WriteDenseCases writes n cases the way builds before sparse checklists did, every
// template item a record, some of them worked on (done, not applicable, notes, a
// new due date, a custom item), and stamps the vault with the schema before the
// sparse checklist migration, so opening it runs that migration.
func WriteDenseCases(r *Records, n int) error {
	now := r.now()
	tpl := core()
	err := r.path.bulk(n, func(i int, c *Change) error {
		opened := dateOnly(now.AddDate(0, 0, -(i % 120)))
		cs := Case{ID: NewID(), Number: fmt.Sprintf("DENSE-%06d", i), Title: "Dense case",
			Status: CaseOpen, Opened: opened, Created: now, CreatedBy: "Det. Alvarez", Updated: now,
			TemplateID: tpl.ID, TemplateVersion: tpl.Version}
		if i%10 == 9 {
			cs.Status, cs.Closed, cs.ClosedReason = CaseClosed, dateOnly(now), "services completed"
		}
		if err := c.NewCase(cs.ID); err != nil {
			return err
		}
		if err := putJSON(c, victimKey(cs.ID), &Victim{Alias: fmt.Sprintf("Alias %06d", i)}); err != nil {
			return err
		}
		for j, ti := range tpl.Items {
			it := defaultItem(ti, j, NewID(), opened, now)
			switch (i + j) % 7 {
			case 0:
				it.Status, it.CompletedBy, it.CompletedAt = ItemDone, "Adv. Kim", now.Add(-time.Hour)
				it.Updated, it.UpdatedBy = now.Add(-time.Hour), "Adv. Kim"
			case 3:
				if i%3 == 0 {
					it.Status, it.Reason, it.CompletedBy, it.CompletedAt = ItemNotApplicable, "no court date yet", "Det. Alvarez", now
				}
			case 5:
				if i%4 == 0 {
					it.Notes = "called the shelter"
				}
			}
			if j == 11 && i%5 == 0 {
				it.Due = opened.AddDate(0, 0, 40)
			}
			if err := putJSON(c, checklistKey(cs.ID, it.ID), &it); err != nil {
				return err
			}
		}
		if i%6 == 0 {
			it := ChecklistItem{ID: NewID(), Custom: true, Phase: PhaseSafety, Position: 99,
				Title: "Agency item", Owner: tpl.Items[0].Owner, Status: ItemOpen, Due: opened.AddDate(0, 0, 3),
				Added: now, AddedBy: "Det. Alvarez", Updated: now, UpdatedBy: "Det. Alvarez"}
			if err := putJSON(c, checklistKey(cs.ID, it.ID), &it); err != nil {
				return err
			}
		}
		return putCase(c, &cs)
	}, nil, nil)
	if err != nil {
		return err
	}
	return r.path.update(func(c *Change) error {
		return putSchema(c, schemaRecord{Version: SparseMigration() + 1})
	})
}

// RecordCount counts the records of type typ in the vault (all cases).
func RecordCount(t Tx, typ RecordType) (int, error) {
	n := 0
	err := t.ScanKeys(typ, ID{}, func(Key) error { n++; return nil })
	return n, err
}

// Record types the sparse checklist tests compare.
const (
	RecChecklistBaseForTest = RecChecklistBase
	RecTotalsForTest        = RecTotals
	RecReportFactsForTest   = RecReportFacts
)

// Hooks for the task pointer migration tests (task_migration_test.go).

// TaskPointerMigration is the place of the task pointer migration in the list: a
// vault at schema TaskPointerMigration+1 still has its pointers.
func TaskPointerMigration() int {
	for i, m := range migrations {
		if m.name == "task pointers" {
			return i
		}
	}
	panic("no task pointer migration")
}

// SetTaskPointerBatch sets how many pointers one batch of the task pointer
// migration deletes, for the length of a test.
func SetTaskPointerBatch(n int) (restore func()) {
	saved := taskPointerBatch
	taskPointerBatch = n
	return func() { taskPointerBatch = saved }
}

// LegacyTaskPointerOrder is the key order of the task index's pointers (schema 8
// and before).
const LegacyTaskPointerOrder = legacyTaskPointerOrder

// CompactTaskMigration is the place of the compact task entry migration in the
// list: a vault at schema CompactTaskMigration+1 still has an entry per item.
func CompactTaskMigration() int {
	for i, m := range migrations {
		if m.name == "shared task entries" {
			return i
		}
	}
	panic("no compact task entry migration")
}

// ExpandedTaskIndex is the task index as one entry per task, hex key to value: a
// compact entry is written out as the single entries its items had before
// compact entries, and the old pointers are left out. Tests compare the index
// across migrations with it.
func ExpandedTaskIndex(t Tx) (map[string]string, error) {
	out := map[string]string{}
	titles := templateTitles{t: t}
	err := t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
		if k.Order == legacyTaskPointerOrder {
			return nil
		}
		if !isCompactTasks(b) {
			out[fmt.Sprintf("%x", k.Bytes())] = string(b)
			return nil
		}
		es, err := titles.expand(b)
		if err != nil {
			return err
		}
		for _, e := range es {
			out[fmt.Sprintf("%x", taskKey(TaskRef(e)).Bytes())] = string(encodeTask(e))
		}
		return nil
	})
	return out, err
}

// TaskRecordCounts counts the task index's records: single entries, compact
// entries and the items those stand for.
func TaskRecordCounts(t Tx) (single, compact, compactItems int, err error) {
	err = t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
		switch {
		case k.Order == legacyTaskPointerOrder:
		case isCompactTasks(b):
			ct, err := decodeCompactTasks(b)
			if err != nil {
				return err
			}
			compact++
			compactItems += len(ct.Items)
		default:
			single++
		}
		return nil
	})
	return single, compact, compactItems, err
}

// CompactItemIDs are the items the compact task entries hold.
func CompactItemIDs(t Tx) (map[ID]bool, error) {
	out := map[ID]bool{}
	err := t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
		if k.Order == legacyTaskPointerOrder || !isCompactTasks(b) {
			return nil
		}
		ct, err := decodeCompactTasks(b)
		if err != nil {
			return err
		}
		for _, it := range ct.Items {
			out[it.ID] = true
		}
		return nil
	})
	return out, err
}

// SetAuditMoveBatch sets how many audit entries one batch of the audit key range
// migration moves.
func SetAuditMoveBatch(n int) (restore func()) {
	saved := auditMoveBatch
	auditMoveBatch = n
	return func() { auditMoveBatch = saved }
}

// RunMigrationStep runs the named migration's step over s's store to its end, a
// batch a transaction on the commit path, as opening an older vault does (without
// the schema record: for benchmarks of one migration), and returns its batches.
func RunMigrationStep(s *Session, name string) (batches int, err error) {
	return runMigrationStep(s.path, name)
}

func runMigrationStep(p *commitPath, name string) (batches int, err error) {
	step := migrations[MigrationFrom(name)-1].step
	var cursor []byte
	for {
		done := false
		err := p.update(func(c *Change) error {
			logEvent(c, AuditEvent{Action: ActMigration, Reason: "benchmark"})
			next, fin, err := step(c, cursor)
			cursor, done = next, fin
			return err
		})
		batches++
		if err != nil || done {
			return batches, err
		}
	}
}
