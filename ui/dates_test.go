package ui

import (
	"regexp"
	"testing"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
)

// TestDatesAndCountsReadAsUSEnglish: the dashboard, the Tasks screen and a case's
// Overview write dates one way ("Mar 9, 2026", "due Thu, Mar 5") and counts with
// the noun that fits ("1 open case").
func TestDatesAndCountsReadAsUSEnglish(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.shell.records.Now = h.clock.Now
	c, err := h.shell.records.CreateCase(app.CaseInput{Number: "2026-TF-0001", Title: "One case"}, app.Victim{Alias: "A."})
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(h.button("Cases"))
	h.sees("1 case")
	h.doesNotSee("1 cases")
	test.Tap(h.button("Dashboard"))
	if h.label("open case") == nil || h.label("open cases") != nil {
		t.Errorf("one open case is not counted in the singular; labels %q", h.labels())
	}
	test.Tap(h.button("Tasks"))
	h.sees("due Thu, Mar 5")
	h.sees("due Mar 9, 2026")
	british := regexp.MustCompile(`\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b`)
	for _, l := range h.labels() {
		if british.MatchString(l) {
			t.Errorf("day-before-month date on the Tasks screen: %q", l)
		}
	}
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabOverview)
	h.sees("Mar 2, 2026")
}
