package app

import (
	"encoding/binary"
	"testing"
)

// countingStore counts what each transaction writes and deletes, as the store's
// own limits count it: one entry a record.
type countingStore struct {
	Store
	largest, txs int
}

func (s *countingStore) Update(fn func(Tx) error) error {
	t := &countingTx{}
	if err := fn(t); err != nil {
		return err
	}
	s.txs++
	s.largest = max(s.largest, t.entries)
	return nil
}

type countingTx struct {
	Tx
	entries int
}

func (t *countingTx) Put(Key, []byte) error                              { t.entries++; return nil }
func (t *countingTx) Delete(Key) error                                   { t.entries++; return nil }
func (t *countingTx) SealedSum(Key) ([32]byte, bool, error)              { return [32]byte{}, false, nil }
func (t *countingTx) Scan(RecordType, ID, func(Key, []byte) error) error { return nil }

// A bulk load of units that each delete many records (41 bytes apiece against the
// byte budget) still commits in transactions the store takes: under bulkEntries
// but for the last unit, and so under MaxTxEntries.
func TestBulkTransactionsStayUnderTheEntryLimit(t *testing.T) {
	const units, perUnit = 200, 300
	s := &countingStore{}
	p := &commitPath{store: s}
	err := p.bulk(units, func(i int, c *Change) error {
		for j := range perUnit {
			var id ID
			binary.BigEndian.PutUint64(id[:8], uint64(i))
			binary.BigEndian.PutUint64(id[8:], uint64(j))
			if err := c.Delete(Key{Type: RecNote, ID: id}); err != nil {
				return err
			}
		}
		return nil
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.largest > bulkEntries+perUnit || s.largest > MaxTxEntries {
		t.Errorf("largest transaction deleted %d records, want at most %d (bulkEntries and one unit), under the store's %d",
			s.largest, bulkEntries+perUnit, MaxTxEntries)
	}
	if want := units * perUnit / (bulkEntries + perUnit); s.txs < want {
		t.Errorf("%d transactions for %d deletions, want at least %d", s.txs, units*perUnit, want)
	}
}
