package app

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"
)

// The session's part of the audit trail: starting the log, folding in the failed
// unlocks that came before this one, the unlock and lock entries, checkpoints, and
// the incremental verification at every unlock.

// startAudit runs once a session is open: it starts the log of a vault that has none,
// verifies what was logged since the last verified entry, and logs the failed unlocks
// before this one (in their order, with their times) and the unlock itself.
func (s *Session) startAudit(action string, created bool, fails FailedUnlocks) error {
	keys, err := s.UserKeys()
	if err != nil {
		return err
	}
	// The seed is the first half of the audit key, shared rather than copied, so
	// it is zeroed with the user keys when the vault locks.
	s.path.auditSeed = keys.audit[:ed25519.SeedSize:ed25519.SeedSize]
	s.path.searchKey = append([]byte(nil), keys.searchKey...)
	s.signKey = keys.SigningKey()
	s.path.signKey, s.path.vault = s.signKey, s.VaultID()

	started := false
	err = s.path.view(func(t Tx) error {
		_, err := readAuditState(t)
		if isNotFound(err) {
			return nil
		}
		started = err == nil
		return err
	})
	if err != nil {
		return err
	}
	if !started {
		first := ActAuditStarted
		if created {
			first = ActVaultCreated
		}
		err := s.path.updateAs(s.context(), func(c *Change) error {
			logEvent(c, AuditEvent{Action: first})
			return putJSON(c.Tx, auditStateKey, &auditState{Root: auditHasher.EmptyRoot(), VerifiedRange: []b64{}, Range: []b64{}})
		})
		if err != nil {
			return err
		}
	}

	// Verify what is new since the last verified entry; a problem does not stop the
	// vault from opening, but it shows, and stays shown, until someone looks at it.
	rep, err := s.verifyAudit(false)
	if err != nil {
		return err
	}
	if !rep.OK() {
		s.auditProblem = rep.Problem
	} else if p := s.auditAnchorProblem(rep); p != "" {
		s.auditProblem = p
	}

	events := failedUnlockEvents(fails)
	if s.auditProblem != "" {
		// The failure found is itself an event of the log, at every unlock that
		// finds it, before the unlock's own entry.
		events = append(events, AuditEvent{Action: ActIntegrityFailure, Outcome: OutcomeFailed, Reason: "audit-trail"})
	}
	if action != "" {
		events = append(events, AuditEvent{Action: action})
	}
	return s.path.updateAs(s.context(), func(c *Change) error {
		if rep.OK() && s.auditProblem == "" {
			st, err := readAuditState(c)
			if err != nil {
				return err
			}
			st.Verified, st.VerifiedRange = rep.Size, rep.rangeAt
			if err := putAuditState(c.Tx, st); err != nil {
				return err
			}
		}
		for _, ev := range events {
			logEvent(c, ev)
		}
		return nil
	})
}

// failedUnlockEvents turns the failure record into entries, oldest first, with a
// lockout entry at each fifth wrong passphrase within the lockout window.
func failedUnlockEvents(f FailedUnlocks) []AuditEvent {
	var evs []AuditEvent
	for range f.Earlier {
		evs = append(evs, AuditEvent{Action: ActUnlockFailed, Outcome: OutcomeRefused, Reason: "time-not-kept"})
	}
	i, j := 0, 0
	var window []time.Time
	for i < len(f.Passphrase) || j < len(f.Recovery) {
		if j >= len(f.Recovery) || i < len(f.Passphrase) && !f.Recovery[j].Before(f.Passphrase[i]) {
			at := f.Passphrase[i]
			i++
			evs = append(evs, AuditEvent{Action: ActUnlockFailed, Outcome: OutcomeRefused, Reason: "wrong-passphrase", Time: at})
			window = append(window, at)
			for len(window) > 0 && at.Sub(window[0]) >= LockoutWindow {
				window = window[1:]
			}
			if len(window) == LockoutFailures {
				evs = append(evs, AuditEvent{Action: ActLockout, Outcome: OutcomeRefused, Time: at})
				window = nil
			}
			continue
		}
		evs = append(evs, AuditEvent{Action: ActRecoveryFailed, Outcome: OutcomeRefused, Reason: "wrong-recovery-key", Time: f.Recovery[j]})
		j++
	}
	return evs
}

// context is the change context of the session's own entries.
func (s *Session) context() changeContext {
	return changeContext{now: s.vaults.Now}
}

// logSession writes one entry for an event of the session (a lock, a backup).
func (s *Session) logSession(ev AuditEvent) error {
	return s.path.updateAs(s.context(), func(c *Change) error {
		logEvent(c, ev)
		return nil
	})
}

// AuditProblem is what the unlock's verification of the audit trail found wrong, as
// a sentence, or "". The app shows it until the vault locks.
func (s *Session) AuditProblem() string {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	return s.auditProblem
}

// checkpointNow signs and stores a checkpoint of the log as it stands.
func (s *Session) checkpointNow() ([]byte, *auditState, error) {
	if s.signKey == nil {
		return nil, nil, errNoLog
	}
	var signed []byte
	var state *auditState
	err := s.path.putOutsideLog(func(c *Change) error {
		c.ctx = s.context()
		var err error
		if state, err = readAuditState(c); err != nil {
			return err
		}
		signed, err = putCheckpoint(c, s.VaultID(), state, s.signKey)
		return err
	})
	return signed, state, err
}

