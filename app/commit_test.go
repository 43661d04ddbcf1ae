package app_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"casenotes/app"
)

// TestBackgroundAndForegroundWritesNeverRace runs, a few hundred times on one case,
// what the desktop app does at once: the note editor's autosave, a foreground save
// of the same draft and a checklist tick (which also rewrites the case's index
// entry), and the idle lock (which flushes the draft, then locks). No write may fail
// with anything but ErrLocked (after the lock), and no acknowledged write may be lost:
// after unlocking again, the draft holds the last body committed before the lock.
func TestBackgroundAndForegroundWritesNeverRace(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	c := newTestCase(t, r, "2026-TF-0412")
	note, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "start"})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := r.Checklist(c.ID)
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}

	rounds := 200
	if testing.Short() {
		rounds = 20
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range rounds {
		s, err := v.Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatalf("round %d: unlock: %v", round, err)
		}
		r, _ := s.Records("Det. Alvarez")
		// The order of commits, as the store holds the draft after each one.
		var mu sync.Mutex
		var committed []string
		st, _ := s.Store()
		app.SetCommitted(r, func() {
			_ = st.View(func(tx app.Tx) error {
				body, err := draftBody(tx, c.ID, note.ID)
				mu.Lock()
				committed = append(committed, body)
				mu.Unlock()
				return err
			})
		})

		fail := make(chan error, 3)
		acked := map[string]bool{}
		ack := func(body string, err error) bool {
			if err != nil {
				if !errors.Is(err, app.ErrLocked) {
					fail <- fmt.Errorf("round %d: %q: %w", round, body, err)
				}
				return false
			}
			mu.Lock()
			acked[body] = true
			mu.Unlock()
			return true
		}
		var wg sync.WaitGroup
		wg.Go(func() { // autosave
			for k := 0; ; k++ {
				body := fmt.Sprintf("autosave %d.%d", round, k)
				if !ack(body, r.SaveDraft(c.ID, note.ID, body)) {
					return
				}
			}
		})
		wg.Go(func() { // foreground: save the draft, tick an item
			for k := 0; ; k++ {
				body := fmt.Sprintf("foreground %d.%d", round, k)
				_, err := r.UpdateNote(c.ID, note.ID, app.NoteInput{Kind: app.NoteObservation, Body: body})
				if !ack(body, err) {
					return
				}
				status := app.ItemDone
				if k%2 == 1 {
					status = app.ItemOpen
				}
				if _, err := r.SetItemStatus(c.ID, items[k%len(items)].ID, status, ""); err != nil {
					ack("tick", err)
					return
				}
			}
		})
		wg.Go(func() { // idle lock: flush the draft, then lock
			time.Sleep(time.Duration(rng.IntN(20_000)) * time.Microsecond)
			body := fmt.Sprintf("flush %d", round)
			ack(body, r.SaveDraft(c.ID, note.ID, body))
			if err := s.Lock(); err != nil {
				fail <- err
			}
		})
		wg.Wait()
		close(fail)
		for err := range fail {
			t.Fatal(err)
		}
		if len(committed) == 0 {
			continue
		}
		last := committed[len(committed)-1]
		for body := range acked {
			if body != "tick" && !slices.Contains(committed, body) {
				t.Fatalf("round %d: acknowledged %q never reached the store", round, body)
			}
		}
		s, err = v.Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		r, _ = s.Records("Det. Alvarez")
		got, err := r.Note(c.ID, note.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != last {
			t.Fatalf("round %d: the draft reads %q after reopening; the last commit wrote %q", round, got.Body, last)
		}
		if _, err := r.ListCases(app.CaseFilter{}); err != nil {
			t.Fatal(err)
		}
		if err := s.Lock(); err != nil {
			t.Fatal(err)
		}
	}
}

// draftBody reads a note's body straight from the store.
func draftBody(tx app.Tx, c, note app.ID) (string, error) {
	var body string
	err := tx.Scan(app.RecNote, c, func(k app.Key, b []byte) error {
		if k.ID == note {
			var n app.Note
			if err := json.Unmarshal(b, &n); err != nil {
				return err
			}
			body = n.Body
			return app.ErrStopScan
		}
		return nil
	})
	return body, err
}
