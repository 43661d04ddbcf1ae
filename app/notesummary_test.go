package app_test

import (
	"reflect"
	"strings"
	"testing"

	"casenotes/app"
)

// TestNoteSummariesNeverCarryPrivilegedText: a list of notes shows a privileged
// note's kind, author and dates, never a word of its text; other notes show their
// first line.
func TestNoteSummariesNeverCarryPrivilegedText(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-TF-0412")
	const secret = "Safety plan: the aunt's address on Elm Street"
	priv, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteService, Body: secret + "\nmore",
		Sensitivity: app.SensitivityAdvocatePrivileged})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.FinaliseNote(c.ID, priv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddAddendum(c.ID, priv.ID, "Addendum with "+secret); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "\n  Called the placement.  \nSecond line"}); err != nil {
		t.Fatal(err)
	}
	list, err := r.NoteSummaries(c.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("%d summaries, %v", len(list), err)
	}
	p, s := list[0], list[1]
	if !p.Privileged() || p.Preview != "" || p.Kind != app.NoteService || p.Author == "" || !p.Final() || p.Addenda != 1 {
		t.Errorf("privileged summary = %+v", p)
	}
	if strings.Contains(strings.Join(fieldStrings(p), "|"), "Elm Street") {
		t.Error("a privileged note's summary carries its text")
	}
	if s.Privileged() || s.Preview != "Called the placement." || s.Final() {
		t.Errorf("standard summary = %+v", s)
	}
	full, _ := r.Note(c.ID, priv.ID)
	if sum := full.Summary(); sum.Preview != "" || sum.Addenda != 1 {
		t.Errorf("Note.Summary of a privileged note = %+v", sum)
	}
	// The type itself has no field for a note's text.
	for _, name := range []string{"Body", "Text", "Addendum"} {
		if _, ok := reflect.TypeOf(app.NoteSummary{}).FieldByName(name); ok {
			t.Errorf("NoteSummary has a %s field", name)
		}
	}
}

// fieldStrings lists the string fields of a struct value.
func fieldStrings(v any) []string {
	var out []string
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if f := rv.Field(i); f.Kind() == reflect.String {
			out = append(out, f.String())
		}
	}
	return out
}
