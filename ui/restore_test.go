package ui

import (
	"os"
	"path/filepath"
	"testing"

	"casenotes/app"
)

// TestRestoreFromTheFirstScreen is issue 8's item 11: a backup taken in Settings
// rebuilds the vault on a computer that has none, from the first screen, without
// the command line; a wrong passphrase or a file that is not a backup is one
// sentence and leaves no vault.
func TestRestoreFromTheFirstScreen(t *testing.T) {
	old := newHarness(t)
	old.withVault()
	old.start()
	old.unlockWith(goodPassphrase)
	if _, err := old.shell.records.CreateCase(app.CaseInput{Number: "2026-TF-0777", Title: "Restored"}, app.Victim{Alias: "Lena R."}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, backupFileName(old.clock.Now()))
	f, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.shell.session.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()

	h := newHarness(t)
	h.start()
	h.sees("Create your vault")
	if h.button("Restore from a backup…") == nil {
		t.Fatal("the first screen has no Restore from a backup… action")
	}

	notBackup := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notBackup, []byte("not a backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.shell.restoreBackup(notBackup, goodPassphrase)
	h.sees("That file is not a Casenotes backup")
	h.shell.restoreBackup(backup, "wrong horse battery staple again")
	h.sees("That does not open this backup.")
	if h.shell.vaults.Exists(h.shell.dir) {
		t.Fatal("a failed restore left a vault")
	}

	h.shell.restoreBackup(backup, goodPassphrase)
	h.sees("The vault was rebuilt from the backup.")
	h.unlockWith(goodPassphrase)
	cases, err := h.shell.records.ListCases(app.CaseFilter{})
	if err != nil || len(cases) != 1 || cases[0].Number != "2026-TF-0777" {
		t.Fatalf("restored cases %+v, %v", cases, err)
	}
}
