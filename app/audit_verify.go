package app

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"time"

	"casenotes/crypto"
)

// AuditReport is what a verification of the audit trail found.
type AuditReport struct {
	Size        uint64 // entries in the log
	Checked     uint64 // entries this verification read
	Checkpoints int    // stored checkpoints whose signature and root were checked
	// Problem is the first thing wrong, as a sentence naming the entry; "" when the
	// log is sound. BadSeq and BadTime locate it (BadTime is zero when the entry
	// itself is unreadable or missing).
	Problem string
	BadSeq  uint64
	BadTime time.Time

	rangeAt []b64             // the compact range at Size
	roots   map[uint64][]byte // roots at sizes asked for (the header's anchor)
}

// OK reports whether the log verified.
func (r AuditReport) OK() bool { return r.Problem == "" }

// Err is nil for a sound log, else an ErrIntegrity naming the first bad entry.
func (r AuditReport) Err() error {
	if r.OK() {
		return nil
	}
	return fmt.Errorf("%s: %w", r.Problem, ErrIntegrity)
}

// VerifyAudit verifies the whole audit trail: every entry's sequence and MAC, the
// tree it builds against the log's record of its root, and every stored
// checkpoint's signature and root. It names the first bad entry.
func (s *Session) VerifyAudit() (AuditReport, error) {
	rep, err := s.verifyAudit(true)
	if err == nil && rep.OK() {
		if p := s.auditAnchorProblem(rep); p != "" {
			rep.Problem = p
		}
	}
	if err == nil && !rep.OK() {
		// An integrity failure found is itself an event of the log.
		_ = s.logSession(AuditEvent{Action: ActIntegrityFailure, Outcome: OutcomeFailed, Reason: "audit-trail"})
	}
	return rep, err
}

// verifyAudit verifies the log from the start (full) or from the last entry a
// verification passed (incremental, at unlock).
func (s *Session) verifyAudit(full bool) (AuditReport, error) {
	var rep AuditReport
	keys, err := s.UserKeys()
	if err != nil {
		return rep, err
	}
	macKey := auditMACKey(keys.audit[:ed25519.SeedSize]) // the key's own bytes: Seed() would leave a copy
	defer crypto.Zero(macKey)
	pub := keys.SigningPublic()
	s.hmu.Lock()
	anchorSize := uint64(0)
	if a := s.header.State; a != nil {
		anchorSize = a.AuditSize
	}
	s.hmu.Unlock()
	err = s.path.view(func(t Tx) error {
		st, err := readAuditState(t)
		if isNotFound(err) {
			return nil // no log yet
		}
		if err != nil {
			rep.Problem = "The audit trail's own record cannot be read."
			return nil
		}
		rep = verifyLog(t, st, full, macKey, pub, CheckpointOrigin(s.VaultID()), anchorSize)
		return nil
	})
	return rep, err
}

