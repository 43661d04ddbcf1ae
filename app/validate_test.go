package app_test

import (
	"errors"
	"testing"

	"casenotes/app"
)

// Case numbers name export files: one that reads as a path is refused.
func TestCaseNumbersThatLookLikePathsAreRefused(t *testing.T) {
	for _, n := range []string{"../../etc/passwd", "..", "a/../b", "/2026-1", "2026-1/", ".2026", "2026.", "2026//1"} {
		if err := app.ValidCaseNumber(n); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("case number %q accepted", n)
		}
	}
	for _, n := range []string{"2026-TF-0412", "2026/TF/0412", "26.104-B", "Ñ-2026"} {
		if err := app.ValidCaseNumber(n); err != nil {
			t.Errorf("case number %q refused: %v", n, err)
		}
	}
}

// Direction overrides in an alias or a title could make a list show something else
// than what is stored: they are refused with a clear sentence, and nothing is stored.
func TestBidiControlsAreRefusedInOneLineFields(t *testing.T) {
	r := newTestRecords(t)
	for _, bad := range []string{"Rosa\u202eM.", "\u2067J.\u2069", "Ana\u200f"} {
		_, err := r.CreateCase(app.CaseInput{Number: "2026-1", Title: "Intake"}, app.Victim{Alias: bad})
		if !errors.Is(err, app.ErrInvalid) {
			t.Errorf("alias %q: %v", bad, err)
		}
		_, err = r.CreateCase(app.CaseInput{Number: "2026-1", Title: bad}, app.Victim{Alias: "Rosa M."})
		if !errors.Is(err, app.ErrInvalid) {
			t.Errorf("title %q: %v", bad, err)
		}
	}
	if list, _ := r.ListCases(app.CaseFilter{}); len(list) != 0 {
		t.Fatalf("%d cases stored from refused input", len(list))
	}
	// Right-to-left text itself is fine.
	if _, err := r.CreateCase(app.CaseInput{Number: "2026-2", Title: "Intake"}, app.Victim{Alias: "سارة"}); err != nil {
		t.Fatalf("an Arabic alias: %v", err)
	}
}
