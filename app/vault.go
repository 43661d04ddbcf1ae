package app

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"casenotes/crypto"
)

// VaultDisk is the vault directory on disk, implemented by storage/. The app decides
// what goes in the header; the disk keeps it safe (atomic writes, a spare copy) and
// opens the record store once the vault key is known.
type VaultDisk interface {
	// Create makes an empty vault directory; ErrVaultExists if a vault is there.
	Create(dir string) error
	// ReadHeaders returns the header and its spare copy; a missing one is nil.
	// ErrNoVault when neither exists.
	ReadHeaders(dir string) (main, spare []byte, err error)
	// WriteHeader replaces the header atomically (temp file, fsync, rename, fsync
	// directory), then refreshes the spare copy. At every instant a complete header,
	// old or new, is on disk.
	WriteHeader(dir string, header []byte) error
	// ReadFailures and WriteFailures keep the failed-unlock record, which must
	// persist while no key is open. It holds times only. A missing record reads
	// as nil; an unreadable one is an error.
	ReadFailures(dir string) ([]byte, error)
	WriteFailures(dir string, data []byte) error
	// LockFailures holds a lock on the failed-unlock record until release, so that
	// attempts made at the same time (two windows, scripts) each count.
	LockFailures(dir string) (release func(), err error)
	// OpenStore opens the record store with the two keys a store needs (never the
	// vault key; the store keeps no reference to the slices). ErrVaultInUse if
	// already open. Only create makes a new store: a vault whose store is missing
	// is damaged (ErrIntegrity), never silently empty.
	OpenStore(dir string, keys StoreKeys, create bool) (Store, error)
}

// Vaults creates and unlocks vaults.
type Vaults struct {
	Disk VaultDisk
	// Now is the clock; tests replace it.
	Now func() time.Time
	// KDFTarget is the time one passphrase derivation should take on this machine.
	KDFTarget time.Duration
	// Migrating, when set, hears of each migration batch committed while a vault
	// opens (a long migration shows progress).
	Migrating MigrationProgress
}

// NewVaults returns the vault service over a disk adapter.
func NewVaults(disk VaultDisk) *Vaults {
	return &Vaults{Disk: disk, Now: time.Now, KDFTarget: 700 * time.Millisecond}
}

// Exists reports whether dir holds a vault (a readable header or its spare copy), so
// the desktop app can open on the unlock screen or on the create-vault screen.
func (v *Vaults) Exists(dir string) bool {
	_, _, err := v.Disk.ReadHeaders(dir)
	return err == nil
}

// Create makes a new vault protected by the passphrase and a recovery key, which is
// returned once, for showing, and never stored.
func (v *Vaults) Create(dir string, passphrase []byte) (*Session, *IssuedRecoveryKey, error) {
	var rk crypto.RecoveryKey
	defer clear(rk[:]) // the caller gets a copy; this one, and any that failed, go
	if err := CheckPassphrase(string(passphrase)); err != nil {
		return nil, nil, err
	}
	if err := v.Disk.Create(dir); err != nil {
		return nil, nil, err
	}
	keys := newKeyring(crypto.RandomKey())
	rk = crypto.NewRecoveryKey()
	h := &Header{
		Format:  headerFormat,
		Version: HeaderVersion,
		VaultID: NewID(),
		Created: v.Now().UTC().Truncate(time.Second),
	}
	ps, err := newPassphraseSlot(h.VaultID, passphrase, keys, crypto.CalibrateKDF(v.KDFTarget))
	if err != nil {
		keys.zero()
		return nil, nil, err
	}
	rs, err := newRecoverySlot(h.VaultID, rk, keys)
	if err != nil {
		keys.zero()
		return nil, nil, err
	}
	h.Slots = []KeySlot{ps, rs}
	if err := v.writeHeader(dir, h, keys); err != nil {
		keys.zero()
		return nil, nil, err
	}
	s, err := v.open(dir, h, keys, true, "")
	if err != nil {
		return nil, nil, err
	}
	return s, &IssuedRecoveryKey{key: rk}, nil
}

