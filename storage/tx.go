package storage

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"casenotes/app"
	"casenotes/crypto"
)

// tx is one Badger transaction with sealing.
type tx struct {
	s     *Store
	txn   *badger.Txn
	write bool
	// case keys created or shredded in this transaction, applied to the cache only
	// after commit so an aborted transaction leaves no stale key behind.
	created  map[app.ID]*crypto.Sealer
	shredded map[app.ID]bool
	// shredLeft is how many more records of shredded cases this transaction
	// deletes itself (shredAtOnce at first); staged says a shredded case has
	// records left for finishShreds.
	shredLeft int
	staged    []app.ID
	// keyGone caches, per case being shredded, whether its key is gone in this
	// transaction's view (remnant).
	keyGone map[app.ID]bool
}

func (t *tx) committed() {
	if len(t.created) == 0 && len(t.shredded) == 0 {
		return
	}
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	// A change that creates one case is someone opening it, who will write to it
	// next: its key stays at hand. A change that creates many is a bulk load (a
	// seed, an import) that will not come back to them: caching every key of a
	// 50,000-case seed held 28-36 MB of ciphers to its end (docs/PERFORMANCE.md,
	// "The seed's peak"). A later read unwraps a key again and keeps it.
	if len(t.created) == 1 {
		for c, k := range t.created {
			t.s.cases[c] = k
		}
	}
	for c := range t.shredded {
		delete(t.s.cases, c)
	}
}

