package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/export"
	"casenotes/ui/format"
)

// exportCase is workspaceCase with a final advocate-privileged note, a draft and a
// partner in the directory.
func exportCase(t *testing.T) (*harness, app.Case) {
	t.Helper()
	h, c := workspaceCase(t)
	r := h.shell.records
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteService, Body: "PRIVILEGED shelter plan", Sensitivity: app.SensitivityAdvocatePrivileged})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteObservation, Body: "DRAFT words"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddPartner(app.PartnerInput{Organization: "Demo County Prosecutor's Office", Person: "Ana Ruiz",
		Category: "prosecution"}); err != nil {
		t.Fatal(err)
	}
	return h, c
}

func (h *harness) folderEntry() *dialogEntry {
	h.t.Helper()
	for _, o := range h.objects() {
		if e, ok := o.(*dialogEntry); ok && e.PlaceHolder == "the folder to write the file in" {
			return e
		}
	}
	h.t.Fatalf("no folder entry; labels %q", h.labels())
	return nil
}

func TestExportWizardPreviewsThenWritesWhatItShowed(t *testing.T) {
	h, c := exportCase(t)
	ws := h.openWorkspace(c.ID)
	test.Tap(h.button("Export"))
	ws.s.main.content.Refresh()
	// Choose the partner and preview.
	for _, o := range h.objects() {
		if s, ok := o.(*dialogSelect); ok && len(s.Options) > 1 && s.Options[0] == noRecipient {
			s.SetSelected("Ana Ruiz at Demo County Prosecutor's Office")
		}
	}
	test.Tap(h.button("Preview"))
	h.sees("Withheld (")
	h.sees("advocate-privileged note of Mar 2, 2026: no release on file covers advocate notes for Ana Ruiz at Demo County Prosecutor's Office")
	h.sees("1 draft note: drafts never leave the vault")
	h.sees("legal identity: not chosen")
	h.doesNotSee("PRIVILEGED shelter plan")
	h.doesNotSee("DRAFT words")
	h.doesNotSee("Maria Example")

	// Export into a folder: the file is the preview's document, and the end screen
	// shows its SHA-256 and the signer fingerprint.
	dir := t.TempDir()
	h.folderEntry().SetText(dir)
	test.Tap(h.button("Export file"))
	path := filepath.Join(dir, "2026-TF-0412-prosecutor.pdf")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no export file: %v; labels %q", err, h.labels())
	}
	h.sees("Read the SHA-256 and the signer fingerprint to the recipient")
	keys, _ := h.shell.session.UserKeys()
	h.sees(keys.SigningFingerprint())
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files in the folder, want the export alone", len(entries))
	}
	log, err := h.shell.records.Exports(c.ID)
	if err != nil || len(log) != 1 || log[0].Recipient != "Ana Ruiz at Demo County Prosecutor's Office" || log[0].Format != "pdf" || len(log[0].SHA256) != 64 {
		t.Fatalf("export log = %+v, %v", log, err)
	}
}

func TestExportWizardRefusesBadChoices(t *testing.T) {
	h, c := exportCase(t)
	h.openWorkspace(c.ID)
	test.Tap(h.button("Export"))
	// A bundle to a recipient without a key.
	for _, o := range h.objects() {
		if s, ok := o.(*dialogSelect); ok && len(s.Options) > 0 && s.Options[0] == exportFormats[0].label {
			s.SetSelected("Signed, encrypted bundle")
		}
	}
	test.Tap(h.button("Preview"))
	h.sees("This recipient has no age key in the partner directory")
}

func TestReceivedCaseHasNoExportButton(t *testing.T) {
	h, _ := workspaceCase(t)
	r := h.shell.records
	f := `{"format":"casenotes-case/v1","cases":[{"number":"R-1","title":"Received","received_from":"Other County","victim":{"alias":"A."}}]}`
	if _, err := r.ImportCaseFile(strings.NewReader(f)); err != nil {
		t.Fatal(err)
	}
	rc, err := r.CaseByNumber("R-1")
	if err != nil {
		t.Fatal(err)
	}
	h.openWorkspace(rc.ID)
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == "Export" && b.Visible() {
			t.Fatal("a received case offers Export")
		}
	}
}