// verifyLog walks the log's entries (from the last verified one unless full).
func verifyLog(t Tx, st *auditState, full bool, macKey []byte, pub []byte, origin string, anchorSize uint64) AuditReport {
	rep := AuditReport{roots: map[uint64][]byte{}}
	start, hashes := uint64(0), []b64(nil)
	if !full && st.Verified <= st.Size {
		start, hashes = st.Verified, st.VerifiedRange
	}
	r, err := rangeOf(start, hashes)
	if err != nil {
		start, full = 0, true
		r = auditRanges.NewEmptyRange(0)
	}
	// The checkpoints to check on the way.
	cps := map[uint64]string{}
	_ = scanJSON(t, RecCheckpoint, ID{}, func(k Key, cp *storedCheckpoint) error {
		if k.Order > start || full {
			cps[k.Order] = cp.Note
		}
		return nil
	})
	fail := func(seq uint64, at time.Time, what string) {
		if rep.Problem != "" {
			return
		}
		rep.BadSeq, rep.BadTime = seq, at
		if at.IsZero() {
			rep.Problem = fmt.Sprintf("Audit entry %d: %s.", seq, what)
		} else {
			rep.Problem = fmt.Sprintf("Audit entry %d (%s UTC): %s.", seq, at.UTC().Format("Jan 2, 2006 15:04:05"), what)
		}
	}
	checkRoot := func() {
		size := r.End()
		if size == anchorSize {
			rep.roots[size] = rootOf(r)
		}
		if note, ok := cps[size]; ok {
			cp, err := OpenCheckpoint([]byte(note), pub, origin)
			switch {
			case err != nil:
				fail(size-1, time.Time{}, "the checkpoint made after it does not verify")
			case !bytes.Equal(cp.Root, rootOf(r)):
				fail(size-1, time.Time{}, "the log up to here differs from its signed checkpoint: entries were changed")
			default:
				rep.Checkpoints++
			}
			delete(cps, size)
		}
	}
	checkRoot()
	var after []byte
	if start > 0 {
		after = auditEntryKey(start - 1).Bytes()
	} else {
		after = []byte{byte(RecAudit)} // every entry key sorts after it
	}
	next := start
	err = t.Walk(after, func(k Key, sealed, value []byte, rerr error) error {
		if k.Type != RecAudit {
			return ErrStopScan
		}
		if k.Order != next {
			what := "it is missing"
			if leftDamaged(t, next) {
				what = damagedEntry
			}
			fail(next, time.Time{}, what)
			return ErrStopScan
		}
		if rerr != nil {
			fail(next, time.Time{}, damagedEntry)
			return ErrStopScan
		}
		var e AuditEntry
		if json.Unmarshal(value, &e) != nil {
			fail(next, time.Time{}, "it is unreadable")
			return ErrStopScan
		}
		if e.Seq != next {
			fail(next, e.Time, fmt.Sprintf("it says it is entry %d: entries were moved or copied", e.Seq))
			return ErrStopScan
		}
		if !hmac.Equal(e.MAC, crypto.MAC(macKey, e.macInput())) {
			fail(next, e.Time, "its seal (MAC) does not match, so it was changed after it was written")
			return ErrStopScan
		}
		if err := r.Append(leafHash(value), nil); err != nil {
			fail(next, e.Time, "the tree cannot take it")
			return ErrStopScan
		}
		next++
		rep.Checked++
		checkRoot()
		return nil
	})
	if err != nil && rep.Problem == "" {
		rep.Problem = "The audit trail cannot be read."
	}
	rep.Size = r.End()
	if rep.Problem == "" {
		switch {
		case rep.Size < st.Size:
			what := fmt.Sprintf("it is missing (the log should hold %d entries)", st.Size)
			if leftDamaged(t, rep.Size) {
				what = damagedEntry
			}
			fail(rep.Size, time.Time{}, what)
		case rep.Size > st.Size:
			fail(st.Size, time.Time{}, "it is not counted in the log's record of itself: entries were added")
		case !bytes.Equal(rootOf(r), st.Root):
			fail(rep.Size-1, time.Time{}, "the log's tree does not match its record: entries were changed")
		case len(cps) > 0:
			for size := range cps {
				if size > rep.Size {
					fail(rep.Size, time.Time{}, fmt.Sprintf("it is missing (a signed checkpoint covers %d entries)", size))
				}
			}
		}
	}
	rep.rangeAt = storedRange(r)
	return rep
}

// damagedEntry is what the verification says of an entry whose seal does not open.
const damagedEntry = "it is damaged and cannot be read"

// leftDamaged reports whether entry seq is where the audit key range migration left
// it because its old seal no longer opened (audit_migration.go): damaged, not missing.
func leftDamaged(t Tx, seq uint64) bool {
	_, err := t.Get(Key{Type: RecLegacyAudit, Order: seq})
	return err != nil && !isNotFound(err)
}
