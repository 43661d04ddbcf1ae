package app_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// sparseView is what a user sees of a vault's checklists, and the derived records
// kept from them, for comparing a vault before and after the sparse checklist
// migration.
type sparseView struct {
	checklists map[app.ID]string // each case's checklist as the services read it
	progress   map[app.ID]string // each case's progress, counted from its checklist
	derived    map[string]string // task index, case index, vault totals, report facts: key -> value
	tasks      string            // the task list
	dashboard  string
	team       string
	items      int // RecChecklist records
	skeletons  int
}

func sparseSnapshot(t *testing.T, s *app.Session, now time.Time) sparseView {
	t.Helper()
	r, err := s.Records("")
	if err != nil {
		t.Fatal(err)
	}
	r.Now = func() time.Time { return now }
	js := func(v any, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	v := sparseView{checklists: map[app.ID]string{}, progress: map[app.ID]string{}, derived: map[string]string{}}
	list, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		v.checklists[c.ID] = js(r.Checklist(c.ID))
		v.progress[c.ID] = js(r.ChecklistProgress(c.ID))
		// The case list's counts are kept by the commit path: they must agree
		// with the checklist the services read.
		if got, want := js(c.Checklist.Progress(), nil), v.progress[c.ID]; c.Checklist == nil || got != want {
			t.Fatalf("case %s: the case list counts %s; its checklist counts %s", c.Number, got, want)
		}
	}
	v.tasks = js(r.UpcomingAndOverdue(now, 60*24*time.Hour))
	v.dashboard = js(r.Dashboard(now, 30, 8))
	v.team = js(r.TeamProgress(app.CaseFilter{}))
	st, _ := s.Store()
	err = st.View(func(tx app.Tx) error {
		// The task index as one entry per task: the migrations after this one
		// delete its pointers and give untouched items one compact entry a case.
		tasks, err := app.ExpandedTaskIndex(tx)
		if err != nil {
			return err
		}
		maps.Copy(v.derived, tasks)
		for _, typ := range []app.RecordType{app.RecCaseIndex, app.RecTotalsForTest, app.RecReportFactsForTest} {
			err := tx.Scan(typ, app.ID{}, func(k app.Key, b []byte) error {
				v.derived[hex.EncodeToString(k.Bytes())] = string(b)
				return nil
			})
			if err != nil {
				return err
			}
		}
		if v.items, err = app.RecordCount(tx, app.RecChecklist); err != nil {
			return err
		}
		v.skeletons, err = app.RecordCount(tx, app.RecChecklistBaseForTest)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sameView fails the test where after shows a user anything before did not.
func sameView(t *testing.T, before, after sparseView) {
	t.Helper()
	if len(after.checklists) != len(before.checklists) {
		t.Fatalf("%d cases after the migration, %d before", len(after.checklists), len(before.checklists))
	}
	bad := 0
	for id, want := range before.checklists {
		if after.checklists[id] != want || after.progress[id] != before.progress[id] {
			bad++
			if bad <= 2 {
				t.Errorf("case %s reads differently after the migration:\n%s\n---\n%s", id, want, after.checklists[id])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d checklists read differently after the migration", bad, len(before.checklists))
	}
	for name, pair := range map[string][2]string{"tasks": {before.tasks, after.tasks},
		"dashboard": {before.dashboard, after.dashboard}, "team progress": {before.team, after.team}} {
		if pair[0] != pair[1] {
			t.Errorf("the %s changed:\n%s\n---\n%s", name, pair[0], pair[1])
		}
	}
	for k, want := range before.derived {
		if got, ok := after.derived[k]; !ok || got != want {
			t.Errorf("derived record %s changed: %q -> %q (present %v)", k[:2], want, got, ok)
		}
	}
	for k := range after.derived {
		if _, ok := before.derived[k]; !ok {
			t.Errorf("derived record %s appeared with the migration", k[:2])
		}
	}
}

func mustTasks(t *testing.T, r *app.Records, now time.Time) []app.Task {
	t.Helper()
	tasks, err := r.UpcomingAndOverdue(now, 3650*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tasks
}

func checkVault(t *testing.T, s *app.Session) {
	t.Helper()
	rep, err := s.Check(nil)
	if err != nil || !rep.OK() {
		t.Fatalf("the vault fails its check: %v %v", err, rep.Problems)
	}
}

// TestSparseMigrationOnGoldenVault opens the full-case golden vault at the format
// before sparse checklists, then lets the migration run: every case's checklist,
// progress, the task list, the dashboard and the derived records read exactly as
// before, what the services read back still matches expected.json, and the vault
// holds fewer checklist records and a skeleton a case.
func TestSparseMigrationOnGoldenVault(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vault")
	if err := os.CopyFS(dir, os.DirFS(fullGoldenDir)); err != nil {
		t.Fatalf("copy the golden vault: %v", err)
	}
	v := app.NewVaults(&storage.Disk{})
	v.Now = func() time.Time { return fullGoldenNow }
	restore := app.LimitMigrations(app.SparseMigration())
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if version, _ := schemaOf(t, s); version != app.SparseMigration()+1 {
		t.Fatalf("opened at schema %d; want %d, before the sparse checklists", version, app.SparseMigration()+1)
	}
	before := sparseSnapshot(t, s, fullGoldenNow)
	readBefore := readBack(t, s)
	s.Lock()

	s, err = v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("the sparse checklist migration failed on the golden vault: %v", err)
	}
	defer s.Lock()
	if version, migrating := schemaOf(t, s); version != app.SchemaVersion() || migrating {
		t.Fatalf("schema %d (migrating %v); want %d", version, migrating, app.SchemaVersion())
	}
	checkVault(t, s)
	after := sparseSnapshot(t, s, fullGoldenNow)
	sameView(t, before, after)
	if got := readBack(t, s); !bytes.Equal(got, readBefore) {
		t.Error("what the services read back from the golden vault changed with the migration")
	}
	if after.skeletons != len(before.checklists) || after.items >= before.items {
		t.Fatalf("%d skeletons for %d cases; %d checklist records after, %d before: want one skeleton a case and fewer records",
			after.skeletons, len(before.checklists), after.items, before.items)
	}
	t.Logf("checklist records %d -> %d, skeletons %d", before.items, after.items, after.skeletons)
}

// TestSparseMigrationOnDenseVault migrates 300 cases written as builds before
// sparse checklists wrote them (some items worked on, custom items, closed cases):
// nothing a user sees changes, the untouched items' records go, and a change made
// afterwards to an item that has no record moves the counts and the task list as
// it always did.
func TestSparseMigrationOnDenseVault(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	if err := app.WriteDenseCases(r, 300); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	before := sparseSnapshot(t, s, now)
	s.Lock()
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	checkVault(t, s)
	after := sparseSnapshot(t, s, now)
	sameView(t, before, after)
	if after.skeletons != 300 || after.items*2 >= before.items {
		t.Fatalf("%d skeletons; %d checklist records after, %d before: want 300 and under half", after.skeletons, after.items, before.items)
	}
	t.Logf("checklist records %d -> %d", before.items, after.items)

	// An untouched, dated item of an open case: marking it done takes it off the
	// task list and counts it, exactly once.
	r, _ = s.Records("Det. Alvarez")
	list, _ := r.ListCases(app.CaseFilter{})
	var cs app.CaseSummary
	for _, c := range list {
		if c.Status == app.CaseOpen {
			cs = c
			break
		}
	}
	items, err := r.Checklist(cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	var it app.ChecklistItem
	for _, x := range items {
		if x.Status == app.ItemOpen && !x.Due.IsZero() && !x.Custom && x.Notes == "" && x.UpdatedBy == "" && x.Updated.Equal(x.Added) {
			it = x
			break
		}
	}
	if it.ID.IsZero() {
		t.Fatalf("case %s has no untouched dated item", cs.Number)
	}
	if !slices.ContainsFunc(mustTasks(t, r, now), func(task app.Task) bool { return task.Item == it.ID }) {
		t.Fatal("the untouched dated item is not on the task list")
	}
	p0, _ := r.ChecklistProgress(cs.ID)
	if _, err := r.SetItemStatus(cs.ID, it.ID, app.ItemDone, ""); err != nil {
		t.Fatalf("marking an untouched item done: %v", err)
	}
	p1, _ := r.ChecklistProgress(cs.ID)
	if p1.Overall.Done != p0.Overall.Done+1 || p1.Overall.Total != p0.Overall.Total {
		t.Fatalf("progress %+v -> %+v; want one more done of the same total", p0.Overall, p1.Overall)
	}
	if slices.ContainsFunc(mustTasks(t, r, now), func(task app.Task) bool { return task.Item == it.ID }) {
		t.Fatal("the item marked done is still on the task list")
	}
	sparseSnapshot(t, s, now) // the case list's counts agree with the checklist
	checkVault(t, s)
}

// TestSparseMigrationChild is the child process of
// TestSparseMigrationResumesAfterSIGKILL: it opens the vault, which runs the sparse
// checklist migration, printing each committed batch.
func TestSparseMigrationChild(t *testing.T) {
	dir := os.Getenv("CASENOTES_SPARSE_DIR")
	if dir == "" {
		t.Skip("runs only as the child process of TestSparseMigrationResumesAfterSIGKILL")
	}
	defer app.SetSparseBatch(10)()
	v, _, _ := newVaults(t)
	v.Migrating = func(name string, batches int) {
		fmt.Println("batch", batches)
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println("ready")
	if _, err := v.Unlock(dir, []byte(pass1)); err != nil {
		fmt.Println("unlock failed:", err)
		os.Exit(1)
	}
	fmt.Println("done")
}

// TestSparseMigrationResumesAfterSIGKILL migrates 1,000 dense cases in a child
// process, kills it with SIGKILL in the middle, and opens the vault again: the
// migration resumes where it stopped, and the vault ends exactly as an
// uninterrupted migration leaves it (every case sparse, reading as before, derived
// records unchanged, the vault check passing).
func TestSparseMigrationResumesAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1,000-case vault and kills a child process; skipped in -short mode")
	}
	defer app.SetSparseBatch(10)()
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	if err := app.WriteDenseCases(r, 1000); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	before := sparseSnapshot(t, s, now)
	s.Lock()

	killChildAtBatch(t, "TestSparseMigrationChild", "CASENOTES_SPARSE_DIR="+dir, 30)
	killedAt := 30

	batches := 0
	v.Migrating = func(name string, _ int) {
		if name == "sparse checklists" {
			batches++
		}
	}
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("unlock after the kill: %v", err)
	}
	defer s.Lock()
	if version, migrating := schemaOf(t, s); version != app.SchemaVersion() || migrating {
		t.Fatalf("schema %d (migrating %v) after resuming; want %d", version, migrating, app.SchemaVersion())
	}
	// 1,000 cases in batches of 10 is 100 batches; at least 30 committed before the kill.
	if batches < 1 || batches > 100-30+1 {
		t.Fatalf("the resumed migration ran %d batches; it did not resume where it stopped", batches)
	}
	checkVault(t, s)
	after := sparseSnapshot(t, s, now)
	sameView(t, before, after)
	if after.skeletons != 1000 {
		t.Fatalf("%d skeletons after resuming; want one for each of the 1,000 cases", after.skeletons)
	}
	t.Logf("killed after batch %d; resumed with %d batches; checklist records %d -> %d", killedAt, batches, before.items, after.items)
}
