package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
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
