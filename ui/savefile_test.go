package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// TestSavedRecoveryKeyFilesAreOwnerOnly: the recovery key saved from onboarding,
// as text or as PDF, is readable by its owner only (0600), whatever the umask.
func TestSavedRecoveryKeyFilesAreOwnerOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "usb")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	saved := chooseSaveFile
	t.Cleanup(func() { chooseSaveFile = saved })
	chooseSaveFile = func(_ *Shell, name string, save func(fyne.URIWriteCloser, error)) {
		w, err := storage.Writer(storage.NewFileURI(filepath.Join(dir, name)))
		save(w, err)
	}
	h := newHarness(t).start()
	h.shell.showRecoveryKey("0A3F7-K9QZ2-M4T8C-X1B6H-7PWRN-2D5GE-Q8JVA-C3Y9T-H6MKB-5RXFD-W2N7P-J4E8S-9TGBZ")
	for _, b := range []string{"Save as text file…", "Save as PDF…"} {
		test.Tap(h.button(b))
	}
	for _, name := range []string{recoveryFileName, recoveryPDFName} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() == 0 {
			t.Errorf("%s is empty", name)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %#o, want 0600", name, mode)
		}
	}
}
