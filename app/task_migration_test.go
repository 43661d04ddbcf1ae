package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// taskRecords counts the task index's entries and its pointers (schema 8 and before).
func taskRecords(t *testing.T, s *app.Session) (entries, pointers int) {
	t.Helper()
	st, _ := s.Store()
	err := st.View(func(tx app.Tx) error {
		return tx.ScanKeys(app.RecTask, app.ID{}, func(k app.Key) error {
			if k.Order == app.LegacyTaskPointerOrder {
				pointers++
			} else {
				entries++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return entries, pointers
}

// taskCounts counts the task index's records by form.
func taskCounts(t *testing.T, s *app.Session) (single, compact, compactItems int) {
	t.Helper()
	st, _ := s.Store()
	err := st.View(func(tx app.Tx) error {
		var err error
		single, compact, compactItems, err = app.TaskRecordCounts(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return single, compact, compactItems
}

// TestTaskIndexMigrationsOnGoldenVault opens the full-case golden vault at the
// format before the task index lost its pointers and gained compact entries, then
// lets both migrations run in small batches: every pointer goes, each open case's
// untouched items share one entry, and the task list, the dashboard, the case list,
// the totals, what the services read back and the index itself (written out as one
// entry per task) are exactly as before. Changes made afterwards move entries as
// they always did: an item's due date moved, an untouched item marked done.
func TestTaskIndexMigrationsOnGoldenVault(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vault")
	if err := os.CopyFS(dir, os.DirFS(fullGoldenDir)); err != nil {
		t.Fatalf("copy the golden vault: %v", err)
	}
	v := app.NewVaults(&storage.Disk{})
	v.Now = func() time.Time { return fullGoldenNow }
	restore := app.LimitMigrations(app.TaskPointerMigration())
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if version, _ := schemaOf(t, s); version != app.TaskPointerMigration()+1 {
		t.Fatalf("opened at schema %d; want %d, before the task pointer migration", version, app.TaskPointerMigration()+1)
	}
	entries0, pointers0 := taskRecords(t, s)
	if entries0 == 0 || pointers0 != entries0 {
		t.Fatalf("%d task entries and %d pointers before the migration; want one pointer an entry", entries0, pointers0)
	}
	before := sparseSnapshot(t, s, fullGoldenNow)
	readBefore := readBack(t, s)
	s.Lock()

	defer app.SetTaskPointerBatch(3)()
	batches := map[string]int{}
	v.Migrating = func(name string, n int) { batches[name] = n }
	s, err = v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("the task index migrations failed on the golden vault: %v", err)
	}
	defer s.Lock()
	if version, migrating := schemaOf(t, s); version != app.SchemaVersion() || migrating {
		t.Fatalf("schema %d (migrating %v); want %d", version, migrating, app.SchemaVersion())
	}
	if want := (pointers0 + 2) / 3; batches["task pointers"] < want {
		t.Fatalf("%d batches for %d pointers in batches of 3; want at least %d", batches["task pointers"], pointers0, want)
	}
	single, compact, inCompact := taskCounts(t, s)
	if _, pointers := taskRecords(t, s); pointers != 0 || compact == 0 || single+inCompact != entries0 || single+compact >= entries0 {
		t.Fatalf("after the migrations %d pointers, %d single and %d compact entries (for %d items); want no pointers, the %d tasks, fewer records",
			pointers, single, compact, inCompact, entries0)
	}
	checkVault(t, s)
	sameView(t, before, sparseSnapshot(t, s, fullGoldenNow))
	if got := readBack(t, s); !bytes.Equal(got, readBefore) {
		t.Error("what the services read back from the golden vault changed with the migrations")
	}
	t.Logf("task index: %d entries and %d pointers -> %d single and %d compact entries", entries0, pointers0, single, compact)

	r, _ := s.Records("Det. Alvarez")
	r.Now = func() time.Time { return fullGoldenNow }
	onList := func(item app.ID) []app.Task {
		var out []app.Task
		for _, x := range mustTasks(t, r, fullGoldenNow) {
			if x.Item == item {
				out = append(out, x)
			}
		}
		return out
	}
	// An untouched item (in its case's compact entry): moving its due date gives
	// it an entry of its own at the new date, and takes it out of the compact one.
	untouched := func() app.Task {
		t.Helper()
		var found app.Task
		st, _ := s.Store()
		err := st.View(func(tx app.Tx) error {
			ids, err := app.CompactItemIDs(tx)
			for _, x := range mustTasks(t, r, fullGoldenNow) {
				if ids[x.Item] {
					found = x
					break
				}
			}
			return err
		})
		if err != nil || found.Item.IsZero() {
			t.Fatalf("no untouched item on the task list (%v)", err)
		}
		return found
	}
	task := untouched()
	due := task.Due.AddDate(0, 0, 3)
	if _, err := r.SetItemDue(task.Case, task.Item, &due); err != nil {
		t.Fatalf("moving the item's due date: %v", err)
	}
	if got := onList(task.Item); len(got) != 1 || !got[0].Due.Equal(due) {
		t.Fatalf("after its due date moved to %s the item lists %+v; want once, at the new date", due, got)
	}
	s1, c1, i1 := taskCounts(t, s)
	if s1 != single+1 || i1 != inCompact-1 {
		t.Fatalf("%d single entries and %d compact items after the move; want %d and %d", s1, i1, single+1, inCompact-1)
	}
	// The same item moved again: its own entry moves (found from its old due date).
	due2 := due.AddDate(0, 0, 2)
	if _, err := r.SetItemDue(task.Case, task.Item, &due2); err != nil {
		t.Fatal(err)
	}
	if got := onList(task.Item); len(got) != 1 || !got[0].Due.Equal(due2) {
		t.Fatalf("after a second move to %s the item lists %+v; want once, at the new date", due2, got)
	}
	// Another untouched item marked done leaves the list and its compact entry.
	done := untouched()
	if _, err := r.SetItemStatus(done.Case, done.Item, app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	if got := onList(done.Item); len(got) != 0 {
		t.Fatalf("the item marked done still lists: %+v", got)
	}
	if s2, c2, i2 := taskCounts(t, s); s2 != s1 || i2 != i1-1 || c2 > c1 {
		t.Fatalf("%d single, %d compact entries (%d items) after marking done; want %d single and %d items", s2, c2, i2, s1, i1-1)
	}
	checkVault(t, s)
}
