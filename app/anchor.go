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

// StateAnchor is the header's record of the vault state.
type StateAnchor struct {
	Counter uint64 `json:"counter"`
	Digest  b64    `json:"digest"` // crypto.LtHash.Sum of the vault digest
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
func (s *Session) anchorState(counter uint64, sum [32]byte, found bool) error {
	if !found {
		return nil
	}
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if a := s.header.State; a != nil && (a.Counter > counter || a.Counter == counter && bytes.Equal(a.Digest, sum[:])) {
		return nil
	}
	nh := *s.header
	nh.State = &StateAnchor{Counter: counter, Digest: append(b64(nil), sum[:]...)}
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
	var counter uint64
	var sum [32]byte
	var found bool
	err := s.path.view(func(t Tx) (err error) {
		counter, sum, found, err = stateOf(t)
		return err
	})
	if err != nil {
		return err
	}
	return s.anchorState(counter, sum, found)
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
	var counter uint64
	var sum [32]byte
	var found bool
	if st.View(func(t Tx) (err error) { counter, sum, found, err = stateOf(t); return err }) == nil {
		_ = s.anchorState(counter, sum, found) // a failed anchor is retried at the next commit or lock
	}
}
