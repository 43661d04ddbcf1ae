package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// entryOf is a case's list entry.
func entryOf(t *testing.T, r *app.Records, id app.ID) app.CaseSummary {
	t.Helper()
	list, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("case %s not on the list", id)
	return app.CaseSummary{}
}

// sameAsChecklist fails unless the counts on the case's list entry equal the
// progress counted from its checklist items.
func sameAsChecklist(t *testing.T, r *app.Records, id app.ID, when string) {
	t.Helper()
	s := entryOf(t, r, id)
	if s.Checklist == nil {
		t.Fatalf("%s: the list entry has no checklist counts", when)
	}
	want, err := r.ChecklistProgress(id)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Checklist.Progress()
	if got.Overall != want.Overall || !slices.Equal(got.ByPhase, want.ByPhase) || !slices.Equal(got.ByPartner, want.ByPartner) {
		t.Fatalf("%s: list entry counts %+v, checklist says %+v", when, got, want)
	}
}

func TestListEntryCountsFollowTheChecklist(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	sameAsChecklist(t, r, c.ID, "new case")
	items, err := r.Checklist(c.ID)
	if err != nil || len(items) < 4 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	due := testNow.AddDate(0, 0, 3)
	steps := []struct {
		name string
		do   func() error
	}{
		{"done", func() error { _, err := r.SetItemStatus(c.ID, items[0].ID, app.ItemDone, ""); return err }},
		{"not applicable", func() error {
			_, err := r.SetItemStatus(c.ID, items[1].ID, app.ItemNotApplicable, "no school placement")
			return err
		}},
		{"done then reopened", func() error {
			if _, err := r.SetItemStatus(c.ID, items[2].ID, app.ItemDone, ""); err != nil {
				return err
			}
			_, err := r.SetItemStatus(c.ID, items[2].ID, app.ItemOpen, "")
			return err
		}},
		{"due date", func() error { _, err := r.SetItemDue(c.ID, items[3].ID, &due); return err }},
		{"notes", func() error { _, err := r.SetItemNotes(c.ID, items[3].ID, "called the school"); return err }},
		{"item added", func() error {
			_, err := r.AddChecklistItem(c.ID, app.PhaseAftercare, "Agency's own check-in", app.PartnerSchool, nil)
			return err
		}},
		{"closed", func() error { _, err := r.SetCaseStatus(c.ID, app.CaseClosed, "services complete"); return err }},
		{"reopened and renamed", func() error {
			if _, err := r.SetCaseStatus(c.ID, app.CaseOpen, ""); err != nil {
				return err
			}
			_, err := r.UpdateCase(c.ID, app.CaseInput{Number: "2026-1b", Title: "Renamed"})
			return err
		}},
		{"victim edited", func() error {
			v, err := r.Victim(c.ID)
			if err != nil {
				return err
			}
			v.Alias = "Another alias"
			_, err = r.SetVictim(c.ID, v)
			return err
		}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		sameAsChecklist(t, r, c.ID, st.name)
	}
	p := entryOf(t, r, c.ID).Checklist.Progress()
	if p.Overall.Done != 1 || p.Overall.NotApplicable != 1 || p.Overall.Total != len(items)+1 {
		t.Errorf("overall = %+v", p.Overall)
	}
	// A refused change leaves the counts alone.
	if _, err := r.SetItemStatus(c.ID, items[0].ID, app.ItemNotApplicable, " "); err == nil {
		t.Fatal("not applicable without a reason was accepted")
	}
	sameAsChecklist(t, r, c.ID, "refused change")
}

func TestListEntryCountsOfImportedAndSeededCases(t *testing.T) {
	r := newTestRecords(t)
	if _, err := r.ImportCaseFile(bytes.NewReader(readCaseFile(t, "full.json"))); err != nil {
		t.Fatal(err)
	}
	c, err := r.CaseByNumber("2026-TF-0412")
	if err != nil {
		t.Fatal(err)
	}
	sameAsChecklist(t, r, c.ID, "imported case")
	if p := entryOf(t, r, c.ID).Checklist.Progress(); p.Overall.Done == 0 || p.Overall.NotApplicable == 0 {
		t.Errorf("the imported item states are not counted: %+v", p.Overall)
	}
	if err := r.Seed(context.Background(), 5, 0, nil); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"DEMO-000001", "DEMO-000005"} {
		c, err := r.CaseByNumber(n)
		if err != nil {
			t.Fatal(err)
		}
		sameAsChecklist(t, r, c.ID, "seeded case "+n)
	}
}

