package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casenotes/app"
)

// keepBusy calls work every minute for span, then reports whether the vault is
// still unlocked (the idle limit is 10 minutes).
func keepBusy(h *harness, span time.Duration, work func(minute int)) bool {
	for m := 0; time.Duration(m)*time.Minute < span; m++ {
		h.clock.Advance(time.Minute)
		if h.shell.session == nil {
			return false
		}
		work(m)
	}
	return h.shell.session != nil
}

// TestTypingInTheNoteEditorKeepsTheVaultUnlocked is issue 8's report: the vault
// locked mid-sentence while a detective typed a note, because only a plain Fyne
// entry counted as activity. Typing, a word a minute for 25 minutes, keeps it
// open; 10 minutes without input then lock it.
func TestTypingInTheNoteEditorKeepsTheVaultUnlocked(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	h.shortcut(newNoteShortcut)
	body := ws.notes.body
	if body == nil || h.win.Canvas().Focused() != body {
		t.Fatal("Ctrl+N did not open a new draft with the cursor in it")
	}
	if !keepBusy(h, 25*time.Minute, func(m int) { keyboard{body}.typeText(fmt.Sprintf("word%d ", m)) }) {
		t.Fatal("the vault locked while a note was being typed")
	}
	h.clock.Advance(10*time.Minute + time.Second)
	h.onUnlockScreen()
}

// TestTypingInADialogKeepsTheVaultUnlocked types an addendum, a word a minute.
func TestTypingInADialogKeepsTheVaultUnlocked(t *testing.T) {
	h, c := workspaceCase(t)
	n, err := h.shell.records.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "First contact at the hotel."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.shell.records.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	ws.notes.list.Select(0)
	test.Tap(h.button("Add addendum"))
	field, ok := h.win.Canvas().Focused().(*dialogEntry)
	if !ok {
		t.Fatalf("the addendum dialog has no focused field (focused: %T)", h.win.Canvas().Focused())
	}
	if !keepBusy(h, 25*time.Minute, func(m int) { keyboard{field}.typeText(fmt.Sprintf("word%d ", m)) }) {
		t.Fatal("the vault locked while an addendum was being typed")
	}
	h.clock.Advance(10*time.Minute + time.Second)
	h.onUnlockScreen()
}

// TestShortcutsScrollsAndMenusKeepTheVaultUnlocked: the workspace's shortcuts,
// scrolling a list and the window menu count as activity too.
func TestShortcutsScrollsAndMenusKeepTheVaultUnlocked(t *testing.T) {
	h, c := workspaceCase(t)
	for i := range 40 {
		if _, err := h.shell.records.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: fmt.Sprintf("Contact %d.", i)}); err != nil {
			t.Fatal(err)
		}
	}
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)

	// Ctrl+Tab through the tabs, a minute apart.
	if !keepBusy(h, 25*time.Minute, func(int) { h.shortcut(nextTabShortcut) }) {
		t.Fatal("the vault locked while the user went through the tabs with Ctrl+Tab")
	}

	// Scroll the notes list with the wheel, a minute apart.
	ws.selectTab(tabNotes)
	list := ws.notes.list
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(list).Add(fyne.NewPos(20, 40))
	if !keepBusy(h, 25*time.Minute, func(m int) {
		dy := float32(-60)
		if m%10 >= 5 {
			dy = 60
		}
		test.Scroll(h.win.Canvas(), pos, 0, dy)
	}) {
		t.Fatal("the vault locked while the user scrolled the notes")
	}

	// Choose Dashboard from the window menu (Ctrl+1), a minute apart: the screen
	// stays the same, only the choice shows the user is there.
	var dashboard *fyne.MenuItem
	for _, menu := range h.win.MainMenu().Items {
		for _, it := range menu.Items {
			if it.Label == sectionDashboard {
				dashboard = it
			}
		}
	}
	if dashboard == nil {
		t.Fatal("the window menu has no Dashboard")
	}
	if !keepBusy(h, 25*time.Minute, func(int) { dashboard.Action() }) {
		t.Fatal("the vault locked while the user chose Dashboard from the window menu")
	}
	h.clock.Advance(10*time.Minute + time.Second)
	h.onUnlockScreen()
}

// TestTypingADateKeepsTheVaultUnlocked: a dialog's date field is a field too.
func TestTypingADateKeepsTheVaultUnlocked(t *testing.T) {
	h := unlocked(t)
	h.shell.showNewCase(nil)
	opened := h.field("Opened").(*dialogDateEntry)
	h.win.Canvas().Focus(opened)
	if !keepBusy(h, 25*time.Minute, func(m int) {
		opened.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		opened.TypedRune(rune('0' + m%10))
	}) {
		t.Fatal("the vault locked while a date was being typed")
	}
}
