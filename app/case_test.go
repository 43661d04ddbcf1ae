package app_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

func TestCreateCaseAndList(t *testing.T) {
	r := newTestRecords(t)
	inds, err := r.Indicators()
	if err != nil || len(inds) == 0 {
		t.Fatalf("indicators = %v, %v", inds, err)
	}
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Hotel outreach", Jurisdiction: "Demo County",
		Assigned: []string{"Det. Alvarez", " Adv. Kim ", "Det. Alvarez"}, Tags: []string{inds[0]}},
		app.Victim{Alias: "Rosa M.", Age: 15, Languages: []string{"Spanish"}, InterpreterNeeded: true,
			PlacementType: "foster care", Screening: &app.Screening{Tool: "Demo screening tool", Version: "2",
				Date: testNow, Screener: "Adv. Kim", Concern: "high"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != app.CaseOpen || !c.Opened.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("new case = %+v, want open, opened today", c)
	}
	if c.TemplateID == "" || c.TemplateVersion == 0 {
		t.Errorf("case did not record its checklist template: %q v%d", c.TemplateID, c.TemplateVersion)
	}
	if want := []string{"Det. Alvarez", "Adv. Kim"}; !slices.Equal(c.Assigned, want) {
		t.Errorf("assigned = %q, want %q", c.Assigned, want)
	}
	newTestCase(t, r, "2026-TF-0400")
	closed := newTestCase(t, r, "2025-TF-0001")
	if _, err := r.SetCaseStatus(closed.ID, app.CaseClosed, "services completed"); err != nil {
		t.Fatal(err)
	}

	all, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, s := range all {
		numbers = append(numbers, s.Number)
	}
	if want := []string{"2025-TF-0001", "2026-TF-0400", "2026-TF-0412"}; !slices.Equal(numbers, want) {
		t.Errorf("list = %q, want %q", numbers, want)
	}
	if all[2].Alias != "Rosa M." || all[2].Title != "Hotel outreach" {
		t.Errorf("list entry = %+v", all[2])
	}
	for _, tc := range []struct {
		name string
		f    app.CaseFilter
		want int
	}{
		{"closed", app.CaseFilter{Status: app.CaseClosed}, 1},
		{"open", app.CaseFilter{Status: app.CaseOpen}, 2},
		{"tag", app.CaseFilter{Tag: inds[0]}, 1},
		{"assigned, any letter case", app.CaseFilter{Assigned: "adv. kim"}, 1},
		{"nobody", app.CaseFilter{Assigned: "Nobody"}, 0},
	} {
		got, err := r.ListCases(tc.f)
		if err != nil || len(got) != tc.want {
			t.Errorf("%s: %d cases, %v; want %d", tc.name, len(got), err, tc.want)
		}
	}
	byNumber, err := r.CaseByNumber("2026-tf-0412")
	if err != nil || byNumber.ID != c.ID {
		t.Errorf("CaseByNumber = %v, %v", byNumber.ID, err)
	}
}

func TestCaseValidation(t *testing.T) {
	r := newTestRecords(t)
	newTestCase(t, r, "2026-TF-0412")
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		name     string
		in       app.CaseInput
		v        app.Victim
		field    string
		sentinel error
	}{
		{"duplicate number", app.CaseInput{Number: "2026-TF-0412", Title: "x"}, app.Victim{Alias: "A"}, "case number", app.ErrExists},
		{"duplicate number, other letter case", app.CaseInput{Number: "2026-tf-0412", Title: "x"}, app.Victim{Alias: "A"}, "case number", app.ErrExists},
		{"empty number", app.CaseInput{Title: "x"}, app.Victim{Alias: "A"}, "case number", app.ErrInvalid},
		{"number with space", app.CaseInput{Number: " 2026-1", Title: "x"}, app.Victim{Alias: "A"}, "case number", app.ErrInvalid},
		{"number with underscore", app.CaseInput{Number: "2026_1", Title: "x"}, app.Victim{Alias: "A"}, "case number", app.ErrInvalid},
		{"number too long", app.CaseInput{Number: strings.Repeat("9", 41), Title: "x"}, app.Victim{Alias: "A"}, "case number", app.ErrInvalid},
		{"no title", app.CaseInput{Number: "2026-2"}, app.Victim{Alias: "A"}, "title", app.ErrInvalid},
		{"tag not on the list", app.CaseInput{Number: "2026-2", Title: "x", Tags: []string{"made up"}}, app.Victim{Alias: "A"}, "tags", app.ErrInvalid},
		{"no alias", app.CaseInput{Number: "2026-2", Title: "x"}, app.Victim{}, "alias", app.ErrInvalid},
		{"placement address instead of type", app.CaseInput{Number: "2026-2", Title: "x"}, app.Victim{Alias: "A", PlacementType: "12 Elm St"}, "placement type", app.ErrInvalid},
		{"screening without level", app.CaseInput{Number: "2026-2", Title: "x"}, app.Victim{Alias: "A",
			Screening: &app.Screening{Tool: "T", Screener: "S", Date: testNow}}, "level of concern", app.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.CreateCase(tc.in, tc.v)
			assertFieldError(t, err, tc.field, tc.sentinel)
			assertSameStore(t, before, dumpStore(t, r.Store()))
		})
	}
	for _, ok := range []string{"2026-TF-0413", "A/2026.1", "X", strings.Repeat("9", 40)} {
		if err := app.ValidCaseNumber(ok); err != nil {
			t.Errorf("ValidCaseNumber(%q) = %v", ok, err)
		}
	}
}

