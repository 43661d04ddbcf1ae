package app_test

import (
	"errors"
	"testing"

	"casenotes/app"
)

func TestContactDetails(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	good := &app.ContactDetails{Present: []string{"youth", " Adv. Kim ", "youth"}, Language: "Spanish",
		Interpreter: &app.Interpreter{Name: "Interpreter Ortiz", Language: "Spanish"}, Setting: "childrens-advocacy-center", DurationMinutes: 45}
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		kind  app.NoteKind
		d     *app.ContactDetails
		field string
	}{
		{app.NoteObservation, good, "contact details"},
		{app.NoteContact, &app.ContactDetails{Setting: "12 Elm Street, Demo City"}, "setting"},
		{app.NoteContact, &app.ContactDetails{DurationMinutes: -5}, "duration"},
		{app.NoteContact, &app.ContactDetails{DurationMinutes: 2000}, "duration"},
		{app.NoteContact, &app.ContactDetails{Interpreter: &app.Interpreter{Language: "Spanish"}}, "interpreter"},
		{app.NoteContact, &app.ContactDetails{Present: []string{"a\x00b"}}, "present"},
	} {
		_, err := r.AddNote(c.ID, app.NoteInput{Kind: tc.kind, Body: "x", Contact: tc.d})
		assertFieldError(t, err, tc.field, app.ErrInvalid)
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met at the CAC.", Contact: good})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.Note(c.ID, n.ID)
	if d := got.Contact; d == nil || len(d.Present) != 2 || d.Present[1] != "Adv. Kim" || d.Interpreter.Name != "Interpreter Ortiz" ||
		d.Setting != "childrens-advocacy-center" || d.DurationMinutes != 45 {
		t.Fatalf("contact details read back %+v", got.Contact)
	}
	// The note editor's own save (kind, text, sensitivity) keeps the details.
	if _, err := r.UpdateNote(c.ID, n.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met at the CAC, 45 minutes."}); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Note(c.ID, n.ID); got.Contact == nil {
		t.Fatal("saving the text dropped the contact details")
	}
	if _, err := r.SetContactDetails(c.ID, n.ID, &app.ContactDetails{Setting: "phone", DurationMinutes: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetContactDetails(c.ID, n.ID, good); !errors.Is(err, app.ErrFinal) {
		t.Errorf("a final note's contact details changed: %v", err)
	}
	if app.SettingTitle("childrens-advocacy-center") != "children's advocacy center" {
		t.Error("setting title")
	}
}
