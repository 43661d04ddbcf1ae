package app_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// testMarkKey is where the test migration counts its visits to a case.
func testMarkKey(c app.ID) app.Key { return app.Key{Type: app.RecTestRecords, Case: c, ID: c} }

// markCases is a migration step that adds one to a counter record of each case,
// batch cases at a time, so a case migrated twice (or never) shows.
func markCases(batch int, pause time.Duration) app.MigrationStep {
	return func(c *app.Change, cursor []byte) ([]byte, bool, error) {
		next, done, err := app.CasesAfter(c, cursor, batch, func(id app.ID) error {
			n := uint64(0)
			b, err := c.Get(testMarkKey(id))
			switch {
			case err == nil && len(b) == 8:
				n = binary.BigEndian.Uint64(b)
			case err != nil && !errors.Is(err, app.ErrNotFound):
				return err
			}
			return c.Put(testMarkKey(id), binary.BigEndian.AppendUint64(nil, n+1))
		})
		time.Sleep(pause)
		return next, done, err
	}
}

// marks reads every case's counter.
func marks(t *testing.T, s *app.Session) (cases int, counts map[uint64]int) {
	t.Helper()
	r, _ := s.Records("")
	list, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := s.Store()
	counts = map[uint64]int{}
	err = st.View(func(tx app.Tx) error {
		for _, c := range list {
			n := uint64(0)
			b, err := tx.Get(testMarkKey(c.ID))
			if err == nil {
				n = binary.BigEndian.Uint64(b)
			} else if !errors.Is(err, app.ErrNotFound) {
				return err
			}
			counts[n]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return len(list), counts
}

func schemaOf(t *testing.T, s *app.Session) (int, bool) {
	t.Helper()
	st, _ := s.Store()
	var v int
	var migrating bool
	if err := st.View(func(tx app.Tx) (err error) { v, migrating, err = app.SchemaRecord(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return v, migrating
}

// TestMigrationsRunInOrderOnce opens a vault under a build with two more migrations:
// they run in order, once each, and move the version on by two.
func TestMigrationsRunInOrderOnce(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "before")
	base := app.SchemaVersion()
	var ran []string
	step := func(name string) app.MigrationStep {
		return func(c *app.Change, _ []byte) ([]byte, bool, error) {
			ran = append(ran, name)
			return nil, true, c.Put(noteKey, []byte("after "+name))
		}
	}
	defer app.AddMigration("first", step("first"))()
	defer app.AddMigration("second", step("second"))()
	for range 2 { // the second unlock finds nothing to do
		s, err := v.Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := schemaOf(t, s); got != base+2 {
			t.Fatalf("schema version %d, want %d", got, base+2)
		}
		if got := readRecord(t, s); got != "after second" {
			t.Errorf("record %q", got)
		}
		s.Lock()
	}
	if strings.Join(ran, ",") != "first,second" {
		t.Fatalf("migrations ran %v; want first, second, once each", ran)
	}
}

// TestFailedMigrationChangesNothing: a migration batch that fails leaves the vault
// at its old version with its records untouched, and the vault does not open.
func TestFailedMigrationChangesNothing(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "original")
	boom := errors.New("boom")
	restore := app.AddMigration("failing", func(c *app.Change, _ []byte) ([]byte, bool, error) {
		if err := c.Put(noteKey, []byte("half-migrated")); err != nil {
			return nil, false, err
		}
		return nil, false, boom
	})
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, boom) {
		t.Fatalf("failed migration: %v", err)
	}
	restore()
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	if got := readRecord(t, s); got != "original" {
		t.Errorf("a failed migration left %q", got)
	}
}

// TestNewerVaultIsRefused: a vault written by a newer build does not open here.
func TestNewerVaultIsRefused(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	restore := app.AddMigration("from the future", func(*app.Change, []byte) ([]byte, bool, error) { return nil, true, nil })
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	restore()
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrTooNew) {
		t.Fatalf("open a newer vault: %v; want ErrTooNew", err)
	}
}

// TestMigrationResumesAfterAnInterruption: a migration stopped by an error in its
// fifth batch keeps the four batches it committed, and the next unlock resumes from
// there: every case ends migrated exactly once.
func TestMigrationResumesAfterAnInterruption(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	if err := app.WriteBareCases(r, 1000); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	calls, stopAt := 0, 5
	step := markCases(100, 0)
	defer app.AddMigration("mark", func(c *app.Change, cursor []byte) ([]byte, bool, error) {
		calls++
		if calls == stopAt {
			return nil, false, errors.New("interrupted")
		}
		return step(c, cursor)
	})()
	if _, err := v.Unlock(dir, []byte(pass1)); err == nil {
		t.Fatal("the interrupted migration reported success")
	}
	calls, stopAt = 0, -1
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	n, counts := marks(t, s)
	if n != 1000 || counts[1] != 1000 {
		t.Fatalf("%d cases, migrated-count histogram %v; want every case migrated once", n, counts)
	}
	// 1,000 cases in batches of 100: 6 batches were left after the first 4.
	if calls != 6 {
		t.Errorf("the resumed migration ran %d batches; want the 6 that were left", calls)
	}
}

// TestMigrationChild is the child process of TestMigrationResumesAfterSIGKILL: it
// opens the vault, which runs the test migration, printing each committed batch.
func TestMigrationChild(t *testing.T) {
	dir := os.Getenv("CASENOTES_MIGRATE_DIR")
	if dir == "" {
		t.Skip("runs only as the child process of TestMigrationResumesAfterSIGKILL")
	}
	v, _, _ := newVaults(t)
	v.Migrating = func(name string, batches int) { fmt.Println("batch", batches) }
	defer app.AddMigration("mark", markCases(250, 20*time.Millisecond))()
	fmt.Println("ready")
	if _, err := v.Unlock(dir, []byte(pass1)); err != nil {
		fmt.Println("unlock failed:", err)
		os.Exit(1)
	}
	fmt.Println("done")
}

// TestMigrationResumesAfterSIGKILL migrates a vault of 10,000 cases in a child
// process, kills it with SIGKILL in the middle, and unlocks the vault again: the
// migration resumes where it stopped and every case is migrated exactly once.
func TestMigrationResumesAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-case vault and kills a child process; skipped in -short mode")
	}
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	if err := app.WriteBareCases(r, 10_000); err != nil {
		t.Fatal(err)
	}
	s.Lock()

	killChildAtBatch(t, "TestMigrationChild", "CASENOTES_MIGRATE_DIR="+dir, 12)
	killedAt := 12

	// The vault is mid-migration: resume it here, counting the batches left.
	batches := 0
	v.Migrating = func(string, int) { batches++ }
	defer app.AddMigration("mark", markCases(250, 0))()
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("unlock after the kill: %v", err)
	}
	defer s.Lock()
	n, counts := marks(t, s)
	if n != 10_000 || counts[1] != 10_000 {
		t.Fatalf("%d cases, migrated-count histogram %v; want all 10,000 migrated exactly once", n, counts)
	}
	if version, migrating := schemaOf(t, s); version != app.SchemaVersion() || migrating {
		t.Fatalf("schema %d (migrating %v) after resuming; want %d", version, migrating, app.SchemaVersion())
	}
	// 40 batches in all; at least 12 committed before the kill.
	if batches < 1 || batches > 40-12 {
		t.Fatalf("the resumed migration ran %d batches; it did not resume where it stopped", batches)
	}
	t.Logf("killed after batch %d; resumed with %d batches", killedAt, batches)
}
