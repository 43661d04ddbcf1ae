package ui

import (
	"os"
	"path/filepath"
	"testing"

	"casenotes/app"
)

// TestBackupFromSettings is issue 8's item 11: a backup is taken from Settings,
// without the command line, and ends in one sentence saying where it is.
func TestBackupFromSettings(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.shell.main.show(sectionSettings)
	if h.button("Back up…") == nil {
		t.Fatal("Settings has no Back up… action")
	}
	dir := t.TempDir()
	h.shell.writeBackup(dir)
	h.sees("The backup is in " + dir)
	path := filepath.Join(dir, backupName(h.clock.Now().Format("2006-01-02")))
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no backup file: %v", err)
	}
	defer f.Close()
	if fi, _ := f.Stat(); fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup file is %v; want 0600", fi.Mode().Perm())
	}
	if _, err := app.NewBackupReader(f); err != nil {
		t.Errorf("the file written is not a readable backup: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files; want only the backup", len(entries))
	}

	// A second backup the same day does not replace the first.
	h.shell.writeBackup(dir)
	h.sees("A backup of today is already in that folder.")

	// A folder that does not exist: one sentence, nothing written.
	h.shell.writeBackup(filepath.Join(dir, "missing"))
	h.sees("The backup could not be written to that folder")
}
