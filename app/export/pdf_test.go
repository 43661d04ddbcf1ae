package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/app/export"
)

// needTool skips with the reason when a command-line tool the test runs is missing;
// `make test` installs them (qpdf, poppler-utils, age).
func needTool(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed (Debian package %s; make deps-test installs it)", name, pkg)
	}
}

// pdfText writes the PDF, checks it with qpdf --check and returns pdftotext's text.
func pdfText(t *testing.T, d *export.Document, size export.PageSize) string {
	t.Helper()
	needTool(t, "qpdf", "qpdf")
	needTool(t, "pdftotext", "poppler-utils")
	var buf bytes.Buffer
	if err := export.WritePDF(&buf, d, size); err != nil {
		t.Fatalf("write PDF: %v", err)
	}
	path := filepath.Join(t.TempDir(), "summary.pdf")
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check failed: %v\n%s", err, out)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDFShowsAliasAndNumberNeverIdentityOrDrafts(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	for _, size := range []export.PageSize{export.Letter, export.A4} {
		t.Run(string(size), func(t *testing.T) {
			d := build(t, r, c, export.Prosecutor, prosecutorOffice, true)
			text := pdfText(t, d, size)
			for _, want := range []string{"2026-TF-0412", "Zoë Ångström", "Ήλιος, Жанна", "Prosecutor's case summary",
				"Page 1 of", "CONFIDENTIAL", "advocate-privileged note of Mar 4, 2026", "1 draft note", "casenotes verify"} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q", want)
				}
			}
			for _, never := range []string{legalName, address, draftText, privilegedText, "555-0100"} {
				if strings.Contains(text, never) {
					t.Errorf("PDF text holds %q, which the rules withhold", never)
				}
			}
			pages := strings.Count(text, "\f")
			for i := 1; i <= pages; i++ {
				if !strings.Contains(text, "Page "+itoa(i)+" of "+itoa(pages)) {
					t.Errorf("page %d lacks \"Page %d of %d\"", i, i, pages)
				}
			}
			if n := strings.Count(text, "Disclosed only to the named recipient"); n < pages {
				t.Errorf("confidentiality notice on %d of %d pages", n, pages)
			}
		})
	}
}

func TestPDFIdentityOnlyWhenAllowed(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoIdentity, app.InfoLocation, app.InfoAdvocateNotes)
	text := pdfText(t, build(t, r, c, export.Prosecutor, prosecutorOffice, true), export.Letter)
	for _, want := range []string{legalName, address, privilegedText} {
		if !strings.Contains(text, want) {
			t.Errorf("allowed %q missing from the PDF", want)
		}
	}
	// The identity stands on a page of its own: the page holding the name holds no
	// other section.
	for _, page := range strings.Split(text, "\f") {
		if strings.Contains(page, legalName) && (strings.Contains(page, "Victim profile") || strings.Contains(page, "Chronology")) {
			t.Errorf("the legal name shares a page with another section:\n%s", page)
		}
	}
	if strings.Contains(text, "555-0100") {
		t.Error("contact number printed without a contact release")
	}
}

func TestPDFMarksCharactersItCannotDraw(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0500")
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteOther, Body: "Name in Arabic: سلمى and in Chinese: 李 and an emoji 🙂"})
	must(t, err)
	_, err = r.FinaliseNote(c.ID, n.ID)
	must(t, err)
	text := pdfText(t, build(t, r, c, export.Prosecutor, prosecutorOffice, false), export.A4)
	if !strings.Contains(text, "could not be printed in this PDF") {
		t.Error("the PDF does not say that some characters could not be printed")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestPDFEveryProfileAndALongCase checks the partner and court summaries and a case
// of 300 notes (many pages, tables across page breaks) with qpdf, and that every page
// carries its marking and number.
func TestPDFEveryProfileAndALongCase(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	for _, p := range []export.Profile{export.Partner, export.Court} {
		text := pdfText(t, build(t, r, c, p, prosecutorOffice, true), export.A4)
		if !strings.Contains(text, p.Title) || strings.Contains(text, legalName) || strings.Contains(text, privilegedText) {
			t.Errorf("%s profile PDF: wrong title or a withheld text printed", p.Name)
		}
		if p.Name == "court" && strings.Contains(text, "Missing from placement for six days.") {
			t.Error("the court PDF printed a timeline description")
		}
	}
	for i := range 300 {
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteObservation, Body: strings.Repeat("Long note text for pagination. ", 20+i%40)})
		must(t, err)
		_, err = r.FinaliseNote(c.ID, n.ID)
		must(t, err)
	}
	text := pdfText(t, build(t, r, c, export.Prosecutor, prosecutorOffice, false), export.Letter)
	pages := strings.Count(text, "\f")
	if pages < 30 {
		t.Fatalf("a 300-note case printed on %d pages", pages)
	}
	last := "Page " + strconv.Itoa(pages) + " of " + strconv.Itoa(pages)
	if !strings.Contains(text, last) || strings.Count(text, "Disclosed only to the named recipient") < pages {
		t.Errorf("the long PDF lacks %q or a marking on some page", last)
	}
}

// TestPDFCarriesTheAgencyNotice: the marking is the vault's own wording when set.
func TestPDFCarriesTheAgencyNotice(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	_, err := r.SaveSettings(app.VaultSettings{ConfidentialityNotice: "Demo County: sealed juvenile record, disclosure restricted."})
	must(t, err)
	text := pdfText(t, build(t, r, c, export.Prosecutor, prosecutorOffice, false), export.Letter)
	pages := strings.Count(text, "\f")
	if n := strings.Count(text, "sealed juvenile record, disclosure restricted."); n < pages {
		t.Fatalf("the agency's notice is on %d of %d pages", n, pages)
	}
	if strings.Contains(text, "Disclosed only to the named recipient") {
		t.Error("the default notice printed although the agency set its own")
	}
}