// Checkpoint signs a checkpoint of the log as it stands now and returns it (for a
// supervisor's copy, or `casenotes audit checkpoint`).
func (s *Session) Checkpoint() ([]byte, error) {
	s.path.state.RLock()
	defer s.path.state.RUnlock()
	if s.path.closed {
		return nil, ErrLocked
	}
	s.path.write.Lock()
	defer s.path.write.Unlock()
	signed, _, err := s.checkpointNow()
	return signed, err
}

// Attestation is what an export's bundle carries about the audit trail: the signed
// checkpoint made right after the export's entry, the entry itself and its inclusion
// proof.
type Attestation struct {
	Checkpoint []byte
	Entry      []byte // the export entry as logged (its leaf)
	Index      uint64
	Size       uint64
	Proof      [][]byte
}

// AttestExport logs an export (its profile, format, recipient, counts and the hash
// of what was signed), makes a checkpoint that includes it, and returns the
// checkpoint and the entry's inclusion proof for the bundle.
func (s *Session) AttestExport(ev AuditEvent) (Attestation, error) {
	var a Attestation
	ev.Action = ActExport
	if err := s.logSession(ev); err != nil {
		return a, err
	}
	s.path.state.RLock()
	defer s.path.state.RUnlock()
	if s.path.closed {
		return a, ErrLocked
	}
	s.path.write.Lock()
	defer s.path.write.Unlock()
	signed, st, err := s.checkpointNow()
	if err != nil {
		return a, err
	}
	a.Checkpoint, a.Size, a.Index = signed, st.Size, st.Size-1
	err = s.path.store.View(func(t Tx) error {
		var err error
		if a.Entry, err = t.Get(auditEntryKey(a.Index)); err != nil {
			return err
		}
		a.Proof, err = inclusionProof(t, a.Index, a.Size)
		return err
	})
	if err == nil {
		err = s.markCheckpointLeft(a.Size)
	}
	return a, err
}

// markCheckpointLeft records that the checkpoint of that size left the machine.
func (s *Session) markCheckpointLeft(size uint64) error {
	return s.path.putOutsideLog(func(c *Change) error {
		var kept storedCheckpoint
		if err := getJSON(c, checkpointKey(size), &kept); err != nil {
			return err
		}
		kept.Left = s.vaults.Now().UTC()
		return putJSON(c, checkpointKey(size), &kept)
	})
}

// LastCheckpointLeft is when a checkpoint of the log last left the machine (in an
// export or a backup); zero if none ever did. Until one has, the log proves nothing
// to anyone outside the vault (docs/SECURITY.md).
func (s *Session) LastCheckpointLeft() (time.Time, error) {
	var last time.Time
	err := s.path.view(func(t Tx) error {
		return scanJSON(t, RecCheckpoint, ID{}, func(_ Key, cp *storedCheckpoint) error {
			if cp.Left.After(last) {
				last = cp.Left
			}
			return nil
		})
	})
	return last, err
}

// ProveConsistency verifies an older checkpoint of this vault's log (signed with this
// user's key) and returns today's checkpoint and the consistency proof from the old
// one to it: someone holding the old checkpoint can check that nothing logged since
// was removed or rewritten.
func (s *Session) ProveConsistency(old []byte) (from, to *Checkpoint, hashes [][]byte, err error) {
	keys, err := s.UserKeys()
	if err != nil {
		return nil, nil, nil, err
	}
	pub := keys.SigningPublic()
	from, err = OpenCheckpoint(old, pub, CheckpointOrigin(s.VaultID()))
	if err != nil {
		return nil, nil, nil, err
	}
	signed, err := s.Checkpoint()
	if err != nil {
		return nil, nil, nil, err
	}
	if to, err = OpenCheckpoint(signed, pub, ""); err != nil {
		return nil, nil, nil, err
	}
	if from.Size > to.Size {
		return nil, nil, nil, fmt.Errorf("the checkpoint is of a longer log than this vault's: %w", ErrIntegrity)
	}
	err = s.path.view(func(t Tx) error {
		var err error
		hashes, err = consistencyProof(t, from.Size, to.Size)
		return err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return from, to, hashes, VerifyConsistency(from, to, hashes)
}

// auditAnchorProblem compares the log with the header's record of it at the last
// lock: a log that lost its tail, or was rewritten up to there, is a problem.
func (s *Session) auditAnchorProblem(rep AuditReport) string {
	s.hmu.Lock()
	a := s.header.State
	s.hmu.Unlock()
	if a == nil || a.AuditSize == 0 {
		return ""
	}
	if rep.Size < a.AuditSize {
		return fmt.Sprintf("The audit trail is shorter than when the vault last locked (%d entries, not %d): entries were removed.", rep.Size, a.AuditSize)
	}
	if root, ok := rep.roots[a.AuditSize]; !ok || !bytes.Equal(root, a.AuditRoot) {
		return "The audit trail differs from when the vault last locked: entries were changed."
	}
	return ""
}
