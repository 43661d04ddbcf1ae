package app

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"casenotes/crypto"
)

// The audit trail: a verifiable log of every unlock, view, change and export, as
// Certificate Transparency keeps one.
//
// Every commit on the commit path appends exactly one entry, in the same store
// transaction as the change it records (deriveAudit), so there is never a change
// without its entry or an entry without its change. Events that change no record (a
// case opened for viewing, an unlock, a lock, an export) are commits of their own
// that write only their entry. An entry holds the sequence number, the UTC time, the
// user, the action, object ids, the outcome, a reason code and the vault state after
// the change: never a name, an alias, a case title or anything else a user typed.
//
// The entries are the leaves of an RFC 6962 Merkle tree (transparency-dev/merkle):
// the audit state record keeps the tree's compact range, so appending costs
// O(log n); inclusion and consistency proofs are built from the leaves. Each entry is
// also MACed with a key derived from the user's random audit key, which survives a
// rekey. Signed checkpoints (checkpoint.go) let someone outside the vault check that
// an export was logged and that nothing logged since was removed or rewritten.

// Audit actions. The vocabulary is fixed: entries never carry free text.
const (
	ActVaultCreated      = "vault-created"
	ActAuditStarted      = "audit-started"
	ActUnlock            = "unlock"
	ActUnlockRecovery    = "unlock-recovery-key"
	ActUnlockFailed      = "unlock-failed"
	ActRecoveryFailed    = "recovery-key-failed"
	ActLockout           = "lockout"
	ActLock              = "lock"
	ActLockIdle          = "lock-idle"
	ActCaseCreated       = "case-created"
	ActCaseOpened        = "case-opened"
	ActCaseEdited        = "case-edited"
	ActCaseStatus        = "case-status-changed"
	ActCaseDeleted       = "case-deleted"
	ActVictimEdited      = "victim-edited"
	ActIdentitySet       = "identity-set"
	ActIdentityRevealed  = "identity-revealed"
	ActNoteCreated       = "note-draft-created"
	ActNoteEdited        = "note-draft-edited"
	ActNoteFinalized     = "note-finalized"
	ActAddendum          = "addendum-added"
	ActNoteDeleted       = "note-draft-deleted"
	ActChecklistChanged  = "checklist-changed"
	ActReleaseAdded      = "release-added"
	ActReleaseRevoked    = "release-revoked"
	ActReferralAdded     = "referral-added"
	ActReferralChanged   = "referral-changed"
	ActTimelineAdded     = "timeline-added"
	ActTimelineDeleted   = "timeline-deleted"
	ActAttachmentAdded   = "attachment-added"
	ActAttachmentOpened  = "attachment-opened"
	ActAttachmentSaved   = "attachment-saved"
	ActAttachmentDeleted = "attachment-deleted"
	ActEvidenceAdded     = "evidence-reference-added"
	ActExport            = "export"
	ActExportSaved       = "export-saved"
	ActBundleVerified    = "bundle-verified"
	ActBundleImported    = "bundle-imported"
	ActCaseFileImported  = "casefile-imported"
	ActSeed              = "demo-seeded"
	ActBackup            = "backup"
	ActRestored          = "restored"
	ActPassphraseChanged = "passphrase-changed"
	ActRekey             = "rekey"
	ActSettingsChanged   = "settings-changed"
	ActIntegrityFailure  = "integrity-failure"
	ActMigration         = "migration"
	ActEdit              = "edit" // a change no service named (should not happen; kept honest)
)

// Outcomes.
const (
	OutcomeOK      = "ok"
	OutcomeRefused = "refused"
	OutcomeFailed  = "failed"
)

// AuditEvent is what a change says about itself for its audit entry.
type AuditEvent struct {
	Action  string
	Case    ID
	Object  ID
	Outcome string // empty: ok
	Reason  string // a reason code from a fixed list, never typed text
	// Time, when set, is when the event happened (failed unlocks are recorded at
	// the next unlock, with their own times).
	Time time.Time
	// Export details: the profile and format (fixed vocabularies), the recipient's
	// directory entry or key fingerprint, counts, and the manifest's or file's hash.
	Profile, Format, Recipient string
	Included, Withheld         int
	Hash                       string
}

