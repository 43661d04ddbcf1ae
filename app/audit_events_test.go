package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/crypto"
	"casenotes/storage"
)

// The events of the trail that belong to the session rather than to a case (locks,
// the recovery key, bundle checks, saved exports, a demo seed, a rekey, an integrity
// failure found): each, done through app/, appends exactly one matching entry.
// TestEveryEventIsLoggedOnce covers the case, note and record events.
func TestSessionEventsAreLoggedOnce(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, rk, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	pass := pass1
	r, _ := s.Records("")
	c := newTestCase(t, r, "2026-TF-0412")
	// reopen locks (with lock) and unlocks (with unlock), and returns the entries
	// appended meanwhile.
	reopen := func(lock func() error, unlock func() (*app.Session, error)) []app.AuditRow {
		t.Helper()
		before := len(entries(t, r))
		if err := lock(); err != nil {
			t.Fatal(err)
		}
		var err error
		if s, err = unlock(); err != nil {
			t.Fatal(err)
		}
		r, _ = s.Records("")
		return entries(t, r)[before:]
	}
	byPass := func() (*app.Session, error) { return v.Unlock(dir, []byte(pass)) }
	none := func(got []app.AuditRow, action string) {
		t.Helper()
		for _, e := range got {
			if e.Action == action {
				t.Errorf("an unexpected %q entry", action)
			}
		}
	}

	got := reopen(func() error { return s.Lock() }, byPass)
	exactlyOne(t, got, app.ActLock, app.ID{})
	exactlyOne(t, got, app.ActUnlock, app.ID{})
	none(got, app.ActLockIdle)

	got = reopen(func() error { return s.LockIdle() }, byPass)
	exactlyOne(t, got, app.ActLockIdle, app.ID{})
	none(got, app.ActLock)

	// A wrong recovery key, then the right one.
	got = reopen(func() error {
		if err := s.Lock(); err != nil {
			return err
		}
		_, err := v.UnlockWithRecoveryKey(dir, crypto.NewRecoveryKey().String())
		if err == nil {
			t.Fatal("another recovery key opened the vault")
		}
		return nil
	}, func() (*app.Session, error) { return v.UnlockWithRecoveryKey(dir, rk.String()) })
	exactlyOne(t, got, app.ActRecoveryFailed, app.ID{})
	exactlyOne(t, got, app.ActUnlockRecovery, app.ID{})
	none(got, app.ActUnlock)

	hash := strings.Repeat("ef", 32)
	got = since(t, r, func() {
		if err := r.LogBundleVerified(hash, true); err != nil {
			t.Fatal(err)
		}
	})
	exactlyOne(t, got, app.ActBundleVerified, app.ID{})
	if got[0].Hash != hash || got[0].Outcome != app.OutcomeOK {
		t.Errorf("bundle check entry: %+v", got[0].AuditEntry)
	}

	got = since(t, r, func() {
		err := r.RecordExport(c.ID, app.ExportRecord{ExportID: app.NewID(), Profile: "prosecutor", Format: "bundle",
			Recipient: "Example County Prosecutor's Office", SHA256: hash, RecipientKey: "category:prosecution"})
		if err != nil {
			t.Fatal(err)
		}
	})
	exactlyOne(t, got, app.ActExportSaved, c.ID)

	// A bulk load: one entry per flushed batch (two small cases fit in one).
	got = since(t, r, func() {
		if err := r.Seed(context.Background(), 2, 1, nil); err != nil {
			t.Fatal(err)
		}
	})
	exactlyOne(t, got, app.ActSeed, app.ID{})
	if len(got) != 1 {
		t.Errorf("a seed of 2 cases logged %d entries; want 1", len(got))
	}

	// A rekey locks the vault; the new passphrase opens it.
	got = reopen(func() error {
		_, err := s.Rekey([]byte(pass2), nil)
		pass = pass2
		return err
	}, byPass)
	exactlyOne(t, got, app.ActRekey, app.ID{})

	// An entry changed below the log's API (the lock's, logged since the last
	// verification, which the unlock's incremental check reads): the unlock finds
	// it and logs that it did, before its own entry; a full verification logs it
	// once more.
	before := len(entries(t, r))
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	raw, err := app.OpenRaw(v, dir, []byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx app.Tx) error {
		k := app.Key{Type: app.RecAudit, Order: uint64(before)}
		b, err := tx.Get(k)
		if err != nil {
			return err
		}
		var e map[string]any
		if err := json.Unmarshal(b, &e); err != nil {
			return err
		}
		e["action"] = app.ActLockIdle
		b, _ = json.Marshal(e)
		return tx.Put(k, b)
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	if s, err = byPass(); err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ = s.Records("")
	if s.AuditProblem() == "" {
		t.Fatal("the unlock did not find the changed entry")
	}
	rows := entries(t, r)
	got = rows[before:]
	exactlyOne(t, got, app.ActIntegrityFailure, app.ID{})
	if n := len(got); n < 2 || got[n-2].Action != app.ActIntegrityFailure || got[n-1].Action != app.ActUnlock {
		t.Errorf("the unlock's entries end %v; want the integrity failure, then the unlock", actions(got))
	}
	got = since(t, r, func() {
		if rep, _ := s.VerifyAudit(); rep.OK() {
			t.Fatal("full verification passes a changed entry")
		}
	})
	exactlyOne(t, got, app.ActIntegrityFailure, app.ID{})
}

// actions lists the entries' actions.
func actions(rows []app.AuditRow) []string {
	var out []string
	for _, e := range rows {
		out = append(out, e.Action)
	}
	return out
}

// A migration is a bulk write: one migration entry for each batch it commits, with
// the schema version it moves to as its reason, all before the unlock's own entry.
func TestMigrationLogsOneEntryPerBatch(t *testing.T) {
	v, dir, s, r := auditVault(t)
	for i := range 5 {
		newTestCase(t, r, fmt.Sprintf("2026-TF-05%02d", i))
	}
	before := len(entries(t, r))
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	defer app.AddMigration("mark cases", markCases(2, 0))() // 5 cases, 2 a batch: 3 batches
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ = s.Records("")
	got := entries(t, r)[before:]
	want := []string{app.ActLock, app.ActMigration, app.ActMigration, app.ActMigration, app.ActUnlock}
	if strings.Join(actions(got), ",") != strings.Join(want, ",") {
		t.Fatalf("entries: %v; want %v", actions(got), want)
	}
	reason := fmt.Sprintf("schema-%d", app.SchemaVersion())
	for _, e := range got[1:4] {
		if e.Reason != reason {
			t.Errorf("migration entry's reason %q; want %q", e.Reason, reason)
		}
	}
}

// A vault made before the audit trail existed starts its trail at its first unlock
// under this build: the first entry says the trail started (not that the vault was
// created), the second is that unlock.
func TestOlderVaultStartsItsTrailAtUnlock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vault")
	if err := os.CopyFS(dir, os.DirFS(goldenDir)); err != nil {
		t.Fatalf("copy golden vault: %v", err)
	}
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	got := actions(entries(t, r))
	if want := []string{app.ActAuditStarted, app.ActUnlock}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("the older vault's first entries: %v; want %v", got, want)
	}
}
