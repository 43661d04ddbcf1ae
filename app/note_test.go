package app_test

import (
	"errors"
	"testing"
	"time"

	"casenotes/app"
)

func TestNoteDraftToFinal(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact})
	if err != nil {
		t.Fatal(err)
	}
	if n.Final() || n.Author != "Det. Alvarez" || n.Sensitivity != app.SensitivityStandard {
		t.Fatalf("new note = %+v", n)
	}
	for _, body := range []string{"Met", "Met at the CAC", "Met at the CAC with the advocate."} {
		if err := r.SaveDraft(c.ID, n.ID, body); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.UpdateNote(c.ID, n.ID, app.NoteInput{Kind: app.NoteObservation, Body: "Met at the CAC with the advocate.",
		Sensitivity: app.SensitivityRestricted}); err != nil {
		t.Fatal(err)
	}
	r.Now = func() time.Time { return testNow.Add(time.Hour) }
	fin, err := r.FinaliseNote(c.ID, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !fin.Final() || fin.FinalisedBy != "Det. Alvarez" || !fin.Finalised.Equal(testNow.Add(time.Hour)) ||
		fin.Kind != app.NoteObservation || fin.Body != "Met at the CAC with the advocate." {
		t.Fatalf("final note = %+v", fin)
	}
}

func TestFinalNotesNeverChange(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "original"})
	if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	before := dumpStore(t, r.Store())
	for name, call := range map[string]func() error{
		"SaveDraft": func() error { return r.SaveDraft(c.ID, n.ID, "changed") },
		"UpdateNote": func() error {
			_, err := r.UpdateNote(c.ID, n.ID, app.NoteInput{Kind: app.NoteOther, Body: "changed"})
			return err
		},
		"UpdateNote sensitivity only": func() error {
			_, err := r.UpdateNote(c.ID, n.ID, app.NoteInput{Kind: app.NoteContact, Body: "original", Sensitivity: app.SensitivityAdvocatePrivileged})
			return err
		},
		"FinaliseNote again": func() error { _, err := r.FinaliseNote(c.ID, n.ID); return err },
		"DeleteNote":         func() error { return r.DeleteNote(c.ID, n.ID) },
		"DeleteCase":         func() error { return r.DeleteCase(c.ID, "Opened by mistake") },
	} {
		if err := call(); !errors.Is(err, app.ErrFinal) {
			t.Errorf("%s on a final note: err = %v, want ErrFinal", name, err)
		}
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
	got, err := r.Note(c.ID, n.ID)
	if err != nil || got.Body != "original" || got.Kind != app.NoteContact {
		t.Fatalf("final note after attempts = %+v, %v", got, err)
	}
}

func TestAddendumShowsBesideItsNote(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	first, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met on Tuesday."})
	second, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteService, Body: "Referral sent."})
	draft, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteOther, Body: "thinking"})
	if _, err := r.AddAddendum(c.ID, first.ID, "too early"); err == nil {
		t.Fatal("addendum on a draft was accepted")
	} else {
		assertFieldError(t, err, "note", app.ErrInvalid)
	}
	for _, n := range []app.Note{first, second} {
		if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
			t.Fatal(err)
		}
	}
	_, err := r.AddAddendum(c.ID, first.ID, "  ")
	assertFieldError(t, err, "addendum text", app.ErrInvalid)
	r.User = "Adv. Kim"
	r.Now = func() time.Time { return testNow.Add(24 * time.Hour) }
	a, err := r.AddAddendum(c.ID, first.ID, "Correction: it was Wednesday.")
	if err != nil {
		t.Fatal(err)
	}
	notes, err := r.Notes(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 3 || notes[0].ID != first.ID || notes[1].ID != second.ID || notes[2].ID != draft.ID {
		t.Fatalf("notes out of order: %+v", notes)
	}
	if len(notes[0].Addenda) != 1 || len(notes[1].Addenda) != 0 {
		t.Fatalf("addenda = %+v / %+v", notes[0].Addenda, notes[1].Addenda)
	}
	got := notes[0].Addenda[0]
	if got.ID != a.ID || got.Author != "Adv. Kim" || got.Body != "Correction: it was Wednesday." ||
		!got.Created.Equal(testNow.Add(24*time.Hour)) {
		t.Errorf("addendum = %+v", got)
	}
	if notes[0].Body != "Met on Tuesday." || notes[0].Author != "Det. Alvarez" {
		t.Errorf("original changed: %+v", notes[0])
	}
	one, err := r.Note(c.ID, first.ID)
	if err != nil || len(one.Addenda) != 1 {
		t.Errorf("Note() addenda = %+v, %v", one.Addenda, err)
	}
}

func TestNoteValidation(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		in    app.NoteInput
		field string
	}{
		{app.NoteInput{Kind: "foo", Body: "x"}, "kind"},
		{app.NoteInput{Kind: "", Body: "x"}, "kind"},
		{app.NoteInput{Kind: app.NoteContact, Body: "x", Sensitivity: "secret"}, "sensitivity"},
		{app.NoteInput{Kind: app.NoteContact, Body: "bell\a"}, "note text"},
	} {
		_, err := r.AddNote(c.ID, tc.in)
		assertFieldError(t, err, tc.field, app.ErrInvalid)
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
	_, err := r.AddNote(c.ID, app.NoteInput{Kind: "foo"})
	if got := err.Error(); got != `kind "foo" is not a note kind` {
		t.Errorf("error = %q", got)
	}
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact})
	_, err = r.FinaliseNote(c.ID, n.ID)
	assertFieldError(t, err, "note text", app.ErrInvalid)
	if err := r.DeleteNote(c.ID, n.ID); err != nil {
		t.Fatalf("deleting a draft: %v", err)
	}
	if _, err := r.Note(c.ID, n.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("deleted draft: %v", err)
	}
}

// BenchmarkSaveDraft is the autosave path: one small sealed, synced write.
func BenchmarkSaveDraft(b *testing.B) {
	r := newTestRecords(b)
	c := newTestCase(b, r, "2026-1")
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact})
	body := "Met at the child advocacy centre with the advocate present. "
	b.ReportAllocs()
	for b.Loop() {
		if err := r.SaveDraft(c.ID, n.ID, body); err != nil {
			b.Fatal(err)
		}
	}
}
