package ui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
)

// pickFile makes the next file chooser hand over data, as if the user chose a file.
func pickFile(t *testing.T, data []byte) {
	t.Helper()
	old := chooseOpenFile
	chooseOpenFile = func(_ *Shell, got func([]byte, error)) { got(data, nil) }
	t.Cleanup(func() { chooseOpenFile = old })
}

// One Import action on the case list takes a case file or a bundle, told apart as
// the command line does, each with a one-sentence result; a file that is neither is
// refused in one sentence and imports nothing.
func TestImportActionTakesCaseFilesAndBundles(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	test.Tap(h.button(sectionCases))
	h.sees(noCasesYet)

	caseFile, err := os.ReadFile(filepath.Join("..", "testdata", "cases", "minimal.json"))
	if err != nil {
		t.Fatal(err)
	}
	pickFile(t, caseFile)
	test.Tap(h.button("Import…"))
	h.sees("Imported 1 case with ")
	list, err := h.shell.records.ListCases(appCaseFilter())
	if err != nil || len(list) != 1 {
		t.Fatalf("%d cases after importing a case file (%v)", len(list), err)
	}
	if h.shell.main.cases == nil || len(h.shell.main.cases.all) != 1 {
		t.Error("the case list does not show the imported case")
	}

	// An age file goes to the bundle import, which verifies before anything else.
	pickFile(t, []byte(ageHeader+"v1\n-> X25519 bm90IGEgcmVhbCBrZXk\nnot a real bundle\n--- AAAA\ngarbage"))
	test.Tap(h.button("Import…"))
	h.sees("Bundle not imported")

	pickFile(t, []byte("Dear team, notes from Tuesday's meeting."))
	test.Tap(h.button("Import…"))
	h.sees("Nothing was imported")
	if list, _ := h.shell.records.ListCases(appCaseFilter()); len(list) != 1 {
		t.Errorf("a refused file changed the cases: %d", len(list))
	}
}

func appCaseFilter() app.CaseFilter { return app.CaseFilter{} }

// closeCounter is a file that counts its closes.
type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

// A chosen file is read as background work, closed, and handed over whole; one
// larger than the limit is refused whole, not cut short.
func TestChosenFileIsReadOffTheUIGoroutine(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	var offUI int
	h.shell.offUI = func(work func()) { offUI++; work() }
	read := func(content string, limit int) ([]byte, *closeCounter, error) {
		f := &closeCounter{Reader: strings.NewReader(content)}
		var data []byte
		var err error
		called := 0
		h.shell.readChosenFile(f, limit, func(d []byte, e error) { data, err = d, e; called++ })
		if called != 1 {
			t.Fatalf("got was called %d times", called)
		}
		return data, f, err
	}
	data, f, err := read("casenotes-case/v1 file", 22)
	if err != nil || string(data) != "casenotes-case/v1 file" || f.closed != 1 || offUI != 1 {
		t.Fatalf("read %q, %v; closed %d times; %d background runs", data, err, f.closed, offUI)
	}
	data, f, err = read("casenotes-case/v1 file!", 22)
	if !errors.Is(err, errFileTooLarge) || data != nil || f.closed != 1 {
		t.Fatalf("a file over the limit: %q, %v, closed %d times", data, err, f.closed)
	}
}
