package export_test

import (
	"encoding/json"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/app/export"
)

func build(t *testing.T, r *app.Records, c app.Case, p export.Profile, to app.Recipient, identity bool) *export.Document {
	t.Helper()
	d, err := export.Build(r, c.ID, export.Exporter{Name: "Det. Alvarez"}, export.Options{Profile: p,
		Recipient:       export.Recipient{Organization: to.Organisation, Person: to.Person, Category: string(to.Category)},
		IncludeIdentity: identity})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return d
}

// everything is the document as all its forms would carry it: the JSON and the
// preview text, for checks that some text is or is not anywhere in it.
func everything(t *testing.T, d *export.Document) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n" + d.Preview().Text()
}

func hasNote(d *export.Document, text string) bool {
	for _, n := range d.Notes {
		if n.Text == text {
			return true
		}
	}
	return false
}

const privilegedWithheld = "advocate-privileged note of Mar 4, 2026: no release on file covers advocate notes for Demo County Prosecutor's Office"

func TestPrivilegedNoteFollowsTheRelease(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")

	// No release: the note is omitted and listed with its reason; its text is nowhere.
	d := build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	if hasNote(d, privilegedText) {
		t.Fatal("privileged note exported without a release")
	}
	if !strings.Contains(strings.Join(d.Preview().Withheld, "\n"), privilegedWithheld) {
		t.Fatalf("withheld list = %q, want %q", d.Preview().Withheld, privilegedWithheld)
	}
	if strings.Contains(everything(t, d), privilegedText) {
		t.Fatal("the privileged note's text reached the document or the preview")
	}
	if d.Counts.NotesIncluded != 1 || d.Counts.NotesWithheld != 1 || d.Counts.FinalNotes != 2 {
		t.Fatalf("counts = %+v", d.Counts)
	}

	// A release for another recipient changes nothing.
	release(t, r, c, app.Recipient{Organisation: "Hope House", Category: "victim-services"}, date(2026, 3, 1), date(2026, 9, 1), app.InfoAdvocateNotes)
	if d := build(t, r, c, export.Prosecutor, prosecutorOffice, false); hasNote(d, privilegedText) {
		t.Fatal("a release for Hope House let the note go to the prosecutor")
	}

	// A covering release: included, and the release is named as relied on.
	rel := release(t, r, c, prosecutorOffice, date(2026, 3, 8), date(2026, 6, 1), app.InfoAdvocateNotes)
	d = build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	if !hasNote(d, privilegedText) {
		t.Fatalf("covered privileged note not included; withheld: %q", d.Preview().Withheld)
	}
	if len(d.ReliedOn) != 1 || !strings.Contains(d.ReliedOn[0], "release signed Mar 8, 2026 covers advocate notes") {
		t.Fatalf("releases relied on = %q", d.ReliedOn)
	}
	for _, w := range d.Withheld {
		if w.Kind == "note" {
			t.Fatalf("note still withheld: %s", w.Sentence())
		}
	}

	// Expired on the export date: omitted again.
	at(r, date(2026, 6, 1), func() {
		d = build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	})
	if hasNote(d, privilegedText) {
		t.Fatal("privileged note exported under an expired release")
	}
	if got := strings.Join(d.Preview().Withheld, "\n"); !strings.Contains(got, "advocate-privileged note of Mar 4, 2026: the release signed Mar 8, 2026 covering advocate notes for Demo County Prosecutor's Office expired on Jun 1, 2026") {
		t.Fatalf("withheld after expiry = %q", got)
	}

	// Revoked: omitted again, from the revocation on.
	at(r, date(2026, 3, 12), func() {
		_, err := r.RevokeRelease(c.ID, rel.ID, "Victim withdrew consent.")
		must(t, err)
	})
	at(r, date(2026, 3, 13), func() { d = build(t, r, c, export.Prosecutor, prosecutorOffice, false) })
	if hasNote(d, privilegedText) {
		t.Fatal("privileged note exported under a revoked release")
	}
	if got := strings.Join(d.Preview().Withheld, "\n"); !strings.Contains(got, "was revoked on Mar 12, 2026") {
		t.Fatalf("withheld after revocation = %q", got)
	}
}

func TestDraftsNeverLeave(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	for _, p := range export.Profiles {
		d := build(t, r, c, p, prosecutorOffice, true)
		if strings.Contains(everything(t, d), draftText) {
			t.Fatalf("%s: a draft's text left", p.Name)
		}
		if d.Counts.Drafts != 1 {
			t.Fatalf("%s: drafts counted %d, want 1", p.Name, d.Counts.Drafts)
		}
		if !strings.Contains(strings.Join(d.Preview().Withheld, "\n"), "1 draft note: drafts never leave the vault") {
			t.Fatalf("%s: withheld = %q", p.Name, d.Preview().Withheld)
		}
	}
}

