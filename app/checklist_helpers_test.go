package app_test

import (
	"crypto/rand"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// clVault opens a real Badger store in a temporary directory and returns the
// record service over it, with a clock the test controls, and the directory.
func clVault(t testing.TB) (*app.Records, string) {
	t.Helper()
	dir := t.TempDir()
	key := make([]byte, 32)
	rand.Read(key)
	s, err := storage.Open(dir, app.StoreKeys{AtRest: key, Records: key}, storage.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	r := app.NewRecords(s, "Det. Rivera")
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r.Now = func() time.Time { return clock }
	return r, dir
}

// clCase opens a case with a fictional alias.
func clCase(t testing.TB, r *app.Records, number string, opened time.Time) app.Case {
	t.Helper()
	c, err := r.CreateCase(app.CaseInput{Number: number, Title: "Test case " + number, Opened: opened},
		app.Victim{Alias: "Alias " + number})
	if err != nil {
		t.Fatalf("create case %s: %v", number, err)
	}
	return c
}

// clMakeReadOnly marks a case as received (read-only) directly in the store, as an
// import of a partner's bundle would.
func clMakeReadOnly(t testing.TB, r *app.Records, c app.ID) {
	t.Helper()
	err := r.Store().Update(func(tx app.Tx) error {
		k := app.Key{Type: app.RecCase, Case: c, ID: c}
		b, err := tx.Get(k)
		if err != nil {
			return err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		m["read_only"] = true
		b, _ = json.Marshal(m)
		return tx.Put(k, b)
	})
	if err != nil {
		t.Fatalf("mark read-only: %v", err)
	}
}

// clTouchStore wraps a Store and records every record type a transaction reads, to
// prove what a query does not touch.
type clTouchStore struct {
	app.Store
	mu    sync.Mutex
	types map[app.RecordType]bool
}

func (s *clTouchStore) View(fn func(app.Tx) error) error {
	return s.Store.View(func(t app.Tx) error { return fn(&clTouchTx{Tx: t, s: s}) })
}

func (s *clTouchStore) saw(t app.RecordType) {
	s.mu.Lock()
	s.types[t] = true
	s.mu.Unlock()
}

type clTouchTx struct {
	app.Tx
	s *clTouchStore
}

func (t *clTouchTx) Get(k app.Key) ([]byte, error) {
	t.s.saw(k.Type)
	return t.Tx.Get(k)
}

func (t *clTouchTx) Scan(typ app.RecordType, c app.ID, fn func(app.Key, []byte) error) error {
	t.s.saw(typ)
	return t.Tx.Scan(typ, c, fn)
}
