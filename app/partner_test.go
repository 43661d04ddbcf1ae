package app_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// One vocabulary: every MDT partner can own a checklist item, receive a release and
// stand in the directory, under the same name, and the names releases used before
// (release categories had their own list) are read as today's.
func TestOnePartnerVocabulary(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-TF-0001")
	for _, p := range app.Partners {
		if p.Title() == "" {
			t.Errorf("partner %q has no title", p)
		}
		if _, err := r.AddChecklistItem(c.ID, app.PhaseServices, "Item for "+p.Title(), p, nil); err != nil {
			t.Errorf("a checklist item owned by %q: %v", p, err)
		}
		rel, err := r.AddRelease(c.ID, app.ReleaseInput{Scope: []app.InfoKind{app.InfoCaseStatus},
			Recipient: app.Recipient{Organisation: "Demo " + p.Title(), Category: p}, Signed: testNow, Expires: testNow.AddDate(1, 0, 0),
			Signer: app.ReleaseSigner{Kind: app.SignerYouth}})
		if err != nil || rel.Recipient.Category != p {
			t.Errorf("a release to a %q partner: %v, stored as %q", p, err, rel.Recipient.Category)
		}
		e, err := r.AddPartner(app.PartnerInput{Organization: "Demo " + p.Title(), Category: p})
		if err != nil || e.Category != p {
			t.Errorf("a directory entry of category %q: %v, stored as %q", p, err, e.Category)
		}
	}
	for old, want := range map[string]app.Partner{"probation": app.PartnerProbation, "medical": app.PartnerMedical,
		"mental-health": app.PartnerMedical, "national-resource": app.PartnerNational} {
		rel, err := r.AddRelease(c.ID, app.ReleaseInput{Scope: []app.InfoKind{app.InfoCaseStatus},
			Recipient: app.Recipient{Organisation: "Older name " + old, Category: app.Partner(old)}, Signed: testNow, Expires: testNow.AddDate(1, 0, 0),
			Signer: app.ReleaseSigner{Kind: app.SignerYouth}})
		if err != nil || rel.Recipient.Category != want {
			t.Errorf("a release naming the older category %q: %v, stored as %q; want %q", old, err, rel.Recipient.Category, want)
		}
		if got := app.PartnerTitle(old); got != want.Title() {
			t.Errorf("the older name %q reads %q; want %q", old, got, want.Title())
		}
	}
	if _, err := r.AddRelease(c.ID, app.ReleaseInput{Scope: []app.InfoKind{app.InfoCaseStatus},
		Recipient: app.Recipient{Organisation: "X", Category: "landlord"}, Signed: testNow, Expires: testNow.AddDate(1, 0, 0)}); err == nil {
		t.Error("a release to an unknown kind of partner was accepted")
	}
	if !slices.Contains(app.Partners, app.PartnerCAC) || app.PartnerCAC.Title() != "Children's Advocacy Center" {
		t.Error("the Children's Advocacy Center is not an MDT partner")
	}
}

// The core template in force gives the MDT case review to the MDT coordinator and
// the forensic interview's scheduling to the Children's Advocacy Center; version 1,
// released before, still reads as it was.
func TestCoreTemplateOwners(t *testing.T) {
	owners := func(tpl app.Template) map[string]app.Partner {
		m := map[string]app.Partner{}
		for _, it := range tpl.Items {
			m[it.ID] = it.Owner
		}
		return m
	}
	now := owners(app.CoreTemplate())
	if now["aftercare.mdt-review"] != app.PartnerMDTCoordinator {
		t.Errorf("the MDT case review belongs to %q; want the MDT coordinator", now["aftercare.mdt-review"])
	}
	if now["interview.scheduled"] != app.PartnerCAC {
		t.Errorf("scheduling the forensic interview belongs to %q; want the Children's Advocacy Center", now["interview.scheduled"])
	}
	r := newTestRecords(t)
	v1, err := r.Template("core", 1)
	if err != nil {
		t.Fatal(err)
	}
	if owners(v1)["aftercare.mdt-review"] != app.PartnerLawEnforcement {
		t.Error("version 1 of the core template changed")
	}
}

