package app_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"casenotes/app"
)

// TestTasksDueListsTheFirstRowsAndCountsTheRest checks the Tasks screen's read on
// a seeded vault: its rows are the first of the full task list's order, and its
// counts (from the vault totals) add up to the full list, overdue and not.
func TestTasksDueListsTheFirstRowsAndCountsTheRest(t *testing.T) {
	r := newTestRecords(t)
	if err := r.Seed(context.Background(), 40, 0, nil); err != nil {
		t.Fatal(err)
	}
	// Through the end of the 60th day after today, as TasksDue reads.
	through := testNow.Truncate(24*time.Hour).AddDate(0, 0, 61)
	all, err := r.UpcomingAndOverdue(testNow, through.Sub(testNow))
	if err != nil {
		t.Fatal(err)
	}
	app.SortTasks(all)
	overdue := 0
	for _, tk := range all {
		if tk.Overdue {
			overdue++
		}
	}
	if len(all) < 20 || overdue == 0 {
		t.Fatalf("the seed gave %d tasks, %d overdue: too few to page", len(all), overdue)
	}
	for _, rows := range []int{1, 7, len(all) - 1, len(all), len(all) + 5} {
		p, err := r.TasksDue(testNow, 60, rows)
		if err != nil {
			t.Fatal(err)
		}
		want := all[:min(rows, len(all))]
		if !reflect.DeepEqual(p.Tasks, want) {
			t.Fatalf("%d rows: the page's tasks differ from the first %d of the full list", rows, len(want))
		}
		if p.Overdue != overdue || p.Overdue+p.DueSoon != len(all) {
			t.Fatalf("%d rows: page counts %d overdue, %d due soon; the full list %d, %d overdue",
				rows, p.Overdue, p.DueSoon, len(all), overdue)
		}
		if p.More() != len(all)-len(want) {
			t.Fatalf("%d rows: %d more, want %d", rows, p.More(), len(all)-len(want))
		}
	}
	if _, err := r.TasksDue(testNow, 60, 0); err == nil {
		t.Fatal("a page of no rows was accepted")
	}
	if _, err := r.TasksDue(testNow, -1, 5); err == nil {
		t.Fatal("a negative horizon was accepted")
	}
}
