package export_test

import (
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/app/export"
)

// practiceRecords gives a case the MDT practice's records: a contact note with its
// facts, an NCMEC report made in time, a mandated report, a hearing with its outcome,
// a notification with an interpreter, people, a charge with amounts, outcomes
// (therapy among them, which needs a mental-health release) and a review interval.
func practiceRecords(t testing.TB, r *app.Records, c app.Case) {
	t.Helper()
	at(r, time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC), func() {
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Court preparation meeting.",
			Contact: &app.ContactDetails{Present: []string{"youth", "Adv. Kim"}, Language: "Spanish",
				Interpreter: &app.Interpreter{Name: "Interpreter Ortiz", Language: "Spanish"}, Setting: "court", DurationMinutes: 30}})
		must(t, err)
		_, err = r.FinaliseNote(c.ID, n.ID)
		must(t, err)
		missing := time.Date(2026, 2, 20, 6, 0, 0, 0, time.UTC)
		_, err = r.AddReference(c.ID, app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: missing,
			ReportedAt: missing.Add(5 * time.Hour), Number: "NCMEC-2026-7731"})
		must(t, err)
		_, err = r.AddReference(c.ID, app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: time.Date(2026, 3, 1, 18, 40, 0, 0, time.UTC),
			IntakeWorker: "Intake Worker Lee", Number: "CPS-2026-5521", Screening: "screened-in"})
		must(t, err)
		_, err = r.AddHearing(c.ID, app.HearingInput{At: time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC), Court: "Demo County Superior Court", Type: "arraignment"})
		must(t, err)
		hs, _ := r.Hearings(c.ID)
		_, err = r.SetHearingOutcome(c.ID, hs[0].ID, "Pleaded not guilty.")
		must(t, err)
		_, err = r.AddNotification(c.ID, app.NotificationInput{At: time.Date(2026, 2, 27, 18, 0, 0, 0, time.UTC), To: "youth", Method: "phone",
			Summary: "Told the arraignment date.", Language: "Spanish", Interpreter: &app.Interpreter{Name: "Interpreter Ortiz", Language: "Spanish"}})
		must(t, err)
		s, err := r.AddPerson(c.ID, app.PersonInput{Reference: "Suspect A", Role: "suspect", Relationship: "online contact"})
		must(t, err)
		_, err = r.AddPerson(c.ID, app.PersonInput{Reference: "Witness 1", Role: "witness"})
		must(t, err)
		_, err = r.AddCharge(c.ID, app.ChargeInput{Statute: "Demo Penal Code 236.1(c)", Counts: 2, Against: s.ID, Filed: date(2026, 2, 25),
			Disposition: "convicted", DispositionDate: date(2026, 3, 5), Sentence: "Eight years.", Restitution: 150000})
		must(t, err)
		_, err = r.SetChildWelfareOutcome(c.ID, "kinship-placement", date(2026, 3, 5))
		must(t, err)
		_, err = r.SetServiceOutcome(c.ID, app.ServiceOutcome{Service: "therapy", Result: "engaged"})
		must(t, err)
		_, err = r.SetServiceOutcome(c.ID, app.ServiceOutcome{Service: "school", Result: "completed"})
		must(t, err)
		_, err = r.SetReviewInterval(c.ID, 14)
		must(t, err)
	})
}

// The prosecutor's PDF carries the practice's sections: references with the NCMEC
// clock, court dates and the notification log, people by reference only, charges
// with amounts; a services outcome is withheld without its release. The partner and
// court profiles carry none of them.
func TestPracticeSectionsInExports(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	practiceRecords(t, r, c)
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoServices)
	d := build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	text := pdfText(t, d, export.Letter)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Reports and reference numbers", "NCMEC-2026-7731", "reported within 24 hours (5 hours after the missing episode began)",
		"CPS-2026-5521", "Intake Worker Lee", "Court dates and victim notifications", "Demo County Superior Court", "Pleaded not guilty.",
		"Told the arraignment date.", "Interpreter Ortiz (Spanish)", "People, by pseudonymous reference", "Suspect A", "online contact",
		"Demo Penal Code 236.1(c)", "restitution $1,500.00", "kinship placement", "school service completed",
		"Contact: setting: court · 30 minutes · present: youth, Adv. Kim"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the prosecutor's PDF lacks %q", want)
		}
	}
	if strings.Contains(flat, "therapy service engaged") {
		t.Error("the therapy outcome left without a mental-health release")
	}
	found := false
	for _, w := range d.Withheld {
		if w.Item == "the outcome of the therapy service" && strings.Contains(w.Reason, "mental health information") {
			found = true
		}
	}
	if !found {
		t.Errorf("the withheld therapy outcome is not listed: %+v", d.Withheld)
	}
	md := markdown(t, d)
	for _, want := range []string{"## Reports and reference numbers", "| Suspect A | suspect | online contact |", "### Victim-notification log"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
	for _, p := range []export.Profile{export.Partner, export.Court} {
		d := build(t, r, c, p, prosecutorOffice, false)
		if d.Reports != nil || d.Hearings != nil || d.Notifications != nil || d.Outcomes != nil {
			t.Errorf("the %s profile carries the practice's sections", p.Name)
		}
		if text := pdfText(t, d, export.Letter); strings.Contains(text, "Suspect A") || strings.Contains(text, "NCMEC-2026-7731") {
			t.Errorf("the %s PDF shows practice records", p.Name)
		}
	}
}

