package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// workspaceCase unlocks a fresh vault and opens one fictional case with a victim
// profile, a legal identity, and one checklist item overdue and one due soon.
func workspaceCase(t *testing.T) (*harness, app.Case) {
	t.Helper()
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	r := h.shell.records
	r.Now = h.clock.Now
	c, err := r.CreateCase(app.CaseInput{
		Number: "2026-TF-0412", Title: "Hotel outreach referral",
		Assigned: []string{"Det. Alvarez", "Adv. Kim"}, Tags: []string{"missing from care"},
	}, app.Victim{Alias: "Rosa M.", AgeBand: "15-17", Languages: []string{"Spanish", "English"},
		InterpreterNeeded: true, PlacementType: "emergency shelter"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetIdentity(c.ID, app.Identity{LegalName: "Maria Example", DateOfBirth: "2010-05-04"}); err != nil {
		t.Fatal(err)
	}
	items, err := r.Checklist(c.ID)
	if err != nil || len(items) < 2 {
		t.Fatalf("checklist: %d items, %v", len(items), err)
	}
	overdue, soon := h.clock.Now().AddDate(0, 0, -2), h.clock.Now().AddDate(0, 0, 3)
	if _, err := r.SetItemDue(c.ID, items[0].ID, &overdue); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetItemDue(c.ID, items[1].ID, &soon); err != nil {
		t.Fatal(err)
	}
	return h, c
}

// openWorkspace shows the case's workspace where the case list puts it.
func (h *harness) openWorkspace(id app.ID) *caseWorkspace {
	h.t.Helper()
	h.shell.records.Now = h.clock.Now
	ws := newCaseWorkspace(h.shell, id)
	m := h.shell.main
	m.content.Objects = []fyne.CanvasObject{ws.object()}
	m.content.Refresh()
	return ws
}

// shortcut presses a shortcut on the window (nothing focused).
func (h *harness) shortcut(sc fyne.Shortcut) {
	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
}

func TestDraftAutosavesAndSurvivesLock(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	h.sees(noNotesYet)

	h.shortcut(newNoteShortcut)
	body := ws.notes.body
	if body == nil || h.win.Canvas().Focused() != body {
		t.Fatal("Ctrl+N did not open a new draft with the cursor in it")
	}
	keyboard{body}.typeText("Met Rosa at the shelter.")
	stored := func() string {
		t.Helper()
		notes, err := h.shell.records.Notes(c.ID)
		if err != nil || len(notes) != 1 {
			t.Fatalf("notes: %d, %v", len(notes), err)
		}
		return notes[0].Body
	}
	h.clock.Advance(2 * time.Second)
	if got := stored(); got != "" {
		t.Fatalf("saved %q while typing had paused only 2 s", got)
	}
	h.sees("Draft · saving when you pause")
	h.clock.Advance(time.Second)
	if got := stored(); got != "Met Rosa at the shelter." {
		t.Fatalf("draft after the autosave delay = %q", got)
	}
	h.sees("Draft · saved just now")
	h.clock.Advance(2 * time.Second)
	h.sees("Draft · saved 2 s ago")
	h.sees("draft") // the list row

	// Typing, then locking before the autosave: the lock saves the draft.
	keyboard{body}.typeText(" She asked about school.")
	h.shell.Lock()
	h.onUnlockScreen()
	h.doesNotSee("Met Rosa")
	h.unlockWith(goodPassphrase)
	if got := stored(); got != "Met Rosa at the shelter. She asked about school." {
		t.Fatalf("draft after lock = %q", got)
	}
	ws = h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	ws.notes.list.Select(0)
	if ws.notes.body == nil || ws.notes.body.Text != "Met Rosa at the shelter. She asked about school." {
		t.Fatal("the draft text is not back in the editor after unlocking")
	}
}

func TestFinaliseThenAddendum(t *testing.T) {
	h, c := workspaceCase(t)
	if _, err := h.shell.records.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "First contact at the hotel."}); err != nil {
		t.Fatal(err)
	}
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	ws.notes.list.Select(0)
	h.win.Canvas().Focus(ws.notes.body)
	keyboard{ws.notes.body}.typeText(" Advocate called.")

	// Ctrl+S from inside the editor asks first; cancelling changes nothing.
	ws.notes.body.TypedShortcut(finaliseShortcut)
	h.sees(finaliseSentence)
	test.Tap(h.button("Cancel"))
	if n, _ := h.shell.records.Note(c.ID, ws.notes.cur.ID); n.Final() {
		t.Fatal("cancelled finalise finalised the note")
	}
	test.Tap(h.button("Finalize…"))
	test.Tap(h.button("Finalize"))
	n, err := h.shell.records.Note(c.ID, ws.notes.cur.ID)
	if err != nil || !n.Final() || n.Body != "First contact at the hotel. Advocate called." {
		t.Fatalf("after finalising: %+v, %v", n, err)
	}
	if ws.notes.body != nil {
		t.Fatal("a final note is still editable")
	}
	h.sees("Final · finalized")
	h.sees("final ") // the list row's tick and time

	test.Tap(h.button("Add addendum"))
	test.Tap(h.button("Save addendum"))
	h.sees("Addendum text is required.")
	es := h.entries()
	test.Type(es[len(es)-1], "Correction: the hotel was on Example Road.")
	test.Tap(h.button("Save addendum"))
	h.sees("Addendum · Dana Alvarez · ")
	h.sees("Correction: the hotel was on Example Road.")
	n, _ = h.shell.records.Note(c.ID, n.ID)
	if len(n.Addenda) != 1 || n.Body != "First contact at the hotel. Advocate called." {
		t.Fatalf("addendum changed the note or was not stored: %+v", n)
	}

	// Copy goes through the clipboard guard: cleared after 30 seconds.
	test.Tap(h.button("Copy"))
	cb := h.shell.app.Clipboard()
	if !strings.HasPrefix(cb.Content(), "First contact") {
		t.Fatalf("clipboard holds %q", cb.Content())
	}
	h.clock.Advance(31 * time.Second)
	if cb.Content() != "" {
		t.Fatal("the clipboard still holds the note after 30 seconds")
	}
}

