package app

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
)

// ID is a random 128-bit identifier. Store keys are built only from record types,
// IDs and timestamps, never from text a user typed (case numbers, names).
type ID [16]byte

// NewID returns a fresh random ID.
func NewID() ID {
	var id ID
	if _, err := rand.Read(id[:]); err != nil {
		panic("casenotes: the system random source failed: " + err.Error())
	}
	return id
}

// IsZero reports whether the ID is unset. Vault-level records use the zero case ID.
func (id ID) IsZero() bool { return id == ID{} }

// String is the lowercase hex form, used in exports and the audit trail.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// ParseID reads the hex form of an ID.
func ParseID(s string) (ID, error) {
	var id ID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, Invalid("id", "is not a valid identifier")
	}
	copy(id[:], b)
	return id, nil
}

// MarshalText lets IDs appear as hex in JSON.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText reads the hex form.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// RecordType is the one-byte prefix of every store key. Values are part of the vault
// format: never renumber one, only add.
type RecordType byte

// Record types. Vault-level records have a zero case ID; case records carry their case
// ID and are sealed with that case's data key, so destroying the key shreds them.
const (
	RecSchema     RecordType = 0x01 // schema version (vault level)
	RecCaseKey    RecordType = 0x02 // a case's data key, wrapped by the vault record key
	RecSettings   RecordType = 0x03 // vault settings (vault level)
	RecUser       RecordType = 0x04 // user profile and sealed signing/age keys (vault level)
	RecCaseIndex  RecordType = 0x05 // list entry of a case (number, alias, status) (vault level)
	RecTemplate   RecordType = 0x06 // vault checklist templates (vault level)
	RecIndicators RecordType = 0x07 // controlled list of indicator tags (vault level)
	RecTask       RecordType = 0x08 // due-date index entries across cases (vault level)
	// RecLegacyAudit held the audit trail's entries up to schema 10; the "audit key
	// range" migration moves them to RecAudit (audit_migration.go).
	RecLegacyAudit RecordType = 0x09
	RecCase        RecordType = 0x10 // the case record
	RecVictim      RecordType = 0x11 // victim profile, alias first
	RecIdentity    RecordType = 0x12 // legal identity: read only through a deliberate call
	RecNote        RecordType = 0x13 // notes, ordered by creation time
	RecAddendum    RecordType = 0x14 // addenda to final notes
	RecChecklist   RecordType = 0x15 // checklist items
	RecRelease     RecordType = 0x16 // releases of information
	RecReferral    RecordType = 0x17 // referrals and services
	RecTimeline    RecordType = 0x18 // timeline events
	RecAttachment  RecordType = 0x19 // attachment metadata
	RecChunk       RecordType = 0x1A // attachment chunks (Order = chunk number)
	// 0x1B is reserved: it was set aside for autosaved drafts, which are notes not yet
	// finalized instead (RecNote); no release wrote it.
	RecPending    RecordType = 0x1C // marker of an import in progress (vault level)
	RecReveal     RecordType = 0x1D // who revealed a case's legal identity, when and why
	RecCaseState  RecordType = 0x20 // a case's digest of its records (see state.go)
	RecVaultState RecordType = 0x21 // the vault's digest of every record and its write counter (vault level)
	RecRekey      RecordType = 0x22 // a key change under way: its new key (old store), its progress (new store)
	// RecLegacyAuditState and RecLegacyCheckpoint held the audit log's state and its
	// signed checkpoints up to schema 11; the "audit state key range" migration moves
	// them to RecAuditState and RecCheckpoint (audit_migration.go).
	RecLegacyAuditState RecordType = 0x23
	RecLegacyCheckpoint RecordType = 0x24
	RecTombstone        RecordType = 0x25 // what remains of a deleted case: number, who, when, why (vault level; retention.go)
	RecNumberIndex      RecordType = 0x26 // blind index: HMAC of a case number -> the case (vault level)
	RecShred            RecordType = 0x29 // a deleted case whose records the store is still deleting (vault level; ID = the case)
	RecAudit            RecordType = 0x2A // audit trail entries, by sequence (vault level; schema 11 on)
	RecAuditState       RecordType = 0x2B // the audit log's size and Merkle tree (vault level; schema 12 on)
	RecCheckpoint       RecordType = 0x2C // signed audit checkpoints, by tree size (vault level; schema 12 on)
	RecTestRecords      RecordType = 0x7F // reserved for tests and benchmarks of the store
)

