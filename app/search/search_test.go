package search_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/app/search"
)

// corpus is a small vault whose every hit is known.
type corpus struct {
	r                                                   *app.Records
	s                                                   *app.Session
	a, b                                                app.Case
	met, phone, therapy, privileged, kimDraft, ownDraft app.Note
	short, long                                         app.Note
	addendum                                            app.Addendum
}

var (
	day1 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	day2 = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
	day3 = time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
)

func newCorpus(t *testing.T) *corpus {
	_, s, r := vault(t)
	c := &corpus{r: r, s: s}
	c.a = newCase(t, r, "2026-TF-0412", "Harbor recruitment", "Rosa M.")
	c.b = newCase(t, r, "2026-TF-0413", "School liaison", "Canela")
	if err := r.SetIdentity(c.a.ID, app.Identity{LegalName: "Fictional Legalname Zebulon", School: "Fictional Middle School"}); err != nil {
		t.Fatal(err)
	}
	on(r, day1, func() {
		c.met = note(t, r, c.a, app.NoteContact, app.SensitivityStandard,
			"Met Quispe-Martínez at the Harborview Inn; safety plan reviewed with the young person.", true)
	})
	on(r, day2, func() {
		c.phone = note(t, r, c.a, app.NoteObservation, app.SensitivityStandard,
			"Spoke with quispe martinez by phone at 555-0147. The plan for safety is still pending.", true)
	})
	on(r, day3, func() {
		c.therapy = note(t, r, c.b, app.NoteService, app.SensitivityStandard,
			"Referral for therapy; the therapist called back about the intake.", true)
		as(r, "Adv. Kim", func() {
			c.privileged = note(t, r, c.b, app.NoteContact, app.SensitivityAdvocatePrivileged,
				"PRIVILEGED shelter plan discussed near Harborview.", true)
			c.kimDraft = note(t, r, c.a, app.NoteOther, app.SensitivityStandard,
				"DRAFT by Kim that mentions Harborview and Núñez.", false)
		})
		c.ownDraft = note(t, r, c.a, app.NoteContact, app.SensitivityStandard, "My own draft about Señora Núñez.", false)
		c.short = note(t, r, c.b, app.NoteObservation, app.SensitivityStandard, "Motel motel motel.", true)
		c.long = note(t, r, c.b, app.NoteObservation, app.SensitivityStandard,
			"A long account of the week in which the team visited the school, the clinic, the court and once a motel, then went on to write a great deal more about other things entirely.", true)
		var err error
		if c.addendum, err = r.AddAddendum(c.b.ID, c.privileged.ID, "Addendum: the shelter bed is confirmed."); err != nil {
			t.Fatal(err)
		}
	})
	return c
}

func TestAccentsAndLetterCaseFoldBothWays(t *testing.T) {
	c := newCorpus(t)
	ix := open(t, c.r)
	for _, q := range []string{"quispe martinez", "QUISPE-MARTÍNEZ", "Quispe Martínez", "martinez"} {
		res := find(t, ix, search.Query{Text: q})
		if !hasNote(res, c.met.ID) || !hasNote(res, c.phone.ID) || res.Total != 2 {
			t.Errorf("%q found %d hits %v; want the two notes naming Quispe-Martínez", q, res.Total, noteIDs(res))
		}
	}
	// Typed with the accent, found where the text has none, and the reverse.
	if res := find(t, ix, search.Query{Text: "nunez"}); !hasNote(res, c.ownDraft.ID) {
		t.Error("nunez did not find Núñez")
	}
	if res := find(t, ix, search.Query{Text: "MARTÍNEZ"}); !hasNote(res, c.phone.ID) {
		t.Error("MARTÍNEZ did not find martinez")
	}
}

