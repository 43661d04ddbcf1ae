package storage

import (
	"bytes"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"casenotes/app"
)

// Dump streams every record as stored. Badger's own Backup would write decrypted
// values; our values are sealed, so what leaves here is still ciphertext.
func (s *Store) Dump(fn func(key, sealed []byte) error) (err error) {
	defer guard(&err)
	return s.db.View(func(txn *badger.Txn) error {
		t := &tx{s: s, txn: txn}
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			// A deleted case's records not yet deleted, and the marker that
			// says so, stay behind: a restore would bring back what cannot
			// be read.
			if k, ok := decodeKey(item.Key()); ok && (t.remnant(k.Case) || k.Type == app.RecShred) {
				continue
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return fmt.Errorf("%w: reading: %v", app.ErrStore, err)
			}
			if err := fn(item.KeyCopy(nil), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Restore writes sealed records verbatim into this (empty) store.
func (s *Store) Restore(fn func(put func(key, sealed []byte) error) error) (err error) {
	defer guard(&err)
	if err := s.checkSpace(); err != nil {
		return err
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	err = fn(func(k, v []byte) error {
		if _, ok := decodeKey(k); !ok {
			return fmt.Errorf("malformed key in backup: %w", app.ErrIntegrity)
		}
		s.written.Add(int64(len(v)))
		if err := wb.Set(bytes.Clone(k), bytes.Clone(v)); err != nil {
			return fmt.Errorf("%w: writing: %v", app.ErrStore, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("%w: writing: %v", app.ErrStore, err)
	}
	return nil
}
