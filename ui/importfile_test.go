package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
	"casenotes/app/export"
)

// TestImportTakesACaseFileOrABundle is issue 8's item 11: the empty states say
// "import a case file", so the case list's one Import action takes a case file,
// and a bundle too, telling them apart as the command line does; each ends in one
// sentence of what happened.
func TestImportTakesACaseFileOrABundle(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.shell.main.show(sectionCases)
	if h.button("Import…") == nil {
		t.Fatal("the case list has no Import… action")
	}

	// A file that is not a case file: one sentence, nothing stored.
	h.shell.importFile([]byte(`{"format":"casenotes-case/v1","cases":[{"number":""}]}`), nil, nil)
	h.sees("Nothing was imported.")
	if cases, _ := h.shell.records.ListCases(app.CaseFilter{}); len(cases) != 0 {
		t.Fatalf("a refused file stored %d cases", len(cases))
	}

	// The documented minimal case file: imported, said, and the list shown again.
	data, err := os.ReadFile(filepath.Join("..", "testdata", "cases", "minimal.json"))
	if err != nil {
		t.Fatal(err)
	}
	reopened := false
	h.shell.importFile(data, nil, func() { reopened = true })
	h.sees("Imported 1 case: ")
	cases, _ := h.shell.records.ListCases(app.CaseFilter{})
	if len(cases) != 1 || !reopened {
		t.Fatalf("after the import: %d cases, list shown again %v", len(cases), reopened)
	}

	// A bundle goes through the bundle's checks: its unknown signer is shown.
	keys, _ := h.shell.session.UserKeys()
	sender, _ := workspaceCase(t)
	sr := sender.shell.records
	sent, _ := sr.ListCases(app.CaseFilter{})
	sk, _ := sender.shell.session.UserKeys()
	d, err := export.Build(sr, sent[0].ID, export.ExporterOf(sr, sk), export.Options{Profile: export.Prosecutor})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.age")
	if err := export.WriteFile(path, func(f *os.File) error {
		return export.WriteBundle(f, export.BundleInput{Doc: d, Records: sr, Signing: sk.SigningKey(), Seal: export.Seal{Recipient: keys.AgeRecipient()}})
	}); err != nil {
		t.Fatal(err)
	}
	bundle, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(bundle), ageHeader) {
		t.Fatalf("a bundle starts %q", bundle[:20])
	}
	h.shell.importFile(bundle, nil, func() { t.Fatal("a bundle was read as a case file") })
	h.sees("The signer's key is not in your partner directory")
	test.Tap(h.button("Import"))
	h.sees("Compare the fingerprint with the sender first")
}