func TestCaseStatusAndUpdate(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	newTestCase(t, r, "2026-2")
	_, err := r.SetCaseStatus(c.ID, app.CaseClosed, " ")
	assertFieldError(t, err, "closing reason", app.ErrInvalid)
	got, err := r.SetCaseStatus(c.ID, app.CaseClosed, "moved out of state")
	if err != nil || got.ClosedReason != "moved out of state" || got.Closed.IsZero() {
		t.Fatalf("close = %+v, %v", got, err)
	}
	got, err = r.SetCaseStatus(c.ID, app.CaseOpen, "")
	if err != nil || got.ClosedReason != "" || !got.Closed.IsZero() {
		t.Fatalf("reopen = %+v, %v", got, err)
	}
	_, err = r.UpdateCase(c.ID, app.CaseInput{Number: "2026-2", Title: "x"})
	assertFieldError(t, err, "case number", app.ErrExists)
	if _, err := r.UpdateCase(c.ID, app.CaseInput{Number: "2026-1b", Title: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetVictim(c.ID, app.Victim{Alias: "New alias"}); err != nil {
		t.Fatal(err)
	}
	list, _ := r.ListCases(app.CaseFilter{})
	if list[0].Number != "2026-1b" || list[0].Title != "Renamed" || list[0].Alias != "New alias" {
		t.Errorf("list entry after edits = %+v", list[0])
	}
}

func TestIndicatorsEditable(t *testing.T) {
	r := newTestRecords(t)
	if err := r.SetIndicators([]string{"missing from care", "new indicator"}); err != nil {
		t.Fatal(err)
	}
	c, err := r.CreateCase(app.CaseInput{Number: "1", Title: "x", Tags: []string{"new indicator"}}, app.Victim{Alias: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetIndicators([]string{"missing from care"}); err != nil {
		t.Fatal(err)
	}
	// A tag that left the list stays on the case it was already on.
	if _, err := r.UpdateCase(c.ID, app.CaseInput{Number: "1", Title: "y", Tags: []string{"new indicator"}}); err != nil {
		t.Errorf("keeping a retired tag: %v", err)
	}
	assertFieldError(t, r.SetIndicators(nil), "indicators", app.ErrInvalid)
}

func TestReadOnlyCaseRefusesEveryChange(t *testing.T) {
	r := newTestRecords(t)
	f := strings.NewReader(`{"format":"casenotes-case/v1","cases":[{"number":"P-1","title":"Received",
		"received_from":"Partner County SO","victim":{"alias":"A"},
		"notes":[{"kind":"contact","body":"x","author":"Det. B","created_at":"2026-01-01T10:00:00Z","final":true},
		         {"kind":"contact","body":"y","author":"Det. B","created_at":"2026-01-02T10:00:00Z"}],
		"releases":[{"scope":["services"],"recipient":{"organisation":"Demo Youth Shelter","category":"victim-services"},"signed":"2026-01-01","expires":"2026-06-01"}],
		"referrals":[{"service":"therapy","partner":"Demo Therapy"}],
		"timeline":[{"kind":"recovery","date":"2026-01-01","description":"recovered"}]}]}`)
	if _, err := r.ImportCaseFile(f); err != nil {
		t.Fatal(err)
	}
	c, err := r.CaseByNumber("P-1")
	if err != nil || !c.ReadOnly || c.Origin != "Partner County SO" {
		t.Fatalf("received case = %+v, %v", c, err)
	}
	notes, _ := r.Notes(c.ID)
	rels, _ := r.Releases(c.ID)
	refs, _ := r.Referrals(c.ID)
	evs, _ := r.Timeline(c.ID)
	draft := notes[1].ID
	before := dumpStore(t, r.Store())
	for name, call := range map[string]func() error{
		"UpdateCase":    func() error { _, err := r.UpdateCase(c.ID, app.CaseInput{Number: "P-1", Title: "x"}); return err },
		"SetCaseStatus": func() error { _, err := r.SetCaseStatus(c.ID, app.CaseInactive, ""); return err },
		"DeleteCase":    func() error { return r.DeleteCase(c.ID, "Opened by mistake") },
		"SetVictim":     func() error { _, err := r.SetVictim(c.ID, app.Victim{Alias: "B"}); return err },
		"SetIdentity":   func() error { return r.SetIdentity(c.ID, app.Identity{LegalName: "x"}) },
		"AddNote":       func() error { _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteOther}); return err },
		"SaveDraft":     func() error { return r.SaveDraft(c.ID, draft, "z") },
		"UpdateNote":    func() error { _, err := r.UpdateNote(c.ID, draft, app.NoteInput{Kind: app.NoteOther}); return err },
		"FinaliseNote":  func() error { _, err := r.FinaliseNote(c.ID, draft); return err },
		"DeleteNote":    func() error { return r.DeleteNote(c.ID, draft) },
		"AddAddendum":   func() error { _, err := r.AddAddendum(c.ID, notes[0].ID, "z"); return err },
		"AddRelease":    func() error { _, err := r.AddRelease(c.ID, validRelease()); return err },
		"RevokeRelease": func() error { _, err := r.RevokeRelease(c.ID, rels[0].ID, "withdrawn"); return err },
		"AddReferral": func() error {
			_, err := r.AddReferral(c.ID, app.ReferralInput{Service: "legal", Partner: "x"})
			return err
		},
		"SetReferralStatus": func() error { _, err := r.SetReferralStatus(c.ID, refs[0].ID, app.ReferralAccepted); return err },
		"SetReferralDue":    func() error { _, err := r.SetReferralDue(c.ID, refs[0].ID, testNow); return err },
		"AddTimelineEvent": func() error {
			_, err := r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: "other", Date: testNow, Description: "x"})
			return err
		},
		"DeleteTimelineEvent": func() error { return r.DeleteTimelineEvent(c.ID, evs[0].ID) },
	} {
		if err := call(); !errors.Is(err, app.ErrReadOnly) {
			t.Errorf("%s on a received case: err = %v, want ErrReadOnly", name, err)
		}
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
}

func TestDeleteCase(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "draft"})
	if _, err := r.AddReferral(c.ID, app.ReferralInput{Service: "therapy", Partner: "Demo Youth Shelter", Due: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	err := r.DeleteCase(c.ID, "Opened by mistake")
	assertFieldError(t, err, "case", app.ErrFinal)
	if !strings.Contains(err.Error(), "close the case instead") {
		t.Errorf("refusal does not say what to do: %v", err)
	}

	d := newTestCase(t, r, "2026-2")
	if _, err := r.AddReferral(d.ID, app.ReferralInput{Service: "therapy", Partner: "Demo Youth Shelter", Due: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	if err := r.SetIdentity(d.ID, app.Identity{LegalName: "Fictional Name"}); err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteCase(d.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Case(d.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("deleted case still reads: %v", err)
	}
	list, _ := r.ListCases(app.CaseFilter{})
	if len(list) != 1 || list[0].ID != c.ID {
		t.Errorf("list after delete = %+v", list)
	}
	tasks, err := r.UpcomingAndOverdue(testNow, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tasks {
		if tk.Case == d.ID {
			t.Errorf("a task of the deleted case remains: %+v", tk)
		}
	}
	// Nothing of the shredded case is left in the store, not even its key.
	err = r.Store().View(func(tx app.Tx) error {
		for typ := 0; typ < 0x7f; typ++ {
			err := tx.ScanKeys(app.RecordType(typ), d.ID, func(k app.Key) error {
				t.Errorf("record %x of the deleted case remains", typ)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestIdentityOnlyThroughReveal(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-TF-0412")
	const name = "Fictional Legal Name"
	if err := r.SetIdentity(c.ID, app.Identity{LegalName: name, DateOfBirth: "2010-05-01",
		School: "Fictional Middle School", Addresses: []string{"1 Fictional Way"}}); err != nil {
		t.Fatal(err)
	}
	assertFieldError(t, r.SetIdentity(c.ID, app.Identity{DateOfBirth: "01/05/2010"}), "date of birth", app.ErrInvalid)
	_, err := r.RevealIdentity(c.ID, "  ")
	assertFieldError(t, err, "reason", app.ErrInvalid)
	id, err := r.RevealIdentity(c.ID, "court filing")
	if err != nil || id.LegalName != name || id.School != "Fictional Middle School" {
		t.Fatalf("reveal = %+v, %v", id, err)
	}
	other := newTestCase(t, r, "2026-2")
	if _, err := r.RevealIdentity(other.ID, "check"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("reveal without identity: %v", err)
	}
}

// TestListingNeverReadsIdentity wraps the store in a recorder and proves that the
// case list, case lookups by number and a case's overview never read the legal
// identity, and that the list reads nothing inside any case.
func TestListingNeverReadsIdentity(t *testing.T) {
	base := newTestRecords(t)
	log := &readLog{Store: base.Store()}
	r := app.NewRecords(log, "Det. Alvarez")
	r.Now = base.Now
	for _, n := range []string{"2026-1", "2026-2", "2026-3"} {
		c := newTestCase(t, r, n)
		if err := r.SetIdentity(c.ID, app.Identity{LegalName: "Fictional " + n}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	for name, call := range map[string]func() error{
		"ListCases": func() error { _, err := r.ListCases(app.CaseFilter{}); return err },
		"ListCases filtered": func() error {
			_, err := r.ListCases(app.CaseFilter{Status: app.CaseOpen, Assigned: "Det. Alvarez"})
			return err
		},
		"Indicators":         func() error { _, err := r.Indicators(); return err },
		"UpcomingAndOverdue": func() error { _, err := r.UpcomingAndOverdue(testNow, 365*24*time.Hour); return err },
	} {
		log.reset()
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := log.caseRecordsRead(); n != 0 {
			t.Errorf("%s read %d records inside cases; a list reads only vault-level records", name, n)
		}
		if slices.Contains(log.types(), app.RecIdentity) {
			t.Errorf("%s read the legal identity", name)
		}
	}
	for name, call := range map[string]func() error{
		"CaseByNumber": func() error { _, err := r.CaseByNumber("2026-2"); return err },
		"Overview": func() error {
			c, err := r.CaseByNumber("2026-3")
			if err != nil {
				return err
			}
			_, err = r.Overview(c.ID)
			return err
		},
	} {
		log.reset()
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if slices.Contains(log.types(), app.RecIdentity) {
			t.Errorf("%s read the legal identity", name)
		}
	}
	log.reset()
	if _, err := r.RevealIdentity(mustNumber(t, r, "2026-1"), "placement check"); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(log.types(), app.RecIdentity) {
		t.Error("the recorder missed the deliberate read: the test proves nothing")
	}
}

func TestProfile(t *testing.T) {
	r := newTestRecords(t)
	if _, err := r.Profile(); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("profile before saving: %v", err)
	}
	_, err := r.SaveProfile(app.Profile{DisplayName: "Adv. Kim", Role: "social worker"})
	assertFieldError(t, err, "role", app.ErrInvalid)
	if _, err := r.SaveProfile(app.Profile{DisplayName: " Adv. Kim ", Role: app.RoleAdvocate, Agency: "Demo Youth Shelter"}); err != nil {
		t.Fatal(err)
	}
	p, err := r.Profile()
	if err != nil || p.DisplayName != "Adv. Kim" || p.Role != app.RoleAdvocate {
		t.Fatalf("profile = %+v, %v", p, err)
	}
	// With no user set on the service, the profile's name is the author.
	c := newTestCase(t, r, "2026-1")
	anon := app.NewRecords(r.Store(), "")
	n, err := anon.AddNote(c.ID, app.NoteInput{Kind: app.NoteService, Body: "x"})
	if err != nil || n.Author != "Adv. Kim" {
		t.Fatalf("note author = %q, %v", n.Author, err)
	}
}