// Unlock opens the vault with a passphrase. Failed attempts are recorded; after
// LockoutFailures within LockoutWindow it returns a *LockoutError.
func (v *Vaults) Unlock(dir string, passphrase []byte) (*Session, error) {
	h, keys, err := v.unlockKeys(dir, passphrase)
	if err != nil {
		return nil, err
	}
	return v.open(dir, h, keys, false, ActUnlock)
}

// UnlockWithRecoveryKey opens the vault with the printed recovery key; it works
// during a lockout. The user should then set a new passphrase (ResetPassphrase).
func (v *Vaults) UnlockWithRecoveryKey(dir, recoveryKey string) (*Session, error) {
	h, keys, err := v.recoveryKey(dir, recoveryKey)
	if err != nil {
		return nil, err
	}
	return v.open(dir, h, keys, false, ActUnlockRecovery)
}

// ChangePassphrase replaces the passphrase slot after checking the old passphrase.
// Only the header is rewritten (the vault key is rewrapped); no record changes.
func (v *Vaults) ChangePassphrase(dir string, oldPass, newPass []byte) error {
	if err := CheckPassphrase(string(newPass)); err != nil {
		return err
	}
	s, err := v.Unlock(dir, oldPass)
	if err != nil {
		return err
	}
	err = s.ChangePassphrase(newPass)
	if lerr := s.Lock(); err == nil {
		err = lerr
	}
	return err
}

// ResetPassphrase sets a new passphrase using the recovery key, for a user who has
// forgotten theirs. It also clears a lockout.
func (v *Vaults) ResetPassphrase(dir, recoveryKey string, newPass []byte) error {
	if err := CheckPassphrase(string(newPass)); err != nil {
		return err
	}
	s, err := v.UnlockWithRecoveryKey(dir, recoveryKey)
	if err != nil {
		return err
	}
	err = s.ChangePassphrase(newPass)
	if lerr := s.Lock(); err == nil {
		err = lerr
	}
	return err
}

// ChangePassphrase rewraps the open vault's key under a new passphrase.
func (s *Session) ChangePassphrase(newPass []byte) error {
	if err := CheckPassphrase(string(newPass)); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrLocked
	}
	s.hmu.Lock()
	err := s.vaults.rewrap(s.dir, s.header, s.keys, newPass)
	s.hmu.Unlock()
	if err != nil {
		return err
	}
	return s.logSession(AuditEvent{Action: ActPassphraseChanged})
}

// rewrap writes a header whose passphrase slot wraps vaultKey under newPass. The
// recovery slot is kept. The header write is atomic, so an interruption leaves the
// old header (old passphrase) or the new one (new passphrase), never neither.
func (v *Vaults) rewrap(dir string, h *Header, keys *Keyring, newPass []byte) error {
	ps, err := newPassphraseSlot(h.VaultID, newPass, keys, crypto.CalibrateKDF(v.KDFTarget))
	if err != nil {
		return err
	}
	nh := *h
	nh.Slots = []KeySlot{ps}
	for _, s := range h.Slots {
		if s.Kind == SlotRecovery {
			nh.Slots = append(nh.Slots, s)
		}
	}
	if err := v.writeHeader(dir, &nh, keys); err != nil {
		return err
	}
	*h = nh
	return nil
}

func (v *Vaults) writeHeader(dir string, h *Header, keys *Keyring) error {
	if err := h.seal(keys); err != nil {
		return err
	}
	b, err := h.Marshal()
	if err != nil {
		return err
	}
	return v.Disk.WriteHeader(dir, b)
}