// Key is the full key of a record. Its byte form is
// type(1) | case(16) | order(8, big-endian) | id(16); Order holds a timestamp or a
// sequence number where records must list in order, and is zero otherwise.
type Key struct {
	Type  RecordType
	Case  ID
	Order uint64
	ID    ID
}

// KeySize is the length of an encoded Key.
const KeySize = 1 + 16 + 8 + 16

// MaxTxEntries and MaxTxBytes are the least a store must take in one transaction:
// records written or deleted, and bytes counted as a Change counts them (each
// record's key and value and 64 bytes, a deletion's key). The bulk and staged
// transactions stay under both (Change.full) but for the last unit each takes; a
// single change larger than this is refused whole. storage's settings take them
// (its TestStoreTakesTheLargestTransaction).
const (
	MaxTxEntries = 24_000
	MaxTxBytes   = 2_400_000
)

// Bytes is the key's encoded form, the one rule every layer uses: type | case |
// order (big-endian) | id.
func (k Key) Bytes() []byte {
	b := make([]byte, KeySize)
	b[0] = byte(k.Type)
	copy(b[1:17], k.Case[:])
	binary.BigEndian.PutUint64(b[17:25], k.Order)
	copy(b[25:41], k.ID[:])
	return b
}

// Store is the record store of an unlocked vault, implemented by storage/. Every
// value is sealed by the store with the key's full bytes as associated data, so a
// value moved to another key, case or type fails with ErrIntegrity.
type Store interface {
	// View runs fn in a read-only snapshot.
	View(fn func(Tx) error) error
	// Update runs fn in one atomic, durable (fsynced) transaction. A failure, or an
	// error returned by fn, stores nothing.
	Update(fn func(Tx) error) error
	// Load writes many records quickly in batches; it is not atomic and is meant for
	// demo data and restores, where the caller can start over.
	Load(fn func(w Writer) error) error
	// Dump calls fn with every record exactly as stored (key bytes and sealed
	// value), for encrypted backups: nothing is unsealed.
	Dump(fn func(key, sealed []byte) error) error
	// Restore writes the records that fn puts, exactly as given, into an empty
	// store. The values stay sealed; they open only with the same vault key.
	Restore(fn func(put func(key, sealed []byte) error) error) error
	// Close flushes, stops background work and releases the vault.
	Close() error
}

// Writer writes records without reading.
type Writer interface {
	Put(k Key, value []byte) error
	// NewCase creates and stores the data key for a case.
	NewCase(c ID) error
}

// Tx is a transaction over the store.
type Tx interface {
	Writer
	// Get returns the unsealed value, ErrNotFound, or ErrIntegrity.
	Get(k Key) ([]byte, error)
	// Delete removes one record.
	Delete(k Key) error
	// Scan calls fn for each record of type t in case c, in key order (Order, then
	// ID); a zero c scans that type across all cases. Values are unsealed;
	// returning ErrStopScan from fn ends the scan early.
	Scan(t RecordType, c ID, fn func(k Key, value []byte) error) error
	// ScanKeys is Scan without reading or unsealing values: for counting and for
	// proving that a listing does not touch what it must not.
	ScanKeys(t RecordType, c ID, fn func(k Key) error) error
	// ShredCase destroys a case's data key and deletes its records; remnants left in
	// the store's files can no longer be unsealed. The key goes in this
	// transaction; a case of more records than one transaction takes has the rest
	// deleted in transactions of the store's own once this one commits (resumed
	// when the store next opens if they are cut short), and until then no read,
	// scan or walk returns them.
	ShredCase(c ID) error
	// SealedSum is the SHA-256 of a record's value exactly as stored (sealed),
	// including a write earlier in this transaction; ok is false when there is
	// none. It is the record's part of the vault's state digest.
	SealedSum(k Key) (sum [32]byte, ok bool, err error)
	// CaseSums calls fn with the key and SealedSum of every record of case c.
	CaseSums(c ID, fn func(k Key, sum [32]byte) error) error
	// Walk calls fn for every record of the store whose key sorts after after (nil:
	// from the first) in key order, with its value as stored (sealed; valid only
	// during the call) and unsealed, or the error reading or unsealing it gave: a
	// damaged record is reported, and the walk goes on.
	Walk(after []byte, fn func(k Key, sealed, value []byte, err error) error) error
}

// ErrStopScan ends a Scan early without an error.
var ErrStopScan = errors.New("stop scan")
