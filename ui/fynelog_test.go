package ui

import (
	"bytes"
	"log"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
)

// TestFileDialogsLogNothing: opening a file dialog in a home folder without
// Desktop, Documents, Downloads, Music, Pictures or Videos (a new account, a
// server, a kiosk) writes nothing to standard error. Fyne 2.7.1 logs "Getting
// favorite locations" there at every file dialog (dialog/file.go,
// getFavoriteLocations: a missing folder's error is kept because the loop tests
// err instead of err1); the app's log output drops exactly that report.
func TestFileDialogsLogNothing(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out bytes.Buffer
	saved, flags, prefix := log.Writer(), log.Flags(), log.Prefix()
	t.Cleanup(func() { log.SetOutput(saved); log.SetFlags(flags); log.SetPrefix(prefix) })
	log.SetFlags(0)
	log.SetPrefix("casenotes: ")
	log.SetOutput(WithoutFyneNoise(&out))

	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1240, 740))
	d := dialog.NewFileSave(func(fyne.URIWriteCloser, error) {}, w)
	d.Show()
	d.Hide()
	o := dialog.NewFileOpen(func(fyne.URIReadCloser, error) {}, w)
	o.Show()
	o.Hide()
	if strings.Contains(out.String(), "favorite") {
		t.Errorf("a file dialog logged:\n%s", out.String())
	}
	// Everything else still reaches the log, whole.
	log.Println("Fyne error:  Something else")
	log.Println("  Cause: a reason")
	log.Printf("  At: /somewhere/file.go:1")
	log.Println("the app's own line")
	want := "casenotes: Fyne error:  Something else\ncasenotes:   Cause: a reason\ncasenotes:   At: /somewhere/file.go:1\ncasenotes: the app's own line\n"
	if got := out.String(); got != want {
		t.Errorf("the log holds %q, want %q", got, want)
	}
}