func TestSettingsShowOwnKeys(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	test.Tap(h.button("Settings"))
	keys, _ := h.shell.session.UserKeys()
	h.sees(keys.AgeRecipient())
	h.sees(keys.SigningFingerprint())
	h.button("Partner directory…")
}

func TestOpenBundleFromTheCaseList(t *testing.T) {
	// A sender's vault exports a prosecutor bundle to this user's key.
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	keys, _ := h.shell.session.UserKeys()
	sender, _ := workspaceCase(t)
	sr := sender.shell.records
	cases, _ := sr.ListCases(app.CaseFilter{})
	sk, _ := sender.shell.session.UserKeys()
	d, err := export.Build(sr, cases[0].ID, export.ExporterOf(sr, sk), export.Options{Profile: export.Prosecutor})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.age")
	err = export.WriteFile(path, func(f *os.File) error {
		return export.WriteBundle(f, export.BundleInput{Doc: d, Records: sr, Signing: sk.SigningKey(), Seal: export.Seal{Recipient: keys.AgeRecipient()}})
	})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var got app.ID
	h.shell.receiveBundle(data, "", func(id app.ID) { got = id })
	// The signer is unknown: the fingerprint is shown and must be confirmed.
	h.sees("The signer's key is not in your partner directory")
	test.Tap(h.button("Import"))
	h.sees("Compare the fingerprint with the sender first")
	for _, o := range h.objects() {
		if c, ok := o.(*dialogCheck); ok {
			c.SetChecked(true)
		}
	}
	test.Tap(h.button("Import"))
	if got.IsZero() {
		t.Fatalf("not imported; labels %q", h.labels())
	}
	c, _ := h.shell.records.Case(got)
	if !c.ReadOnly || c.Number != "2026-TF-0412" {
		t.Fatalf("received case = %+v", c)
	}
	// Its workspace says where it came from, when it was exported and who signed it.
	h.openWorkspace(got)
	// The time reads as US English, like every other date (issue 8, item 17).
	hist, _, _ := h.shell.records.ReceivedHistory(got)
	h.sees("Received from Dana Alvarez, exported " + format.DateTime(hist.Latest().Exported) + ",")
	h.sees("signed by " + sk.SigningFingerprint())
}

func TestDirectoryAddAsksToConfirmTheFingerprint(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.shell.showDirectory()
	test.Tap(h.button("Add partner…"))
	set := func(placeholder, text string) {
		for _, o := range h.objects() {
			if e, ok := o.(*dialogEntry); ok && e.PlaceHolder == placeholder {
				e.SetText(text)
				return
			}
		}
		t.Fatalf("no entry %q", placeholder)
	}
	set("e.g. Demo County Prosecutor's Office", "Hope House")
	set("five groups of four, e.g. 3f2a 9c01 77de 0b4e 1a2c", "3f2a 9c01 77de 0b4e 1a2c")
	for _, o := range h.objects() {
		if s, ok := o.(*dialogSelect); ok && len(s.Options) == len(app.Partners) {
			s.SetSelected("Victim services")
		}
	}
	test.Tap(h.button("Add"))
	h.sees("Keys are not confirmed: read the fingerprint back to the partner over the phone")
	if ps, _ := h.shell.records.Partners(); len(ps) != 0 {
		t.Fatal("a partner was added with an unconfirmed key")
	}
	for _, o := range h.objects() {
		if c, ok := o.(*dialogCheck); ok && strings.HasPrefix(c.Text, "I read the fingerprint back") {
			c.SetChecked(true)
		}
	}
	test.Tap(h.button("Add"))
	ps, _ := h.shell.records.Partners()
	if len(ps) != 1 || ps[0].SigningFingerprint != "3f2a 9c01 77de 0b4e 1a2c" || ps[0].KeysConfirmedBy != "Dana Alvarez" {
		t.Fatalf("partners = %+v", ps)
	}
	h.sees("Hope House")
}
