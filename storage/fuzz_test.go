package storage

import (
	"bytes"
	"errors"
	"testing"

	"casenotes/app"
	"casenotes/crypto"
)

// FuzzUnseal stores arbitrary bytes as the raw value of a record and reads it back:
// the read must fail with ErrIntegrity (never panic, never return plaintext) unless
// the bytes are exactly the sealed value the store wrote.
func FuzzUnseal(f *testing.F) {
	s, err := Open("", testKeys(), Options{InMemory: true})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	c := app.NewID()
	if err := s.Update(func(tx app.Tx) error { return tx.NewCase(c) }); err != nil {
		f.Fatal(err)
	}
	k := app.Key{Type: app.RecNote, Case: c, ID: app.NewID()}
	if err := s.Update(func(tx app.Tx) error { return tx.Put(k, []byte("a real note")) }); err != nil {
		f.Fatal(err)
	}
	var real []byte
	s.View(func(tx app.Tx) error {
		real, _ = rawGet(s, k)
		return nil
	})
	f.Add(real)
	f.Add(real[:crypto.SealOverhead])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) >= maxInMemoryValue {
			t.Skip("an in-memory store keeps values under 1 MiB only (it has no value log)")
		}
		if err := rawPut(s, k, b); err != nil {
			t.Skip("badger refused the value")
		}
		got, err := get(s, k)
		if bytes.Equal(b, real) {
			if err != nil || string(got) != "a real note" {
				t.Fatalf("the real value no longer opens: %v", err)
			}
			return
		}
		if !errors.Is(err, app.ErrIntegrity) {
			t.Fatalf("arbitrary bytes read as %q, %v", got, err)
		}
	})
}
