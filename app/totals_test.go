package app_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"casenotes/app"
)

// TestDashboardTotalsFollowEveryChange makes a few hundred random changes a team
// makes (open, close, reopen, set inactive, delete, tick, untick, date and undate
// checklist items, import a case file) and after each one checks that the totals the
// commit path keeps equal a fresh count, and that the dashboard read from them
// shows what counting every case and every task shows.
func TestDashboardTotalsFollowEveryChange(t *testing.T) {
	r := newTestRecords(t)
	rng := rand.New(rand.NewPCG(7, 11))
	var cases []app.Case
	n := 0
	check := func(step int, what string) {
		t.Helper()
		if err := app.TotalsMatch(r); err != nil {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		d, err := r.Dashboard(testNow, 14, 0)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := r.ListCases(app.CaseFilter{Status: app.CaseStatus("all")})
		open, _ := r.ListCases(app.CaseFilter{Status: app.CaseOpen})
		// Through the end of the 14th day after today (due dates are UTC midnights).
		through := testNow.Truncate(24*time.Hour).AddDate(0, 0, 15)
		tasks, _ := r.UpcomingAndOverdue(testNow, through.Sub(testNow))
		overdue := 0
		for _, tk := range tasks {
			if tk.Overdue {
				overdue++
			}
		}
		progress, _ := r.TeamProgress(app.CaseFilter{})
		if d.OpenCases != len(open) {
			t.Fatalf("step %d (%s): dashboard shows %d open cases, the list %d", step, what, d.OpenCases, len(open))
		}
		if len(all) > 0 && d.AllCases != len(all) {
			t.Fatalf("step %d (%s): dashboard shows %d cases, the list %d", step, what, d.AllCases, len(all))
		}
		if d.Overdue != overdue || d.Overdue+d.DueSoon != len(tasks) || len(d.Items) != len(tasks) {
			t.Fatalf("step %d (%s): dashboard %d overdue, %d due soon, %d listed; the task list %d items, %d overdue",
				step, what, d.Overdue, d.DueSoon, len(d.Items), len(tasks), overdue)
		}
		// A dashboard of five rows shows the first five of the full list's order, even
		// when the fifth row's day has more items than fit.
		app.SortTasks(tasks)
		d5, err := r.Dashboard(testNow, 14, 5)
		if err != nil {
			t.Fatal(err)
		}
		if want := tasks[:min(5, len(tasks))]; !reflect.DeepEqual(d5.Items, want) && len(want) > 0 {
			t.Fatalf("step %d (%s): the dashboard's five rows differ from the task list's first five", step, what)
		}
		if !reflect.DeepEqual(d.Progress, progress) {
			t.Fatalf("step %d (%s): dashboard progress %+v, counted %+v", step, what, d.Progress.Overall, progress.Overall)
		}
	}
	seen := map[string]int{}
	for step := range 300 {
		var what string
		switch op := rng.IntN(10); {
		case op < 2 || len(cases) == 0:
			n++
			cases = append(cases, newTestCase(t, r, fmt.Sprintf("2026-T%03d", n)))
			what = "open a case"
		case op == 2:
			c := cases[rng.IntN(len(cases))]
			status := []app.CaseStatus{app.CaseOpen, app.CaseInactive, app.CaseClosed}[rng.IntN(3)]
			if _, err := r.SetCaseStatus(c.ID, status, "Reviewed at the MDT meeting."); err != nil {
				what = "status refused"
				break
			}
			what = "set status " + string(status)
		case op == 3:
			i := rng.IntN(len(cases))
			if err := r.DeleteCase(cases[i].ID, "Opened by mistake"); err != nil {
				what = "delete refused"
				break
			}
			cases = append(cases[:i], cases[i+1:]...)
			what = "delete a case"
		case op == 4 && step%50 == 4:
			if _, err := r.ImportCaseFile(bytes.NewReader(readCaseFile(t, "full.json"))); err != nil {
				what = "import refused"
				break
			}
			what = "import a case file"
		default:
			c := cases[rng.IntN(len(cases))]
			items, err := r.Checklist(c.ID)
			if err != nil || len(items) == 0 {
				what = "no checklist"
				break
			}
			it := items[rng.IntN(len(items))]
			switch rng.IntN(4) {
			case 0:
				_, err = r.SetItemStatus(c.ID, it.ID, app.ItemDone, "")
				what = "tick an item"
			case 1:
				_, err = r.SetItemStatus(c.ID, it.ID, app.ItemOpen, "")
				what = "reopen an item"
			case 2:
				due := testNow.AddDate(0, 0, rng.IntN(40)-20).Truncate(24 * time.Hour)
				_, err = r.SetItemDue(c.ID, it.ID, &due)
				what = "date an item"
			default:
				_, err = r.SetItemDue(c.ID, it.ID, nil)
				what = "undate an item"
			}
			if err != nil {
				what += " (refused)"
			}
		}
		seen[what]++
		check(step, what)
	}
	for _, want := range []string{"open a case", "set status closed", "set status open", "set status inactive",
		"delete a case", "import a case file", "tick an item", "reopen an item", "date an item", "undate an item"} {
		if seen[want] == 0 {
			t.Errorf("the random changes never did %q: change the seed or the mix", want)
		}
	}
}
