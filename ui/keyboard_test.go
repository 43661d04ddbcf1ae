package ui

import (
	"fmt"
	"image/color"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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

// focusable finds the visible button labelled text as the canvas knows it (the
// app's own button type, or Fyne's).
func (h *harness) focusable(text string) fyne.Focusable {
	h.t.Helper()
	for _, o := range h.objects() {
		switch b := o.(type) {
		case *actionButton:
			if b.Text == text && b.Visible() {
				return b
			}
		case *widget.Button:
			if b.Text == text && b.Visible() {
				return b
			}
		}
	}
	h.t.Fatalf("no button %q on screen", text)
	return nil
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
	lock := h.focusable("Lock")
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

// TestEnterPressesTheFocusedButton: Enter on a focused button does what Space and
// a click do (the unlock screen's Unlock here).
func TestEnterPressesTheFocusedButton(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	c := h.win.Canvas()
	keyboard{c.Focused().(*textEntry)}.typeText(goodPassphrase)
	if !tabTo(c, h.focusable("Unlock"), 5) {
		t.Fatal("Tab never reached Unlock")
	}
	driverKeystroke(c, fyne.KeyReturn, 0)
	h.onMainView()
}

// TestFocusedButtonShowsARing: a focused button is drawn with a ring in the text
// color; Fyne's own focus shade leaves a blue button looking the same.
func TestFocusedButtonShowsARing(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	c := h.win.Canvas()
	unlock := h.focusable("Unlock").(*actionButton)
	ring := func() color.Color {
		objs := test.WidgetRenderer(unlock).Objects()
		r, ok := objs[len(objs)-1].(*canvas.Rectangle)
		if !ok {
			t.Fatal("the button has no ring")
		}
		return r.StrokeColor
	}
	if _, _, _, a := ring().RGBA(); a != 0 {
		t.Fatal("an unfocused button shows a ring")
	}
	c.Focus(unlock)
	fg := theme.Color(theme.ColorNameForeground)
	if got := ring(); got != fg {
		t.Fatalf("the focused button's ring is %v, want the text color %v", got, fg)
	}
}

// TestTabFollowsReadingOrderInTheMainView: from nothing focused, Tab goes to the
// sidebar first (it is left of the content), top to bottom, then the content
// (Settings here, which has fields).
func TestTabFollowsReadingOrderInTheMainView(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	test.Tap(h.button(sectionSettings))
	c := h.win.Canvas()
	c.Unfocus()
	var order []string
	for range 9 {
		driverKeystroke(c, fyne.KeyTab, 0)
		switch b := c.Focused().(type) {
		case *widget.Button:
			order = append(order, b.Text)
		case *actionButton:
			order = append(order, b.Text)
		default:
			order = append(order, fmt.Sprintf("%T", b))
		}
	}
	want := []string{sectionDashboard, sectionCases, sectionTasks, sectionMeetings, sectionPartners, sectionReports, sectionActivity, sectionSettings, "Lock"}
	if !slices.Equal(order[:len(want)], want) {
		t.Fatalf("Tab goes %q, want the sidebar first: %q", order, want)
	}
}
