package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The lockout: five wrong passphrases within fifteen minutes refuse passphrase
// unlocks for fifteen minutes; the recovery key still works, and any successful
// unlock (the recovery key's too, as when it sets a new passphrase) ends the
// lockout: the failures go into the audit trail and their record is cleared
// (Vaults.open).
//
// The failures are kept in unlock-failures.json beside the header (times only),
// because no key is open when an unlock fails. The record is read and written under
// a file lock, so attempts made at the same time each count; an unreadable record
// refuses passphrase unlocks (it fails closed) until the recovery key is used. Wrong
// recovery keys are kept apart: a 256-bit key cannot be guessed, so they lock nothing
// out, but they are recorded. Every failure since the last successful unlock is kept,
// for the audit trail to take in at that unlock.
//
// What the lockout can stop: guessing through the app. What it cannot: a person who
// copies the vault folder and guesses offline. Against that the passphrase and the
// Argon2id cost are the defense (README, docs/SECURITY.md).

// Lockout policy: five failed unlocks within fifteen minutes lock the vault out for
// fifteen minutes. The recovery key still works during a lockout.
const (
	LockoutFailures = 5
	LockoutWindow   = 15 * time.Minute
)

// failureRecord is the on-disk record of failed unlocks (times only).
type failureRecord struct {
	Passphrase []time.Time `json:"failed_unlocks"`
	Recovery   []time.Time `json:"failed_recovery_keys,omitempty"`
	// Earlier counts failures dropped to keep the file small.
	Earlier int `json:"earlier_failures,omitempty"`
}

// failureKind is what was wrong.
type failureKind int

const (
	failedPassphrase failureKind = iota
	failedRecoveryKey
)

// maxKeptFailures bounds the record (about 30 bytes a failure).
const maxKeptFailures = 1000

// errFailuresUnreadable says the failure record exists but cannot be read.
var errFailuresUnreadable = errors.New("the record of failed unlocks cannot be read")

// readFailures reads the record; a missing record is empty.
func (v *Vaults) readFailures(dir string) (failureRecord, error) {
	var r failureRecord
	b, err := v.Disk.ReadFailures(dir)
	if err != nil {
		return r, errFailuresUnreadable
	}
	if len(b) == 0 {
		return r, nil
	}
	if json.Unmarshal(b, &r) != nil {
		return r, errFailuresUnreadable
	}
	return r, nil
}

// lockedOutUntil applies the policy to a record at now.
func lockedOutUntil(r failureRecord, now time.Time) (time.Time, bool) {
	var recent []time.Time
	for _, t := range r.Passphrase {
		if now.Sub(t) < LockoutWindow && !t.After(now.Add(time.Minute)) {
			recent = append(recent, t)
		}
	}
	if len(recent) < LockoutFailures {
		return time.Time{}, false
	}
	until := slices.MaxFunc(recent, time.Time.Compare).Add(LockoutWindow)
	return until, now.Before(until)
}

// checkLockout refuses a passphrase unlock during a lockout, or when the record
// cannot be read.
func (v *Vaults) checkLockout(dir string) error {
	release, err := v.Disk.LockFailures(dir)
	if err != nil {
		return &LockoutError{Unreadable: true}
	}
	defer release()
	r, err := v.readFailures(dir)
	if err != nil {
		return &LockoutError{Unreadable: true}
	}
	if until, locked := lockedOutUntil(r, v.Now()); locked {
		return &LockoutError{Until: until}
	}
	return nil
}

// recordFailure adds a failed attempt to the record under its lock and returns the
// error the attempt ends with: a wrong passphrase or recovery key, or the lockout it
// started. A record that cannot be written does not change the answer.
func (v *Vaults) recordFailure(dir string, kind failureKind) error {
	wrong := ErrWrongPassphrase
	if kind == failedRecoveryKey {
		wrong = ErrWrongRecoveryKey
	}
	release, err := v.Disk.LockFailures(dir)
	if err != nil {
		return wrong
	}
	defer release()
	now := v.Now().UTC()
	r, err := v.readFailures(dir)
	if err != nil {
		return wrong
	}
	if kind == failedRecoveryKey {
		r.Recovery = append(r.Recovery, now)
	} else {
		r.Passphrase = append(r.Passphrase, now)
	}
	for len(r.Passphrase)+len(r.Recovery) > maxKeptFailures {
		if len(r.Recovery) > 0 && (len(r.Passphrase) == 0 || r.Recovery[0].Before(r.Passphrase[0])) {
			r.Recovery = r.Recovery[1:]
		} else {
			r.Passphrase = r.Passphrase[1:]
		}
		r.Earlier++
	}
	if b, err := json.Marshal(r); err == nil {
		_ = v.Disk.WriteFailures(dir, b)
	}
	if kind == failedPassphrase {
		if until, locked := lockedOutUntil(r, now); locked {
			return &LockoutError{Until: until}
		}
	}
	return wrong
}

// FailedUnlocks is what happened before a successful unlock: the failed attempts
// since the previous one, oldest first.
type FailedUnlocks struct {
	Passphrase []time.Time
	Recovery   []time.Time
	Earlier    int // more failures, whose times were not kept
}

// peekFailures reads the record after a successful unlock, for the audit trail.
func (v *Vaults) peekFailures(dir string) (FailedUnlocks, error) {
	release, err := v.Disk.LockFailures(dir)
	if err != nil {
		return FailedUnlocks{}, fmt.Errorf("%w: locking the record of failed unlocks: %v", ErrStore, err)
	}
	defer release()
	r, err := v.readFailures(dir)
	if err != nil {
		return FailedUnlocks{Earlier: 1}, nil // unreadable: at least one failure, times lost
	}
	return FailedUnlocks(r), nil // the same fields: a field added to one must be added to the other
}

// clearFailures removes the record once the audit trail holds what it said; a
// lockout ends with it.
func (v *Vaults) clearFailures(dir string) error {
	release, err := v.Disk.LockFailures(dir)
	if err != nil {
		return fmt.Errorf("%w: locking the record of failed unlocks: %v", ErrStore, err)
	}
	defer release()
	if err := v.Disk.WriteFailures(dir, nil); err != nil {
		return fmt.Errorf("%w: clearing the record of failed unlocks: %v", ErrStore, err)
	}
	return nil
}

// Lockout reports whether passphrase unlocks are refused now, and until when (zero
// when the record is unreadable: until the recovery key is used).
func (v *Vaults) Lockout(dir string) (time.Time, bool) {
	var le *LockoutError
	if err := v.checkLockout(dir); errors.As(err, &le) {
		return le.Until, true
	}
	return time.Time{}, false
}
