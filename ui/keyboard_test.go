package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// driverKeystroke delivers one keystroke as Fyne's desktop driver does: the key
// goes down at the focused widget (if it listens for that), the key event goes to
// the focused widget, then the character to whatever is focused by then, and the
// key comes up there. Tab moves the focus instead of reaching a widget that does
// not accept it.
func driverKeystroke(c fyne.Canvas, name fyne.KeyName, char rune) {
	if k, ok := c.Focused().(desktop.Keyable); ok {
		k.KeyDown(&fyne.KeyEvent{Name: name})
	}
	switch f := c.Focused(); {
	case name == fyne.KeyTab && !acceptsTab(f):
		c.FocusNext()
	case f != nil:
		f.TypedKey(&fyne.KeyEvent{Name: name})
	}
	if char != 0 {
		if f := c.Focused(); f != nil {
			f.TypedRune(char)
		}
	}
	if k, ok := c.Focused().(desktop.Keyable); ok {
		k.KeyUp(&fyne.KeyEvent{Name: name})
	}
}

func acceptsTab(f fyne.Focusable) bool {
	t, ok := f.(fyne.Tabbable)
	return ok && t.AcceptsTab()
}

// tabTo presses Tab until the focused widget is want (at most limit times) and
// reports whether it got there.
func tabTo(c fyne.Canvas, want fyne.Focusable, limit int) bool {
	for range limit {
		if c.Focused() == want {
			return true
		}
		driverKeystroke(c, fyne.KeyTab, 0)
	}
	return c.Focused() == want
}

// TestSpaceOnLockDoesNotTypeIntoThePassphrase is issue 8's report: Tab to the
// sidebar's Lock button and press Space; the vault locked and the space landed in
// the passphrase field, so the next unlock failed and counted toward the lockout.
func TestSpaceOnLockDoesNotTypeIntoThePassphrase(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	c := h.win.Canvas()
	lock := h.button("Lock")
	if !tabTo(c, lock, 40) {
		t.Fatal("Tab never reached the Lock button")
	}

	driverKeystroke(c, fyne.KeySpace, ' ')

	h.onUnlockScreen()
	pass := h.entries()[0]
	if pass.Text != "" {
		t.Fatalf("the lock screen starts with %q in the passphrase field", pass.Text)
	}
	if c.Focused() == nil {
		t.Fatal("nothing has the focus on the lock screen")
	}
	keyboard{c.Focused().(*textEntry)}.typeText(goodPassphrase)
	driverKeystroke(c, fyne.KeyReturn, 0)
	h.onMainView()
}

// TestTabLeavesTheNoteEditor: the keyboard alone must get out of a note (and
// Shift+Tab back); Tab typed a tab character into it.
func TestTabLeavesTheNoteEditor(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	h.shortcut(newNoteShortcut)
	body := ws.notes.body
	keyboard{body}.typeText("Met Rosa.")
	canvas := h.win.Canvas()
	driverKeystroke(canvas, fyne.KeyTab, 0)
	if body.Text != "Met Rosa." {
		t.Fatalf("Tab changed the note to %q", body.Text)
	}
	if canvas.Focused() == body {
		t.Fatal("Tab left the focus in the note")
	}
}
