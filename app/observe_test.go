package app_test

import (
	"testing"

	"casenotes/app"
)

// Observers hear every commit, in order, with what it wrote (derived records too),
// and nothing once removed.
func TestObserversHearEveryCommit(t *testing.T) {
	r := newTestRecords(t)
	var events []app.CommitEvent
	remove := r.Observe(func(ev app.CommitEvent) { events = append(events, ev) })
	c := newTestCase(t, r, "2026-TF-0412")
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Seen at the center."})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("%d events for two commits", len(events))
	}
	var sawIndex, sawNote bool
	for _, w := range events[0].Writes {
		sawIndex = sawIndex || w.Key.Type == app.RecCaseIndex
	}
	for _, w := range events[1].Writes {
		sawNote = sawNote || w.Key.Type == app.RecNote && w.Key.ID == n.ID && len(w.Value) > 0
	}
	if !sawIndex || !sawNote {
		t.Fatalf("events missed writes: index %v, note %v", sawIndex, sawNote)
	}
	if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; len(last.Shredded) != 1 || last.Shredded[0] != c.ID {
		t.Fatalf("a deleted case was not reported: %+v", last.Shredded)
	}
	remove()
	newTestCase(t, r, "2026-TF-0413")
	if len(events) != 3 {
		t.Fatalf("%d events; a removed observer heard a commit", len(events))
	}
}