func TestPrefixPhraseAndExclusion(t *testing.T) {
	c := newCorpus(t)
	ix := open(t, c.r)
	res := find(t, ix, search.Query{Text: "thera*"})
	if res.Total != 1 || !hasNote(res, c.therapy.ID) {
		t.Errorf("thera* = %v, want the therapy note", noteIDs(res))
	}
	if res := find(t, ix, search.Query{Text: "harborv*"}); res.Total != 2 { // the met note and the privileged note
		t.Errorf("harborv* found %d, want 2", res.Total)
	}
	// The phrase needs the words in order, side by side; the words alone do not.
	res = find(t, ix, search.Query{Text: `"safety plan"`})
	if res.Total != 1 || !hasNote(res, c.met.ID) {
		t.Errorf(`"safety plan" = %v, want only the note with the phrase`, noteIDs(res))
	}
	if res := find(t, ix, search.Query{Text: "safety plan"}); res.Total != 2 {
		t.Errorf("safety plan (both words) found %d, want 2", res.Total)
	}
	// A phone fragment is a phrase of its parts.
	if res := find(t, ix, search.Query{Text: "555-0147"}); res.Total != 1 || !hasNote(res, c.phone.ID) {
		t.Errorf("555-0147 = %v", noteIDs(res))
	}
	if res := find(t, ix, search.Query{Text: "0147"}); res.Total != 1 {
		t.Errorf("0147 found %d", res.Total)
	}
	// Exclusion of a word and of a phrase.
	if res := find(t, ix, search.Query{Text: "quispe -harborview"}); res.Total != 1 || !hasNote(res, c.phone.ID) {
		t.Errorf("quispe -harborview = %v, want only the phone note", noteIDs(res))
	}
	if res := find(t, ix, search.Query{Text: `quispe -"safety plan"`}); res.Total != 1 || !hasNote(res, c.phone.ID) {
		t.Errorf(`quispe -"safety plan" = %v`, noteIDs(res))
	}
	// Nothing to find, and queries that are not searches.
	if res := find(t, ix, search.Query{Text: "zzzunknown"}); res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("an unknown word found %d", res.Total)
	}
	for _, bad := range []string{"", "   ", "-harborview", `"" !!`, strings.Repeat("word ", 300)} {
		if _, err := ix.Search(search.Query{Text: bad}); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("%.20q: err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestEachFilter(t *testing.T) {
	c := newCorpus(t)
	if _, err := c.r.SetCaseStatus(c.b.ID, app.CaseClosed, "services completed"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.r.AddReferral(c.a.ID, app.ReferralInput{Service: "therapy", Partner: "Harborview Counseling Center"}); err != nil {
		t.Fatal(err)
	}
	ix := open(t, c.r)
	count := func(q search.Query) int { return find(t, ix, q).Total }
	tests := []struct {
		name string
		q    search.Query
		want int
	}{
		{"no filter", search.Query{Text: "harborview"}, 3}, // met note, privileged note, referral
		{"case", search.Query{Text: "harborview", Case: c.b.ID}, 1},
		{"kind", search.Query{Text: "harborview", Kind: app.NoteContact}, 2},
		{"author", search.Query{Text: "harborview", Author: "adv. kim"}, 1},
		{"since", search.Query{Text: "quispe", Since: day2}, 1},
		{"until", search.Query{Text: "quispe", Until: day1}, 1},
		{"since and until the same day", search.Query{Text: "quispe", Since: day2, Until: day2}, 1},
		{"sensitivity", search.Query{Text: "harborview", Sensitivity: app.SensitivityAdvocatePrivileged}, 1},
		{"case status", search.Query{Text: "harborview", Status: app.CaseClosed}, 1},
		{"case status open", search.Query{Text: "harborview", Status: app.CaseOpen}, 2},
		{"source", search.Query{Text: "harborview", Sources: []app.SearchSource{app.SourceReferral}}, 1},
		{"addendum takes its note's privilege", search.Query{Text: "shelter", Sensitivity: app.SensitivityAdvocatePrivileged}, 2},
	}
	for _, tt := range tests {
		if got := count(tt.q); got != tt.want {
			t.Errorf("%s: %d hits, want %d", tt.name, got, tt.want)
		}
	}
	// A filter never lets through a case it excludes.
	res := find(t, ix, search.Query{Text: "harborview", Case: c.a.ID, Limit: 100})
	for _, h := range res.Hits {
		if h.Case != c.a.ID || h.CaseNumber != "2026-TF-0412" || h.Alias != "Rosa M." {
			t.Errorf("a hit outside the case: %+v", h)
		}
	}
}

func TestRankingAndPaging(t *testing.T) {
	c := newCorpus(t)
	ix := open(t, c.r)
	res := find(t, ix, search.Query{Text: "motel"})
	if len(res.Hits) != 2 || res.Hits[0].Note != c.short.ID || res.Hits[1].Note != c.long.ID {
		t.Fatalf("motel ranked %v; want the short note that says it three times first", noteIDs(res))
	}
	if !(res.Hits[0].Score > res.Hits[1].Score) {
		t.Errorf("scores %v, %v not in order", res.Hits[0].Score, res.Hits[1].Score)
	}
	page := find(t, ix, search.Query{Text: "motel", Offset: 1, Limit: 1})
	if page.Total != 2 || len(page.Hits) != 1 || page.Hits[0].Note != c.long.ID {
		t.Errorf("second page = %v (total %d)", noteIDs(page), page.Total)
	}
	// A rarer word weighs more: the note with both words beats the one with the common one.
	res = find(t, ix, search.Query{Text: "the"})
	if res.Total < 4 {
		t.Errorf("the found %d", res.Total)
	}
}

func TestNeverAnotherAuthorsDraftOrTheLegalIdentity(t *testing.T) {
	c := newCorpus(t)
	ix := open(t, c.r)
	for _, q := range []string{"kim", "draft", "nunez", "harborview", "mentions"} {
		if res := find(t, ix, search.Query{Text: q, Limit: 100}); hasNote(res, c.kimDraft.ID) {
			t.Errorf("%q found another author's draft", q)
		}
	}
	if res := find(t, ix, search.Query{Text: "nunez"}); !hasNote(res, c.ownDraft.ID) || !res.Hits[0].Draft {
		t.Error("my own draft is not found, or not marked a draft")
	}
	for _, q := range []string{"zebulon", "legalname", "fictional"} {
		if res := find(t, ix, search.Query{Text: q}); res.Total != 0 {
			t.Errorf("%q found %d hits: the legal identity was indexed", q, res.Total)
		}
	}
}

func TestPrivilegedHitsHaveNoSnippet(t *testing.T) {
	c := newCorpus(t)
	ix := open(t, c.r)
	res := find(t, ix, search.Query{Text: "shelter"})
	if res.Total != 2 {
		t.Fatalf("shelter found %d, want the privileged note and its addendum", res.Total)
	}
	for _, h := range res.Hits {
		if !h.Privileged || h.Snippet != "" || h.Highlights != nil {
			t.Errorf("privileged hit carries a snippet: %+v", h)
		}
		if h.Kind != app.NoteContact || h.Author == "" || h.Date.IsZero() || h.Note != c.privileged.ID {
			t.Errorf("privileged hit lacks kind, author, date or its note: %+v", h)
		}
	}
	// A standard note's hit has its snippet with the words marked.
	res = find(t, ix, search.Query{Text: "quispe martinez"})
	for _, h := range res.Hits {
		if h.Snippet == "" || len(h.Highlights) < 2 {
			t.Fatalf("standard hit without snippet or highlights: %+v", h)
		}
		for _, r := range h.Highlights {
			w := search.Fold(h.Snippet[r[0]:r[1]])
			if w != "quispe" && w != "martinez" {
				t.Errorf("highlight %q is not a word searched for", h.Snippet[r[0]:r[1]])
			}
		}
	}
}

func TestLockedVaultAnswersErrLocked(t *testing.T) {
	c := newCorpus(t)
	ix := open(t, c.r)
	before := find(t, ix, search.Query{Text: "quispe", Case: c.a.ID})
	if before.Total == 0 {
		t.Fatal("nothing found before the lock")
	}
	if err := c.s.Lock(); err != nil {
		t.Fatal(err)
	}
	// What a screen still holds keeps reading as it did (the index's own memory
	// was wiped under it, not the hit's).
	if h := before.Hits[0]; h.Alias != "Rosa M." || h.CaseNumber != "2026-TF-0412" {
		t.Errorf("a hit held over the lock reads %q %q", h.CaseNumber, h.Alias)
	}
	if _, err := ix.Search(search.Query{Text: "harborview"}); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("search after lock: %v, want ErrLocked", err)
	}
	if err := ix.Wait(context.Background()); !errors.Is(err, app.ErrLocked) {
		t.Errorf("wait after lock: %v", err)
	}
	select {
	case <-ix.Released():
	case <-time.After(30 * time.Second):
		t.Error("the index's memory was not released after the lock")
	}
	if _, err := search.Open(c.r); !errors.Is(err, app.ErrLocked) {
		t.Errorf("open on a locked vault: %v", err)
	}
}

// TestLockDuringBuild: a lock while the index is being built stops the build and
// the vault locks; nothing answers afterwards.
func TestLockDuringBuild(t *testing.T) {
	_, s, r := vault(t)
	if err := r.Seed(context.Background(), 60, 10, nil); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Wait(context.Background()); !errors.Is(err, app.ErrLocked) {
		t.Errorf("wait: %v", err)
	}
	if _, err := ix.Search(search.Query{Text: "advocate"}); !errors.Is(err, app.ErrLocked) {
		t.Errorf("search: %v", err)
	}
}

// TestTheNextSearchSeesEveryChange: a note added, edited as a draft, finalized,
// given an addendum or deleted is found (or not) by the very next search.
func TestTheNextSearchSeesEveryChange(t *testing.T) {
	c := newCorpus(t)
	ix := open(t, c.r)
	r := c.r
	total := func(q string) int { return find(t, ix, search.Query{Text: q}).Total }

	n, err := r.AddNote(c.a.ID, app.NoteInput{Kind: app.NoteContact, Body: "Sighting at the Starlite Motel."})
	if err != nil {
		t.Fatal(err)
	}
	if total("starlite") != 1 {
		t.Fatal("a new draft is not found by the next search")
	}
	if err := r.SaveDraft(c.a.ID, n.ID, "Sighting at the Cielo Azul Inn."); err != nil {
		t.Fatal(err)
	}
	if total("starlite") != 0 || total("cielo azul") != 1 {
		t.Fatal("an edited draft: the old words are still found or the new ones are not")
	}
	if _, err := r.FinaliseNote(c.a.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	res := find(t, ix, search.Query{Text: "cielo"})
	if res.Total != 1 || res.Hits[0].Draft {
		t.Fatalf("a finalized note: %+v", res)
	}
	if _, err := r.AddAddendum(c.a.ID, n.ID, "Correction: the Pine Ridge Motel."); err != nil {
		t.Fatal(err)
	}
	res = find(t, ix, search.Query{Text: "pine ridge"})
	if res.Total != 1 || res.Hits[0].Source != app.SourceAddendum || res.Hits[0].Note != n.ID {
		t.Fatalf("an addendum is not found, or does not open its note: %+v", res)
	}
	d, err := r.AddNote(c.a.ID, app.NoteInput{Kind: app.NoteContact, Body: "Gateway Extended Stay lead."})
	if err != nil {
		t.Fatal(err)
	}
	if total("gateway") != 1 {
		t.Fatal("draft not found")
	}
	if err := r.DeleteNote(c.a.ID, d.ID); err != nil {
		t.Fatal(err)
	}
	if total("gateway") != 0 {
		t.Fatal("a deleted draft is still found")
	}
	// A renamed case is found by its new title; a deleted case by nothing.
	if _, err := r.UpdateCase(c.b.ID, app.CaseInput{Number: "2026-TF-0413", Title: "Bayside outreach", Assigned: []string{"Det. Alvarez"}}); err != nil {
		t.Fatal(err)
	}
	if res := find(t, ix, search.Query{Text: "bayside", Sources: []app.SearchSource{app.SourceCase}}); res.Total != 1 || res.Hits[0].Alias != "Canela" {
		t.Fatalf("renamed case: %+v", res)
	}
	// A deleted case (it has no final notes) takes everything in it along.
	gone := newCase(t, r, "2026-TF-0500", "Riverside outreach", "Dulce")
	note(t, r, gone, app.NoteContact, app.SensitivityStandard, "Lead about the Red Mesa Lodge.", false)
	if _, err := r.AddTimelineEvent(gone.ID, app.TimelineInput{Kind: "recovery", Date: day1, Description: "Recovered near Foundry Road."}); err != nil {
		t.Fatal(err)
	}
	if total("mesa") != 1 || total("foundry") != 1 || total("dulce") != 1 {
		t.Fatal("the case's note, timeline event or alias is not found")
	}
	if err := r.DeleteCase(gone.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"mesa", "foundry", "dulce", "riverside"} {
		if got := total(q); got != 0 {
			t.Errorf("%q found %d after its case was deleted", q, got)
		}
	}
	// Another author's draft that becomes final is found from then on.
	as(r, "Adv. Kim", func() {
		if _, err := r.FinaliseNote(c.a.ID, c.kimDraft.ID); err != nil {
			t.Fatal(err)
		}
	})
	if res := find(t, ix, search.Query{Text: "mentions"}); !hasNote(res, c.kimDraft.ID) {
		t.Error("another author's note, once final, is not found")
	}
}

// TestWritesDuringTheBuildAreNotLost: commits made while the index is being built
// are applied on top of the snapshot.
func TestWritesDuringTheBuildAreNotLost(t *testing.T) {
	_, _, r := vault(t)
	if err := r.Seed(context.Background(), 40, 10, nil); err != nil {
		t.Fatal(err)
	}
	c := newCase(t, r, "2026-TF-0999", "Late case", "Zoë")
	ix, err := search.Open(r)
	if err != nil {
		t.Fatal(err)
	}
	var ids []app.ID
	for i := range 20 {
		n := note(t, r, c, app.NoteContact, app.SensitivityStandard, "Written during the build: canelazo "+strings.Repeat("x", i), true)
		ids = append(ids, n.ID)
	}
	if err := ix.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	res := find(t, ix, search.Query{Text: "canelazo", Limit: 50})
	if res.Total != 20 {
		t.Fatalf("%d of 20 notes written during the build found", res.Total)
	}
	for _, id := range ids {
		if !hasNote(res, id) {
			t.Errorf("note %s lost", id)
		}
	}
	if !slices.ContainsFunc(find(t, ix, search.Query{Text: "advocate"}).Hits, func(h search.Hit) bool { return h.Source == app.SourceNote }) {
		t.Error("the seeded notes are not found")
	}
}

// TestEverySourceIsSearched: checklist notes and reasons, timeline events,
// referral partners, attachment names, evidence references and case titles are
// found, each as what it is, and a checklist item nobody wrote on is not.
func TestEverySourceIsSearched(t *testing.T) {
	_, _, r := vault(t)
	c := newCase(t, r, "2026-TF-0600", "Orchard outreach", "Dulce")
	items, err := r.Checklist(c.ID)
	if err != nil || len(items) < 2 {
		t.Fatalf("checklist: %d items, %v", len(items), err)
	}
	if _, err := r.SetItemNotes(c.ID, items[0].ID, "Screened with the Kestrelwood tool."); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetItemStatus(c.ID, items[1].ID, app.ItemNotApplicable, "Handled by the Fernhollow county team."); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: "recovery", Date: day1, Description: "Recovered near Quillbrook Station."}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddReferral(c.ID, app.ReferralInput{Service: "therapy", Partner: "Marrowdale Clinic"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddAttachment(c.ID, "tallowmere-report.txt", strings.NewReader("x"), -1, app.AttachmentReport); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddEvidenceReference(c.ID, "County DEMS", "EV-77812", "Zephyrine interview recording"); err != nil {
		t.Fatal(err)
	}
	ix := open(t, r)
	for q, want := range map[string]app.SearchSource{
		"kestrelwood": app.SourceChecklist, "fernhollow": app.SourceChecklist, "quillbrook": app.SourceTimeline,
		"marrowdale": app.SourceReferral, "tallowmere": app.SourceAttachment, "zephyrine": app.SourceAttachment,
		"orchard": app.SourceCase, "dulce": app.SourceCase,
	} {
		res := find(t, ix, search.Query{Text: q})
		if res.Total != 1 || res.Hits[0].Source != want || res.Hits[0].CaseNumber != "2026-TF-0600" {
			t.Errorf("%q: %+v, want one %s hit", q, res.Hits, want)
		}
	}
	// Checklist titles (the template's words) are not indexed: only what people wrote.
	if res := find(t, ix, search.Query{Text: items[2].Title}); res.Total != 0 {
		t.Errorf("an untouched checklist item's title %q was found", items[2].Title)
	}
}
