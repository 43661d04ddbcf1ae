package app

import "fmt"

// Why the audit trail's entries moved from 0x09 to 0x2A (schema 11).
//
// Every session writes to the store even when it changes no case: its unlock and lock
// append audit entries, update the audit state (0x23) and sign a checkpoint (0x24).
// Badger flushes those few records at the lock as a level-0 table of its own, and a
// table's key range runs from its first key to its last. With the entries at 0x09
// that range was 0x09-0x24, which holds every case record type (0x10-0x1D, the notes
// and checklists among them). At ten level-0 tables, the next unlock compacts them
// into the base level and rewrites every base-level table in that range: 56 MB of
// the 64 MiB base level in a vault of 50,000 cases, while the dashboard and the case
// list load (docs/PERFORMANCE.md, "The audit trail's key range"). With the entries
// at 0x2A, a session that changes no case writes only 0x23-0x2A, where the base
// level holds the index and log records of the vault (tombstones, the number index,
// the totals, the checklist skeletons' pointers).
//
// An entry's leaf hash and MAC are of its content, not its key, so an entry moved is
// the same leaf: the Merkle roots and signed checkpoints made before the move still
// verify. Only its seal, which binds the key, is made again.

// migrateAuditKeys moves the audit entries of schema 10 and before from
// RecLegacyAudit to RecAudit, in sequence order, a batch at a time. The cursor is
// the key of the last entry moved. A batch run again from the same cursor moves the
// same entries (the batch that moved them did not commit).
//
// An entry that cannot be unsealed (damaged on disk) cannot be sealed again under
// its new key: it stays where it is, and the audit verification reports it as
// damaged at its sequence number. The vault still opens, as it does for any other
// problem of its audit trail.
func migrateAuditKeys(c *Change, cursor []byte) ([]byte, bool, error) {
	after := cursor
	if len(after) == 0 {
		after = []byte{byte(RecLegacyAudit)} // every entry key sorts after it
	} else if len(after) != KeySize {
		return nil, false, fmt.Errorf("migration cursor: %w", ErrIntegrity)
	}
	type entry struct {
		k     Key
		value []byte
	}
	var batch []entry
	var last Key
	done := true
	size := 0
	err := c.Tx.Walk(after, func(k Key, _, value []byte, rerr error) error {
		if k.Type != RecLegacyAudit || !k.Case.IsZero() {
			return ErrStopScan // past the entries
		}
		if len(batch) == auditMoveBatch || size >= auditMoveBytes {
			done = false
			return ErrStopScan
		}
		last = k
		if rerr != nil {
			return nil // damaged: left in place (see above)
		}
		batch = append(batch, entry{k, value})
		size += len(value)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	for _, e := range batch {
		if err := c.Put(auditEntryKey(e.k.Order), e.value); err != nil {
			return nil, false, err
		}
		if err := c.Delete(e.k); err != nil {
			return nil, false, err
		}
	}
	if done {
		return nil, true, nil
	}
	return last.Bytes(), false, nil
}

// auditMoveBatch and auditMoveBytes bound one batch: an entry is 300-700 bytes, so
// a batch of 1,000 writes about 0.7 MB and deletes 1,000 keys, well under the bulk
// budget; the byte bound holds it there for entries with long reasons.
var (
	auditMoveBatch = 1000
	auditMoveBytes = bulkBudget / 4
)