// A transfer carries the practice's records to the new case: references, court
// dates, notifications, people, charges, outcomes, the review interval, the legal
// hold, release signers and contact details; case reviews stay behind and say so.
func TestTransferCarriesThePractice(t *testing.T) {
	tv := newTwoVaults(t)
	practiceRecords(t, tv.a, tv.c)
	_, err := tv.a.PlaceLegalHold(tv.c.ID, "Appeal pending")
	must(t, err)
	m, err := tv.a.CreateMeeting(app.MeetingInput{At: testNow, Cases: []app.ID{tv.c.ID}})
	must(t, err)
	_, err = tv.a.RecordReview(m.ID, tv.c.ID, app.ReviewInput{Points: []app.ReviewPoint{{Summary: "Stable."}}})
	must(t, err)
	res, err := tv.importInto(tv.export(t, export.Transfer), export.SignerCheck{Directory: tv.b, Expected: tv.keysA.SigningFingerprint()})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range res.Doc.Withheld {
		if strings.Contains(w.Item, "MDT case review") {
			found = true
		}
	}
	if !found {
		t.Errorf("the case review left behind is not listed: %+v", res.Doc.Withheld)
	}
	b, id := tv.b, res.Case
	refs, _ := b.References(id)
	hs, _ := b.Hearings(id)
	ns, _ := b.Notifications(id)
	people, _ := b.People(id)
	charges, _ := b.Charges(id)
	out, _ := b.Outcome(id)
	p, _ := b.CasePractice(id)
	if len(refs) != 2 || len(hs) != 1 || hs[0].Outcome != "Pleaded not guilty." || len(ns) != 1 || ns[0].Interpreter == nil ||
		len(people) != 2 || len(charges) != 1 || charges[0].Against != people[0].ID || charges[0].Restitution != 150000 ||
		out.ChildWelfare != "kinship-placement" || len(out.Services) != 2 || p.ReviewIntervalDays != 14 || p.Hold == nil {
		t.Fatalf("transferred practice: refs %d hearings %+v notifications %+v people %+v charges %+v outcome %+v practice %+v",
			len(refs), hs, ns, people, charges, out, p)
	}
	if err := b.DeleteCase(id, "Test"); err == nil {
		t.Error("the transferred legal hold does not block deletion")
	}
	rels, _ := b.Releases(id)
	for _, rel := range rels {
		if rel.Signer == nil || rel.Signer.Kind != app.SignerYouth {
			t.Errorf("release signer lost in the transfer: %+v", rel.Signer)
		}
	}
	notes, _ := b.Notes(id)
	contact := 0
	for _, n := range notes {
		if n.Contact != nil && n.Contact.Setting == "court" {
			contact++
		}
	}
	if contact != 1 {
		t.Errorf("contact details lost in the transfer")
	}
	// The sender's NCMEC report clock reads the same on the receiver's side.
	if c, ok := refs[1].Clock(testNow); refs[1].Kind != app.RefNCMEC || !ok || c.Late {
		t.Errorf("NCMEC report %+v", refs[1])
	}
}

// markdown renders the document as Markdown.
func markdown(t *testing.T, d *export.Document) string {
	t.Helper()
	var b strings.Builder
	must(t, export.WriteMarkdown(&b, d))
	return b.String()
}

// TestJSONGoldenPractice pins the practice's fields of casenotes-export/v1 in their
// own golden files (prosecutor and transfer), so the older golden files keep showing
// only what they always did. Run with -update after a deliberate change.
func TestJSONGoldenPractice(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	practiceRecords(t, r, c)
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoServices)
	for _, p := range []export.Profile{export.Prosecutor, export.Transfer} {
		t.Run(p.Name, func(t *testing.T) {
			d := build(t, r, c, p, prosecutorOffice, false)
			checkGolden(t, d, p.Name+"-practice.json")
		})
	}
}
