package app_test

import (
	"errors"
	"testing"
	"time"

	"casenotes/app"
)

func clDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// A new case gets the core template's items, in phase order, each open, with due
// dates counted from the day the case opened.
func TestNewCaseChecklist(t *testing.T) {
	r, _ := clVault(t)
	opened := clDay(2026, 2, 10)
	c := clCase(t, r, "2026-010", opened)
	items, err := r.Checklist(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	core := app.CoreTemplate()
	if len(items) != len(core.Items) {
		t.Fatalf("%d items, want %d", len(items), len(core.Items))
	}
	byTemplate := map[string]app.TemplateItem{}
	for _, ti := range core.Items {
		byTemplate[ti.ID] = ti
	}
	lastRank := -1
	for i, it := range items {
		ti, ok := byTemplate[it.TemplateItem]
		if !ok {
			t.Fatalf("item %d %q is not from the template", i, it.TemplateItem)
		}
		if it.Status != app.ItemOpen || it.Custom || it.Title != ti.Title || it.Owner != ti.Owner || it.Phase != ti.Phase {
			t.Fatalf("item %s = %+v", ti.ID, it)
		}
		if r := it.Phase.Rank(); r < lastRank {
			t.Fatalf("item %s out of phase order", ti.ID)
		} else {
			lastRank = r
		}
		switch {
		case ti.DueDays == nil && !it.Due.IsZero():
			t.Errorf("item %s has a due date the template does not give", ti.ID)
		case ti.DueDays != nil && !it.Due.Equal(opened.AddDate(0, 0, *ti.DueDays)):
			t.Errorf("item %s due %v, want %d days after %v", ti.ID, it.Due, *ti.DueDays, opened)
		}
	}
}

func clFindItem(t *testing.T, items []app.ChecklistItem, templateID string) app.ChecklistItem {
	t.Helper()
	for _, it := range items {
		if it.TemplateItem == templateID {
			return it
		}
	}
	t.Fatalf("no item %s", templateID)
	return app.ChecklistItem{}
}

func TestSetItemStatus(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "2026-011", clDay(2026, 2, 20))
	items, _ := r.Checklist(c.ID)
	report := clFindItem(t, items, "initial.mandated-report")
	exam := clFindItem(t, items, "medical.exam-offered")

	// Not applicable without a reason: refused, naming the field, nothing stored.
	for _, reason := range []string{"", "   "} {
		_, err := r.SetItemStatus(c.ID, exam.ID, app.ItemNotApplicable, reason)
		var fe *app.FieldError
		if !errors.As(err, &fe) || fe.Field != "reason" || !errors.Is(err, app.ErrInvalid) {
			t.Fatalf("not applicable with reason %q: %v, want an invalid reason", reason, err)
		}
	}
	if _, err := r.SetItemStatus(c.ID, exam.ID, "maybe", ""); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("unknown status: %v", err)
	}
	items, _ = r.Checklist(c.ID)
	if got := clFindItem(t, items, "medical.exam-offered"); got.Status != app.ItemOpen || got.Reason != "" {
		t.Fatalf("refused change was stored: %+v", got)
	}

	done, err := r.SetItemStatus(c.ID, report.ID, app.ItemDone, "")
	if err != nil {
		t.Fatal(err)
	}
	now := r.Now().UTC()
	if done.Status != app.ItemDone || done.CompletedBy != "Det. Rivera" || !done.CompletedAt.Equal(now) {
		t.Fatalf("done item %+v", done)
	}
	na, err := r.SetItemStatus(c.ID, exam.ID, app.ItemNotApplicable, "Exam completed by the hospital before referral")
	if err != nil {
		t.Fatal(err)
	}
	if na.Reason == "" || na.CompletedBy == "" {
		t.Fatalf("not applicable item %+v", na)
	}
	reopened, err := r.SetItemStatus(c.ID, report.ID, app.ItemOpen, "")
	if err != nil {
		t.Fatal(err)
	}
	if reopened.CompletedBy != "" || !reopened.CompletedAt.IsZero() || reopened.Reason != "" {
		t.Fatalf("reopened item keeps completion: %+v", reopened)
	}
	if _, err := r.SetItemStatus(c.ID, app.NewID(), app.ItemDone, ""); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("unknown item: %v, want ErrNotFound", err)
	}
	if _, err := r.SetItemStatus(app.NewID(), report.ID, app.ItemDone, ""); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("unknown case: %v, want ErrNotFound", err)
	}

	notes, err := r.SetItemNotes(c.ID, report.ID, "Report taken by intake line, ref CW-123")
	if err != nil || notes.Notes == "" {
		t.Fatalf("notes: %+v %v", notes, err)
	}
}

