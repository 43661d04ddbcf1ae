package app

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// summarySamples are case list entries as the app writes them: every field set,
// the fewest set, text that encoding/json escapes, a received case.
func summarySamples(t testing.TB) [][]byte {
	counts := newChecklistCounts()
	counts.add(&ChecklistItem{Phase: Phases[0], Owner: Partners[0], Status: ItemDone}, 1)
	counts.add(&ChecklistItem{Phase: Phases[1], Owner: Partners[1], Status: ItemOpen}, 1)
	opened := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	entries := []CaseSummary{
		{ID: NewID(), Number: "2026-TF-0001", Title: "Online enticement", Alias: "Robin", Status: CaseOpen,
			Tags: []string{"sextortion", "online"}, Assigned: []string{"Dana Alvarez", "Sam Okafor"},
			Opened: opened, Checklist: counts},
		{ID: NewID(), Number: "1", Title: "t", Alias: "a", Status: CaseClosed, Opened: opened,
			Closed: opened.AddDate(0, 2, 0)},
		{ID: NewID(), Number: "2026-0002", Title: `He said "meet me" <at> the mall & left`, Alias: "Zoë Nguyễn",
			Status: CaseInactive, Tags: []string{"tráfico"}, Opened: opened, Checklist: newChecklistCounts()},
		{ID: NewID(), Number: "R-7", Title: "Received", Alias: "Kai", Status: CaseOpen, Opened: opened,
			ReadOnly: true, Origin: "County DA", Checklist: counts},
		{},
	}
	var out [][]byte
	for i := range entries {
		b, err := json.Marshal(&entries[i])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// checkSummaryDecode fails unless decodeSummary reads b exactly as json.Unmarshal
// reads it into a zero CaseSummary: the same entry, or an error for both.
func checkSummaryDecode(t *testing.T, b []byte) {
	t.Helper()
	var want, got CaseSummary
	wantErr := json.Unmarshal(b, &want)
	got.Title = "left over" // decodeSummary starts from a zero entry
	err := decodeSummary(b, &got)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%q: error %v, encoding/json's %v", b, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q read as %+v, encoding/json reads %+v", b, got, want)
	}
}

func TestDecodeSummary(t *testing.T) {
	for _, b := range summarySamples(t) {
		checkSummaryDecode(t, b)
		// The app's own entries take the fast path; only a string with an escape
		// leaves it.
		var s CaseSummary
		if !fastSummary(b, &s) && !bytes.Contains(b, []byte{'\\'}) {
			t.Errorf("%s left the fast path", b)
		}
	}
	// Forms encoding/json reads that the fast path leaves to it, and bad entries.
	for _, b := range []string{
		`{}`, ` {"number":"1"}`, `{"number": "1"}`, `{"Number":"1"}`, `{"number":"1","number":"2"}`,
		`{"number":null}`, `{"tags":null}`, `{"tags":[]}`, `{"tags":["a",]}`, `{"checklist":null}`,
		`{"checklist":"1,0,2/0,0,1"}`, `{"checklist":"9,0,2/"}`, `{"checklist":5}`, `{"opened":"2026-13-01T00:00:00Z"}`,
		`{"opened":"2026-01-01T00:00:00+02:00"}`, `{"id":"zz"}`, `{"id":"ABCDEFABCDEFABCDEFABCDEFABCDEFAB"}`,
		`{"read_only":true}`, `{"read_only":1}`, `{"read_only":truex}`, `{"extra":1}`, `{"title":"a\u0041"}`,
		`{"title":"\xff"}`, "{\"title\":\"a\tb\"}", `{"title":"a"`, `{"title":"a"}}`, `{"title":"a",}`, `[]`, `null`, ``,
	} {
		checkSummaryDecode(t, []byte(b))
	}
}

// FuzzDecodeSummary: the hand-written decoder never panics and reads every input
// exactly as encoding/json does.
func FuzzDecodeSummary(f *testing.F) {
	for _, b := range summarySamples(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"tags":[],"read_only":false,"checklist":"/"}`))
	f.Fuzz(func(t *testing.T, b []byte) { checkSummaryDecode(t, b) })
}
