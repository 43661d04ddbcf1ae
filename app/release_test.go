package app_test

import (
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

func TestReleaseValidation(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		name  string
		edit  func(*app.ReleaseInput)
		field string
	}{
		{"expires before signed", func(in *app.ReleaseInput) { in.Expires = mustDate("2026-03-01") }, "expiry"},
		{"expires the day it is signed", func(in *app.ReleaseInput) { in.Expires = in.Signed }, "expiry"},
		{"no expiry", func(in *app.ReleaseInput) { in.Expires = time.Time{} }, "expiry"},
		{"no signed date", func(in *app.ReleaseInput) { in.Signed = time.Time{} }, "signed date"},
		{"empty scope", func(in *app.ReleaseInput) { in.Scope = nil }, "scope"},
		{"unknown kind", func(in *app.ReleaseInput) { in.Scope = []app.InfoKind{"gossip"} }, "scope"},
		{"no recipient", func(in *app.ReleaseInput) { in.Recipient.Organisation = " " }, "recipient"},
		{"no category", func(in *app.ReleaseInput) { in.Recipient.Category = "" }, "partner category"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validRelease()
			tc.edit(&in)
			_, err := r.AddRelease(c.ID, in)
			assertFieldError(t, err, tc.field, app.ErrInvalid)
			assertSameStore(t, before, dumpStore(t, r.Store()))
		})
	}
}

func TestMayShare(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	hope := app.Recipient{Organisation: "Demo Youth Shelter"}
	da := app.Recipient{Organisation: "County DA", Category: "prosecution"}
	ok, why, err := r.MayShare(c.ID, app.InfoAdvocateNotes, hope, mustDate("2026-04-01"))
	if err != nil || ok || why != "no release on file covers advocate notes for Demo Youth Shelter" {
		t.Fatalf("no release: %v %q %v", ok, why, err)
	}
	rel, err := r.AddRelease(c.ID, validRelease())
	if err != nil {
		t.Fatal(err)
	}
	person := validRelease()
	person.Scope = []app.InfoKind{app.InfoMedical}
	person.Recipient = app.Recipient{Organisation: "County DA", Person: "Ana Ruiz", Category: "prosecution"}
	if _, err := r.AddRelease(c.ID, person); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		kind app.InfoKind
		to   app.Recipient
		at   time.Time
		ok   bool
		why  string
	}{
		{"covered", app.InfoAdvocateNotes, hope, mustDate("2026-04-01"), true,
			"release signed Mar 2, 2026 covers advocate notes for Demo Youth Shelter until Sep 2, 2026"},
		{"covered, other letter case", app.InfoServices, app.Recipient{Organisation: "demo youth shelter", Person: "Staff"}, mustDate("2026-04-01"), true,
			"release signed Mar 2, 2026 covers services information for Demo Youth Shelter until Sep 2, 2026"},
		{"on the day it is signed", app.InfoAdvocateNotes, hope, mustDate("2026-03-02"), true,
			"release signed Mar 2, 2026 covers advocate notes for Demo Youth Shelter until Sep 2, 2026"},
		{"kind outside the scope", app.InfoMedical, hope, mustDate("2026-04-01"), false,
			"no release on file covers medical information for Demo Youth Shelter"},
		{"other recipient", app.InfoAdvocateNotes, da, mustDate("2026-04-01"), false,
			"no release on file covers advocate notes for County DA"},
		{"before signing", app.InfoAdvocateNotes, hope, mustDate("2026-03-01"), false,
			"the release covering advocate notes for Demo Youth Shelter is signed only from Mar 2, 2026"},
		{"expired", app.InfoAdvocateNotes, hope, mustDate("2026-09-02"), false,
			"the release signed Mar 2, 2026 covering advocate notes for Demo Youth Shelter expired on Sep 2, 2026"},
		{"named person only", app.InfoMedical, app.Recipient{Organisation: "County DA", Person: "Ana Ruiz"}, mustDate("2026-04-01"), true,
			"release signed Mar 2, 2026 covers medical information for Ana Ruiz at County DA until Sep 2, 2026"},
		{"someone else at the organisation", app.InfoMedical, app.Recipient{Organisation: "County DA", Person: "Bo Lee"}, mustDate("2026-04-01"), false,
			"no release on file covers medical information for Bo Lee at County DA"},
	} {
		ok, why, err := r.MayShare(c.ID, tc.kind, tc.to, tc.at)
		if err != nil || ok != tc.ok || why != tc.why {
			t.Errorf("%s: MayShare = %v, %q, %v; want %v, %q", tc.name, ok, why, err, tc.ok, tc.why)
		}
	}
	r.Now = func() time.Time { return mustDate("2026-05-10").Add(9 * time.Hour) }
	if _, err := r.RevokeRelease(c.ID, rel.ID, ""); err == nil {
		t.Fatal("revocation without a reason was accepted")
	}
	if _, err := r.RevokeRelease(c.ID, rel.ID, "victim withdrew consent"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RevokeRelease(c.ID, rel.ID, "again"); err == nil {
		t.Error("a release was revoked twice")
	}
	ok, why, _ = r.MayShare(c.ID, app.InfoAdvocateNotes, hope, mustDate("2026-06-01"))
	if ok || why != "the release signed Mar 2, 2026 covering advocate notes for Demo Youth Shelter was revoked on May 10, 2026" {
		t.Errorf("after revocation: %v %q", ok, why)
	}
	ok, _, _ = r.MayShare(c.ID, app.InfoAdvocateNotes, hope, mustDate("2026-05-01"))
	if !ok {
		t.Error("a revocation reached back before it was made")
	}
	if _, _, err := r.MayShare(c.ID, "gossip", hope, testNow); err == nil || !strings.Contains(err.Error(), "kind of information") {
		t.Errorf("unknown kind: %v", err)
	}
}
