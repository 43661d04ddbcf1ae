package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// The full-case golden vault: real cases made through the services by this release
// (victim, legal identity, notes with addenda and a draft, checklist states, a
// release, a referral, timeline events, an attachment, an evidence reference, an
// identity reveal), committed under testdata/vaults/full-v1 with the expectation of
// what every service reads back from it (expected.json). Any change to how a record
// is stored, and every later migration, is tested against real data: a migration
// must keep what the services read back.
//
// Write a new one only for a new format (never overwrite a released one):
//
//	go test -tags casenotes_testkdf ./app -run TestGoldenFullVault -update-golden-full
var updateGoldenFull = flag.Bool("update-golden-full", false, "write the full-case golden vault of the current format")

// updateExpectation rewrites only expected.json, from the committed vault, when what
// the services show of unchanged records changes on purpose (a built-in template
// version added, a default vocabulary reworded). Review its diff before committing.
var updateExpectation = flag.Bool("update-golden-expectation", false, "rewrite what the full-case golden vault reads back")

var fullGoldenDir = filepath.Join("..", "testdata", "vaults", "full-v1")

// fullGoldenNow is the clock the golden vault was written and is read with.
var fullGoldenNow = time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)

func TestGoldenFullVault(t *testing.T) {
	if *updateGoldenFull {
		writeFullGolden(t)
	}
	dir := filepath.Join(t.TempDir(), "vault")
	if err := os.CopyFS(dir, os.DirFS(fullGoldenDir)); err != nil {
		t.Fatalf("copy the golden vault: %v", err)
	}
	v := app.NewVaults(&storage.Disk{})
	v.Now = func() time.Time { return fullGoldenNow }
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("the full-case golden vault no longer opens: %v", err)
	}
	defer s.Lock()
	// Opening migrated the vault to this build's format: its digests must be true.
	rep, err := s.Check(nil)
	if err != nil || !rep.OK() {
		t.Fatalf("the migrated golden vault fails its check: %v %v", err, rep.Problems)
	}
	got := readBack(t, s)
	if *updateExpectation {
		if err := os.WriteFile(filepath.Join(fullGoldenDir, "expected.json"), got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(filepath.Join(fullGoldenDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join(os.TempDir(), "casenotes-golden-read-back.json")
		os.WriteFile(failed, got, 0o600)
		t.Fatalf("what the services read back from the golden vault changed; diff %s %s",
			filepath.Join(fullGoldenDir, "expected.json"), failed)
	}
}

// readBack reads every record of the vault through the services, in a stable order,
// as indented JSON.
func readBack(t *testing.T, s *app.Session) []byte {
	t.Helper()
	r, err := s.Records("")
	if err != nil {
		t.Fatal(err)
	}
	r.Now = func() time.Time { return fullGoldenNow }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]any{}
	profile, err := r.Profile()
	must(err)
	out["profile"] = profile
	inds, err := r.Indicators()
	must(err)
	out["indicators"] = inds
	tpls, err := r.Templates()
	must(err)
	out["templates"] = tpls
	keys, err := s.UserKeys()
	must(err)
	out["signing_fingerprint"] = keys.SigningFingerprint()
	out["age_recipient"] = keys.AgeRecipient()
	list, err := r.ListCases(app.CaseFilter{})
	must(err)
	out["case_list"] = list
	tasks, err := r.UpcomingAndOverdue(fullGoldenNow, 30*24*time.Hour)
	must(err)
	out["tasks"] = tasks
	team, err := r.TeamProgress(app.CaseFilter{})
	must(err)
	out["team_progress"] = team
	var cases []any
	for _, c := range list {
		cs := map[string]any{}
		ov, err := r.Overview(c.ID)
		must(err)
		cs["overview"] = ov
		notes, err := r.Notes(c.ID)
		must(err)
		cs["notes"] = notes
		items, err := r.Checklist(c.ID)
		must(err)
		cs["checklist"] = items
		rels, err := r.Releases(c.ID)
		must(err)
		cs["releases"] = rels
		refs, err := r.Referrals(c.ID)
		must(err)
		cs["referrals"] = refs
		events, err := r.Timeline(c.ID)
		must(err)
		cs["timeline"] = events
		evidence, err := r.EvidenceReferences(c.ID)
		must(err)
		cs["evidence"] = evidence
		atts, err := r.Attachments(c.ID)
		must(err)
		var files []map[string]any
		for _, a := range atts {
			rc, err := r.OpenAttachment(c.ID, a.ID)
			must(err)
			h := sha256.New()
			_, err = io.Copy(h, rc)
			rc.Close()
			must(err)
			files = append(files, map[string]any{"attachment": a, "content_sha256": hex.EncodeToString(h.Sum(nil))})
		}
		cs["attachments"] = files
		reveals, err := r.Reveals(c.ID)
		must(err)
		cs["reveals"] = reveals
		cases = append(cases, cs)
	}
	out["cases"] = cases
	b, err := json.MarshalIndent(out, "", "  ")
	must(err)
	return append(b, '\n')
}

// writeFullGolden makes the full-case golden vault through the services, with a
// fixed clock, and writes what they read back from it.
func writeFullGolden(t *testing.T) {
	t.Helper()
	if err := os.RemoveAll(fullGoldenDir); err != nil {
		t.Fatal(err)
	}
	clock := fullGoldenNow.AddDate(0, -3, 0)
	tick := func() time.Time { clock = clock.Add(37 * time.Minute); return clock }
	v := app.NewVaults(&storage.Disk{})
	v.Now = tick
	s, rk, err := v.Create(fullGoldenDir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("")
	r.Now = tick
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = r.SaveProfile(app.Profile{DisplayName: "Det. Dana Alvarez", Role: app.RoleDetective, Agency: "Example County Task Force"})
	must(err)
	inds, err := r.Indicators()
	must(err)
	day := func(d int) time.Time { return fullGoldenNow.AddDate(0, 0, d).Truncate(24 * time.Hour) }

	// Case 1: open, with everything.
	c1, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Intake from the transit station outreach",
		Jurisdiction: "Example County", Opened: day(-80), Assigned: []string{"Det. Dana Alvarez", "Adv. Mina Kim"},
		Tags: inds[:1]}, app.Victim{Alias: "Rosa M.", Age: 15, Gender: "female", Languages: []string{"Spanish", "English"},
		InterpreterNeeded: true, GuardianType: "foster parent", PlacementType: "foster care",
		Screening: &app.Screening{Tool: "Example screening tool", Version: "2", Date: day(-79), Screener: "Adv. Mina Kim", Concern: "high"}})
	must(err)
	must(r.SetIdentity(c1.ID, app.Identity{LegalName: "Rosa Quispe-Martínez", DateOfBirth: "2011-04-09",
		School: "Example Middle School", Addresses: []string{"12 Example Lane, Example City"}, ContactNumbers: []string{"555-0100"}}))
	n1, err := r.AddNote(c1.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met Rosa at the advocacy center with the interpreter.\nShe asked about school."})
	must(err)
	_, err = r.FinaliseNote(c1.ID, n1.ID)
	must(err)
	_, err = r.AddAddendum(c1.ID, n1.ID, "Correction: the interpreter joined by phone.")
	must(err)
	n2, err := r.AddNote(c1.ID, app.NoteInput{Kind: app.NoteService, Body: "Safety plan reviewed with the advocate.", Sensitivity: app.SensitivityAdvocatePrivileged})
	must(err)
	_, err = r.FinaliseNote(c1.ID, n2.ID)
	must(err)
	_, err = r.AddNote(c1.ID, app.NoteInput{Kind: app.NoteObservation, Body: "Draft: waiting for the placement's call back."})
	must(err)
	items, err := r.Checklist(c1.ID)
	must(err)
	_, err = r.SetItemStatus(c1.ID, items[0].ID, app.ItemDone, "")
	must(err)
	_, err = r.SetItemStatus(c1.ID, items[1].ID, app.ItemNotApplicable, "No earlier missing episodes on record.")
	must(err)
	due := day(5)
	_, err = r.SetItemDue(c1.ID, items[2].ID, &due)
	must(err)
	_, err = r.SetItemNotes(c1.ID, items[2].ID, "Caseworker called; waiting for the file.")
	must(err)
	_, err = r.AddChecklistItem(c1.ID, app.PhaseServices, "Arrange a tutor through the school liaison", app.Partners[0], nil)
	must(err)
	_, err = r.AddRelease(c1.ID, app.ReleaseInput{Scope: []app.InfoKind{app.InfoServices, app.InfoCaseStatus},
		Recipient: app.Recipient{Organisation: "Example County Prosecutor's Office", Category: "prosecution"},
		Signed:    day(-60), Expires: day(120), Signer: app.ReleaseSigner{Kind: app.SignerYouth}})
	must(err)
	ref, err := r.AddReferral(c1.ID, app.ReferralInput{Service: app.ServiceTypes[1], Partner: "Example Hope House", Due: day(10)})
	must(err)
	_, err = r.SetReferralStatus(c1.ID, ref.ID, app.ReferralStatuses[1])
	must(err)
	_, err = r.AddTimelineEvent(c1.ID, app.TimelineInput{Kind: app.EventKinds[0], Date: day(-90), Source: "Child welfare report", Description: "Missing from care for three days."})
	must(err)
	_, err = r.AddTimelineEvent(c1.ID, app.TimelineInput{Kind: app.EventKinds[1], Date: day(-85), Source: "Patrol report", Description: "Recovered and connected with an advocate."})
	must(err)
	doc := "Referral letter for trauma-focused therapy.\n"
	_, err = r.AddAttachment(c1.ID, "referral-letter.txt", strings.NewReader(doc), int64(len(doc)), app.AttachmentKinds[0])
	must(err)
	_, err = r.AddEvidenceReference(c1.ID, "Example evidence system", "EV-2026-0099", "Forensic interview recording")
	must(err)
	_, err = r.RevealIdentity(c1.ID, "Court filing")
	must(err)

	// Case 2: closed, with a referral and its history.
	c2, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0388", Title: "School referral",
		Jurisdiction: "Example County", Opened: day(-200)}, app.Victim{Alias: "J.", AgeBand: "12-14"})
	must(err)
	n3, err := r.AddNote(c2.ID, app.NoteInput{Kind: app.NoteCourt, Body: "Hearing moved to the spring docket."})
	must(err)
	_, err = r.FinaliseNote(c2.ID, n3.ID)
	must(err)
	_, err = r.AddReferral(c2.ID, app.ReferralInput{Service: app.ServiceTypes[0], Partner: "Example Legal Aid"})
	must(err)
	_, err = r.SetCaseStatus(c2.ID, app.CaseClosed, "Services completed")
	must(err)

	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(fullGoldenDir, "db", "LOCK"))
	must(os.WriteFile(filepath.Join(fullGoldenDir, "RECOVERY-KEY.txt"), []byte(rk.String()+"\n"), 0o644))

	// The expectation is read from a copy, as the test reads it.
	dir := filepath.Join(t.TempDir(), "vault")
	must(os.CopyFS(dir, os.DirFS(fullGoldenDir)))
	v2 := app.NewVaults(&storage.Disk{})
	v2.Now = func() time.Time { return fullGoldenNow }
	s, err = v2.Unlock(dir, []byte(goldenPassphrase))
	must(err)
	defer s.Lock()
	must(os.WriteFile(filepath.Join(fullGoldenDir, "expected.json"), readBack(t, s), 0o644))
}