// AuditEntry is one leaf of the log.
type AuditEntry struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	User      string    `json:"user,omitempty"`
	Action    string    `json:"action"`
	Case      ID        `json:"case,omitzero"`
	Object    ID        `json:"object,omitzero"`
	Outcome   string    `json:"outcome"`
	Reason    string    `json:"reason,omitempty"`
	Profile   string    `json:"profile,omitempty"`
	Format    string    `json:"format,omitempty"`
	Recipient string    `json:"recipient,omitempty"`
	Included  int       `json:"included,omitempty"`
	Withheld  int       `json:"withheld,omitempty"`
	Hash      string    `json:"hash,omitempty"`
	// Counter and State are the vault state after the change (state.go).
	Counter uint64 `json:"state_counter"`
	State   b64    `json:"state"`
	MAC     b64    `json:"mac"`
}

// auditState is the log's own record: its size and the compact range of its tree.
type auditState struct {
	Size  uint64 `json:"size"`
	Range []b64  `json:"range"` // hashes of the perfect subtrees covering [0, Size)
	Root  b64    `json:"root"`
	// Verified is the size up to which the log was last verified, with the
	// compact range at that size, so an unlock verifies only what is new.
	Verified      uint64 `json:"verified"`
	VerifiedRange []b64  `json:"verified_range"`

	// legacy is set when the state was read from its schema-11 key: writing it moves
	// it (putAuditState).
	legacy bool
}

// Keys of the audit records (vault level).
var (
	auditStateKey       = Key{Type: RecAuditState}
	legacyAuditStateKey = Key{Type: RecLegacyAuditState}
)

func auditEntryKey(seq uint64) Key { return Key{Type: RecAudit, Order: seq} }

// auditHasher is the RFC 6962 hasher of the log.
var auditHasher = rfc6962.DefaultHasher

var auditRanges = &compact.RangeFactory{Hash: auditHasher.HashChildren}

// leafHash is an entry's leaf hash: RFC 6962's hash of its encoded bytes.
func leafHash(encoded []byte) []byte { return auditHasher.HashLeaf(encoded) }

// auditMACKey derives the entry MAC key from the user's random audit key.
func auditMACKey(auditSeed []byte) []byte {
	return crypto.SubKey(auditSeed, "casenotes/v1 audit-entry-mac")
}

// macInput is the entry's canonical encoding without its MAC.
func (e AuditEntry) macInput() []byte {
	e.MAC = nil
	b, err := json.Marshal(e)
	if err != nil {
		panic("casenotes: audit entry encoding failed: " + err.Error())
	}
	return b
}

// encode seals the entry with its MAC and returns its bytes (the leaf).
func (e *AuditEntry) encode(macKey []byte) []byte {
	e.MAC = crypto.MAC(macKey, e.macInput())
	b, err := json.Marshal(e)
	if err != nil {
		panic("casenotes: audit entry encoding failed: " + err.Error())
	}
	return b
}

// rangeOf rebuilds a compact range from its stored hashes.
func rangeOf(size uint64, hashes []b64) (*compact.Range, error) {
	hs := make([][]byte, len(hashes))
	for i, h := range hashes {
		hs[i] = h
	}
	r, err := auditRanges.NewRange(0, size, hs)
	if err != nil {
		return nil, fmt.Errorf("audit tree: %w", ErrIntegrity)
	}
	return r, nil
}

func storedRange(r *compact.Range) []b64 {
	out := make([]b64, len(r.Hashes()))
	for i, h := range r.Hashes() {
		out[i] = h
	}
	return out
}

// rootOf is the tree's root hash (the empty tree's for size 0).
func rootOf(r *compact.Range) []byte {
	if r.End() == 0 {
		return auditHasher.EmptyRoot()
	}
	root, err := r.GetRootHash(nil)
	if err != nil {
		panic("casenotes: audit root: " + err.Error())
	}
	return root
}