func TestChecklistProgress(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "2026-012", clDay(2026, 2, 20))
	items, _ := r.Checklist(c.ID)
	var safety []app.ChecklistItem
	for _, it := range items {
		if it.Phase == app.PhaseSafety {
			safety = append(safety, it)
		}
	}
	if _, err := r.SetItemStatus(c.ID, safety[0].ID, app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetItemStatus(c.ID, safety[1].ID, app.ItemNotApplicable, "Handled by the placement agency"); err != nil {
		t.Fatal(err)
	}
	p, err := r.ChecklistProgress(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Overall.Total != len(items) || p.Overall.Done != 1 || p.Overall.NotApplicable != 1 || p.Overall.Resolved() != 2 {
		t.Fatalf("overall %+v", p.Overall)
	}
	if len(p.ByPhase) != len(app.Phases) {
		t.Fatalf("%d phases", len(p.ByPhase))
	}
	for _, ph := range p.ByPhase {
		want := 0
		if ph.Phase == app.PhaseSafety {
			want = 2
			if ph.Total != len(safety) || ph.Open() != len(safety)-2 {
				t.Fatalf("safety %+v", ph)
			}
		}
		if ph.Resolved() != want {
			t.Fatalf("phase %s resolved %d, want %d", ph.Phase, ph.Resolved(), want)
		}
	}
	sum := 0
	for _, pp := range p.ByPartner {
		sum += pp.Total
	}
	owners := map[app.Partner]bool{}
	for _, it := range items {
		owners[it.Owner] = true
	}
	if sum != len(items) || len(p.ByPartner) != len(owners) {
		t.Fatalf("partners cover %d items in %d groups", sum, len(p.ByPartner))
	}
}

func TestAddChecklistItem(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "2026-013", clDay(2026, 2, 20))
	due := time.Date(2026, 3, 4, 15, 30, 0, 0, time.UTC)
	it, err := r.AddChecklistItem(c.ID, app.PhaseSafety, "Check in with the shelter weekly", app.PartnerVictimServices, &due)
	if err != nil {
		t.Fatal(err)
	}
	if !it.Custom || it.AddedBy != "Det. Rivera" || !it.Due.Equal(clDay(2026, 3, 4)) {
		t.Fatalf("added %+v", it)
	}
	items, _ := r.Checklist(c.ID)
	// The new item comes right after the template's safety items.
	for i, x := range items {
		if x.ID == it.ID {
			if items[i-1].Phase != app.PhaseSafety || items[i+1].Phase == app.PhaseSafety {
				t.Fatalf("custom item not at the end of its phase")
			}
		}
	}
	for _, tt := range []struct {
		phase app.Phase
		title string
		owner app.Partner
		field string
	}{
		{"arrest", "x", app.PartnerSchool, "phase"},
		{app.PhaseSafety, "", app.PartnerSchool, "title"},
		{app.PhaseSafety, "x", "fbi", "owner"},
	} {
		_, err := r.AddChecklistItem(c.ID, tt.phase, tt.title, tt.owner, nil)
		var fe *app.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%+v: %v, want field %q", tt, err, tt.field)
		}
	}
	moved, err := r.SetItemDue(c.ID, it.ID, nil)
	if err != nil || !moved.Due.IsZero() {
		t.Fatalf("clearing due: %+v %v", moved, err)
	}
	bad := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := r.SetItemDue(c.ID, it.ID, &bad); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("implausible due date: %v", err)
	}
}

// A received case is read-only: no checklist change goes through.
func TestChecklistReadOnlyCase(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "2026-014", clDay(2026, 2, 20))
	items, _ := r.Checklist(c.ID)
	clMakeReadOnly(t, r, c.ID)
	due := clDay(2026, 4, 1)
	checks := map[string]error{}
	_, checks["status"] = r.SetItemStatus(c.ID, items[0].ID, app.ItemDone, "")
	_, checks["due"] = r.SetItemDue(c.ID, items[0].ID, &due)
	_, checks["notes"] = r.SetItemNotes(c.ID, items[0].ID, "x")
	_, checks["add"] = r.AddChecklistItem(c.ID, app.PhaseSafety, "x", app.PartnerSchool, nil)
	for name, err := range checks {
		if !errors.Is(err, app.ErrReadOnly) {
			t.Errorf("%s on a read-only case: %v, want ErrReadOnly", name, err)
		}
	}
}

func BenchmarkChecklist(b *testing.B) {
	r, _ := clVault(b)
	c := clCase(b, r, "2026-015", clDay(2026, 2, 20))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Checklist(c.ID); err != nil {
			b.Fatal(err)
		}
	}
}