func TestChecklistProgressAndNotApplicable(t *testing.T) {
	h, c := workspaceCase(t)
	items, _ := h.shell.records.Checklist(c.ID)
	total := len(items)
	ws := h.openWorkspace(c.ID)
	h.sees(fmt.Sprintf("0 of %d", total))
	if l := h.label("overdue 2 days"); l == nil || l.Importance != widget.DangerImportance {
		t.Fatalf("overdue deadline not in the error colour; labels %q", h.labels())
	}

	ws.selectTab(tabChecklist)
	ws.checklist.selectItem(items[2].ID.String())
	test.Tap(h.button("Mark done"))
	h.sees(fmt.Sprintf("1 of %d", total))
	if it, _ := h.shell.records.Checklist(c.ID); it[2].Status != app.ItemDone || it[2].CompletedAt.IsZero() {
		t.Fatalf("item after Mark done: %+v", it[2])
	}
	h.sees("Done") // the item's status on the right

	// Not applicable needs a reason: without one, the sentence shows and nothing changes.
	ws.checklist.selectItem(items[3].ID.String())
	test.Tap(h.button("Not applicable…"))
	test.Tap(h.button("Mark not applicable"))
	h.sees("Reason is required when an item does not apply.")
	if it, _ := h.shell.records.Checklist(c.ID); it[3].Status != app.ItemOpen {
		t.Fatal("not applicable without a reason changed the item")
	}
	es := h.entries()
	test.Type(es[len(es)-1], "not enrolled in school this term")
	test.Tap(h.button("Mark not applicable"))
	h.sees(fmt.Sprintf("2 of %d", total))

	ws.selectTab(tabOverview)
	h.sees(fmt.Sprintf("2 of %d", total)) // the overview's progress follows
}

