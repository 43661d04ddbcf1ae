package app

import (
	"crypto/ed25519"
	"sync"
	"time"
)

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
