package app

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
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

// Session is an unlocked vault. It owns the keyring and the store's one commit path;
// every service of the session writes through that path. Lock ends it: in-flight
// reads and writes finish, the store is closed and every key the session holds is
// zeroed.
type Session struct {
	vaults *Vaults
	dir    string
	mu     sync.Mutex // guards closed; held while the session locks
	keys   *Keyring
	path   *commitPath
	closed bool

	// hmu guards the header and its writes. It is never held while waiting for the
	// store, so an anchor written after a commit cannot deadlock a lock.
	hmu      sync.Mutex
	header   *Header
	anchored time.Time // when the state was last anchored in the header
	notices  []string

	signKey      ed25519.PrivateKey // signs audit checkpoints (the user's signing key)
	auditProblem string             // what the unlock's audit verification found

	failedBefore FailedUnlocks // the failed attempts before this unlock

	userKeys userKeyCache
}

// Dir is the vault directory.
func (s *Session) Dir() string { return s.dir }

// VaultID identifies the vault (not secret).
func (s *Session) VaultID() ID { return s.header.VaultID }

// Records returns the record service of this session, writing through the
// session's commit path. user names who is working (the author of notes); empty
// takes the name from the saved profile. ErrLocked after Lock.
func (s *Session) Records(user string) (*Records, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrLocked
	}
	return newRecords(s.path, user), nil
}

// Lock logs the lock and checkpoints the audit trail, waits for reads and writes in
// flight, closes the store, anchors its state in the header and zeroes the keys.
// Every service of the session answers ErrLocked afterwards. It is safe to call
// twice.
func (s *Session) Lock() error { return s.lock(ActLock) }

// LockIdle is Lock for the idle timer: the audit trail says it was not the user.
func (s *Session) LockIdle() error { return s.lock(ActLockIdle) }

func (s *Session) lock(action string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.signKey != nil {
		_ = s.logSession(AuditEvent{Action: action}) // a full disk must not keep the vault open
		_, _ = s.Checkpoint()
	}
	var snap anchorSnap
	err := s.path.close(func(st Store) {
		_ = st.View(func(t Tx) (err error) { snap, err = readAnchorSnap(t); return err })
	})
	if aerr := s.anchorState(snap); err == nil {
		err = aerr
	}
	s.userKeys.drop()
	s.keys.zero()
	s.signKey, s.path.signKey = nil, nil
	clear(s.path.auditSeed)
	clear(s.path.searchKey)
	s.path.auditSeed, s.path.searchKey = nil, nil
	releaseMemory()
	return err
}

// ReleaseMemory is releaseMemory for the desktop app, which calls it again once its
// screens have let go of what they showed, and once more after Fyne's own caches of
// rendered text have expired (about a minute).
func ReleaseMemory() { releaseMemory() }

// releaseMemory collects what the closed session left (decrypted records, key
// schedules, hash states, caches), overwrites the memory it freed, and returns free
// pages to the operating system. Go does not clear freed memory until it reuses it,
// and the standard library's hashes and ciphers keep copies of their keys in state
// nobody can zero; so, once the collector has freed them, the freed slots of each
// size class are taken again by zero-filled allocations (Go clears a slot when it
// hands it out), then dropped and returned.
func releaseMemory() {
	scrubStack()
	for range 2 {
		refillFreed()
	}
	debug.FreeOSMemory()
}

// scrubStack overwrites the unused part of the calling goroutine's stack, where the
// frames of key derivations and unsealing left copies.
//
//go:noinline
func scrubStack() {
	var buf [32 << 10]byte
	for i := range buf {
		buf[i] = 0
	}
	runtime.KeepAlive(&buf)
}

