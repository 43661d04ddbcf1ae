package app

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors. Services wrap them with %w so callers test them with errors.Is;
// the desktop app and the command line turn each into one sentence a detective
// understands (see Sentence). Error strings never carry victim data: they name a
// field, a record kind or a file, never what a user typed.
var (
	// ErrWrongPassphrase: the passphrase does not open the vault.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrWrongRecoveryKey: a well-formed recovery key that does not open the vault.
	ErrWrongRecoveryKey = errors.New("wrong recovery key")
	// ErrLockedOut: too many failed unlocks; see LockoutError for how long.
	ErrLockedOut = errors.New("vault locked out after repeated failed unlocks")
	// ErrLocked: an operation needs an unlocked vault.
	ErrLocked = errors.New("vault is locked")
	// ErrIntegrity: a record, header, backup or chunk failed authentication; it was
	// altered, truncated, moved to another key or corrupted. Never shown as data.
	ErrIntegrity = errors.New("integrity check failed")
	// ErrVaultInUse: another Casenotes process (or window) holds the vault open.
	ErrVaultInUse = errors.New("this vault is already open in another Casenotes window")
	// ErrNoVault: the directory holds no vault.
	ErrNoVault = errors.New("no vault found")
	// ErrVaultExists: creating a vault where one already is.
	ErrVaultExists = errors.New("a vault already exists here")
	// ErrDiskFull: free disk space is below the safety margin; nothing was written.
	ErrDiskFull = errors.New("not enough free disk space to save safely")
	// ErrNotFound: no record with that identity.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: input failed validation; wrapped in a FieldError naming the field.
	ErrInvalid = errors.New("invalid input")
	// ErrExists: a unique value (such as a case number) is already taken.
	ErrExists = errors.New("already exists")
	// ErrStore: the store failed in an unexpected way (including a recovered panic).
	ErrStore = errors.New("the store failed")
	// ErrTooNew: the vault was written by a newer version of Casenotes.
	ErrTooNew = errors.New("vault written by a newer version of Casenotes")
	// ErrRecoveryKeyFormat: the recovery key was mistyped (its checksum names where).
	ErrRecoveryKeyFormat = errors.New("recovery key mistyped")
	// ErrWeakPassphrase: a new passphrase is too short or too easy to guess.
	ErrWeakPassphrase = errors.New("passphrase too weak")
	// ErrFinal: a final note, or other sealed-for-the-record item, cannot change.
	ErrFinal = errors.New("final records cannot be changed")
	// ErrReleaseRequired: sharing needs a victim's release that is not on file.
	ErrReleaseRequired = errors.New("a release of information is required")
	// ErrNotBackup: a file given as a backup does not start like one (a different
	// file was chosen); a backup that starts right but is damaged is ErrIntegrity.
	ErrNotBackup = errors.New("not a Casenotes backup")
	// ErrReadOnly: the case was received from a partner and cannot be edited.
	ErrReadOnly = errors.New("received cases are read-only")
	// ErrConflict: two write transactions touched the same record at once. The
	// commit path serializes writes so that it does not reach a user.
	ErrConflict = errors.New("a concurrent change touched the same record")
)

// LockoutError says how long the vault stays locked out. It matches ErrLockedOut.
// Unreadable is set when the record of failed unlocks cannot be read: passphrase
// unlocks are then refused until the recovery key is used (it fails closed).
type LockoutError struct {
	Until      time.Time
	Unreadable bool
}

func (e *LockoutError) Error() string {
	if e.Unreadable {
		return "the record of failed unlocks cannot be read: use the recovery key"
	}
	return fmt.Sprintf("too many failed unlocks: try again after %s, or use the recovery key",
		e.Until.Local().Format("15:04"))
}

// Is makes errors.Is(err, ErrLockedOut) hold.
func (e *LockoutError) Is(target error) bool { return target == ErrLockedOut }

// Remaining is the time left until the lockout ends, rounded to the second.
func (e *LockoutError) Remaining(now time.Time) time.Duration {
	d := e.Until.Sub(now)
	if d < 0 {
		return 0
	}
	return d.Round(time.Second)
}

// FieldError is a validation failure that names the field at fault, in the words a
// user sees on the form ("case number", "expiry"). It matches ErrInvalid, or
// ErrExists when the value is a duplicate.
type FieldError struct {
	Field  string // the field, e.g. "case number"
	Reason string // e.g. "is already used by another case"
	Err    error  // ErrInvalid or ErrExists
}

func (e *FieldError) Error() string { return e.Field + " " + e.Reason }

// Unwrap exposes the sentinel.
func (e *FieldError) Unwrap() error {
	if e.Err == nil {
		return ErrInvalid
	}
	return e.Err
}

// Invalid builds a FieldError for a bad value.
func Invalid(field, reason string) error {
	return &FieldError{Field: field, Reason: reason, Err: ErrInvalid}
}

// Sentence turns any error from this package into one sentence of what happened and
// one of what to do, for people, never a Go error string.
func Sentence(err error) string {
	var lo *LockoutError
	var fe *FieldError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &lo) && lo.Unreadable:
		return "The record of failed unlocks cannot be read, so passphrases are refused for now. Unlock with the recovery key."
	case errors.As(err, &lo):
		return fmt.Sprintf("Too many wrong passphrases. The vault opens again at %s; the recovery key works now.",
			lo.Until.Local().Format("3:04 PM"))
	case errors.As(err, &fe):
		s := fe.Error()
		return capitalise(s) + "."
	case errors.Is(err, ErrWrongPassphrase):
		return "That passphrase does not open this vault. Check Caps Lock and try again."
	case errors.Is(err, ErrWrongRecoveryKey):
		return "That recovery key does not open this vault. Check it against the printed key."
	case errors.Is(err, ErrVaultInUse):
		return "This vault is already open in another Casenotes window. Close that window first."
	case errors.Is(err, ErrNotBackup):
		return "That file is not a Casenotes backup. Choose a backup file written by Casenotes."
	case errors.Is(err, ErrIntegrity):
		return "Casenotes found data that has been altered or damaged and did not use it. Restore from a backup or contact your administrator."
	case errors.Is(err, ErrDiskFull):
		return "The disk is almost full, so nothing was saved. Free some space and try again."
	case errors.Is(err, ErrNoVault):
		return "No vault was found here. Create one, or choose the folder that holds yours."
	case errors.Is(err, ErrVaultExists):
		return "A vault already exists here. Unlock it, or choose another folder."
	case errors.Is(err, ErrLocked):
		return "The vault is locked. Unlock it to continue."
	case errors.Is(err, ErrRecoveryKeyFormat):
		detail := strings.TrimPrefix(err.Error(), ErrRecoveryKeyFormat.Error()+": ")
		return "The recovery key does not read right: " + detail + ". Check it against the printed key."
	case errors.Is(err, ErrWeakPassphrase):
		return capitalise(err.Error()) + ". Use a longer passphrase of several unrelated words."
	case errors.Is(err, ErrTooNew):
		return "This vault was written by a newer version of Casenotes. Update Casenotes to open it."
	case errors.Is(err, ErrFinal):
		return "Final notes cannot be changed. Add an addendum instead."
	case errors.Is(err, ErrReadOnly):
		return "This case was received from a partner and is read-only."
	case errors.Is(err, ErrReleaseRequired):
		return capitalise(err.Error()) + "."
	case errors.Is(err, ErrNotFound):
		return "That item no longer exists. Refresh the list and try again."
	default:
		return "Something went wrong and nothing was changed. Try again; if it keeps happening, contact your administrator."
	}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		return string(c-'a'+'A') + s[1:]
	}
	return s
}
