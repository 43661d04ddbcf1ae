package app_test

import (
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
)

func TestReleaseSigner(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	mother, err := r.AddPerson(c.ID, app.PersonInput{Reference: "Parent 1", Role: "other", Relationship: "parent"})
	if err != nil {
		t.Fatal(err)
	}
	father, err := r.AddPerson(c.ID, app.PersonInput{Reference: "Suspect A", Role: "suspect", Relationship: "parent"})
	if err != nil {
		t.Fatal(err)
	}
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		signer app.ReleaseSigner
		field  string
	}{
		{app.ReleaseSigner{}, "signer"},
		{app.ReleaseSigner{Kind: "neighbor"}, "signer"},
		{app.ReleaseSigner{Kind: app.SignerNotRecorded}, "signer"},
		{app.ReleaseSigner{Kind: app.SignerParent}, "signer's relationship"},
		{app.ReleaseSigner{Kind: app.SignerCaseworker, Relationship: "county\ncaseworker"}, "signer's relationship"},
		{app.ReleaseSigner{Kind: app.SignerParent, Relationship: "father", Person: father.ID}, "signer"},
		{app.ReleaseSigner{Kind: app.SignerParent, Relationship: "mother", Person: app.NewID()}, "signer"},
	} {
		in := validRelease()
		in.Signer = tc.signer
		_, err := r.AddRelease(c.ID, in)
		assertFieldError(t, err, tc.field, app.ErrInvalid)
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
	in := validRelease()
	in.Signer = app.ReleaseSigner{Kind: app.SignerParent, Relationship: "father", Person: father.ID}
	_, err = r.AddRelease(c.ID, in)
	if s := app.Sentence(err); !strings.Contains(s, "alleged offender (Suspect A)") {
		t.Errorf("refusal %q does not say why", s)
	}

	in.Signer = app.ReleaseSigner{Kind: app.SignerParent, Relationship: "mother", Person: mother.ID}
	rel, err := r.AddRelease(c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Signer.String() != "a parent or guardian (mother)" {
		t.Errorf("signer reads %q", rel.Signer.String())
	}
	shelter := app.Recipient{Organisation: "Demo Youth Shelter"}
	ok, _, _ := r.MayShare(c.ID, app.InfoAdvocateNotes, shelter, mustDate("2026-04-01"))
	if !ok {
		t.Fatal("the release signed by a non-offending parent is not relied on")
	}
	// Later the signer is recorded as an alleged offender: exports stop relying on
	// the release, and say why.
	if _, err := r.UpdatePerson(c.ID, mother.ID, app.PersonInput{Reference: "Parent 1", Role: "suspect", Relationship: "parent"}); err != nil {
		t.Fatal(err)
	}
	ok, why, _ := r.MayShare(c.ID, app.InfoAdvocateNotes, shelter, mustDate("2026-04-01"))
	if ok || !strings.Contains(why, "signed by someone recorded as an alleged offender (Parent 1)") {
		t.Fatalf("a release signed by an alleged offender: ok=%v %q", ok, why)
	}
	// A release by the youth covers again.
	in.Signer = app.ReleaseSigner{Kind: app.SignerYouth}
	if _, err := r.AddRelease(c.ID, in); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := r.MayShare(c.ID, app.InfoAdvocateNotes, shelter, mustDate("2026-04-01")); !ok {
		t.Error("the youth's own release is not relied on")
	}
}

// LinkReleaseSigner records after the fact who a parent signer was; linking to an
// alleged offender makes exports stop relying on the release.
func TestLinkReleaseSigner(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	in := validRelease()
	in.Signer = app.ReleaseSigner{Kind: app.SignerParent, Relationship: "stepfather"}
	rel, err := r.AddRelease(c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := r.AddPerson(c.ID, app.PersonInput{Reference: "Suspect B", Role: "buyer", Relationship: "step-parent"})
	if _, err := r.LinkReleaseSigner(c.ID, rel.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := r.MayShare(c.ID, app.InfoServices, app.Recipient{Organisation: "Demo Youth Shelter"}, mustDate("2026-04-01")); ok {
		t.Error("a release linked to an alleged offender is still relied on")
	}
	youth := validRelease()
	yrel, _ := r.AddRelease(c.ID, youth)
	_, err = r.LinkReleaseSigner(c.ID, yrel.ID, s.ID)
	assertFieldError(t, err, "signer", app.ErrInvalid)
}

// Releases recorded before signers were migrate to "signer not recorded" at the next
// unlock; releases with a signer keep it, and a second unlock changes nothing.
func TestReleaseSignerMigration(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	r.Now = v.Now
	var cases []app.ID
	for i := range 3 {
		c, err := r.CreateCase(app.CaseInput{Number: "2026-" + string(rune('1'+i)), Title: "Case"}, app.Victim{Alias: "Alias"})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c.ID)
		legacy := app.Release{ID: app.NewID(), Scope: []app.InfoKind{app.InfoServices},
			Recipient: app.Recipient{Organisation: "Demo Youth Shelter", Category: "victim-services"},
			Signed:    mustDate("2026-01-02"), Expires: mustDate("2026-12-31"), Created: testNow}
		if err := app.PutLegacyRelease(r, c.ID, legacy); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.AddRelease(cases[0], validRelease()); err != nil {
		t.Fatal(err)
	}
	if err := app.SetSchemaVersion(r, app.MigrationFrom("release signers")); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	for round := range 2 {
		s, err := v.Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatal(err)
		}
		if got, migrating := schemaOf(t, s); got != app.SchemaVersion() || migrating {
			t.Fatalf("round %d: schema %d migrating=%v", round, got, migrating)
		}
		r, _ := s.Records("")
		kinds := map[app.SignerKind]int{}
		for _, c := range cases {
			rels, err := r.Releases(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, rel := range rels {
				if rel.Signer == nil {
					t.Fatalf("round %d: a release without a signer after the migration", round)
				}
				kinds[rel.Signer.Kind]++
			}
		}
		if kinds[app.SignerNotRecorded] != 3 || kinds[app.SignerYouth] != 1 {
			t.Errorf("round %d: signers %v; want 3 not recorded and the youth's own", round, kinds)
		}
		if rep, err := s.Check(nil); err != nil || !rep.OK() {
			t.Fatalf("round %d: check after the migration: %v %v", round, err, rep.Problems)
		}
		s.Lock()
	}
}
