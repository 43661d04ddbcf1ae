package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goldenAuditPassphrase opens testdata/vaults/audit-v10 (app/golden_test.go).
const goldenAuditPassphrase = "golden vault passphrase for tests only"

// A vault of an older format is updated at its first unlock, which can take a while
// for a long audit trail: the unlock screen's busy line says so and counts the
// parts as they are done, and the main view follows.
func TestUnlockShowsTheVaultsUpdate(t *testing.T) {
	h := newHarness(t)
	if err := os.CopyFS(h.dir, os.DirFS(filepath.Join("..", "testdata", "vaults", "audit-v10"))); err != nil {
		t.Fatal(err)
	}
	var lines []string
	parts := 0
	h.vaults.Migrating = func(name string, batches int) {
		parts++
		h.shell.ShowMigration(name, batches)
		// The test driver runs the posted change at once: the line is on screen now.
		for _, l := range h.labels() {
			if strings.HasPrefix(l, "Updating the vault") {
				lines = append(lines, l)
			}
		}
	}
	h.start()
	h.unlockWith(goldenAuditPassphrase)
	h.onMainView()
	if parts == 0 {
		t.Fatal("the update of the vault's format reported no part")
	}
	if len(lines) == 0 {
		t.Fatalf("the unlock screen never said the vault was being updated (%d parts done)", parts)
	}
	want := "Updating the vault (audit key range, part 1)…"
	if !slices.Contains(lines, want) {
		t.Errorf("busy lines while unlocking: %q, want one %q", lines, want)
	}
	if h.shell.migrationLine != nil {
		t.Error("the unlock screen's busy line still listens after the unlock")
	}
}
