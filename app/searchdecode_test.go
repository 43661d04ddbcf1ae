package app

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// FuzzDecodeNoteFields: whenever the fast path decodes a value, encoding/json
// decodes it too, to the same note.
func FuzzDecodeNoteFields(f *testing.F) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 123, time.UTC)
	notes := []Note{
		{ID: NewID(), Case: NewID(), Kind: NoteContact, Body: "Met Quispe-Martínez \"Flaco\"\n\tat 555-0147 \\ ok", Author: "Det. Alvarez",
			Sensitivity: SensitivityStandard, Created: at, Updated: at},
		{ID: NewID(), Kind: NoteService, Body: "😀 \u2028 <b>&amp;</b>", Author: "Adv. Kim", Sensitivity: SensitivityAdvocatePrivileged,
			Created: at, Updated: at, Finalised: at.Add(time.Hour), FinalisedBy: "Adv. Kim"},
		{},
	}
	for _, n := range notes {
		b, _ := json.Marshal(&n)
		f.Add(b)
	}
	// Cases found by fuzzing and by hand.
	for _, s := range []string{`{"body":"\ud83d\ude00 \ud83d x \udc00"}`, `{"body":"a\/b","Body":"x"}`, `{"body":"\xff\xfe"}`,
		`{"created":"2026-03-02T24:00:00Z"}`, `{"body":null}`, `{"id":"ABCDEF0123456789ABCDEF0123456789"}`, ` { } `, `{"kind":"x",}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fast Note
		if !decodeNoteFields(b, &fast) {
			return
		}
		var slow Note
		if err := json.Unmarshal(b, &slow); err != nil {
			t.Fatalf("%q: the fast path decoded what encoding/json refuses (%v)", b, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nfast %+v\nslow %+v", b, fast, slow)
		}
	})
}

// BenchmarkDecodeNote compares the fast path with encoding/json on a typical note.
func BenchmarkDecodeNote(b *testing.B) {
	n := Note{ID: NewID(), Case: NewID(), Kind: NoteContact, Body: string(make([]byte, 0)) + "[Demo] Met with the young person at the children's advocacy center with the advocate present. Discussed the safety plan, the triggers we agreed on and who the safe adults are. La joven dijo que Flaco la llevó al Starlite Motel el viernes por la noche.",
		Author: "Demo Detective Alvarez", Sensitivity: SensitivityStandard, Created: time.Now().UTC(), Updated: time.Now().UTC()}
	v, _ := json.Marshal(&n)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var x Note
			decodeNoteFields(v, &x)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var x Note
			_ = json.Unmarshal(v, &x)
		}
	})
}
