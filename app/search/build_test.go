package search_test

import (
	"context"
	"testing"

	"casenotes/app"
)

// TestPartsReadEveryRecordOnce: the build reads the vault in parts, in parallel;
// together the parts hold every searchable record of the one-snapshot scan, each
// once, and an index built from them holds every one that has text.
func TestPartsReadEveryRecordOnce(t *testing.T) {
	_, _, r := vault(t)
	// 150 cases: random identifiers spread over every part, with their notes,
	// addenda, checklist items, timeline events and referrals.
	if err := r.Seed(context.Background(), 150, 3, nil); err != nil {
		t.Fatal(err)
	}
	want := map[app.Key]bool{}
	withText := 0
	if err := r.ScanSearchable(nil, func(k app.Key, v []byte) error {
		want[k] = true
		rec, ok, err := app.SearchableOf(k, v)
		otherDraft := rec.Source == app.SourceNote && rec.Draft && rec.Author != "Det. Alvarez"
		if ok && err == nil && !otherDraft {
			withText++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := map[app.Key]int{}
	if err := r.ScanSearchableCases(nil, func(k app.Key, _ []byte) error { got[k]++; return nil }); err != nil {
		t.Fatal(err)
	}
	for first := 0; first < 256; first += 8 {
		if err := r.ScanSearchablePart(byte(first), byte(first+7), nil, func(k app.Key, _ []byte) error {
			if k.Case[0] < byte(first) || k.Case[0] > byte(first+7) {
				t.Errorf("part %d-%d gave a record of a case starting %d", first, first+7, k.Case[0])
			}
			got[k]++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for k := range want {
		if got[k] != 1 {
			t.Errorf("record %x of case %x read %d times by the parts", k.Type, k.Case[:2], got[k])
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("the parts read record %x that the scan does not", k.Type)
		}
	}
	if len(want) < 150*10 {
		t.Fatalf("only %d searchable records seeded", len(want))
	}
	// Drafts of other authors are never indexed; the rest all are.
	if ix := open(t, r); ix.Size() != withText {
		t.Errorf("index holds %d records, want %d", ix.Size(), withText)
	}
}
