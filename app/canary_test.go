package app_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
)

// TestCanaryNowhereOnDisk goes through the whole life of a vault — create, a case
// with a note holding a unique string, lock, unlock, backup to a file, restore —
// and then proves that no file under the vault, the restored vault, the backup file
// or the temp directory contains that string.
func TestCanaryNowhereOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	root := t.TempDir()
	canary := "CANARY-" + app.NewID().String()
	v, _, _ := newVaults(t)
	dir := filepath.Join(root, "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := s.Store()
	r := app.NewRecords(st, "Det. Canary Test")
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-9001", Title: "Canary " + canary},
		app.Victim{Alias: "Alias " + canary})
	if err != nil {
		t.Fatalf("create case: %v", err)
	}
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteObservation, Body: "Observed: " + canary}); err != nil {
		t.Fatalf("add note: %v", err)
	}
	if err := r.SetIdentity(c.ID, app.Identity{LegalName: "Legal " + canary}); err != nil {
		t.Fatalf("set identity: %v", err)
	}
	s.Lock()
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(root, "vault.cnbak")
	f, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s.Lock()
	f, _ = os.Open(backup)
	if err := v.Restore(f, filepath.Join(root, "restored"), app.Credential{Passphrase: []byte(pass1)}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	checked := 0
	for _, top := range []string{root, tmp} {
		filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			checked++
			if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte(strings.ToLower(canary))) {
				t.Errorf("%s holds the canary in plaintext", p)
			}
			return nil
		})
	}
	if checked < 10 {
		t.Fatalf("only %d files checked", checked)
	}
}
