package app

import (
	"casenotes/crypto"
	"fmt"
	"strings"
	"sync/atomic"
)

// The key slots of the vault header: the vault key wrapped by a key derived from
// the passphrase (Argon2id) and by the printed recovery key, and how a credential
// opens one.

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