func TestIdentityNeedsAReleaseAndTheChoice(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	withheld := func(d *export.Document) string { return strings.Join(d.Preview().Withheld, "\n") }

	// Chosen, but no release.
	d := build(t, r, c, export.Prosecutor, prosecutorOffice, true)
	if d.Identity != nil || strings.Contains(everything(t, d), legalName) {
		t.Fatal("identity left without a release")
	}
	if !strings.Contains(withheld(d), "legal identity: no release on file covers identifying information for Demo County Prosecutor's Office") {
		t.Fatalf("withheld = %q", withheld(d))
	}
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoIdentity)

	// A release, but not chosen: withheld, and nothing was revealed.
	d = build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	if d.Identity != nil || !strings.Contains(withheld(d), "legal identity: not chosen") {
		t.Fatalf("identity without the choice: %+v, withheld %q", d.Identity, withheld(d))
	}
	if rv, _ := r.Reveals(c.ID); len(rv) != 0 {
		t.Fatalf("identity read without being included: %+v", rv)
	}

	// Both: included, on its own section; the address needs a location release.
	d = build(t, r, c, export.Prosecutor, prosecutorOffice, true)
	if d.Identity == nil || d.Identity.LegalName != legalName {
		t.Fatalf("identity not included: withheld %q", withheld(d))
	}
	if len(d.Identity.Addresses) != 0 || !strings.Contains(withheld(d), "addresses: no release on file covers location") {
		t.Fatalf("address left without a location release: %+v", d.Identity)
	}
	for _, s := range d.Preview().Sections {
		if s.Section != export.SecIdentity && strings.Contains(strings.Join(s.Rows, " "), legalName) {
			t.Fatalf("legal name in section %s", s.Title)
		}
	}
	rv, _ := r.Reveals(c.ID)
	if len(rv) != 1 || !strings.Contains(rv[0].Reason, "export to Demo County Prosecutor's Office") {
		t.Fatalf("the export's reveal was not recorded: %+v", rv)
	}

	// The court profile never carries it.
	d = build(t, r, c, export.Court, prosecutorOffice, true)
	if d.Identity != nil || !strings.Contains(withheld(d), "the court profile never carries the legal identity") {
		t.Fatal("court profile carried the identity")
	}
}

func TestServicesNeedTheirRelease(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	d := build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	if len(d.Services) != 0 || !strings.Contains(strings.Join(d.Preview().Withheld, "\n"), "therapy referral of Mar 5, 2026: no release on file covers mental health information") {
		t.Fatalf("therapy referral without a release: %+v / %q", d.Services, d.Preview().Withheld)
	}
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoMentalHealth)
	if d := build(t, r, c, export.Prosecutor, prosecutorOffice, false); len(d.Services) != 1 {
		t.Fatalf("covered referral not included: %q", d.Preview().Withheld)
	}
}

func TestReceivedCaseIsNotExported(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	_ = c
	f := `{"format":"casenotes-case/v1","cases":[{"number":"R-1","title":"Received","received_from":"Other County","victim":{"alias":"A."}}]}`
	if _, err := r.ImportCaseFile(strings.NewReader(f)); err != nil {
		t.Fatal(err)
	}
	cases, _ := r.ListCases(app.CaseFilter{})
	for _, s := range cases {
		if s.ReadOnly {
			_, err := export.Build(r, s.ID, export.Exporter{}, export.Options{Profile: export.Prosecutor})
			if err == nil {
				t.Fatal("a received case was exported")
			}
			return
		}
	}
	t.Fatal("no received case")
}

func TestMedicalChecklistReasonNeedsARelease(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	items, err := r.Checklist(c.ID)
	must(t, err)
	const reason = "Exam declined by the young person on the advice of her doctor."
	for _, it := range items {
		if it.Phase == app.PhaseMedical {
			_, err := r.SetItemStatus(c.ID, it.ID, app.ItemNotApplicable, reason)
			must(t, err)
			break
		}
	}
	d := build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	if strings.Contains(everything(t, d), reason) {
		t.Fatal("a medical item's reason left without a medical release")
	}
	if !strings.Contains(strings.Join(d.Preview().Withheld, "\n"), "the reason recorded on a medical checklist item: no release on file covers medical information") {
		t.Fatalf("withheld = %q", d.Preview().Withheld)
	}
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoMedical)
	if d := build(t, r, c, export.Prosecutor, prosecutorOffice, false); !strings.Contains(everything(t, d), reason) {
		t.Fatal("a covered medical reason was withheld")
	}
}
