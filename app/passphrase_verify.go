package app

import (
	"crypto/subtle"
	"errors"

	"casenotes/crypto"
)

// VerifyPassphrase checks that p is the open vault's passphrase, as Settings asks
// before changing the passphrase or any key, so that someone at an unlocked,
// unattended computer cannot. It needs no second unlock (the open store cannot be
// opened twice). A wrong passphrase counts toward the lockout, as at the unlock
// screen, and is folded into the audit trail at the next unlock; during a lockout
// it is refused.
func (s *Session) VerifyPassphrase(p []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrLocked
	}
	if err := s.vaults.checkLockout(s.dir); err != nil {
		return err
	}
	s.hmu.Lock()
	h := *s.header
	s.hmu.Unlock()
	key, err := unwrapWithPassphrase(&h, p)
	if errors.Is(err, ErrWrongPassphrase) {
		return s.vaults.recordFailure(s.dir, failedPassphrase)
	}
	if err != nil {
		return err
	}
	defer crypto.Zero(key)
	if !s.keys.holds(key) {
		// It opens a passphrase slot of this header, but not to this session's
		// vault key: the header changed under the session.
		return ErrIntegrity
	}
	return nil
}

// holds reports whether key is the keyring's vault key.
func (k *Keyring) holds(key []byte) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.vaultKey) > 0 && subtle.ConstantTimeCompare(k.vaultKey, key) == 1
}
