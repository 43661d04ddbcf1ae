package app_test

import (
	"errors"
	"slices"
	"testing"

	"casenotes/app"
)

// Finding a case by number and checking that a number is free read one blind index
// record, not the case index; renaming and deleting keep the index true.
func TestCaseNumbersUseTheBlindIndex(t *testing.T) {
	base := newTestRecords(t)
	for _, n := range []string{"2026-TF-0001", "2026-TF-0002", "2026-TF-0003"} {
		newTestCase(t, base, n)
	}
	log := &readLog{Store: base.Store()}
	r := app.NewRecords(log, "Det. Alvarez")
	log.reset()
	c, err := r.CaseByNumber("2026-tf-0002")
	if err != nil || c.Number != "2026-TF-0002" {
		t.Fatalf("case by number: %+v %v", c, err)
	}
	if slices.Contains(log.types(), app.RecCaseIndex) {
		t.Fatal("finding a case by its number read the case index")
	}
	log.reset()
	_, err = r.CreateCase(app.CaseInput{Number: "2026-TF-0001", Title: "Taken"}, app.Victim{Alias: "X."})
	if !errors.Is(err, app.ErrExists) {
		t.Fatalf("a taken number: %v", err)
	}
	for _, ty := range log.types() {
		if ty == app.RecCaseIndex {
			t.Fatal("checking a number read the case index")
		}
	}
	// Renamed: the old number is free, the new one taken; deleted: free again.
	if _, err := r.UpdateCase(c.ID, app.CaseInput{Number: "2026-TF-0099", Title: c.Title}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.CaseByNumber("2026-TF-0002"); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("the old number still finds the case: %v", err)
	}
	if got, err := r.CaseByNumber("2026-TF-0099"); err != nil || got.ID != c.ID {
		t.Fatalf("the new number: %v", err)
	}
	if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0099", Title: "Reused"}, app.Victim{Alias: "Y."}); err != nil {
		t.Fatalf("a deleted case's number is not free: %v", err)
	}
}
