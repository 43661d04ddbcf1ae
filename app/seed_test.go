package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"casenotes/app"
)

func TestSeedWritesFictionalCases(t *testing.T) {
	r := crVault(t)
	crCase(t, r, "2026-1")
	var seen []int
	if err := r.Seed(context.Background(), 300, 4, func(n int) { seen = append(seen, n) }); err != nil {
		t.Fatal(err)
	}
	// Seeding commits in bounded transactions and reports after each one.
	if len(seen) < 2 || seen[len(seen)-1] != 300 || !slices.IsSorted(seen) {
		t.Errorf("progress = %v", seen)
	}
	// A second seed continues the numbering instead of colliding.
	if err := r.Seed(context.Background(), 2, 1, nil); err != nil {
		t.Fatal(err)
	}
	list, err := r.ListCases(app.CaseFilter{})
	if err != nil || len(list) != 303 {
		t.Fatalf("%d cases, %v", len(list), err)
	}
	last := list[len(list)-1]
	if last.Number != "DEMO-000302" || !strings.HasPrefix(last.Alias, "Demo Alias ") {
		t.Errorf("last demo case = %+v", last)
	}
	c, err := r.CaseByNumber("DEMO-000042")
	if err != nil {
		t.Fatal(err)
	}
	notes, _ := r.Notes(c.ID)
	if len(notes) != 4 {
		t.Fatalf("%d notes", len(notes))
	}
	for i, n := range notes {
		if !strings.HasPrefix(n.Body, "[Demo] ") {
			t.Errorf("note body %q is not marked as demo", n.Body)
		}
		if i > 0 && notes[i-1].Created.After(n.Created) {
			t.Error("notes out of order")
		}
	}
	items, _ := r.Checklist(c.ID)
	if len(items) == 0 || c.TemplateID == "" {
		t.Errorf("demo case has no checklist (%d items, template %q)", len(items), c.TemplateID)
	}
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteOther, Body: "x"}); err != nil {
		t.Errorf("a demo case cannot take a note: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Seed(ctx, 10, 1, nil); err == nil {
		t.Error("a cancelled seed ran")
	}
	crField(t, r.Seed(context.Background(), 0, 1, nil), "cases", app.ErrInvalid)
}

// BenchmarkSeed is one batch-sized seed: cases with 25 notes each.
func BenchmarkSeed(b *testing.B) {
	r := crVault(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Seed(context.Background(), 250, 25, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListCases lists 2,000 cases from the index.
func BenchmarkListCases(b *testing.B) {
	r := crVault(b)
	if err := r.Seed(context.Background(), 2000, 0, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.ListCases(app.CaseFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}