// Counts stored on case list entries before the list of partners grew (ten
// partners) read the same after it: the new partners read as zero.
func TestChecklistCountsOfTheTenPartnerLayout(t *testing.T) {
	phases := strings.TrimSuffix(strings.Repeat("0,0,0,", 8), ",") + ",1,0,3"
	partners := "2,0,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,4"
	var c app.ChecklistCounts
	if err := json.Unmarshal([]byte(`"`+phases+"/"+partners+`"`), &c); err != nil {
		t.Fatalf("the ten-partner layout no longer reads: %v", err)
	}
	if got := c.Partner(app.PartnerLawEnforcement); got != (app.ProgressCount{Done: 2, Total: 5}) {
		t.Errorf("law enforcement %+v", got)
	}
	if got := c.Partner(app.PartnerNational); got != (app.ProgressCount{Done: 1, Total: 4}) {
		t.Errorf("national resources %+v", got)
	}
	for _, p := range []app.Partner{app.PartnerCAC, app.PartnerMDTCoordinator, app.PartnerOther} {
		if got := c.Partner(p); got != (app.ProgressCount{}) {
			t.Errorf("%s %+v; want zero", p, got)
		}
	}
}

// beforePartnerVocabulary is the schema version of vaults written before the one
// partner vocabulary (state digests were the last migration then).
const beforePartnerVocabulary = 2

