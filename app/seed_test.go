package app_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

func TestSeedWritesFictionalCases(t *testing.T) {
	r := newTestRecords(t)
	newTestCase(t, r, "2026-1")
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
	assertFieldError(t, r.Seed(context.Background(), 0, 1, nil), "cases", app.ErrInvalid)
}

// BenchmarkSeed is one batch-sized seed: cases with 25 notes each.
func BenchmarkSeed(b *testing.B) {
	r := newTestRecords(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Seed(context.Background(), 250, 25, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListCases lists 2,000 cases from the index.
func BenchmarkListCases(b *testing.B) {
	r := newTestRecords(b)
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

// TestSeedLeavesTheProfileAlone: demo data is signed by fictional demo team
// members; seeding neither creates nor changes the vault user's own name.
func TestSeedLeavesTheProfileAlone(t *testing.T) {
	r := newTestRecords(t)
	r.User = "" // the desktop app's way: the author comes from the profile
	if err := r.Seed(context.Background(), 3, 2, nil); err != nil {
		t.Fatal(err)
	}
	if p, err := r.Profile(); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("seeding an empty vault saved a profile %+v (%v)", p, err)
	}
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Dana Alvarez", Role: app.RoleAdvocate}); err != nil {
		t.Fatal(err)
	}
	if err := r.Seed(context.Background(), 3, 2, nil); err != nil {
		t.Fatal(err)
	}
	if p, _ := r.Profile(); p.DisplayName != "Dana Alvarez" || p.Role != app.RoleAdvocate {
		t.Errorf("profile after seeding = %+v", p)
	}
	list, _ := r.ListCases(app.CaseFilter{})
	for _, s := range list {
		notes, _ := r.Notes(s.ID)
		for _, n := range notes {
			if !strings.HasPrefix(n.Author, "Demo ") {
				t.Fatalf("demo note by %q, not a demo team member", n.Author)
			}
		}
	}
}

// TestSeedProgressIsRealistic: with a fixed clock, demo cases look like a working
// team's: whatever was due the day a case opened (the child's immediate safety) is
// done, almost nothing is overdue by more than a week, and a case opened days ago
// has its first steps done and later ones still to come.
func TestSeedProgressIsRealistic(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	counts := func() (overdue, overdueWeek, dated int, r *app.Records) {
		r = newTestRecords(t)
		r.Now = func() time.Time { return now }
		if err := r.Seed(context.Background(), 300, 0, nil); err != nil {
			t.Fatal(err)
		}
		tasks, err := r.UpcomingAndOverdue(now, 14*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range tasks {
			if task.Overdue {
				overdue++
				if now.Sub(task.Due) > 8*24*time.Hour {
					overdueWeek++
				}
				if now.Sub(task.Due) > 15*24*time.Hour {
					t.Errorf("%s: %q overdue since %s", task.CaseNumber, task.Title, task.Due.Format(time.DateOnly))
				}
			}
		}
		return overdue, overdueWeek, len(tasks), r
	}
	overdue, old, dated, r := counts()
	t.Logf("300 demo cases at %s: %d items overdue (%d by more than a week), %d due in the next 14 days",
		now.Format(time.DateOnly), overdue, old, dated-overdue)
	if overdue > 40 || old > 10 {
		t.Errorf("%d overdue items (%d by more than a week) across 300 demo cases: reads as neglect", overdue, old)
	}
	if dated-overdue < 50 {
		t.Errorf("only %d items due in the next 14 days: the dashboard would look idle", dated-overdue)
	}
	again, againOld, againDated, _ := counts()
	if again != overdue || againOld != old || againDated != dated {
		t.Errorf("the same clock gave %d/%d/%d, then %d/%d/%d: the demo is not reproducible", overdue, old, dated, again, againOld, againDated)
	}
	list, _ := r.ListCases(app.CaseFilter{Status: app.CaseOpen})
	fresh := 0
	for _, s := range list {
		c, _ := r.Case(s.ID)
		items, _ := r.Checklist(s.ID)
		for _, it := range items {
			if !it.Due.IsZero() && !it.Due.After(c.Opened) && it.Status != app.ItemDone {
				t.Fatalf("%s: %q was due the day the case opened and is not done", c.Number, it.Title)
			}
			if it.Status == app.ItemDone && (it.CompletedAt.Before(c.Opened) || it.CompletedAt.After(now) || !strings.HasPrefix(it.CompletedBy, "Demo ")) {
				t.Fatalf("%s: %q done %s by %q (opened %s)", c.Number, it.Title, it.CompletedAt, it.CompletedBy, c.Opened)
			}
		}
		if age := now.Sub(c.Opened); age > 2*24*time.Hour && age < 8*24*time.Hour {
			fresh++
			var done, upcoming int
			for _, it := range items {
				switch {
				case it.Status == app.ItemDone:
					done++
				case it.Due.After(now):
					upcoming++
				}
			}
			if done < 5 || upcoming < 10 {
				t.Errorf("%s opened %s: %d items done, %d upcoming", c.Number, c.Opened.Format(time.DateOnly), done, upcoming)
			}
		}
	}
	if fresh == 0 {
		t.Error("no demo case opened in the last week")
	}
}
