package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// TestConfirmationsReadCleanly: the Finalize and Delete draft confirmations carry
// no watermark icon behind their sentence, Finalize is the main action, and
// Delete is styled as the destructive one, never as the main action.
func TestConfirmationsReadCleanly(t *testing.T) {
	h, c := workspaceCase(t)
	if _, err := h.shell.records.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "First contact."}); err != nil {
		t.Fatal(err)
	}
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	ws.notes.list.Select(0)
	check := func(open, sentence, action string, want widget.Importance) {
		t.Helper()
		test.Tap(h.button(open))
		h.sees(sentence)
		// A Fyne dialog is a pop-up whose first object is its icon, drawn large
		// and faded behind the text (the "watermark"); buttons have icons too, so
		// look at that place only.
		pop, ok := h.win.Canvas().Overlays().Top().(*widget.PopUp)
		if !ok {
			t.Fatalf("%s: no dialog", open)
		}
		if img, ok := pop.Content.(*fyne.Container).Objects[0].(*canvas.Image); ok && img.Resource != nil {
			t.Errorf("%s: the dialog draws an icon (%s) behind its sentence", open, img.Resource.Name())
		}
		if b := h.lastButton(action); b.Importance != want {
			t.Errorf("%s: the %q button has importance %d, want %d", open, action, b.Importance, want)
		}
		test.Tap(h.lastButton("Cancel"))
	}
	check("Finalize…", finaliseSentence, "Finalize", widget.HighImportance)
	check("Delete draft", deleteDraftSentence, "Delete", widget.DangerImportance)
}

// TestEmptyTimelineSaysWhatToDo: an empty timeline does not ask to choose an
// event that is not there; it says how to add the first one.
func TestEmptyTimelineSaysWhatToDo(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabTimeline)
	h.doesNotSee("Choose an event")
	h.sees("Add the first event with Add event…")
	if _, err := h.shell.records.AddTimelineEvent(c.ID, app.TimelineInput{Kind: app.EventKinds[0],
		Date: h.clock.Now(), Description: "Reported missing from the placement."}); err != nil {
		t.Fatal(err)
	}
	ws.timeline.load()
	h.sees("Choose an event on the left to see its source and who recorded it.")
}

// TestNotApplicableExampleFitsTheItem: the example reason offered when an item is
// marked not applicable fits the partner that owns it: no school example under a
// juvenile justice item.
func TestNotApplicableExampleFitsTheItem(t *testing.T) {
	h, c := workspaceCase(t)
	items, _ := h.shell.records.Checklist(c.ID)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabChecklist)
	placeholder := func(owner app.Partner) string {
		t.Helper()
		for _, it := range items {
			if it.Owner == owner {
				ws.checklist.selectItem(it.ID.String())
				test.Tap(h.button("Not applicable…"))
				es := h.entries()
				p := es[len(es)-1].PlaceHolder
				test.Tap(h.lastButton("Cancel"))
				return p
			}
		}
		t.Fatalf("no item owned by %s", owner)
		return ""
	}
	if p := placeholder(app.PartnerJuvenileJustice); strings.Contains(p, "school") || !strings.Contains(p, "juvenile") {
		t.Errorf("juvenile justice item: example %q", p)
	}
	if p := placeholder(app.PartnerSchool); !strings.Contains(p, "school") {
		t.Errorf("school item: example %q", p)
	}
}