// readAuditState reads the log's state; ErrNotFound before the log started. A vault
// still migrating to schema 12 may hold it under its old key (the migrations before
// "audit state key range" log their batches too), and putAuditState moves it.
func readAuditState(t Tx) (*auditState, error) {
	var st auditState
	err := getJSON(t, auditStateKey, &st)
	if isNotFound(err) {
		err = getJSON(t, legacyAuditStateKey, &st)
		st.legacy = err == nil
	}
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// putAuditState writes the log's state under its key, and deletes it from its old key
// if it was read from there.
func putAuditState(w Tx, st *auditState) error {
	if err := putJSON(w, auditStateKey, st); err != nil {
		return err
	}
	if st.legacy {
		st.legacy = false
		return w.Delete(legacyAuditStateKey)
	}
	return nil
}

// appendAudit appends one entry for ev in the change's transaction and returns it.
func appendAudit(c *Change, st *auditState, ev AuditEvent, macKey []byte) (AuditEntry, error) {
	r, err := rangeOf(st.Size, st.Range)
	if err != nil {
		return AuditEntry{}, err
	}
	counter, sum, _, err := stateOf(c)
	if err != nil {
		return AuditEntry{}, err
	}
	at := ev.Time
	if at.IsZero() {
		at = c.now()
	}
	e := AuditEntry{Seq: st.Size, Time: at.UTC().Truncate(time.Millisecond), User: c.who(), Action: ev.Action,
		Case: ev.Case, Object: ev.Object, Outcome: ev.Outcome, Reason: ev.Reason,
		Profile: ev.Profile, Format: ev.Format, Recipient: ev.Recipient, Included: ev.Included,
		Withheld: ev.Withheld, Hash: ev.Hash, Counter: counter, State: append(b64(nil), sum[:]...)}
	if e.Outcome == "" {
		e.Outcome = OutcomeOK
	}
	leaf := e.encode(macKey)
	if err := c.Tx.Put(auditEntryKey(e.Seq), leaf); err != nil {
		return AuditEntry{}, err
	}
	c.entries++
	if err := r.Append(leafHash(leaf), nil); err != nil {
		return AuditEntry{}, fmt.Errorf("audit tree: %w", ErrIntegrity)
	}
	st.Size = r.End()
	st.Range = storedRange(r)
	st.Root = rootOf(r)
	return e, nil
}

// deriveAudit appends the change's entry (or entries: failed unlocks folded in at an
// unlock come first, in their own order) after every other deriver. A vault whose log
// has not started is left alone; the session starts it at unlock.
func deriveAudit(c *Change) error {
	st, err := readAuditState(c)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	key, err := c.path.auditKey(c)
	if err != nil {
		return err
	}
	defer crypto.Zero(key)
	events := c.events
	if len(events) == 0 {
		if len(c.writes) == 0 && len(c.shred) == 0 {
			return nil // nothing changed and nothing happened: nothing to log
		}
		events = []AuditEvent{c.inferEvent()}
	}
	before := st.Size
	for _, ev := range events {
		e, err := appendAudit(c, st, ev, key)
		if err != nil {
			return err
		}
		c.appended = append(c.appended, e)
	}
	// A checkpoint each time the log passes a multiple of checkpointEvery, in the
	// same transaction, so a long session without a lock or an export still leaves
	// signed sizes that a shortened log is caught against.
	if p := c.path; p.signKey != nil && st.Size/checkpointEvery > before/checkpointEvery {
		if _, err := putCheckpoint(c, p.vault, st, p.signKey); err != nil {
			return err
		}
	}
	return putAuditState(c.Tx, st)
}

// inferEvent names a change no service named: an edit of the first case it touched.
func (c *Change) inferEvent() AuditEvent {
	for _, w := range c.writes {
		if !w.Key.Case.IsZero() {
			return AuditEvent{Action: ActEdit, Case: w.Key.Case}
		}
	}
	return AuditEvent{Action: ActEdit}
}

// auditKey returns the entry MAC key: the session's, or (a store opened without a
// session, in tests) derived from the user keys in the store.
func (p *commitPath) auditKey(t Tx) ([]byte, error) {
	if p.auditSeed != nil {
		return auditMACKey(p.auditSeed), nil
	}
	var k storedUserKeys
	if err := getJSON(t, userKeysKey, &k); err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	defer crypto.Zero(k.SigningSeed)
	defer crypto.Zero(k.AuditSeed)
	if err := k.check(); err != nil {
		return nil, err
	}
	return auditMACKey(k.AuditSeed), nil
}

// logEvent names the change a service is making, for its audit entry. The services
// call it inside their update with the Tx they were given.
func logEvent(t Tx, ev AuditEvent) {
	if c, ok := t.(*Change); ok {
		c.events = append(c.events, ev)
	}
}
