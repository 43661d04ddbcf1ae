package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// withCases opens three fictional cases, one of them closed, with one checklist
// item overdue and one due in three days.
func (h *harness) withCases() {
	h.t.Helper()
	r := h.shell.records
	r.Now = h.clock.Now
	mk := func(number, title, alias string) app.Case {
		c, err := r.CreateCase(app.CaseInput{Number: number, Title: title, Assigned: []string{"Det. Alvarez", "Adv. Kim"}},
			app.Victim{Alias: alias})
		if err != nil {
			h.t.Fatal(err)
		}
		return c
	}
	a := mk("2026-TF-0412", "Hotel outreach referral", "Rosa M.")
	mk("2026-TF-0388", "School counselor report", "J.")
	c := mk("2025-TF-0101", "Missing episode follow-up", "K.")
	if _, err := r.SetCaseStatus(c.ID, app.CaseClosed, "services complete"); err != nil {
		h.t.Fatal(err)
	}
	items, err := r.Checklist(a.ID)
	if err != nil || len(items) < 2 {
		h.t.Fatalf("checklist: %d items, %v", len(items), err)
	}
	overdue := h.clock.Now().AddDate(0, 0, -2)
	soon := h.clock.Now().AddDate(0, 0, 3)
	if _, err := r.SetItemDue(a.ID, items[0].ID, &overdue); err != nil {
		h.t.Fatal(err)
	}
	if _, err := r.SetItemDue(a.ID, items[1].ID, &soon); err != nil {
		h.t.Fatal(err)
	}
	if _, err := r.SetItemStatus(a.ID, items[2].ID, app.ItemDone, ""); err != nil {
		h.t.Fatal(err)
	}
}

func TestDashboardShowsOpenCasesAndDueItems(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.sees(noCasesYet)
	h.withCases()
	test.Tap(h.button("Cases"))
	test.Tap(h.button("Dashboard"))

	h.sees("open cases")
	if l := h.label("overdue 2 days"); l == nil || l.Importance != widget.DangerImportance {
		t.Fatalf("overdue item not shown in the error colour; labels %q", h.labels())
	}
	if l := h.label("due tomorrow"); l == nil || l.Importance != widget.WarningImportance {
		t.Fatalf("item due this week not shown in the warning colour; labels %q", h.labels())
	}
	h.sees("2026-TF-0412 · “Rosa M.”")
	h.assertMarkup("dashboard.xml")

	test.Tap(h.button("Tasks"))
	h.sees("1 item overdue, ")
}

func TestCaseListFiltersAndSearches(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.withCases()
	test.Tap(h.button("Cases"))

	list := func() *widget.List {
		for _, o := range h.objects() {
			if l, ok := o.(*widget.List); ok {
				return l
			}
		}
		t.Fatal("no case list")
		return nil
	}
	h.sees("2 cases") // open cases by default
	var status *widget.Select
	for _, o := range h.objects() {
		if s, ok := o.(*widget.Select); ok && s.Selected == "Open" {
			status = s
		}
	}
	status.SetSelected(statusTitle(app.CaseClosed))
	h.sees("1 case")
	if got := h.shell.main.cases.shown; len(got) != 1 || got[0].Number != "2025-TF-0101" {
		t.Fatalf("Closed shows %d cases", len(got))
	}
	status.SetSelected(allStatuses)
	h.sees("3 cases")
	if n := list().Length(); n != 3 {
		t.Fatalf("list shows %d rows", n)
	}
	typeInto(h.entries()[0], "rosa")
	h.sees("1 case")
	list().Select(0)
	h.sees("Hotel outreach referral")
	h.sees("Det. Alvarez, Adv. Kim")
	h.sees("All phases")
	if l := h.label("1 of "); l == nil {
		t.Fatalf("checklist progress does not count the one done item; labels %q", h.labels())
	}
	typeInto(h.entries()[0], "nobody")
	h.sees("No case matches.")
}

// The indicator filter offers the vault's list in its order, then each tag still
// on a case but no longer on the list, once, sorted.
func TestCaseListOffersTagsLeftOnCases(t *testing.T) {
	all := []app.CaseSummary{
		{Tags: []string{"runaway", "online recruitment"}},
		{Tags: []string{"labor", "runaway"}},
		{Tags: []string{"gang involvement", "labor"}},
		{},
	}
	got := filterTags([]string{"runaway", "online recruitment", "familial"}, all)
	want := []string{"runaway", "online recruitment", "familial", "gang involvement", "labor"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("tags %q, want %q", got, want)
	}
}
