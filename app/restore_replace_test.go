package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"casenotes/app"
)

// Restoring over the vault in use: the backup is rebuilt beside it while it stays
// open, then, once it is locked, the restored vault takes its place and the one it
// replaces is kept whole beside it. The restored vault's trail says it was restored.
func TestRestoreOverTheVaultInUse(t *testing.T) {
	v, dir, s, r := auditVault(t)
	before := newTestCase(t, r, "2026-TF-0412")
	var backup bytes.Buffer
	if err := s.Backup(&backup); err != nil {
		t.Fatal(err)
	}
	after := newTestCase(t, r, "2026-TF-0413")

	staged, err := v.StageRestore(bytes.NewReader(backup.Bytes()), dir, app.Credential{Passphrase: []byte(pass1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Case(after.ID); err != nil {
		t.Fatalf("staging a restore changed the vault in use: %v", err)
	}
	s.Lock()
	aside, err := v.SwapIn(staged)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(aside) != filepath.Dir(dir) {
		t.Errorf("the previous vault went to %s, not beside %s", aside, dir)
	}
	if _, err := os.Stat(staged.Staged); !os.IsNotExist(err) {
		t.Errorf("the staging folder is still there: %v", err)
	}

	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ = s.Records("")
	if _, err := r.Case(before.ID); err != nil {
		t.Errorf("the restored vault lacks the case backed up: %v", err)
	}
	if _, err := r.Case(after.ID); err == nil {
		t.Error("the restored vault holds a case made after the backup")
	}
	if p, _ := r.AuditEntries(app.AuditFilter{Action: app.ActRestored}, 0, 10); p.Matching != 1 {
		t.Errorf("%d restored entries", p.Matching)
	}
	s.Lock()

	old, err := v.Unlock(aside, []byte(pass1))
	if err != nil {
		t.Fatalf("the previous vault does not open where it was kept: %v", err)
	}
	defer old.Lock()
	ro, _ := old.Records("")
	if _, err := ro.Case(after.ID); err != nil {
		t.Errorf("the previous vault lost the case made after the backup: %v", err)
	}
}

// A backup that does not open with the passphrase given, or is damaged, stages
// nothing and leaves the vault in use as it was.
func TestRestoreOverTheVaultInUseRefusesBadBackups(t *testing.T) {
	v, dir, s, r := auditVault(t)
	defer s.Lock()
	newTestCase(t, r, "2026-TF-0412")
	var backup bytes.Buffer
	if err := s.Backup(&backup); err != nil {
		t.Fatal(err)
	}
	b := backup.Bytes()
	damaged := bytes.Clone(b)
	damaged[len(damaged)-20] ^= 1
	for name, tc := range map[string]struct {
		data []byte
		pass string
	}{"wrong passphrase": {b, "not the passphrase of it"}, "damaged": {damaged, pass1}} {
		if _, err := v.StageRestore(bytes.NewReader(tc.data), dir, app.Credential{Passphrase: []byte(tc.pass)}); err == nil {
			t.Errorf("%s: staged", name)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("refused restores left folders: %v", names)
	}
}
