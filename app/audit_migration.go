package app

import (
	"fmt"
	"maps"
	"slices"
)

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
// RecLegacyAudit to RecAudit, in sequence order, a batch at a time.
//
// An entry that cannot be unsealed (damaged on disk) cannot be sealed again under
// its new key: it stays where it is, and the audit verification reports it as
// damaged at its sequence number. The vault still opens, as it does for any other
// problem of its audit trail.
func migrateAuditKeys(c *Change, cursor []byte) ([]byte, bool, error) {
	return moveVaultRecords(c, cursor, map[RecordType]RecordType{RecLegacyAudit: RecAudit}, nil)
}

// Why the audit log's state and checkpoints moved from 0x23 and 0x24 to 0x2B and
// 0x2C (schema 12).
//
// With the entries at 0x2A, a session's level-0 table still ran from the audit state
// (0x23) to its newest entry (0x2A), across the tombstones and the number index
// (0x25-0x29: one record per case, about 13.6 MB of the base level in a vault of
// 50,000 cases), and Badger's merge of that table at each lock rewrote all of them:
// the lock's stall at a settled 50,000-case vault rose from 26-28 ms to 85-114 ms
// when the merge at close came in (docs/PERFORMANCE.md). Keyed after the entries,
// the state and the checkpoints leave a session's table overlapping only the base
// level's last tables: the newest audit entries and the checkpoints themselves.

// migrateAuditStateKeys moves the audit log's state and its signed checkpoints of
// schema 11 and before to RecAuditState and RecCheckpoint, a batch at a time. A
// checkpoint's signature is over its note, not its key, so it verifies where it
// lands. The batch's own audit entry (every migration batch logs one) moves the
// state too if this has not yet (putAuditState).
//
// A checkpoint that cannot be unsealed stays where it is: the verification checks
// the log against the checkpoints it can read, as it did when one was damaged
// before. A damaged state stops the migration, as it stopped the vault from opening
// before: without it the session would start a new log over the old one.
func migrateAuditStateKeys(c *Change, cursor []byte) ([]byte, bool, error) {
	moves := map[RecordType]RecordType{RecLegacyAuditState: RecAuditState, RecLegacyCheckpoint: RecCheckpoint}
	return moveVaultRecords(c, cursor, moves, func(k Key, err error) error {
		if k.Type == RecLegacyAuditState {
			return fmt.Errorf("the audit trail's state cannot be read: %w", err)
		}
		return nil
	})
}

// moveVaultRecords moves the vault-level records of moves' old types (adjacent in key
// order) to their new types, keeping order and ID, in key order, a bounded batch at a
// time. The cursor is the key of the last record looked at. A batch run again from
// the same cursor moves the same records (the batch that moved them did not commit).
//
// A record whose seal does not open cannot be sealed again under its new key:
// damaged decides, and a nil damaged (or a nil error from it) leaves it in place.
func moveVaultRecords(c *Change, cursor []byte, moves map[RecordType]RecordType, damaged func(Key, error) error) ([]byte, bool, error) {
	after := cursor
	if len(after) == 0 {
		first := slices.Min(slices.Collect(maps.Keys(moves)))
		after = []byte{byte(first)} // every key of the first type sorts after it
	} else if len(after) != KeySize {
		return nil, false, fmt.Errorf("migration cursor: %w", ErrIntegrity)
	}
	type record struct {
		k     Key
		value []byte
	}
	var batch []record
	var last Key
	done := true
	size := 0
	err := c.Tx.Walk(after, func(k Key, _, value []byte, rerr error) error {
		if _, ok := moves[k.Type]; !ok || !k.Case.IsZero() {
			return ErrStopScan // past the records to move
		}
		if len(batch) == auditMoveBatch || size >= auditMoveBytes {
			done = false
			return ErrStopScan
		}
		last = k
		if rerr != nil {
			if damaged != nil {
				return damaged(k, rerr)
			}
			return nil // left in place (see above)
		}
		batch = append(batch, record{k, value})
		size += len(value)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	for _, r := range batch {
		moved := r.k
		moved.Type = moves[r.k.Type]
		if err := c.Put(moved, r.value); err != nil {
			return nil, false, err
		}
		if err := c.Delete(r.k); err != nil {
			return nil, false, err
		}
	}
	if done {
		return nil, true, nil
	}
	return last.Bytes(), false, nil
}

// auditMoveBatch and auditMoveBytes bound one batch: an entry or a checkpoint is
// 300-700 bytes, so a batch of 1,000 writes about 0.7 MB and deletes 1,000 keys, well
// under the bulk budget; the byte bound holds it there for entries with long reasons.
var (
	auditMoveBatch = 1000
	auditMoveBytes = bulkBudget / 4
)
