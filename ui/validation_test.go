package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// Issue 8: a form's message about what to fix stayed on screen after the field was
// fixed, until the next submit. It must go as soon as the field is right, and stay
// while it is still wrong.

func TestOnboardingMessageClearsOnceTheNameIsTyped(t *testing.T) {
	h := newHarness(t).start()
	test.Tap(h.button("Create vault"))
	const need = "Enter your name: it is recorded as the author of your notes."
	h.sees(need)
	name := h.shell.win.Canvas().Focused().(*textEntry)

	keyboard{name}.typeText(" ")
	h.sees(need) // a space is not a name
	keyboard{name}.typeText("D")
	h.doesNotSee(need)
}

func TestNewCaseMessageClearsOnceTheNumberIsFixed(t *testing.T) {
	h := unlocked(t)
	h.shell.showNewCase(nil)
	number := h.entryField("Case number")
	keyboard{number}.typeText("2026 TF")
	test.Tap(h.button("Create case"))
	bad := app.Sentence(app.ValidCaseNumber("2026 TF"))
	if h.label(bad) == nil {
		t.Fatalf("no message %q after submitting; labels %q", bad, h.labels())
	}

	keyboard{number}.typeText("-0500") // the space is still there
	if h.label(bad) == nil {
		t.Fatal("the message went while the number was still wrong")
	}
	number.setCursorOffset(4)
	keyboard{number}.press(fyne.KeyDelete, 1)
	keyboard{number}.typeText("-")
	if number.Text != "2026-TF-0500" {
		t.Fatalf("the number reads %q", number.Text)
	}
	if l := h.label(bad); l != nil {
		t.Fatalf("the message %q stays after the number was fixed", l.Text)
	}
}

func TestAddendumMessageClearsOnceTextIsTyped(t *testing.T) {
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
	field := h.win.Canvas().Focused().(*dialogEntry)
	test.Tap(h.lastButton("Save addendum"))
	need := app.Sentence(app.Invalid("addendum text", "is required"))
	h.sees(need)

	keyboard{field}.typeText("  ")
	h.sees(need) // spaces are not text
	keyboard{field}.typeText("The hotel was on Route 9.")
	h.doesNotSee(need)
}

// TestOtherDialogMessagesClearOnEdit: a dialog without its own check (the reason
// for "not applicable") clears its message once the field changes.
func TestOtherDialogMessagesClearOnEdit(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabChecklist)
	items, err := h.shell.records.Checklist(c.ID)
	if err != nil || len(items) == 0 {
		t.Fatalf("checklist: %d items, %v", len(items), err)
	}
	ws.checklist.askNotApplicable(items[0])
	reason := h.win.Canvas().Focused().(*dialogEntry)
	test.Tap(h.lastButton("Mark not applicable"))
	var shown string
	for _, o := range h.objects() {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text != "" && l.Importance == widget.DangerImportance {
			shown = l.Text
		}
	}
	if shown == "" {
		t.Fatalf("no message after submitting an empty reason; labels %q", h.labels())
	}
	keyboard{reason}.typeText("No school enrollment")
	h.doesNotSee(shown)
}

// TestPassphraseDialogMessageClearsOnceFixed: Settings' Change passphrase.
func TestPassphraseDialogMessageClearsOnceFixed(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	test.Tap(h.button(sectionSettings))
	test.Tap(h.button("Change passphrase…"))
	test.Tap(h.lastButton("Change passphrase"))
	const need = "Enter your current passphrase."
	h.sees(need)
	var current *dialogEntry
	for _, o := range h.objects() {
		if e, ok := o.(*dialogEntry); ok && e.Password && current == nil {
			current = e
		}
	}
	keyboard{current}.typeText("c")
	h.doesNotSee(need)
}