// progressVault has three open cases, one inactive and one closed, with known work
// done: the first case has its first item done and its second overdue.
func progressVault(t *testing.T, r *app.Records) (cases []app.Case, first []app.ChecklistItem) {
	t.Helper()
	inds, err := r.Indicators()
	if err != nil || len(inds) < 2 {
		t.Fatalf("indicators %q, %v", inds, err)
	}
	for i, n := range []string{"2026-1", "2026-2", "2026-3", "2026-4", "2026-5"} {
		c, err := r.CreateCase(app.CaseInput{Number: n, Title: "Case " + n, Tags: []string{inds[i%2]}},
			app.Victim{Alias: "Alias " + n})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	if _, err := r.SetCaseStatus(cases[3].ID, app.CaseInactive, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetCaseStatus(cases[4].ID, app.CaseClosed, "done"); err != nil {
		t.Fatal(err)
	}
	first, err = r.Checklist(cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetItemStatus(cases[0].ID, first[0].ID, app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	late := testNow.AddDate(0, 0, -3)
	if _, err := r.SetItemDue(cases[0].ID, first[1].ID, &late); err != nil {
		t.Fatal(err)
	}
	return cases, first
}

func TestTeamProgressAndFilters(t *testing.T) {
	r := newTestRecords(t)
	cases, first := progressVault(t, r)
	one, err := r.ChecklistProgress(cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	n := one.Overall.Total // every case starts from the same template

	team, err := r.TeamProgress(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if team.Cases != 3 || team.Uncounted != 0 {
		t.Errorf("counted %d cases (%d uncounted), want the 3 open ones", team.Cases, team.Uncounted)
	}
	if team.Overall.Total != 3*n || team.Overall.Done != 1 {
		t.Errorf("overall = %+v, want 1 of %d", team.Overall, 3*n)
	}
	if len(team.ByPhase) != len(app.Phases) {
		t.Errorf("%d phases", len(team.ByPhase))
	}
	for i, ph := range team.ByPhase {
		if ph.Total != 3*one.ByPhase[i].Total {
			t.Errorf("phase %s: %d items, want %d", ph.Phase, ph.Total, 3*one.ByPhase[i].Total)
		}
	}
	owner := first[0].Owner
	for _, pp := range team.ByPartner {
		if pp.Partner == owner && pp.Done != 1 {
			t.Errorf("partner %s: %+v, want one done", owner, pp.ProgressCount)
		}
	}
	inactive, err := r.TeamProgress(app.CaseFilter{Status: app.CaseInactive})
	if err != nil || inactive.Cases != 1 || inactive.Overall.Total != n {
		t.Errorf("inactive: %+v, %v", inactive, err)
	}

	numbers := func(f app.CaseFilter) []string {
		t.Helper()
		list, err := r.ListCases(f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.Number)
		}
		return out
	}
	inds, _ := r.Indicators()
	// The partner that owns the fewest items: once they are all resolved in case 2,
	// that partner has no open item there.
	owned := map[app.Partner]int{}
	for _, it := range first {
		owned[it.Owner]++
	}
	var lone app.Partner
	for _, p := range app.Partners {
		if owned[p] > 0 && (lone == "" || owned[p] < owned[lone]) {
			lone = p
		}
	}
	second, _ := r.Checklist(cases[1].ID)
	for _, it := range second {
		if it.Owner == lone {
			if _, err := r.SetItemStatus(cases[1].ID, it.ID, app.ItemNotApplicable, "handled elsewhere"); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name string
		f    app.CaseFilter
		want []string
	}{
		{"all", app.CaseFilter{}, []string{"2026-1", "2026-2", "2026-3", "2026-4", "2026-5"}},
		{"open", app.CaseFilter{Status: app.CaseOpen}, []string{"2026-1", "2026-2", "2026-3"}},
		{"tag", app.CaseFilter{Tag: inds[1]}, []string{"2026-2", "2026-4"}},
		{"overdue", app.CaseFilter{Overdue: true}, []string{"2026-1"}},
		{"partner with open items", app.CaseFilter{Partner: lone}, []string{"2026-1", "2026-3", "2026-4", "2026-5"}},
		{"partner and open", app.CaseFilter{Partner: lone, Status: app.CaseOpen}, []string{"2026-1", "2026-3"}},
		{"partner, tag and overdue", app.CaseFilter{Partner: lone, Tag: inds[0], Overdue: true}, []string{"2026-1"}},
		{"nothing", app.CaseFilter{Tag: inds[1], Overdue: true}, nil},
	} {
		if got := numbers(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// Not overdue yet on its due day, overdue the day after.
	r.Now = func() time.Time { return testNow.AddDate(0, 0, -3).Add(time.Hour) }
	if got := numbers(app.CaseFilter{Overdue: true}); got != nil {
		t.Errorf("overdue on the due day: %q", got)
	}
}

// TestTeamProgressReadsNoChecklist proves that the dashboard's progress and the
// filtered case list read only vault-level records: no checklist item, nor any
// other record inside a case, is unsealed.
func TestTeamProgressReadsNoChecklist(t *testing.T) {
	base := newTestRecords(t)
	log := &readLog{Store: base.Store()}
	r := app.NewRecords(log, "Det. Alvarez")
	r.Now = base.Now
	progressVault(t, r)
	inds, _ := r.Indicators()
	for name, call := range map[string]func() error{
		"TeamProgress": func() error { _, err := r.TeamProgress(app.CaseFilter{}); return err },
		"TeamProgress by partner": func() error {
			_, err := r.TeamProgress(app.CaseFilter{Partner: app.PartnerLawEnforcement, Overdue: true})
			return err
		},
		"ListCases by partner, tag and overdue": func() error {
			_, err := r.ListCases(app.CaseFilter{Partner: app.PartnerVictimServices, Tag: inds[0], Overdue: true})
			return err
		},
	} {
		log.reset()
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := log.caseRecordsRead(); n != 0 {
			t.Errorf("%s read %d records inside cases", name, n)
		}
		if slices.Contains(log.types(), app.RecChecklist) {
			t.Errorf("%s read checklist items", name)
		}
		if !slices.Contains(log.types(), app.RecCaseIndex) {
			t.Errorf("%s read no case index entry: the recorder proves nothing", name)
		}
	}
	log.reset()
	if _, err := r.ListCases(app.CaseFilter{Overdue: true}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(log.types(), app.RecTask) {
		t.Error("the overdue filter did not read the task index")
	}
}

// dropCounts rewrites a case's list entry as it was before counts existed.
func dropCounts(t *testing.T, r *app.Records, id app.ID) {
	t.Helper()
	k := app.Key{Type: app.RecCaseIndex, ID: id}
	err := r.Store().Update(func(tx app.Tx) error {
		b, err := tx.Get(k)
		if err != nil {
			return err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		if _, ok := m["checklist"]; !ok {
			return errors.New("the entry holds no counts")
		}
		delete(m, "checklist")
		b, _ = json.Marshal(m)
		return tx.Put(k, b)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEntriesWithoutCounts(t *testing.T) {
	r := newTestRecords(t)
	cases, _ := progressVault(t, r)
	before, err := r.TeamProgress(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	dropCounts(t, r, cases[0].ID)
	dropCounts(t, r, cases[1].ID)
	dropCounts(t, r, cases[2].ID)
	p, err := r.TeamProgress(app.CaseFilter{})
	if err != nil || p.Cases != 0 || p.Uncounted != 3 {
		t.Fatalf("without counts: %d counted, %d uncounted, %v", p.Cases, p.Uncounted, err)
	}
	// A checklist change counts its case afresh.
	items, _ := r.Checklist(cases[2].ID)
	if _, err := r.SetItemStatus(cases[2].ID, items[0].ID, app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	sameAsChecklist(t, r, cases[2].ID, "first change after counts existed")
	if _, err := r.SetItemStatus(cases[2].ID, items[0].ID, app.ItemOpen, ""); err != nil {
		t.Fatal(err)
	}
	// Opening a vault from before the counts migrates it: the migration counts the
	// cases without counts and the totals.
	if err := app.MigrateTotals(r); err != nil {
		t.Fatal(err)
	}
	after, err := r.TeamProgress(app.CaseFilter{})
	if err != nil || after.Overall != before.Overall || after.Cases != 3 || after.Uncounted != 0 {
		t.Errorf("after the migration: %+v, want %+v", after, before)
	}
	if err := app.TotalsMatch(r); err != nil {
		t.Error(err)
	}
	d, err := r.Dashboard(testNow, 14, 0)
	if err != nil || d.Progress.Overall != before.Overall || d.Progress.Uncounted != 0 {
		t.Errorf("the dashboard after the migration: %+v, %v", d.Progress, err)
	}
}

func TestChecklistCountsStoredForm(t *testing.T) {
	// Safety (third phase): one done for victim services, one open for law
	// enforcement; aftercare (ninth): one not applicable for national resources.
	var s app.CaseSummary
	raw := `{"checklist":"` + "0,0,0,0,0,0,1,0,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1" +
		"/0,0,1,0,0,0,1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1" + `"}`
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	p := s.Checklist.Progress()
	if p.Overall != (app.ProgressCount{Done: 1, NotApplicable: 1, Total: 3}) {
		t.Errorf("overall %+v", p.Overall)
	}
	if got := s.Checklist.Phase(app.PhaseSafety); got != (app.ProgressCount{Done: 1, Total: 2}) {
		t.Errorf("safety %+v", got)
	}
	if s.Checklist.Open(app.PartnerLawEnforcement) != 1 || s.Checklist.Open(app.PartnerVictimServices) != 0 {
		t.Errorf("open by partner wrong: %+v", p.ByPartner)
	}
	if len(p.ByPartner) != 3 {
		t.Errorf("%d partners with items, want 3", len(p.ByPartner))
	}
	// An entry written when the lists were shorter reads as zeros for the rest.
	if err := json.Unmarshal([]byte(`"1,0,2/0,0,1"`), s.Checklist); err != nil {
		t.Fatal(err)
	}
	if s.Checklist.Phase(app.Phases[0]).Total != 2 || s.Checklist.Partner(app.Partners[0]).Total != 1 ||
		s.Checklist.Progress().Overall.Total != 2 {
		t.Errorf("short form read as %+v", s.Checklist.Progress())
	}
	for _, bad := range []string{`""`, `"1,2"`, `"1,2,3"`, `"/1,2"`, `"2,0,1/"`, `"1,,2/"`, `"1,0,2,/"`,
		`"a/"`, `"-1,0,2/"`, `"1,0,2/0,0,1/"`, `"9999999999,0,1/"`, `12`, `"` + strings.Repeat("0,", 100) + `0/"`} {
		var c app.ChecklistCounts
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s was read as %+v", bad, c.Progress().Overall)
		}
	}
}

// FuzzChecklistCounts: the stored form never panics, and what it reads writes back
// to a form that reads the same.
func FuzzChecklistCounts(f *testing.F) {
	f.Add(`"1,0,2/0,0,1"`)
	f.Add(`"/"`)
	f.Add(`"0,0,0,0,0,0,1,0,2/0,0,1,0,0,0,1,0,1"`)
	f.Fuzz(func(t *testing.T, s string) {
		var c app.ChecklistCounts
		if err := json.Unmarshal([]byte(s), &c); err != nil {
			return
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var again app.ChecklistCounts
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("%s written as %s, which does not read: %v", s, b, err)
		}
		p, q := c.Progress(), again.Progress()
		if p.Overall != q.Overall || !slices.Equal(p.ByPhase, q.ByPhase) || !slices.Equal(p.ByPartner, q.ByPartner) {
			t.Fatalf("%s and %s read differently", s, b)
		}
	})
}
