package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
)

// TestUnlockReturnsToSameCaseAndTab goes through the case list as a user does:
// open a case, go to its Checklist tab, lock, unlock: the same case and tab are back.
func TestUnlockReturnsToSameCaseAndTab(t *testing.T) {
	h, c := workspaceCase(t)
	test.Tap(h.button("Cases"))
	h.sees(`2026-TF-0412 · “Rosa M.”`)
	cl := findCaseList(t, h)
	cl.list.Select(0)
	if cl.ws == nil || cl.ws.id != c.ID {
		t.Fatal("selecting the case did not open its workspace")
	}
	cl.ws.selectTab(tabChecklist)

	h.shell.Lock()
	h.onUnlockScreen()
	h.doesNotSee("Rosa M.")
	h.unlockWith(goodPassphrase)

	cl = findCaseList(t, h)
	if cl.ws == nil || cl.ws.id != c.ID {
		t.Fatal("after unlocking, the case that was open is not open again")
	}
	if got := cl.ws.tab(); got != tabChecklist {
		t.Fatalf("after unlocking the workspace shows %q; want %q", got, tabChecklist)
	}
}

// findCaseList returns the case list the main view is showing, through the leave
// function the Cases section registers.
func findCaseList(t *testing.T, h *harness) *caseList {
	t.Helper()
	if h.shell.section != sectionCases || h.shell.main == nil || h.shell.main.leave == nil {
		t.Fatalf("the Cases section is not showing (section %q)", h.shell.section)
	}
	cl := h.shell.main.cases
	if cl == nil {
		t.Fatal("no case list")
	}
	return cl
}

// TestLockForgetsFileDialogFolder: Fyne's file dialogs remember the last folder in
// fyne.Preferences (plain JSON on disk); a lock removes it, since a folder can be
// named after a case.
func TestLockForgetsFileDialogFolder(t *testing.T) {
	h, _ := workspaceCase(t)
	prefs := h.shell.app.Preferences()
	prefs.SetString(fileDialogFolderKey, "file:///home/det/Cases/2026-TF-0412 Rosa")
	h.shell.Lock()
	if got := prefs.String(fileDialogFolderKey); got != "" {
		t.Fatalf("after lock the preferences still hold the folder %q", got)
	}
}

// TestCaseRowFollowsWorkspaceChanges: marking the overdue item done in the open
// case's checklist updates that case's row (its overdue count and the "Overdue
// only" filter) at once, without reopening Cases.
func TestCaseRowFollowsWorkspaceChanges(t *testing.T) {
	h, c := workspaceCase(t) // items[0] is overdue, items[1] due in three days
	test.Tap(h.button("Cases"))
	cl := findCaseList(t, h)
	cl.late.SetChecked(true)
	if len(cl.shown) != 1 {
		t.Fatalf("overdue only shows %d cases; want the one with an overdue item", len(cl.shown))
	}
	cl.list.Select(0)
	items, _ := h.shell.records.Checklist(c.ID)
	for _, it := range items {
		if it.Overdue(h.clock.Now()) {
			cl.ws.selectTab(tabChecklist)
			cl.ws.checklist.change(errorLabel(), func() (app.ChecklistItem, error) {
				return h.shell.records.SetItemStatus(c.ID, it.ID, app.ItemDone, "")
			})
		}
	}
	if cl.overdue[c.ID] != 0 || len(cl.shown) != 0 {
		t.Fatalf("after the overdue item was done: overdue count %d, %d cases shown under Overdue only",
			cl.overdue[c.ID], len(cl.shown))
	}
}