// sealer returns the sealer for a record: the vault record key for vault-level
// records and case keys, the case's data key for everything in a case.
func (t *tx) sealer(k app.Key) (*crypto.Sealer, error) {
	if k.Case.IsZero() || k.Type == app.RecCaseKey {
		return t.s.records, nil
	}
	if t.shredded[k.Case] {
		return nil, app.ErrNotFound
	}
	if sl, ok := t.created[k.Case]; ok {
		return sl, nil
	}
	t.s.mu.RLock()
	sl, ok := t.s.cases[k.Case]
	t.s.mu.RUnlock()
	if ok {
		return sl, nil
	}
	raw, err := t.Get(caseKeyKey(k.Case))
	if errors.Is(err, app.ErrNotFound) {
		return nil, fmt.Errorf("case data key: %w", app.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	defer crypto.Zero(raw)
	sl, err = crypto.NewSealer(raw)
	if err != nil {
		return nil, fmt.Errorf("case data key: %w", app.ErrIntegrity)
	}
	t.s.mu.Lock()
	t.s.cases[k.Case] = sl
	t.s.mu.Unlock()
	return sl, nil
}

func (t *tx) Get(k app.Key) ([]byte, error) {
	if t.remnant(k.Case) {
		return nil, app.ErrNotFound
	}
	kb := encodeKey(k)
	item, err := t.txn.Get(kb)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, app.ErrNotFound
	}
	if err != nil {
		return nil, readError(err)
	}
	return t.open(k, kb, item)
}

// readError maps a failed read: a checksum Badger found wrong is damage
// (ErrIntegrity), anything else a store failure.
func readError(err error) error {
	if strings.Contains(err.Error(), "checksum mismatch") || strings.Contains(err.Error(), "corrupt") {
		return fmt.Errorf("the store's files are damaged: %w", app.ErrIntegrity)
	}
	return fmt.Errorf("%w: reading: %v", app.ErrStore, err)
}

func (t *tx) open(k app.Key, kb []byte, item *badger.Item) ([]byte, error) {
	sl, err := t.sealer(k)
	if err != nil {
		return nil, err
	}
	var out []byte
	err = item.Value(func(v []byte) error {
		var oerr error
		out, oerr = sl.Open(nil, v, sealAD(kb))
		return oerr
	})
	if errors.Is(err, crypto.ErrUnauthenticated) {
		return nil, fmt.Errorf("record %x: %w", k.Type, app.ErrIntegrity)
	}
	if err != nil {
		return nil, readError(err)
	}
	return out, nil
}

func (t *tx) Put(k app.Key, value []byte) error {
	sl, err := t.sealer(k)
	if err != nil {
		return err
	}
	if err := t.txn.Set(sealed(sl, k, value)); err != nil {
		return t.writeError(err)
	}
	t.s.written.Add(int64(len(value)))
	return nil
}

// sealed is a record as Badger stores it: the encoded key, and the value sealed
// with the key as associated data (so a value cannot be moved to another key,
// case or type unnoticed). Transactions and batches both write through it.
func sealed(sl *crypto.Sealer, k app.Key, value []byte) (kb, v []byte) {
	kb = encodeKey(k)
	return kb, sl.Seal(nil, value, sealAD(kb))
}

// newCaseKey makes a case's random data key and writes it sealed by the vault
// record key through put; it returns the case's sealer. Transactions and batches
// both make case keys through it.
func newCaseKey(c app.ID, put func(app.Key, []byte) error) (*crypto.Sealer, error) {
	if c.IsZero() {
		return nil, app.Invalid("case", "has no identifier")
	}
	key := crypto.RandomKey()
	defer crypto.Zero(key)
	sl, err := crypto.NewSealer(key)
	if err != nil {
		return nil, err
	}
	if err := put(caseKeyKey(c), key); err != nil {
		return nil, err
	}
	return sl, nil
}

func (t *tx) writeError(err error) error {
	if errors.Is(err, badger.ErrTxnTooBig) {
		return fmt.Errorf("%w: too much to save at once", app.ErrStore)
	}
	return fmt.Errorf("%w: writing: %v", app.ErrStore, err)
}

func (t *tx) Delete(k app.Key) error {
	if err := t.txn.Delete(encodeKey(k)); err != nil {
		return t.writeError(err)
	}
	return nil
}

// NewCase creates a random data key for the case, stored sealed by the vault record key.
func (t *tx) NewCase(c app.ID) error {
	sl, err := newCaseKey(c, t.Put)
	if err != nil {
		return err
	}
	if t.created == nil {
		t.created = map[app.ID]*crypto.Sealer{}
	}
	t.created[c] = sl
	delete(t.shredded, c)
	return nil
}

// ShredCase deletes the case's data key first, then its records. Once the key is
// gone, remnants of the case in Badger's files can no longer be unsealed. A
// transaction deletes at most shredAtOnce records of the cases it shreds; a case
// with more gets a marker (shredMarker), and the store deletes the rest once the
// transaction commits (finishShreds). Reads skip them meanwhile (remnant).
func (t *tx) ShredCase(c app.ID) error {
	if c.IsZero() {
		return app.Invalid("case", "has no identifier")
	}
	if err := t.Delete(caseKeyKey(c)); err != nil {
		return err
	}
	if t.shredded == nil {
		t.shredded = map[app.ID]bool{}
		t.shredLeft = shredAtOnce
	}
	t.shredded[c] = true
	delete(t.created, c)
	keys, more := t.caseKeys(c, t.shredLeft)
	t.shredLeft -= len(keys)
	for _, k := range keys {
		if err := t.txn.Delete(k); err != nil {
			return t.writeError(err)
		}
	}
	if !more {
		return nil
	}
	if err := t.Put(shredMarker(c), nil); err != nil {
		return err
	}
	t.s.markShred(c)
	t.staged = append(t.staged, c)
	return nil
}

func (t *tx) SealedSum(k app.Key) ([32]byte, bool, error) {
	item, err := t.txn.Get(encodeKey(k))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return [32]byte{}, false, nil
	}
	if err != nil {
		return [32]byte{}, false, readError(err)
	}
	var sum [32]byte
	err = item.Value(func(v []byte) error { sum = sha256.Sum256(v); return nil })
	if err != nil {
		return [32]byte{}, false, readError(err)
	}
	return sum, true, nil
}

