package app_test

import (
	"testing"

	"casenotes/app"
)

// TestChangesNameTheProfileUser: the desktop app works without a fixed Records.User;
// every "by" field then carries the profile's name, so the record stays attributable.
func TestChangesNameTheProfileUser(t *testing.T) {
	r := newTestRecords(t)
	r.User = ""
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Adv. Kim", Role: app.RoleAdvocate}); err != nil {
		t.Fatal(err)
	}
	c := newTestCase(t, r, "2026-TF-0500")
	items, err := r.Checklist(c.ID)
	if err != nil || len(items) == 0 {
		t.Fatal(err)
	}
	it, err := r.SetItemStatus(c.ID, items[0].ID, app.ItemDone, "")
	if err != nil {
		t.Fatal(err)
	}
	rel, err := r.AddRelease(c.ID, app.ReleaseInput{
		Scope:     []app.InfoKind{app.InfoKinds[0]},
		Recipient: app.Recipient{Organisation: "Demo Youth Shelter", Category: "victim-services"},
		Signed:    testNow.AddDate(0, 0, -1), Expires: testNow.AddDate(0, 6, 0),
		Signer: app.ReleaseSigner{Kind: app.SignerYouth}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Case(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for what, by := range map[string]string{"checklist completion": it.CompletedBy,
		"release": rel.CreatedBy, "case": got.CreatedBy} {
		if by != "Adv. Kim" {
			t.Errorf("%s recorded by %q; want the profile's name", what, by)
		}
	}
}

// TestRevealIsRecorded: every reveal of the legal identity leaves who, when and why
// in the case, in the same step as the read.
func TestRevealIsRecorded(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-TF-0501")
	if err := r.SetIdentity(c.ID, app.Identity{LegalName: "Maria Example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RevealIdentity(c.ID, "   "); err == nil {
		t.Fatal("a reveal without a reason was allowed")
	}
	for _, why := range []string{"court filing", "placement check"} {
		if id, err := r.RevealIdentity(c.ID, why); err != nil || id.LegalName != "Maria Example" {
			t.Fatalf("reveal: %+v, %v", id, err)
		}
	}
	rs, err := r.Reveals(c.ID)
	if err != nil || len(rs) != 2 {
		t.Fatalf("reveals: %+v, %v", rs, err)
	}
	if rs[0].Reason != "court filing" || rs[1].Reason != "placement check" || rs[1].By != "Det. Alvarez" || rs[1].At.IsZero() {
		t.Errorf("reveals recorded as %+v", rs)
	}
}
