package app

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"casenotes/crypto"
)

// VaultDisk is the vault directory on disk, implemented by storage/. The app decides
// what goes in the header; the disk keeps it safe (atomic writes, a spare copy) and
// opens the record store once the vault key is known.
type VaultDisk interface {
	// Create makes an empty vault directory; ErrVaultExists if a vault is there.
	Create(dir string) error
	// ReadHeaders returns the header and, if present, its spare copy (main first).
	// ErrNoVault when neither exists.
	ReadHeaders(dir string) ([][]byte, error)
	// WriteHeader replaces the header atomically (temp file, fsync, rename, fsync
	// directory), then refreshes the spare copy. At every instant a complete header,
	// old or new, is on disk.
	WriteHeader(dir string, header []byte) error
	// ReadFailures and WriteFailures keep the failed-unlock record, which must
	// persist while no key is open. It holds times only.
	ReadFailures(dir string) ([]byte, error)
	WriteFailures(dir string, data []byte) error
	// OpenStore opens the record store with the vault key (the store derives its own
	// sub-keys and does not keep the slice). ErrVaultInUse if already open.
	OpenStore(dir string, vaultKey []byte) (Store, error)
}

// Lockout policy: five failed unlocks within fifteen minutes lock the vault out for
// fifteen minutes. The recovery key still works during a lockout.
const (
	LockoutFailures = 5
	LockoutWindow   = 15 * time.Minute
)

// Vaults creates and unlocks vaults.
type Vaults struct {
	Disk VaultDisk
	// Now is the clock; tests replace it.
	Now func() time.Time
	// KDFTarget is the time one passphrase derivation should take on this machine.
	KDFTarget time.Duration
}

// NewVaults returns the vault service over a disk adapter.
func NewVaults(disk VaultDisk) *Vaults {
	return &Vaults{Disk: disk, Now: time.Now, KDFTarget: 700 * time.Millisecond}
}

// Session is an unlocked vault. Lock ends it: the store is closed and every key the
// session holds is zeroed.
type Session struct {
	vaults   *Vaults
	dir      string
	mu       sync.Mutex
	store    Store
	vaultKey []byte
	header   *Header
	closed   bool
}

// Dir is the vault directory.
func (s *Session) Dir() string { return s.dir }

// VaultID identifies the vault (not secret).
func (s *Session) VaultID() ID { return s.header.VaultID }

// Store returns the record store, or ErrLocked after Lock.
func (s *Session) Store() (Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrLocked
	}
	return s.store, nil
}

// Lock closes the store and zeroes the keys. It is safe to call twice.
func (s *Session) Lock() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	crypto.Zero(s.vaultKey)
	s.vaultKey = nil
	return s.store.Close()
}

// Create makes a new vault protected by the passphrase and a recovery key, which is
// returned once and never stored.
func (v *Vaults) Create(dir string, passphrase []byte) (*Session, crypto.RecoveryKey, error) {
	var rk crypto.RecoveryKey
	if err := CheckPassphrase(string(passphrase)); err != nil {
		return nil, rk, err
	}
	if err := v.Disk.Create(dir); err != nil {
		return nil, rk, err
	}
	vaultKey := crypto.RandomKey()
	rk = crypto.NewRecoveryKey()
	h := &Header{
		Format:  headerFormat,
		Version: HeaderVersion,
		VaultID: NewID(),
		Created: v.Now().UTC().Truncate(time.Second),
	}
	ps, err := newPassphraseSlot(h.VaultID, passphrase, vaultKey, crypto.CalibrateKDF(v.KDFTarget))
	if err != nil {
		return nil, rk, err
	}
	rs, err := newRecoverySlot(h.VaultID, rk, vaultKey)
	if err != nil {
		return nil, rk, err
	}
	h.Slots = []KeySlot{ps, rs}
	if err := v.writeHeader(dir, h, vaultKey); err != nil {
		return nil, rk, err
	}
	s, err := v.open(dir, h, vaultKey)
	if err != nil {
		return nil, rk, err
	}
	return s, rk, nil
}

// Unlock opens the vault with a passphrase. Failed attempts are recorded; after
// LockoutFailures within LockoutWindow it returns a *LockoutError.
func (v *Vaults) Unlock(dir string, passphrase []byte) (*Session, error) {
	h, vaultKey, err := v.UnlockKey(dir, passphrase)
	if err != nil {
		return nil, err
	}
	return v.open(dir, h, vaultKey)
}