func (t *tx) CaseSums(c app.ID, fn func(k app.Key, sum [32]byte) error) error {
	if c.IsZero() {
		return app.Invalid("case", "has no identifier")
	}
	if t.remnant(c) {
		return nil
	}
	it := t.txn.NewIterator(badger.DefaultIteratorOptions)
	defer it.Close()
	for typ := 0; typ < 256; typ++ {
		p := scanPrefix(app.RecordType(typ), c)
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			item := it.Item()
			k, ok := decodeKey(item.Key())
			if !ok {
				return fmt.Errorf("malformed key: %w", app.ErrIntegrity)
			}
			var sum [32]byte
			if err := item.Value(func(v []byte) error { sum = sha256.Sum256(v); return nil }); err != nil {
				return readError(err)
			}
			if err := fn(k, sum); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *tx) Walk(after []byte, fn func(k app.Key, sealed, value []byte, err error) error) error {
	it := t.txn.NewIterator(unsealingIterator())
	defer it.Close()
	for it.Seek(after); it.Valid(); it.Next() {
		item := it.Item()
		kb := item.KeyCopy(nil)
		if after != nil && bytes.Equal(kb, after) {
			continue
		}
		k, ok := decodeKey(kb)
		if ok && t.remnant(k.Case) {
			continue
		}
		var err error
		if !ok {
			err = fn(k, nil, nil, fmt.Errorf("malformed key: %w", app.ErrIntegrity))
		} else {
			called := false
			err = item.Value(func(v []byte) error {
				called = true
				value, oerr := t.openSealed(k, kb, v)
				return fn(k, v, value, oerr)
			})
			if !called && err != nil {
				err = fn(k, nil, nil, readError(err))
			}
		}
		if errors.Is(err, app.ErrStopScan) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// unsealingIterator is the iterator for scans that unseal each value as they
// reach it. Badger's default prefetch starts a goroutine and copies the value for
// every record ahead of the reader, which only adds work when the reader unseals
// the value (a copy) at once: a full read of a 10,000-case vault makes about a
// million of them.
func unsealingIterator() badger.IteratorOptions {
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	return opts
}

// openSealed unseals one stored value of record k (key bytes kb).
func (t *tx) openSealed(k app.Key, kb, sealed []byte) ([]byte, error) {
	sl, err := t.sealer(k)
	if err != nil {
		return nil, err
	}
	out, err := sl.Open(nil, sealed, sealAD(kb))
	if errors.Is(err, crypto.ErrUnauthenticated) {
		return nil, fmt.Errorf("record %x: %w", k.Type, app.ErrIntegrity)
	}
	return out, err
}

func (t *tx) Scan(typ app.RecordType, c app.ID, fn func(app.Key, []byte) error) error {
	if t.remnant(c) {
		return nil
	}
	p := scanPrefix(typ, c)
	opts := unsealingIterator()
	opts.Prefix = p
	it := t.txn.NewIterator(opts)
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		item := it.Item()
		kb := item.KeyCopy(nil)
		k, ok := decodeKey(kb)
		if !ok {
			return fmt.Errorf("malformed key: %w", app.ErrIntegrity)
		}
		if t.remnant(k.Case) {
			continue
		}
		v, err := t.open(k, kb, item)
		if err != nil {
			return err
		}
		if err := fn(k, v); err != nil {
			if errors.Is(err, app.ErrStopScan) {
				return nil
			}
			return err
		}
	}
	return nil
}

func (t *tx) ScanKeys(typ app.RecordType, c app.ID, fn func(app.Key) error) error {
	if t.remnant(c) {
		return nil
	}
	p := scanPrefix(typ, c)
	opts := badger.DefaultIteratorOptions
	opts.Prefix = p
	opts.PrefetchValues = false
	it := t.txn.NewIterator(opts)
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		k, ok := decodeKey(it.Item().Key())
		if !ok {
			return fmt.Errorf("malformed key: %w", app.ErrIntegrity)
		}
		if t.remnant(k.Case) {
			continue
		}
		if err := fn(k); err != nil {
			if errors.Is(err, app.ErrStopScan) {
				return nil
			}
			return err
		}
	}
	return nil
}

// batch writes through a Badger WriteBatch.
type batch struct {
	s       *Store
	wb      *badger.WriteBatch
	pending map[app.ID]*crypto.Sealer
}

func (b *batch) sealer(k app.Key) (*crypto.Sealer, error) {
	if k.Case.IsZero() || k.Type == app.RecCaseKey {
		return b.s.records, nil
	}
	if sl, ok := b.pending[k.Case]; ok {
		return sl, nil
	}
	var sl *crypto.Sealer
	err := b.s.db.View(func(txn *badger.Txn) error {
		var err error
		sl, err = (&tx{s: b.s, txn: txn}).sealer(k)
		return err
	})
	return sl, err
}

func (b *batch) Put(k app.Key, value []byte) error {
	sl, err := b.sealer(k)
	if err != nil {
		return err
	}
	if err := b.wb.Set(sealed(sl, k, value)); err != nil {
		return fmt.Errorf("%w: writing: %v", app.ErrStore, err)
	}
	b.s.written.Add(int64(len(value)))
	return nil
}

func (b *batch) NewCase(c app.ID) error {
	sl, err := newCaseKey(c, b.Put)
	if err != nil {
		return err
	}
	b.pending[c] = sl
	return nil
}