// open opens the store, brings its records to this build's format (resuming a
// migration a crash interrupted) and returns the session. It takes ownership of
// keys: on failure they are zeroed.
func (v *Vaults) open(dir string, h *Header, keys *Keyring, create bool, action string) (*Session, error) {
	sk, err := keys.storeKeys()
	if err != nil {
		return nil, err
	}
	st, err := v.Disk.OpenStore(dir, sk, create)
	sk.Zero()
	if err != nil {
		keys.zero()
		return nil, err
	}
	s := &Session{vaults: v, dir: dir, keys: keys, path: newCommitPath(st), header: h}
	if err := migrate(s.path, v.Migrating, s.ensureUserKeys); err != nil {
		s.abandon()
		return nil, err
	}
	// The quick integrity check: the store must not be behind the header's anchor.
	var counter uint64
	var sum [32]byte
	var found bool
	err = s.path.view(func(t Tx) (err error) { counter, sum, found, err = stateOf(t); return err })
	if err == nil {
		err = checkAnchor(h, counter, sum, found)
	}
	if err != nil {
		s.abandon()
		return nil, err
	}
	s.path.afterCommit = s.anchorAfterCommit
	s.path.anchor = s.Anchor
	s.path.now = v.Now
	// The failed unlocks before this one go into the audit trail, then their
	// record is cleared (which also ends a lockout).
	fails, ferr := v.peekFailures(dir)
	if err := s.startAudit(action, create, fails); err != nil {
		s.abandon()
		return nil, err
	}
	if ferr == nil {
		ferr = v.clearFailures(dir)
	}
	if ferr != nil {
		s.notices = append(s.notices, "The record of failed unlocks could not be cleared; check the vault folder's permissions.")
	}
	s.failedBefore = fails
	if err := s.Anchor(); err != nil {
		s.abandon()
		return nil, err
	}
	if h.repair {
		if err := s.repairHeader(); err != nil {
			s.abandon()
			return nil, err
		}
	}
	return s, nil
}

// unlockKeys checks the passphrase against the header and returns the keyring
// without opening the store (for passphrase changes). It applies and records the
// lockout policy. One passphrase costs one key derivation: the spare header is used
// only when the main one is damaged, and a damaged header is an integrity error that
// does not count toward the lockout.
func (v *Vaults) unlockKeys(dir string, passphrase []byte) (*Header, *Keyring, error) {
	h, err := v.readHeader(dir)
	if err != nil {
		return nil, nil, err
	}
	if err := v.checkLockout(dir); err != nil {
		return nil, nil, err
	}
	key, err := unwrapWithPassphrase(h, passphrase)
	if errors.Is(err, ErrWrongPassphrase) {
		return nil, nil, v.recordFailure(dir, failedPassphrase)
	}
	if err != nil {
		return nil, nil, err
	}
	keys := newKeyring(key)
	if !h.verify(keys) {
		// The passphrase is right, but the header was changed by someone without it.
		keys.zero()
		return nil, nil, fmt.Errorf("vault header altered: %w", ErrIntegrity)
	}
	return h, keys, nil
}

// recoveryKey checks a recovery key against the header and returns the keyring. It
// works during a lockout; a wrong recovery key is recorded apart from wrong
// passphrases and does not lock passphrases out.
func (v *Vaults) recoveryKey(dir, text string) (*Header, *Keyring, error) {
	if _, err := crypto.ParseRecoveryKey(text); err != nil {
		return nil, nil, recoveryFormatError(err)
	}
	h, err := v.readHeader(dir)
	if err != nil {
		return nil, nil, err
	}
	keys, err := keyFromHeader(h, Credential{RecoveryKey: text})
	if errors.Is(err, ErrWrongPassphrase) {
		return nil, nil, v.recordFailure(dir, failedRecoveryKey)
	}
	if err != nil {
		return nil, nil, err
	}
	return h, keys, nil
}

// readHeader returns the vault header: the main copy when it is intact, else the
// spare, noting that the main copy needs repair (done once the vault is unlocked).
// Both damaged is an integrity error.
func (v *Vaults) readHeader(dir string) (*Header, error) {
	if rd, ok := v.Disk.(RekeyDisk); ok {
		if err := rd.FinishRekey(dir); err != nil {
			return nil, err
		}
	}
	main, spare, err := v.Disk.ReadHeaders(dir)
	if err != nil {
		return nil, err
	}
	var firstErr error
	if main != nil {
		h, err := ParseHeader(main)
		if err == nil {
			h.repair = spare == nil || !bytes.Equal(main, spare)
			return h, nil
		}
		firstErr = err
	}
	if spare != nil {
		h, err := ParseHeader(spare)
		if err == nil {
			h.repair = true
			h.repairedMain = main != nil
			return h, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if errors.Is(firstErr, ErrTooNew) {
		return nil, firstErr
	}
	return nil, fmt.Errorf("the vault header is damaged: %w", ErrIntegrity)
}
