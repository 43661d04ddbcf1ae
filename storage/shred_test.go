package storage

import (
	"bytes"
	"errors"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"casenotes/app"
)

// putNotes writes n small notes into case c, 5,000 a transaction.
func putNotes(t *testing.T, s *Store, c app.ID, n int) {
	t.Helper()
	for done := 0; done < n; {
		err := s.Update(func(tx app.Tx) error {
			for i := 0; i < 5000 && done+i < n; i++ {
				k := app.Key{Type: app.RecNote, Case: c, Order: uint64(done + i), ID: app.NewID()}
				if err := tx.Put(k, []byte("a note of the case")); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		done += 5000
	}
}

// rawCount counts the keys Badger holds for case c, and the shred markers, without
// the store's reads (which skip a shred's remnants).
func rawCount(t *testing.T, s *Store, c app.ID) (records, markers int) {
	t.Helper()
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k, ok := decodeKey(it.Item().Key())
			switch {
			case !ok:
			case k.Case == c:
				records++
			case k.Type == app.RecShred:
				markers++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return records, markers
}

// A case of more records than one transaction can delete (30,000: Badger takes
// 26,214 entries in one transaction with a 16 MiB memtable) is deleted: its key
// and first records in the caller's transaction, the rest by the store before
// Update returns. Another case is untouched.
func TestShredCaseLargerThanATransaction(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	c, other := newCase(t, s), newCase(t, s)
	putNotes(t, s, c, 30000)
	keep := app.Key{Type: app.RecNote, Case: other, ID: app.NewID()}
	put(t, s, keep, "kept")
	if err := s.Update(func(tx app.Tx) error { return tx.ShredCase(c) }); err != nil {
		t.Fatalf("shredding a case of 30,000 records: %v", err)
	}
	if records, markers := rawCount(t, s, c); records != 0 || markers != 0 {
		t.Errorf("after the shred Badger holds %d records of the case and %d markers; want none", records, markers)
	}
	if got, err := get(s, keep); err != nil || string(got) != "kept" {
		t.Errorf("the other case's note: %q, %v", got, err)
	}
	if s.shredding.Load() != 0 {
		t.Errorf("%d cases still noted as being shredded", s.shredding.Load())
	}
}

// A shred cut short after its first transaction (the key and a marker committed,
// records left) hides what is left from every read, and the next open deletes it.
func TestShredCutShortIsFinishedAtOpen(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	s := openTest(t, dir, key)
	c, other := newCase(t, s), newCase(t, s)
	putNotes(t, s, c, 12000)
	keep := app.Key{Type: app.RecNote, Case: other, ID: app.NewID()}
	put(t, s, keep, "kept")
	var first app.Key
	if err := s.View(func(tx app.Tx) error {
		return tx.ScanKeys(app.RecNote, c, func(k app.Key) error { first = k; return app.ErrStopScan })
	}); err != nil {
		t.Fatal(err)
	}
	// Update without the store's finishing transactions after it: what a crash
	// right after the caller's transaction leaves.
	tx := &tx{s: s, write: true}
	err := s.db.Update(func(txn *badger.Txn) error {
		tx.txn = txn
		return tx.ShredCase(c)
	})
	if err != nil {
		t.Fatal(err)
	}
	tx.committed()
	if records, markers := rawCount(t, s, c); records != 12000-shredAtOnce || markers != 1 {
		t.Fatalf("cut short: %d records and %d markers; want %d and 1", records, markers, 12000-shredAtOnce)
	}
	// Reads across cases see the other case's note alone, and nothing is damage.
	err = s.View(func(tx app.Tx) error {
		n := 0
		if err := tx.Scan(app.RecNote, app.ID{}, func(k app.Key, _ []byte) error {
			if k.Case != other {
				t.Errorf("a scan across cases returned a record of the deleted case")
			}
			n++
			return nil
		}); err != nil {
			return err
		}
		if err := tx.ScanKeys(app.RecNote, app.ID{}, func(k app.Key) error {
			if k.Case == c {
				t.Errorf("a key scan returned a record of the deleted case")
			}
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Scan(app.RecNote, c, func(app.Key, []byte) error {
			t.Errorf("a scan of the deleted case returned a record")
			return app.ErrStopScan
		}); err != nil {
			return err
		}
		if err := tx.Walk(nil, func(k app.Key, _, _ []byte, rerr error) error {
			if k.Case == c || rerr != nil {
				t.Errorf("the walk returned %x of case %v (%v)", k.Type, k.Case == c, rerr)
			}
			return nil
		}); err != nil {
			return err
		}
		if _, err := tx.Get(first); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("reading a record of the deleted case: %v; want not found", err)
		}
		if n != 1 {
			t.Errorf("the scan across cases returned %d notes; want the other case's one", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Dump(func(key, _ []byte) error {
		if bytes.Equal(key[1:17], c[:]) || key[0] == byte(app.RecShred) {
			t.Errorf("a dump holds a record of the deleted case or its marker")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTest(t, dir, key)
	defer s.Close()
	if records, markers := rawCount(t, s, c); records != 0 || markers != 0 {
		t.Errorf("after the next open Badger holds %d records of the case and %d markers; want none", records, markers)
	}
	if got, err := get(s, keep); err != nil || string(got) != "kept" {
		t.Errorf("the other case's note: %q, %v", got, err)
	}
	// Once the shred is finished, a record of a case without its key (a remnant
	// brought back from an old file) is damage again, not skipped.
	rawEditSet(t, s, first, []byte("sealed bytes of an old file"))
	err = s.View(func(tx app.Tx) error {
		return tx.Scan(app.RecNote, app.ID{}, func(app.Key, []byte) error { return nil })
	})
	if err == nil {
		t.Error("a record of a case without its key read as nothing after the shred ended")
	}
}
