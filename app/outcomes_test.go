package app_test

import (
	"errors"
	"testing"

	"casenotes/app"
)

func TestPeopleAndCharges(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		in    app.PersonInput
		field string
	}{
		{app.PersonInput{Role: "suspect"}, "pseudonymous reference"},
		{app.PersonInput{Reference: "Suspect A", Role: "villain"}, "role"},
		{app.PersonInput{Reference: "Suspect A", Role: "suspect", Relationship: "cousin twice removed"}, "relationship"},
		{app.PersonInput{Reference: "A very long description of the man seen at the motel on the night", Role: "suspect"}, "pseudonymous reference"},
	} {
		_, err := r.AddPerson(c.ID, tc.in)
		assertFieldError(t, err, tc.field, app.ErrInvalid)
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))

	a, err := r.AddPerson(c.ID, app.PersonInput{Reference: "Suspect A", Role: "suspect", Relationship: "intimate partner"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.AddPerson(c.ID, app.PersonInput{Reference: "Witness 1", Role: "witness"})
	if err != nil || w.Relationship != "unknown" {
		t.Fatalf("witness %+v %v", w, err)
	}
	_, err = r.AddPerson(c.ID, app.PersonInput{Reference: "suspect a", Role: "buyer"})
	assertFieldError(t, err, "pseudonymous reference", app.ErrExists)

	_, err = r.AddCharge(c.ID, app.ChargeInput{Statute: "Demo Penal Code 236.1", Counts: 1, Against: w.ID})
	assertFieldError(t, err, "charged person", app.ErrInvalid)
	_, err = r.AddCharge(c.ID, app.ChargeInput{Statute: "Demo Penal Code 236.1", Counts: 0, Against: a.ID})
	assertFieldError(t, err, "counts", app.ErrInvalid)
	_, err = r.AddCharge(c.ID, app.ChargeInput{Statute: "Demo Penal Code 236.1", Counts: 2, Against: a.ID, Sentence: "5 years"})
	assertFieldError(t, err, "sentence", app.ErrInvalid)
	_, err = r.AddCharge(c.ID, app.ChargeInput{Statute: "Demo Penal Code 236.1", Counts: 2, Against: a.ID, DispositionDate: testNow})
	assertFieldError(t, err, "disposition date", app.ErrInvalid)
	_, err = r.AddCharge(c.ID, app.ChargeInput{Statute: "Demo Penal Code 236.1", Counts: 2, Against: a.ID, Restitution: -1})
	assertFieldError(t, err, "restitution", app.ErrInvalid)

	ch, err := r.AddCharge(c.ID, app.ChargeInput{Statute: "Demo Penal Code 236.1", Counts: 2, Against: a.ID, Filed: testNow})
	if err != nil || ch.Disposition != "pending" {
		t.Fatalf("charge %+v %v", ch, err)
	}
	in := ch.Input()
	in.Disposition, in.DispositionDate, in.Sentence = "convicted", testNow.AddDate(0, 6, 0), "Eight years in state prison"
	in.Restitution, in.Forfeiture = 1_250_000, 4_200_050
	ch, err = r.UpdateCharge(c.ID, ch.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Restitution.String() != "$12,500.00" || ch.Forfeiture.String() != "$42,000.50" {
		t.Errorf("amounts %s %s", ch.Restitution, ch.Forfeiture)
	}
	// Recording the charged person as a witness afterwards is refused on the next
	// change to the charge, never silently.
	if _, err := r.UpdatePerson(c.ID, a.ID, app.PersonInput{Reference: "Suspect A", Role: "witness"}); err != nil {
		t.Fatal(err)
	}
	_, err = r.UpdateCharge(c.ID, ch.ID, in)
	assertFieldError(t, err, "charged person", app.ErrInvalid)

	people, _ := r.People(c.ID)
	if len(people) != 2 || people[0].Reference != "Suspect A" || people[1].Reference != "Witness 1" {
		t.Errorf("people %+v", people)
	}
}

func TestParseDollars(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want app.Cents
		ok   bool
	}{
		{"", 0, true}, {"1500", 150000, true}, {"$1,500.00", 150000, true}, {"1500.5", 150050, true},
		{" 0.07 ", 7, true}, {"12.345", 0, false}, {"-5", 0, false}, {"1e5", 0, false}, {"12.", 0, false},
		{".5", 0, false}, {"99999999999", 0, false}, {"$", 0, true},
	} {
		got, err := app.ParseDollars("restitution", tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseDollars(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// FuzzParseDollars: any text is either an amount that prints back to itself, or
// refused with a field error; never a panic or a negative amount.
func FuzzParseDollars(f *testing.F) {
	for _, s := range []string{"1500", "$1,500.00", "0.5", "12.345", "-1", "9999999999.99", "１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := app.ParseDollars("amount", s)
		if err != nil {
			if !errors.Is(err, app.ErrInvalid) {
				t.Fatalf("err %v", err)
			}
			return
		}
		if c < 0 {
			t.Fatalf("negative amount %d from %q", c, s)
		}
		back, err := app.ParseDollars("amount", c.String())
		if err != nil || back != c {
			t.Fatalf("%q -> %d -> %q -> %d %v", s, c, c.String(), back, err)
		}
	})
}

func TestOutcomeAndLinks(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	d := newTestCase(t, r, "2026-2")
	_, err := r.SetChildWelfareOutcome(c.ID, "sent away", testNow)
	assertFieldError(t, err, "child-welfare outcome", app.ErrInvalid)
	_, err = r.SetServiceOutcome(c.ID, app.ServiceOutcome{Service: "therapy", Result: "great"})
	assertFieldError(t, err, "service result", app.ErrInvalid)
	if _, err := r.SetChildWelfareOutcome(c.ID, "kinship-placement", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetServiceOutcome(c.ID, app.ServiceOutcome{Service: "therapy", Result: "engaged"}); err != nil {
		t.Fatal(err)
	}
	o, err := r.SetServiceOutcome(c.ID, app.ServiceOutcome{Service: "therapy", Result: "completed", Date: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if o.ChildWelfare != "kinship-placement" || len(o.Services) != 1 || o.Services[0].Result != "completed" {
		t.Errorf("outcome %+v", o)
	}

	_, err = r.AddCaseLink(c.ID, "2026-9", "co-victim")
	assertFieldError(t, err, "linked case", app.ErrInvalid)
	_, err = r.AddCaseLink(c.ID, "2026-1", "co-victim")
	assertFieldError(t, err, "linked case", app.ErrInvalid)
	_, err = r.AddCaseLink(c.ID, "2026-2", "cousins")
	assertFieldError(t, err, "relation", app.ErrInvalid)
	l, err := r.AddCaseLink(c.ID, "2026-2", "co-victim")
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.AddCaseLink(c.ID, "2026-2", "related")
	assertFieldError(t, err, "linked case", app.ErrExists)
	back, _ := r.CaseLinks(d.ID)
	if len(back) != 1 || back[0].Number != "2026-1" || back[0].Alias != "Alias 2026-1" || back[0].Relation != "co-victim" {
		t.Fatalf("link not seen from the other case: %+v", back)
	}
	if err := r.DeleteCase(d.ID, "Duplicate of another case"); err != nil {
		t.Fatal(err)
	}
	links, _ := r.CaseLinks(c.ID)
	if len(links) != 1 || !links[0].Gone {
		t.Fatalf("a link to a deleted case: %+v", links)
	}
	if err := r.RemoveCaseLink(c.ID, l.ID); err != nil {
		t.Fatal(err)
	}
	if links, _ := r.CaseLinks(c.ID); len(links) != 0 {
		t.Errorf("links after removal: %+v", links)
	}
}