// UnlockWithRecoveryKey opens the vault with the printed recovery key; it works
// during a lockout. The user should then set a new passphrase (ResetPassphrase).
func (v *Vaults) UnlockWithRecoveryKey(dir, recoveryKey string) (*Session, error) {
	h, vaultKey, err := v.recoveryKey(dir, recoveryKey)
	if err != nil {
		return nil, err
	}
	return v.open(dir, h, vaultKey)
}

// ChangePassphrase replaces the passphrase slot after checking the old passphrase.
// Only the header is rewritten (the vault key is rewrapped); no record changes.
func (v *Vaults) ChangePassphrase(dir string, oldPass, newPass []byte) error {
	if err := CheckPassphrase(string(newPass)); err != nil {
		return err
	}
	h, vaultKey, err := v.UnlockKey(dir, oldPass)
	if err != nil {
		return err
	}
	defer crypto.Zero(vaultKey)
	return v.rewrap(dir, h, vaultKey, newPass)
}

// ResetPassphrase sets a new passphrase using the recovery key, for a user who has
// forgotten theirs. It also clears a lockout.
func (v *Vaults) ResetPassphrase(dir, recoveryKey string, newPass []byte) error {
	if err := CheckPassphrase(string(newPass)); err != nil {
		return err
	}
	h, vaultKey, err := v.recoveryKey(dir, recoveryKey)
	if err != nil {
		return err
	}
	defer crypto.Zero(vaultKey)
	if err := v.rewrap(dir, h, vaultKey, newPass); err != nil {
		return err
	}
	return v.Disk.WriteFailures(dir, nil)
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
	return s.vaults.rewrap(s.dir, s.header, s.vaultKey, newPass)
}

// rewrap writes a header whose passphrase slot wraps vaultKey under newPass. The
// recovery slot is kept. The header write is atomic, so an interruption leaves the
// old header (old passphrase) or the new one (new passphrase), never neither.
func (v *Vaults) rewrap(dir string, h *Header, vaultKey, newPass []byte) error {
	ps, err := newPassphraseSlot(h.VaultID, newPass, vaultKey, crypto.CalibrateKDF(v.KDFTarget))
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
	if err := v.writeHeader(dir, &nh, vaultKey); err != nil {
		return err
	}
	*h = nh
	return nil
}

func (v *Vaults) writeHeader(dir string, h *Header, vaultKey []byte) error {
	h.seal(vaultKey)
	b, err := h.Marshal()
	if err != nil {
		return err
	}
	return v.Disk.WriteHeader(dir, b)
}

// open opens the store and returns the session; it takes ownership of vaultKey.
func (v *Vaults) open(dir string, h *Header, vaultKey []byte) (*Session, error) {
	st, err := v.Disk.OpenStore(dir, vaultKey)
	if err != nil {
		crypto.Zero(vaultKey)
		return nil, err
	}
	return &Session{vaults: v, dir: dir, store: st, vaultKey: vaultKey, header: h}, nil
}

// UnlockKey checks the passphrase against the header and returns the vault key
// without opening the store (for passphrase changes and backups' restore). It
// applies and records the lockout policy.
func (v *Vaults) UnlockKey(dir string, passphrase []byte) (*Header, []byte, error) {
	headers, err := v.readHeaders(dir)
	if err != nil {
		return nil, nil, err
	}
	now := v.Now()
	fails := v.failures(dir, now)
	if len(fails) >= LockoutFailures {
		until := fails[len(fails)-1].Add(LockoutWindow)
		if now.Before(until) {
			return nil, nil, &LockoutError{Until: until}
		}
	}
	altered := false
	for _, h := range headers {
		key, err := unwrapWithPassphrase(h, passphrase)
		if errors.Is(err, ErrWrongPassphrase) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !h.verify(key) {
			// The passphrase is right but the header was changed: try the spare.
			crypto.Zero(key)
			altered = true
			continue
		}
		if len(fails) > 0 {
			_ = v.Disk.WriteFailures(dir, nil)
		}
		return h, key, nil
	}
	if altered {
		return nil, nil, fmt.Errorf("vault header: %w", ErrIntegrity)
	}
	v.recordFailure(dir, append(fails, now))
	if len(fails)+1 >= LockoutFailures {
		return nil, nil, &LockoutError{Until: now.Add(LockoutWindow)}
	}
	return nil, nil, ErrWrongPassphrase
}

