package export_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"casenotes/app"
	"casenotes/app/export"
)

// TestWriteFileLeavesNothingOnFailure: a disk that fills midway and a folder that
// cannot be written leave no file at the destination and no temporary file beside it.
func TestWriteFileLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "case.pdf")
	err := export.WriteFile(dest, func(f *os.File) error {
		if _, err := f.Write([]byte("%PDF-1.4 half a file")); err != nil {
			return err
		}
		return &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	})
	if !errors.Is(err, app.ErrDiskFull) {
		t.Fatalf("disk full: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed write left %d file(s)", len(entries))
	}
	err = export.WriteFile(filepath.Join(dir, "missing", "case.pdf"), func(*os.File) error { return nil })
	if !errors.Is(err, export.ErrDestination) {
		t.Fatalf("missing folder: %v", err)
	}
	must(t, export.WriteFile(dest, func(f *os.File) error { _, err := f.Write([]byte("whole")); return err }))
	if b, _ := os.ReadFile(dest); string(b) != "whole" {
		t.Fatalf("written %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files after a good write, want 1", len(entries))
	}
}
