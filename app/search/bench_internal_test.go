package search

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// BenchmarkObserveNoteSave is what following a note save costs the commit path:
// the observer reads the saved note and replaces its document in an index of
// 5,000 notes (the save itself, sealed and synced, is timed by the store's
// benchmarks and by make bench; this is the part the index adds to it).
func BenchmarkObserveNoteSave(b *testing.B) {
	s, _, err := app.NewVaults(&storage.Disk{}).Create(filepath.Join(b.TempDir(), "vault"), []byte("bench passphrase for the index"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("Det. Bench Reader")
	if err := r.Seed(context.Background(), 200, 25, nil); err != nil {
		b.Fatal(err)
	}
	ix, err := Open(r)
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	n := app.Note{ID: app.NewID(), Case: app.NewID(), Kind: app.NoteContact, Author: "Det. Bench Reader",
		Sensitivity: app.SensitivityStandard, Created: time.Now().UTC(), Updated: time.Now().UTC(),
		Body: "[Demo] Met with the young person at the children's advocacy center with the advocate present. " +
			"Discussed the safety plan, the triggers we agreed on and who the safe adults are. Phone call with the " +
			"placement at 6:15 PM; the young person is settled and ate dinner. Hotel records subpoenaed from Harborview " +
			"Inn for the nights of Friday and the following weekend. Spoke with Inés Quispe-Martínez, the young person's " +
			"aunt, who asked for a call back at 555-0142. La joven dijo que Flaco la llevó al Starlite Motel el viernes."}
	v, _ := json.Marshal(&n)
	ev := app.CommitEvent{Writes: []app.Committed{{Key: app.Key{Type: app.RecNote, Case: n.Case, Order: 1, ID: n.ID}, Value: v}}}
	b.ReportAllocs()
	for b.Loop() {
		ix.observe(ev)
	}
}