// refillFreed takes the freed slots of every size class again with zeroed memory,
// then drops them. For each class it allocates a span's worth at a time until the
// heap has to grow for it: from then on the class has no freed slot left.
func refillFreed() {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var hold [][]byte
	for _, c := range ms.BySize {
		if c.Size == 0 {
			continue
		}
		size := uint64(c.Size)
		batch := max(8192/size, 1) * 4
		for range 4096 { // at most 4096 batches a class (128 MiB for the largest)
			before := ms.HeapInuse
			for range batch {
				hold = append(hold, make([]byte, size))
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse-before >= batch*size {
				break // every object of this batch took fresh memory
			}
		}
	}
	runtime.KeepAlive(hold)
	hold = nil
	runtime.GC()
}

// repairHeader rewrites both copies of the header from the one that opened the
// vault, after the other was found damaged or different.
func (s *Session) repairHeader() error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if err := s.vaults.writeHeader(s.dir, s.header, s.keys); err != nil {
		return err
	}
	if s.header.repairedMain {
		s.notices = append(s.notices, "The vault header was damaged; it has been repaired from its spare copy.")
	}
	s.header.repair, s.header.repairedMain = false, false
	return nil
}

// Notices are things the user should hear about the vault after unlocking (a
// header repaired from its spare), as sentences.
func (s *Session) Notices() []string {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	return append([]string(nil), s.notices...)
}

// abandon ends a session that failed to open: the store closes without anchoring
// its state (which may be the damage that stopped it) and the keys are zeroed.
func (s *Session) abandon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	_ = s.path.close(nil)
	s.userKeys.drop()
	s.keys.zero()
}

// Exists reports whether dir holds a vault (a readable header or its spare copy), so
// the desktop app can open on the unlock screen or on the create-vault screen.
func (v *Vaults) Exists(dir string) bool {
	_, _, err := v.Disk.ReadHeaders(dir)
	return err == nil
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
		return nil, rk, err
	}
	rs, err := newRecoverySlot(h.VaultID, rk, keys)
	if err != nil {
		keys.zero()
		return nil, rk, err
	}
	h.Slots = []KeySlot{ps, rs}
	if err := v.writeHeader(dir, h, keys); err != nil {
		keys.zero()
		return nil, rk, err
	}
	s, err := v.open(dir, h, keys, true, "")
	if err != nil {
		return nil, rk, err
	}
	return s, rk, nil
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

// kdfRuns counts passphrase derivations, for the test that one unlock costs one.
var kdfRuns atomic.Int64

func unwrapWithPassphrase(h *Header, passphrase []byte) ([]byte, error) {
	for i := range h.Slots {
		s := &h.Slots[i]
		if s.Kind != SlotPassphrase {
			continue
		}
		kdfRuns.Add(1)
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

func newPassphraseSlot(vault ID, passphrase []byte, keys *Keyring, p crypto.KDFParams) (KeySlot, error) {
	s := KeySlot{ID: NewID(), Kind: SlotPassphrase, KDF: &p, Salt: crypto.NewSalt()}
	kek, err := crypto.DeriveKey(passphrase, s.Salt, p)
	if err != nil {
		return s, err
	}
	defer crypto.Zero(kek)
	s.Wrapped, err = keys.wrap(kek, slotAD(vault, &s))
	return s, err
}

func newRecoverySlot(vault ID, rk crypto.RecoveryKey, keys *Keyring) (KeySlot, error) {
	s := KeySlot{ID: NewID(), Kind: SlotRecovery}
	kek := recoveryKEK(rk)
	defer crypto.Zero(kek)
	var err error
	s.Wrapped, err = keys.wrap(kek, slotAD(vault, &s))
	return s, err
}

// Credential is what a user offers to open a vault: a passphrase or the recovery key.
type Credential struct {
	Passphrase  []byte
	RecoveryKey string
}

// keyFromHeader opens a header with a credential, without the lockout policy (used
// for backup files, which are not a vault on this machine).
func keyFromHeader(h *Header, c Credential) (*Keyring, error) {
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
	keys := newKeyring(key)
	if !h.verify(keys) {
		keys.zero()
		return nil, fmt.Errorf("vault header: %w", ErrIntegrity)
	}
	return keys, nil
}

// recoveryFormatError keeps the parser's account of which group is mistyped (it
// never repeats the key) under ErrRecoveryKeyFormat.
func recoveryFormatError(err error) error {
	return fmt.Errorf("%w: %s", ErrRecoveryKeyFormat, strings.TrimPrefix(err.Error(), "recovery key: "))
}
