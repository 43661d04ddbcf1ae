package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
)

// TestNewCaseFromTheCaseList: in an empty vault, New case in the Cases section
// creates the case and opens its workspace beside the list.
func TestNewCaseFromTheCaseList(t *testing.T) {
	h := unlocked(t)
	test.Tap(h.button("Cases"))
	h.sees(noCasesYet)
	test.Tap(h.button("New case"))
	h.fill("Case number", "2026-TF-0600")
	h.fill("Title", "Transit centre referral")
	h.fill("Alias", "Mai T.")
	test.Tap(h.button("Create case"))

	cl := findCaseList(t, h)
	if cl.ws == nil {
		t.Fatal("the new case's workspace did not open")
	}
	c, err := h.shell.records.Case(cl.ws.id)
	if err != nil || c.Number != "2026-TF-0600" {
		t.Fatalf("the open workspace is not the new case: %+v, %v", c, err)
	}
	h.sees(`2026-TF-0600 · “Mai T.”`)
}

// TestNewCaseWhileAnotherIsOpen: with a case open, New case opens the new case (not
// the one that was open), and typing in the search keeps the open workspace as is.
func TestNewCaseWhileAnotherIsOpen(t *testing.T) {
	h := unlocked(t)
	first, err := h.shell.records.CreateCase(app.CaseInput{Number: "2026-TF-0601", Title: "First"}, app.Victim{Alias: "Ana P."})
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(h.button("Cases"))
	cl := findCaseList(t, h)
	cl.list.Select(0)
	if cl.ws == nil || cl.ws.id != first.ID {
		t.Fatal("the first case did not open")
	}
	ws := cl.ws
	test.Type(cl.search, "2026")
	if cl.ws != ws {
		t.Fatal("typing in the search rebuilt the open case's workspace")
	}

	test.Tap(h.button("New case"))
	h.fill("Case number", "2026-TF-0602")
	h.fill("Title", "Second")
	h.fill("Alias", "Bea R.")
	test.Tap(h.button("Create case"))
	cl = findCaseList(t, h)
	if cl.ws == nil {
		t.Fatal("no workspace after creating")
	}
	if c, _ := h.shell.records.Case(cl.ws.id); c.Number != "2026-TF-0602" {
		t.Fatalf("after New case the open case is %q; want the new one", c.Number)
	}
}