// recoveryKey checks a recovery key against the header and returns the vault key.
func (v *Vaults) recoveryKey(dir, text string) (*Header, []byte, error) {
	if _, err := crypto.ParseRecoveryKey(text); err != nil {
		return nil, nil, recoveryFormatError(err)
	}
	headers, err := v.readHeaders(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, h := range headers {
		key, err := keyFromHeader(h, Credential{RecoveryKey: text})
		if errors.Is(err, ErrWrongPassphrase) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		return h, key, nil
	}
	v.recordFailure(dir, append(v.failures(dir, v.Now()), v.Now()))
	return nil, nil, ErrWrongPassphrase
}

// readHeaders parses the header and its spare; unreadable copies are skipped, and
// if none is readable the vault is reported damaged.
func (v *Vaults) readHeaders(dir string) ([]*Header, error) {
	raw, err := v.Disk.ReadHeaders(dir)
	if err != nil {
		return nil, err
	}
	var hs []*Header
	var firstErr error
	for _, b := range raw {
		h, err := ParseHeader(b)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		hs = append(hs, h)
	}
	if len(hs) == 0 {
		if firstErr == nil {
			firstErr = ErrNoVault
		}
		return nil, firstErr
	}
	return hs, nil
}

func unwrapWithPassphrase(h *Header, passphrase []byte) ([]byte, error) {
	for i := range h.Slots {
		s := &h.Slots[i]
		if s.Kind != SlotPassphrase {
			continue
		}
		kek, err := crypto.DeriveKey(passphrase, s.Salt, *s.KDF)
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, ErrIntegrity)
		}
		key, err := crypto.UnwrapKey(kek, s.Wrapped, slotAD(h.VaultID, s))
		crypto.Zero(kek)
		if err == nil {
			return key, nil
		}
	}
	return nil, ErrWrongPassphrase
}

// unwrapWithRecoveryKey opens the header's recovery slot.
func unwrapWithRecoveryKey(h *Header, rk crypto.RecoveryKey) ([]byte, error) {
	kek := recoveryKEK(rk)
	defer crypto.Zero(kek)
	for i := range h.Slots {
		s := &h.Slots[i]
		if s.Kind != SlotRecovery {
			continue
		}
		if key, err := crypto.UnwrapKey(kek, s.Wrapped, slotAD(h.VaultID, s)); err == nil {
			return key, nil
		}
	}
	return nil, ErrWrongPassphrase
}

func newPassphraseSlot(vault ID, passphrase, vaultKey []byte, p crypto.KDFParams) (KeySlot, error) {
	s := KeySlot{ID: NewID(), Kind: SlotPassphrase, KDF: &p, Salt: crypto.NewSalt()}
	kek, err := crypto.DeriveKey(passphrase, s.Salt, p)
	if err != nil {
		return s, err
	}
	defer crypto.Zero(kek)
	s.Wrapped, err = crypto.WrapKey(kek, vaultKey, slotAD(vault, &s))
	return s, err
}

func newRecoverySlot(vault ID, rk crypto.RecoveryKey, vaultKey []byte) (KeySlot, error) {
	s := KeySlot{ID: NewID(), Kind: SlotRecovery}
	kek := recoveryKEK(rk)
	defer crypto.Zero(kek)
	var err error
	s.Wrapped, err = crypto.WrapKey(kek, vaultKey, slotAD(vault, &s))
	return s, err
}

// Credential is what a user offers to open a vault: a passphrase or the recovery key.
type Credential struct {
	Passphrase  []byte
	RecoveryKey string
}

// keyFromHeader opens a header with a credential, without the lockout policy (used
// for backup files, which are not a vault on this machine).
func keyFromHeader(h *Header, c Credential) ([]byte, error) {
	var key []byte
	var err error
	if c.RecoveryKey != "" {
		rk, perr := crypto.ParseRecoveryKey(c.RecoveryKey)
		if perr != nil {
			return nil, recoveryFormatError(perr)
		}
		key, err = unwrapWithRecoveryKey(h, rk)
	} else {
		key, err = unwrapWithPassphrase(h, c.Passphrase)
	}
	if err != nil {
		return nil, err
	}
	if !h.verify(key) {
		crypto.Zero(key)
		return nil, fmt.Errorf("vault header: %w", ErrIntegrity)
	}
	return key, nil
}

// recoveryFormatError keeps the parser's account of which group is mistyped (it
// never repeats the key) under ErrRecoveryKeyFormat.
func recoveryFormatError(err error) error {
	return fmt.Errorf("%w: %s", ErrRecoveryKeyFormat, strings.TrimPrefix(err.Error(), "recovery key: "))
}
