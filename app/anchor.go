package app

import (
	"bytes"
	"fmt"
	"time"
)

// The anchor: the vault state's counter and digest, kept in the MACed header
// outside the store.
//
// Badger cuts a damaged MANIFEST at its first bad record, dropping the newest tables
// together with the newest state record, and a copy of an older db/ folder is a
// complete, older store: the store alone cannot tell. The header can: it records the
// counter and digest the store had when the vault last locked or closed, made a
// backup or an export, and at most a minute apart while writing (a save keeps its one
// fsync). At unlock, a store whose counter is behind its anchor, or at the anchor with
// another digest, or missing altogether, is an integrity error.
//
// What this leaves open (docs/SECURITY.md): writes of the last minute before a crash
// can be rolled back unnoticed, to no earlier than the anchor; and rolling back the
// whole folder, header and store together, can only be caught against something kept
// elsewhere: an export's checkpoint or a backup.

// StateAnchor is the header's record of the vault state, and of the audit log's size
// and root (a log that loses its tail is caught against it).
type StateAnchor struct {
	Counter   uint64 `json:"counter"`
	Digest    b64    `json:"digest"` // crypto.LtHash.Sum of the vault digest
	AuditSize uint64 `json:"audit_size,omitempty"`
	AuditRoot b64    `json:"audit_root,omitempty"`
}

// anchorSnap is what an anchor records, read from the store.
type anchorSnap struct {
	counter   uint64
	sum       [32]byte
	found     bool
	auditSize uint64
	auditRoot []byte
}

// readAnchorSnap reads the vault state and the audit log's size and root.
func readAnchorSnap(t Tx) (anchorSnap, error) {
	var a anchorSnap
	var err error
	a.counter, a.sum, a.found, err = stateOf(t)
	if err != nil {
		return a, err
	}
	st, err := readAuditState(t)
	if err == nil {
		a.auditSize, a.auditRoot = st.Size, st.Root
	} else if !isNotFound(err) {
		return a, err
	}
	return a, nil
}

// anchorEvery is the longest a writing session goes without anchoring.
const anchorEvery = 60 * time.Second

// checkAnchor compares the store's state with the header's anchor. A vault made
// before anchors existed has none, and passes.
func checkAnchor(h *Header, counter uint64, sum [32]byte, found bool) error {
	if p := anchorProblem(h, counter, sum, found); p != "" {
		return fmt.Errorf("%s: %w", p, ErrIntegrity)
	}
	return nil
}

// anchorProblem says what is wrong with the store against the anchor, or "".
func anchorProblem(h *Header, counter uint64, sum [32]byte, found bool) string {
	a := h.State
	switch {
	case a == nil:
		return ""
	case !found:
		return "the store has lost its records"
	case counter < a.Counter:
		return "the store is older than when the vault last locked (rolled back or damaged)"
	case counter == a.Counter && !bytes.Equal(sum[:], a.Digest):
		return "the store's records differ from when the vault last locked"
	}
	return ""
}

// anchorState writes the store's current counter and digest into the header, unless
// the header already holds them or newer ones. It holds no other lock while it
// reads, and only the header lock while it writes.
func (s *Session) anchorState(snap anchorSnap) error {
	if !snap.found {
		return nil
	}
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if a := s.header.State; a != nil && (a.Counter > snap.counter || a.Counter == snap.counter && bytes.Equal(a.Digest, snap.sum[:])) &&
		a.AuditSize >= snap.auditSize {
		return nil
	}
	nh := *s.header
	nh.State = &StateAnchor{Counter: snap.counter, Digest: append(b64(nil), snap.sum[:]...),
		AuditSize: snap.auditSize, AuditRoot: append(b64(nil), snap.auditRoot...)}
	if err := s.vaults.writeHeader(s.dir, &nh, s.keys); err != nil {
		return err
	}
	*s.header = nh
	s.anchored = s.vaults.Now()
	return nil
}

// Anchor writes the vault state into the header now: exports and backups call it,
// so what leaves the machine and the header agree.
func (s *Session) Anchor() error {
	var snap anchorSnap
	err := s.path.view(func(t Tx) (err error) {
		snap, err = readAnchorSnap(t)
		return err
	})
	if err != nil {
		return err
	}
	return s.anchorState(snap)
}

// anchorAfterCommit runs after each commit (with the write lock held): at most once
// a minute it anchors the state just committed.
func (s *Session) anchorAfterCommit(st Store) {
	s.hmu.Lock()
	due := s.vaults.Now().Sub(s.anchored) >= anchorEvery
	s.hmu.Unlock()
	if !due {
		return
	}
	var snap anchorSnap
	if st.View(func(t Tx) (err error) { snap, err = readAnchorSnap(t); return err }) == nil {
		_ = s.anchorState(snap) // a failed anchor is retried at the next commit or lock
	}
}
