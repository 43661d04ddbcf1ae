package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"casenotes/app"
	"casenotes/crypto"
)

// The commit path sizes its bulk and staged transactions to app.MaxTxEntries and
// app.MaxTxBytes: the store's settings must take a transaction that large, made of
// what weighs most against Badger's limits: deletions (entries), tiny values
// (entries and bytes), and values just small enough to stay in the tree (bytes).
func TestStoreTakesTheLargestTransaction(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	c := newCase(t, s)
	key := func(i int) app.Key {
		var id app.ID
		binary.BigEndian.PutUint64(id[8:], uint64(i)+1)
		return app.Key{Type: app.RecNote, Case: c, ID: id}
	}
	// inTree is the largest value that stays in Badger's tree once sealed.
	inTree := valueThreshold - crypto.SealOverhead - 1
	for _, tc := range []struct {
		name  string
		n     int
		value int // -1: a deletion
	}{
		{"deletions", app.MaxTxEntries, -1},
		{"tiny values", app.MaxTxBytes / (app.KeySize + 1 + 64), 1},
		{"values kept in the tree", app.MaxTxBytes / (app.KeySize + inTree + 64), inTree},
	} {
		err := s.Update(func(tx app.Tx) error {
			v := bytes.Repeat([]byte{'n'}, max(tc.value, 0))
			for i := range tc.n {
				var err error
				if tc.value < 0 {
					err = tx.Delete(key(i))
				} else {
					err = tx.Put(key(i), v)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s: one transaction of %d: %v", tc.name, tc.n, err)
		}
	}
}

// A transaction far above the limits is refused whole, in one sentence, and
// stores nothing.
func TestStoreRefusesATooLargeTransaction(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	c := newCase(t, s)
	n := 3 * app.MaxTxEntries
	err := s.Update(func(tx app.Tx) error {
		for i := range n {
			var id app.ID
			binary.BigEndian.PutUint64(id[8:], uint64(i)+1)
			if err := tx.Put(app.Key{Type: app.RecNote, Case: c, ID: id}, []byte("n")); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, app.ErrStore) || err.Error() != "the store failed: too much to save at once" {
		t.Fatalf("err = %v, want the store's one sentence", err)
	}
	var first app.ID
	binary.BigEndian.PutUint64(first[8:], 1)
	if _, err := get(s, app.Key{Type: app.RecNote, Case: c, ID: first}); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("first record after the refused transaction: %v, want not found", err)
	}
}