func TestRevealIdentityAsksAndHidesOnLeave(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	h.doesNotSee("Maria Example")
	h.sees("2026-TF-0412 · “Rosa M.” · open · Det. Alvarez, Adv. Kim")

	test.Tap(h.button("Reveal legal identity"))
	h.sees(revealSentence)
	test.Tap(h.button("Cancel"))
	h.doesNotSee("Maria Example")

	test.Tap(h.button("Reveal legal identity"))
	test.Tap(h.button("Continue"))
	test.Tap(h.button("Reveal"))
	h.sees("Reason is required.")
	h.doesNotSee("Maria Example")
	es := h.entries()
	test.Type(es[len(es)-1], "court filing")
	test.Tap(h.button("Reveal"))
	h.sees("Maria Example")

	ws.leave()
	h.doesNotSee("Maria Example")
}

func TestWorkspaceTabsAndShortcuts(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	if ws.tab() != tabOverview {
		t.Fatalf("opens on %q", ws.tab())
	}
	h.shortcut(nextTabShortcut)
	if ws.tab() != tabNotes {
		t.Fatalf("Ctrl+Tab went to %q", ws.tab())
	}
	ws.selectTab(tabAttachments)
	h.sees(app.EvidenceReferenceAdvice)
	h.shortcut(nextTabShortcut)
	if ws.tab() != tabReferences {
		t.Fatalf("Ctrl+Tab after Attachments went to %q", ws.tab())
	}
	ws.selectTab(workspaceTabs[len(workspaceTabs)-1])
	h.shortcut(nextTabShortcut)
	if ws.tab() != tabOverview {
		t.Fatalf("Ctrl+Tab after the last tab went to %q", ws.tab())
	}
	for _, name := range workspaceTabs {
		ws.selectTab(name) // every tab builds on an empty case
	}

	ws.leave()
	h.shortcut(newNoteShortcut)
	if notes, _ := h.shell.records.Notes(c.ID); len(notes) != 0 {
		t.Fatal("Ctrl+N still works after leaving the case")
	}
}

func TestEmptyDraftGoesWhenLeaving(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	h.shortcut(newNoteShortcut)
	ws.leave()
	if notes, _ := h.shell.records.Notes(c.ID); len(notes) != 0 {
		t.Fatalf("an empty new draft was kept: %d notes", len(notes))
	}
}

func TestWorkspaceOverviewMarkup(t *testing.T) {
	h, c := workspaceCase(t)
	if _, err := h.shell.records.SetItemStatus(c.ID, mustItems(t, h, c.ID)[2].ID, app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	h.openWorkspace(c.ID)
	h.assertMarkup("workspace_overview.xml")
}

func mustItems(t *testing.T, h *harness, id app.ID) []app.ChecklistItem {
	t.Helper()
	items, err := h.shell.records.Checklist(id)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestCaseOpensHeaderFirstThenOverview: opening a case is two pieces of UI work
// (ui/workspace.go object), so neither keeps the window frozen long. After the
// first the user sees the case's header and its tabs, and none of the overview
// yet; after the second, the overview's fields. Were the second never posted, the
// overview would stay empty.
func TestCaseOpensHeaderFirstThenOverview(t *testing.T) {
	h, c := workspaceCase(t)
	// Results are handed to the UI goroutine through a queue the test runs by hand,
	// one piece of UI work at a time, as Fyne's event loop does.
	var queue []func()
	h.shell.post = func(f func()) { queue = append(queue, f) }
	next := func() {
		t.Helper()
		if len(queue) == 0 {
			t.Fatal("nothing was posted to the UI goroutine")
		}
		f := queue[0]
		queue = queue[1:]
		f()
	}
	ws := h.openWorkspace(c.ID)
	h.sees(loadingText)
	next() // the case read: header and tabs
	if !ws.loaded || ws.tab() != tabOverview {
		t.Fatalf("after the case was read: loaded %v, tab %q", ws.loaded, ws.tab())
	}
	h.sees("2026-TF-0412 · “Rosa M.” · open · Det. Alvarez, Adv. Kim")
	h.doesNotSee("Hotel outreach referral")
	h.doesNotSee("emergency shelter")
	for len(queue) > 0 {
		next() // the overview, then the reads it starts
	}
	h.sees("Hotel outreach referral")
	h.sees("missing from care")
	h.sees("emergency shelter")
	h.sees("Spanish, English")
	h.sees("No reference numbers yet")
}