// A vault written before the one vocabulary, with releases, a directory entry and a
// checklist item in the older names, spread over several migration batches: opening
// it renames every one, moves the item's count and task entry to the new name,
// touches nothing else, and the vault passes its check.
func TestPartnerVocabularyMigration(t *testing.T) {
	v, _, clk := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	r.Now = clk.now
	if err := app.WriteBareCases(r, 450); err != nil {
		t.Fatal(err)
	}
	var cases []app.Case
	for i := range 3 {
		c, err := r.CreateCase(app.CaseInput{Number: fmt.Sprintf("2026-TF-%04d", i+1), Title: "Case"}, app.Victim{Alias: "Alias"})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	items, _ := r.Checklist(cases[0].ID)
	item := items[len(items)-1] // an aftercare item, open
	due := clk.now().AddDate(0, 0, 3)
	if item, err = r.SetItemDue(cases[0].ID, item.ID, &due); err != nil {
		t.Fatal(err)
	}
	kept, err := r.AddRelease(cases[2].ID, app.ReleaseInput{Scope: []app.InfoKind{app.InfoServices},
		Recipient: app.Recipient{Organisation: "Demo County Prosecutor's Office", Category: app.PartnerProsecution},
		Signed:    clk.now(), Expires: clk.now().AddDate(1, 0, 0), Signer: app.ReleaseSigner{Kind: app.SignerYouth}})
	if err != nil {
		t.Fatal(err)
	}
	entry, err := r.AddPartner(app.PartnerInput{Organization: "Demo Missing Children Hotline", Category: app.PartnerNational})
	if err != nil {
		t.Fatal(err)
	}
	// Write the records as an older build stored them.
	older := map[app.ID]app.Partner{}
	err = app.Update(r, func(tx app.Tx) error {
		for i, old := range []app.Partner{"probation", "medical", "mental-health"} {
			c := cases[i%2]
			rel := app.Release{ID: app.NewID(), Case: c.ID, Scope: []app.InfoKind{app.InfoMedical},
				Recipient: app.Recipient{Organisation: "Demo partner " + string(old), Category: old},
				Signed:    clk.now(), Expires: clk.now().AddDate(1, 0, 0), Created: clk.now(), CreatedBy: "Det. Alvarez"}
			older[rel.ID] = old
			if err := putRecord(tx, app.Key{Type: app.RecRelease, Case: c.ID, Order: uint64(i + 1), ID: rel.ID}, &rel); err != nil {
				return err
			}
		}
		e := entry
		e.Category = "national-resource"
		if err := putRecord(tx, app.Key{Type: app.RecDirectory, ID: e.ID}, &e); err != nil {
			return err
		}
		it := item
		it.Owner = "medical"
		if err := putRecord(tx, app.Key{Type: app.RecChecklist, Case: cases[0].ID, ID: it.ID}, &it); err != nil {
			return err
		}
		return tx.Put(app.Key{Type: app.RecSchema}, []byte(fmt.Sprintf(`{"version":%d}`, beforePartnerVocabulary)))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()

	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("the older vault does not open: %v", err)
	}
	defer s.Lock()
	if version, migrating := schemaOf(t, s); version != app.SchemaVersion() || migrating {
		t.Fatalf("schema %d (migrating %v); want %d", version, migrating, app.SchemaVersion())
	}
	r, _ = s.Records("Det. Alvarez")
	r.Now = clk.now
	renamed := 0
	for _, c := range cases {
		rels, err := r.Releases(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range rels {
			want := rel.Recipient.Category
			if old, ok := older[rel.ID]; ok {
				want, _ = app.ParsePartner(string(old))
				renamed++
			} else if rel.ID == kept.ID && rel.Recipient.Category != app.PartnerProsecution {
				t.Errorf("a release already in today's words changed to %q", rel.Recipient.Category)
			}
			if !rel.Recipient.Category.Known() || rel.Recipient.Category != want {
				t.Errorf("release to %s reads category %q; want %q", rel.Recipient, rel.Recipient.Category, want)
			}
		}
	}
	if renamed != 3 {
		t.Errorf("%d of the 3 older releases read back", renamed)
	}
	e, err := r.PartnerByID(entry.ID)
	if err != nil || e.Category != app.PartnerNational {
		t.Errorf("directory entry reads category %q (%v); want %q", e.Category, err, app.PartnerNational)
	}
	got, _ := r.Checklist(cases[0].ID)
	for _, it := range got {
		if it.ID == item.ID && it.Owner != app.PartnerMedical {
			t.Errorf("checklist item owned by %q; want %q", it.Owner, app.PartnerMedical)
		}
	}
	// The case list's counts agree with the checklist itself.
	want, _ := r.ChecklistProgress(cases[0].ID)
	list, _ := r.ListCases(app.CaseFilter{})
	for _, sum := range list {
		if sum.ID != cases[0].ID {
			continue
		}
		if p := sum.Checklist.Progress(); !slices.Equal(p.ByPartner, want.ByPartner) {
			t.Errorf("list entry counts by partner %+v; the checklist counts %+v", p.ByPartner, want.ByPartner)
		}
	}
	tasks, err := r.UpcomingAndOverdue(clk.now(), 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, task := range tasks {
		if task.Item == item.ID {
			found = true
			if task.Partner != string(app.PartnerMedical) {
				t.Errorf("the item's task names partner %q; want %q", task.Partner, app.PartnerMedical)
			}
		}
	}
	if !found {
		t.Error("the item's task entry is gone")
	}
	rep, err := s.Check(nil)
	if err != nil || !rep.OK() {
		t.Fatalf("the migrated vault fails its check: %v %v", err, rep.Problems)
	}
}

func putRecord(tx app.Tx, k app.Key, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(k, b)
}

// A bundle from an older version names partners the older way: the received case
// stores them in today's words, so its releases and checklist read like the rest.
func TestReceivedBundleOlderPartnerNames(t *testing.T) {
	r := newTestRecords(t)
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Det. Alvarez", Role: app.RoleDetective}); err != nil {
		t.Fatal(err)
	}
	rc := app.ReceivedCase{Kind: app.ReceivedTransfer,
		Origin: app.BundleOrigin{ExportID: app.NewID(), Exported: testNow, Profile: "transfer", ExporterName: "Adv. Kim",
			SourceCase: app.NewID(), SourceNumber: "2026-TF-0100"},
		Case:   app.Case{Number: "2026-TF-0100", Title: "Transferred case", Status: app.CaseOpen, Opened: testNow},
		Victim: app.Victim{Alias: "M."},
		Checklist: []app.ChecklistItem{{ID: app.NewID(), Custom: true, Phase: app.PhaseMedical, Title: "Exam",
			Owner: "medical", Status: app.ItemOpen}},
		Releases: []app.Release{{ID: app.NewID(), Scope: []app.InfoKind{app.InfoMentalHealth},
			Recipient: app.Recipient{Organisation: "Demo Therapy Clinic", Category: "mental-health"},
			Signed:    testNow, Expires: testNow.AddDate(1, 0, 0), Created: testNow}},
	}
	res, err := r.ImportReceived(rc)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := r.Checklist(res.Case)
	rels, _ := r.Releases(res.Case)
	if len(items) != 1 || items[0].Owner != app.PartnerMedical {
		t.Errorf("received checklist %+v; want one item owned by %q", items, app.PartnerMedical)
	}
	if len(rels) != 1 || rels[0].Recipient.Category != app.PartnerMedical {
		t.Errorf("received releases %+v; want one to a %q partner", rels, app.PartnerMedical)
	}
}

// FuzzParsePartner: whatever text it is given, ParsePartner accepts only a partner
// of the list, returned in today's form.
func FuzzParsePartner(f *testing.F) {
	for _, p := range app.Partners {
		f.Add(string(p))
	}
	for _, s := range []string{"probation", "medical", "mental-health", "national-resource", " school ", "", "Law-Enforcement"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := app.ParsePartner(s)
		if ok != p.Known() || ok && p.Title() == "" {
			t.Fatalf("ParsePartner(%q) = %q, %v", s, p, ok)
		}
		if ok && app.PartnerTitle(s) != p.Title() {
			t.Fatalf("PartnerTitle(%q) = %q; want %q", s, app.PartnerTitle(s), p.Title())
		}
	})
}
