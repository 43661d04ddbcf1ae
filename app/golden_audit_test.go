package app_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// The audit golden vault: a vault of schema 10 (the last format with its audit
// entries under record type 0x09) with a real audit trail: entries of several
// sessions, failed unlocks folded in, and checkpoints signed at each lock. The
// full-case golden vault predates the audit trail, so it holds no entry for a
// migration of the log to move. Committed under testdata/vaults/audit-v10; it was
// written by commit 6ee7829 (schema 10) running writeAuditGolden below, which writes
// this build's format now. Never overwrite it: a new format gets a new vault.
//
//	go test -tags casenotes_testkdf ./app -run TestWriteAuditGolden -update-golden-audit
var updateGoldenAudit = flag.Bool("update-golden-audit", false, "write an audit golden vault of the current format to testdata/vaults/audit-new")

var auditGoldenDir = filepath.Join("..", "testdata", "vaults", "audit-v10")

// auditGoldenV11Dir is the same vault written by commit 74f62a0 (schema 11, the last
// format with the audit state under 0x23 and the checkpoints under 0x24), by the same
// writeAuditGolden at the same clock.
var auditGoldenV11Dir = filepath.Join("..", "testdata", "vaults", "audit-v11")

// auditGoldenNow is the clock the audit golden vault was written and is read with.
var auditGoldenNow = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

func TestWriteAuditGolden(t *testing.T) {
	if !*updateGoldenAudit {
		t.Skip("writes a golden vault only with -update-golden-audit")
	}
	writeAuditGolden(t, filepath.Join("..", "testdata", "vaults", "audit-new"))
}

func writeAuditGolden(t *testing.T, dir string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	clock := auditGoldenNow.AddDate(0, 0, -7)
	tick := func() time.Time { clock = clock.Add(11 * time.Minute); return clock }
	v := app.NewVaults(&storage.Disk{})
	v.Now = tick
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	s, _, err := v.Create(dir, []byte(goldenPassphrase))
	must(err)
	for session := range 3 {
		r, _ := s.Records("Det. Dana Alvarez")
		r.Now = tick
		c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-09" + string(rune('1'+session)), Title: "Outreach referral",
			Jurisdiction: "Example County", Opened: auditGoldenNow.AddDate(0, 0, -10)}, app.Victim{Alias: "Ana R.", Age: 14})
		must(err)
		for range 3 {
			n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Called the advocate; follow-up set."})
			must(err)
			_, err = r.FinaliseNote(c.ID, n.ID)
			must(err)
		}
		must(s.Lock())
		if session == 1 {
			if _, err := v.Unlock(dir, []byte("not the passphrase")); err == nil {
				t.Fatal("a wrong passphrase opened the vault")
			}
		}
		s, err = v.Unlock(dir, []byte(goldenPassphrase))
		must(err)
	}
	must(s.Lock())
	os.Remove(filepath.Join(dir, "db", "LOCK"))
}
