package app_test

import (
	"reflect"
	"testing"
	"time"

	"casenotes/app"
)

const clTaskTemplate = `{"id":"tasks","name":"Task test","version":1,"items":[
 {"id":"a","phase":"initial-response","title":"Item A","owner":"law-enforcement","due_days":0},
 {"id":"b","phase":"safety","title":"Item B","owner":"victim-services","due_days":10},
 {"id":"c","phase":"aftercare","title":"Item C","owner":"child-welfare","due_days":40},
 {"id":"d","phase":"aftercare","title":"Item D","owner":"child-welfare"}]}`

func clUseTemplate(t *testing.T, r *app.Records, js string) {
	t.Helper()
	tpl, err := app.ParseTemplate([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SaveTemplate(tpl); err != nil {
		t.Fatal(err)
	}
	if err := r.SetDefaultTemplate(tpl.ID, tpl.Version); err != nil {
		t.Fatal(err)
	}
}

func clItemIDs(t *testing.T, r *app.Records, c app.ID) map[string]app.ID {
	t.Helper()
	items, err := r.Checklist(c)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]app.ID{}
	for _, it := range items {
		m[it.TemplateItem] = it.ID
	}
	return m
}

// Three cases opened at different dates, items due in the past, within the week and
// beyond it, some resolved: the query returns exactly the open items due before
// now+horizon, overdue first, then by due date, with case number and alias.
func TestUpcomingAndOverdue(t *testing.T) {
	r, _ := clVault(t)
	clUseTemplate(t, r, clTaskTemplate)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour

	a := clCase(t, r, "A-1", clDay(2026, 2, 1))  // A: a Feb 1, b Feb 11, c Mar 13
	b := clCase(t, r, "B-2", clDay(2026, 2, 25)) // B: a Feb 25, b Mar 7, c Apr 6
	c := clCase(t, r, "C-3", clDay(2026, 3, 1))  // C: a Mar 1, b Mar 11, c Apr 10
	ia, ib, ic := clItemIDs(t, r, a.ID), clItemIDs(t, r, b.ID), clItemIDs(t, r, c.ID)

	must := func(_ app.ChecklistItem, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.SetItemStatus(a.ID, ia["b"], app.ItemDone, ""))                                  // gone
	must(r.SetItemStatus(c.ID, ic["c"], app.ItemNotApplicable, "Not needed for this case")) // was beyond anyway
	moved := clDay(2026, 3, 3)
	must(r.SetItemDue(c.ID, ic["b"], &moved)) // Mar 11 -> Mar 3: now within the week
	custom := clDay(2026, 3, 5)
	extra, err := r.AddChecklistItem(a.ID, app.PhaseServices, "Item E", app.PartnerSchool, &custom)
	if err != nil {
		t.Fatal(err)
	}
	late := clDay(2026, 3, 20)
	_, err = r.AddChecklistItem(b.ID, app.PhaseServices, "Item F", app.PartnerSchool, &late) // beyond
	if err != nil {
		t.Fatal(err)
	}

	type row struct {
		Number, Alias, Title string
		Due                  time.Time
		Overdue              bool
		Item                 app.ID
	}
	want := []row{
		{"A-1", "Alias A-1", "Item A", clDay(2026, 2, 1), true, ia["a"]},
		{"B-2", "Alias B-2", "Item A", clDay(2026, 2, 25), true, ib["a"]},
		{"C-3", "Alias C-3", "Item A", clDay(2026, 3, 1), false, ic["a"]}, // due today: not overdue yet
		{"C-3", "Alias C-3", "Item B", clDay(2026, 3, 3), false, ic["b"]},
		{"A-1", "Alias A-1", "Item E", clDay(2026, 3, 5), false, extra.ID},
		{"B-2", "Alias B-2", "Item B", clDay(2026, 3, 7), false, ib["b"]},
	}
	check := func(want []row) {
		t.Helper()
		tasks, err := r.UpcomingAndOverdue(now, week)
		if err != nil {
			t.Fatal(err)
		}
		var got []row
		for _, tk := range tasks {
			if tk.Kind != app.TaskChecklist {
				t.Errorf("task kind %q", tk.Kind)
			}
			got = append(got, row{tk.CaseNumber, tk.Alias, tk.Title, tk.Due, tk.Overdue, tk.Item})
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("tasks:\n got %v\nwant %v", got, want)
		}
		checkOverdueByCase(t, r, now)
	}
	check(want)

	// Reopening the done item brings it back in its place; an overdue item is
	// still listed the day after.
	must(r.SetItemStatus(a.ID, ia["b"], app.ItemOpen, ""))
	withB := append([]row{want[0], {"A-1", "Alias A-1", "Item B", clDay(2026, 2, 11), true, ia["b"]}}, want[1:]...)
	check(withB)

	// Removing a due date takes the item off; a zero horizon lists only what is
	// due before now.
	must(r.SetItemDue(a.ID, ia["b"], nil))
	check(want)
	tasks, err := r.UpcomingAndOverdue(now, 0)
	if err != nil || len(tasks) != 3 || tasks[2].Overdue {
		t.Fatalf("zero horizon: %d tasks (%v)", len(tasks), err)
	}

	// A closed case drops out of the list; reopening it brings its tasks back.
	if _, err := r.SetCaseStatus(b.ID, app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	check([]row{want[0], want[2], want[3], want[4]})
	if _, err := r.SetCaseStatus(b.ID, app.CaseOpen, ""); err != nil {
		t.Fatal(err)
	}
	check(want)

	// A deleted case leaves nothing behind in the list.
	if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	check([]row{want[0], want[1], want[4], want[5]})
}

// checkOverdueByCase fails unless OverdueByCase counts, for each case the case
// list shows, the overdue tasks the task list marks.
func checkOverdueByCase(t *testing.T, r *app.Records, now time.Time) {
	t.Helper()
	tasks, err := r.UpcomingAndOverdue(now, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[app.ID]int{}
	for _, tk := range tasks {
		if tk.Overdue {
			want[tk.Case]++
		}
	}
	got, err := r.OverdueByCase(now)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if got[c.ID] != want[c.ID] {
			t.Errorf("case %s: %d overdue, the task list marks %d", c.Number, got[c.ID], want[c.ID])
		}
	}
}

// The task list reads only the task index and the case list entries: no case
// record, no checklist, never the legal identity.
func TestUpcomingAndOverdueTouchesOnlyTheIndex(t *testing.T) {
	r, _ := clVault(t)
	for _, n := range []string{"T-1", "T-2"} {
		clCase(t, r, n, clDay(2026, 2, 1))
	}
	ts := &clTouchStore{Store: r.Store(), types: map[app.RecordType]bool{}}
	tr := app.NewRecords(ts, "Supervisor")
	tasks, err := tr.UpcomingAndOverdue(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) == 0 {
		t.Fatal("no tasks")
	}
	for typ := range ts.types {
		if typ != app.RecTask && typ != app.RecCaseIndex {
			t.Errorf("the task list read record type %#x", byte(typ))
		}
	}
}

func BenchmarkUpcomingAndOverdue(b *testing.B) {
	r, _ := clVault(b)
	for i := range 50 {
		clCase(b, r, "BENCH-"+string(rune('A'+i/26))+string(rune('A'+i%26)), clDay(2026, 1, 1+i%28))
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.UpcomingAndOverdue(now, 14*24*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
