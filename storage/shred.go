package storage

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"casenotes/app"
)

// shredAtOnce is the most records of deleted cases one transaction deletes. A
// case's deletion is one transaction with its tombstone, audit entry and index
// entries, and Badger refuses a transaction of more than 26,214 entries (a 16 MiB
// memtable): a case grown past about 26,000 records could not be deleted at all.
// Its key goes at once, with the first shredAtOnce records; the rest go in
// transactions of their own (finishShreds), well under app.MaxTxEntries each.
const shredAtOnce = 8192

// shredMarker is the vault-level record that names a case whose key is gone and
// whose records are still being deleted. It is written with the key's deletion
// and deleted with the case's last records, so a shred cut short (a crash, a full
// disk) is finished when the store next opens.
func shredMarker(c app.ID) app.Key { return app.Key{Type: app.RecShred, ID: c} }

// caseKeys returns the keys of case c's records (its data key aside), at most
// limit of them; more is true when the case has more.
func (t *tx) caseKeys(c app.ID, limit int) (keys [][]byte, more bool) {
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	it := t.txn.NewIterator(opts)
	defer it.Close()
	for typ := 0; typ < 256; typ++ {
		if app.RecordType(typ) == app.RecCaseKey {
			continue
		}
		p := scanPrefix(app.RecordType(typ), c)
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			if len(keys) == limit {
				return keys, true
			}
			keys = append(keys, it.Item().KeyCopy(nil))
		}
	}
	return keys, false
}

// remnant reports whether a record of case c is one a staged shred has not
// deleted yet: the case is shredded in this transaction, or it is being shredded
// and its key is gone in this transaction's view. Reads skip remnants. A record of
// a case whose key is missing without a marker is still reported as damage.
func (t *tx) remnant(c app.ID) bool {
	if c.IsZero() {
		return false
	}
	if t.shredded[c] {
		return true
	}
	if t.s.shredding.Load() == 0 {
		return false
	}
	t.s.mu.RLock()
	marked := t.s.shreds[c]
	t.s.mu.RUnlock()
	if !marked {
		return false
	}
	if gone, ok := t.keyGone[c]; ok {
		return gone
	}
	_, err := t.txn.Get(encodeKey(caseKeyKey(c)))
	gone := errors.Is(err, badger.ErrKeyNotFound)
	if t.keyGone == nil {
		t.keyGone = map[app.ID]bool{}
	}
	t.keyGone[c] = gone
	return gone
}

// markShred notes case c as being shredded, before the transaction that deletes
// its key commits, so that no reader sees the key gone without knowing why. A
// mark whose transaction fails is harmless (the key is still there, so nothing
// is skipped) and is dropped by forgetShreds.
func (s *Store) markShred(c app.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.shreds[c] {
		s.shreds[c] = true
		s.shredding.Add(1)
	}
}

func (s *Store) unmarkShred(c app.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shreds[c] {
		delete(s.shreds, c)
		s.shredding.Add(-1)
	}
}

// loadShreds reads the markers of shreds cut short.
func (s *Store) loadShreds() error {
	return s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		p := []byte{byte(app.RecShred)}
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			k, ok := decodeKey(it.Item().Key())
			if !ok {
				return fmt.Errorf("malformed key: %w", app.ErrIntegrity)
			}
			s.markShred(k.ID)
		}
		return nil
	})
}

// finishShreds deletes the records left of the cases being shredded, shredAtOnce
// a transaction, and each case's marker with its last ones. A case whose key is
// still there is not deleted (a marker without the key's deletion cannot be
// written; one found is dropped alone). An error leaves the rest, still skipped
// by reads, for the next open.
func (s *Store) finishShreds() error {
	s.shredMu.Lock()
	defer s.shredMu.Unlock()
	s.mu.RLock()
	cases := make([]app.ID, 0, len(s.shreds))
	for c := range s.shreds {
		cases = append(cases, c)
	}
	s.mu.RUnlock()
	for _, c := range cases {
		for done := false; !done; {
			err := s.db.Update(func(txn *badger.Txn) error {
				t := &tx{s: s, txn: txn, write: true}
				_, err := txn.Get(encodeKey(caseKeyKey(c)))
				var keys [][]byte
				switch {
				case errors.Is(err, badger.ErrKeyNotFound):
					var more bool
					keys, more = t.caseKeys(c, shredAtOnce)
					done = !more
				case err != nil:
					return readError(err)
				default:
					done = true // the case is whole: only the marker goes
				}
				for _, k := range keys {
					if err := txn.Delete(k); err != nil {
						return t.writeError(err)
					}
				}
				if done {
					return t.Delete(shredMarker(c))
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		s.unmarkShred(c)
	}
	return nil
}
