package export_test

import (
	"path/filepath"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// testNow is the clock of these tests: the export date.
var testNow = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

const testPass = "correct horse battery staple tango"

// Texts that must never leave unless the rules allow it.
const (
	privilegedText = "PRIVILEGED-advocate-text-shelter-plan"
	draftText      = "DRAFT-unfinished-text-do-not-export"
	legalName      = "Fictional Person One"
	address        = "1 Fictional Way, Demo City"
)

// prosecutorOffice is the recipient of most tests.
var prosecutorOffice = app.Recipient{Organisation: "Demo County Prosecutor's Office", Category: "prosecution"}

// vault creates a real vault (Badger in t.TempDir(), the test KDF cost) and returns
// its session and record service, working as Det. Alvarez at testNow.
func vault(t testing.TB) (*app.Session, *app.Records) {
	t.Helper()
	v := app.NewVaults(&storage.Disk{})
	s, _, err := v.Create(filepath.Join(t.TempDir(), "vault"), []byte(testPass))
	if err != nil {
		t.Fatalf("create vault: %v", err)
	}
	t.Cleanup(func() { s.Lock() })
	r, err := s.Records("")
	if err != nil {
		t.Fatal(err)
	}
	r.Now = func() time.Time { return testNow }
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Det. Alvarez", Role: app.RoleDetective, Agency: "Demo County Police"}); err != nil {
		t.Fatal(err)
	}
	return s, r
}

// at runs fn with the record service's clock set to t.
func at(r *app.Records, t time.Time, fn func()) {
	old := r.Now
	r.Now = func() time.Time { return t }
	defer func() { r.Now = old }()
	fn()
}

// demoCase opens a fictional case with an accented alias, a legal identity, a
// standard final note with an addendum, an advocate-privileged final note of
// Mar 4, 2026 and a draft.
func demoCase(t testing.TB, r *app.Records, number string) app.Case {
	t.Helper()
	c, err := r.CreateCase(app.CaseInput{Number: number, Title: "Hotel outreach referral", Jurisdiction: "Demo County",
		Opened: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Assigned: []string{"Det. Alvarez", "Adv. Kim"}},
		app.Victim{Alias: "Zoë Ångström", Age: 15, Languages: []string{"Spanish", "English"}, InterpreterNeeded: true,
			GuardianType: "child welfare agency", PlacementType: "foster care"})
	if err != nil {
		t.Fatalf("create case: %v", err)
	}
	must(t, r.SetIdentity(c.ID, app.Identity{LegalName: legalName, DateOfBirth: "2010-11-05",
		Addresses: []string{address}, ContactNumbers: []string{"555-0100"}}))
	at(r, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), func() {
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met at the child advocacy center. Ήλιος, Жанна."})
		must(t, err)
		_, err = r.FinaliseNote(c.ID, n.ID)
		must(t, err)
		_, err = r.AddAddendum(c.ID, n.ID, "Correction: the meeting started at 14:30.")
		must(t, err)
	})
	at(r, time.Date(2026, 3, 4, 11, 20, 0, 0, time.UTC), func() {
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteService, Body: privilegedText, Sensitivity: app.SensitivityAdvocatePrivileged})
		must(t, err)
		_, err = r.FinaliseNote(c.ID, n.ID)
		must(t, err)
	})
	at(r, time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC), func() {
		_, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteObservation, Body: draftText})
		must(t, err)
		_, err = r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: "missing-episode", Date: time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC),
			Source: "CPS report", Description: "Missing from placement for six days."})
		must(t, err)
		_, err = r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: "interview", Date: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC),
			Source: "CAC", Description: "Forensic interview at the CAC, recording EV-2026-0091."})
		must(t, err)
		_, err = r.AddReferral(c.ID, app.ReferralInput{Service: "therapy", Partner: "Demo County Therapy"})
		must(t, err)
	})
	return c
}

// release records a release for the recipient covering kinds, signed and expiring
// on the given dates.
func release(t testing.TB, r *app.Records, c app.Case, to app.Recipient, signed, expires time.Time, kinds ...app.InfoKind) app.Release {
	t.Helper()
	rel, err := r.AddRelease(c.ID, app.ReleaseInput{Scope: kinds, Recipient: to, Signed: signed, Expires: expires,
		Signer: app.ReleaseSigner{Kind: app.SignerYouth}})
	if err != nil {
		t.Fatalf("add release: %v", err)
	}
	return rel
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
