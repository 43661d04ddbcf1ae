package app

import (
	"crypto/ed25519"
	"fmt"
	"sync"

	"casenotes/crypto"
)

// The user's long-lived keys: keys that other people must recognize over time
// (partners hold the signing fingerprint and the age recipient; auditors hold signed
// checkpoints), so they are random, not derived from the vault key. They are sealed
// in the store like any vault-level record and so only wrapped by the keyring: a
// later change of the vault key (a rekey) reseals them and keeps every fingerprint.
// They are made at vault creation, and at the first unlock of a vault made before
// they existed.

// userKeysKey is where the sealed user keys live among the vault-level user records
// (the profile is ID 1).
var userKeysKey = Key{Type: RecUser, ID: ID{15: 2}}

// userKeysFormat versions the stored record.
const userKeysFormat = 1

// storedUserKeys is the sealed record. Never logged, never exported.
type storedUserKeys struct {
	Format int `json:"format"`
	// SigningSeed is the Ed25519 seed of the key that signs export manifests.
	SigningSeed []byte `json:"signing_seed"`
	// AgeIdentity is the X25519 identity ("AGE-SECRET-KEY-1...") that receives
	// bundles; AgeRecipient is its public "age1..." form.
	AgeIdentity  string `json:"age_identity"`
	AgeRecipient string `json:"age_recipient"`
	// AuditSeed is the Ed25519 seed of the key that signs audit checkpoints.
	AuditSeed []byte `json:"audit_seed"`
	// SearchKey keys the tokens of a persisted search index.
	SearchKey []byte `json:"search_key"`
}

func newStoredUserKeys() (*storedUserKeys, error) {
	identity, recipient, err := crypto.NewAgeIdentity()
	if err != nil {
		return nil, err
	}
	return &storedUserKeys{
		Format:       userKeysFormat,
		SigningSeed:  crypto.RandomKey(),
		AgeIdentity:  identity,
		AgeRecipient: recipient,
		AuditSeed:    crypto.RandomKey(),
		SearchKey:    crypto.RandomKey(),
	}, nil
}

func (k *storedUserKeys) check() error {
	if k.Format < 1 || len(k.SigningSeed) != ed25519.SeedSize || len(k.AuditSeed) != ed25519.SeedSize ||
		len(k.SearchKey) != crypto.KeySize || k.AgeIdentity == "" || k.AgeRecipient == "" {
		return fmt.Errorf("user keys: %w", ErrIntegrity)
	}
	return nil
}

// UserKeys are the unlocked vault user's long-lived keys. They stay valid until the
// vault locks, when they are zeroed; keep them no longer than one task.
type UserKeys struct {
	signing      ed25519.PrivateKey
	audit        ed25519.PrivateKey
	ageIdentity  string
	ageRecipient string
	searchKey    []byte
}

// SigningKey is the Ed25519 key that signs export manifests.
func (k *UserKeys) SigningKey() ed25519.PrivateKey { return k.signing }

// SigningPublic is the public half, which partners check bundles against.
func (k *UserKeys) SigningPublic() ed25519.PublicKey {
	return k.signing.Public().(ed25519.PublicKey)
}

// SigningFingerprint is the short form of SigningPublic read over the phone.
func (k *UserKeys) SigningFingerprint() string { return crypto.Fingerprint(k.SigningPublic()) }

// AuditKey is the Ed25519 key that signs audit checkpoints.
func (k *UserKeys) AuditKey() ed25519.PrivateKey { return k.audit }

// AgeIdentity is the X25519 identity that decrypts bundles sent to this user.
func (k *UserKeys) AgeIdentity() string { return k.ageIdentity }

// AgeRecipient is the public "age1..." recipient partners encrypt bundles to.
func (k *UserKeys) AgeRecipient() string { return k.ageRecipient }

// SearchKey keys the tokens of a persisted search index.
func (k *UserKeys) SearchKey() []byte { return k.searchKey }

func (k *UserKeys) zero() {
	crypto.Zero(k.signing)
	crypto.Zero(k.audit)
	crypto.Zero(k.searchKey)
	k.ageIdentity = ""
}

// userKeyCache holds the unsealed keys of a session until it locks.
type userKeyCache struct {
	mu   sync.Mutex
	keys *UserKeys
}

func (c *userKeyCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys != nil {
		c.keys.zero()
		c.keys = nil
	}
}

// ensureUserKeys makes the user keys of a vault that has none (a new vault, or one
// made before they existed), through the commit path.
func (s *Session) ensureUserKeys() error { return ensureUserKeys(s.path) }

func ensureUserKeys(p *commitPath) error {
	return p.update(func(c *Change) error {
		_, err := c.Get(userKeysKey)
		if err == nil || !isNotFound(err) {
			return err
		}
		k, err := newStoredUserKeys()
		if err != nil {
			return err
		}
		return putJSON(c, userKeysKey, k)
	})
}

// UserKeys returns the user's long-lived keys, unsealed once per session. ErrLocked
// after Lock.
func (s *Session) UserKeys() (*UserKeys, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrLocked
	}
	s.userKeys.mu.Lock()
	defer s.userKeys.mu.Unlock()
	if s.userKeys.keys != nil {
		return s.userKeys.keys, nil
	}
	var stored storedUserKeys
	err := s.path.view(func(t Tx) error { return getJSON(t, userKeysKey, &stored) })
	if err != nil {
		return nil, err
	}
	defer crypto.Zero(stored.SigningSeed)
	defer crypto.Zero(stored.AuditSeed)
	if err := stored.check(); err != nil {
		return nil, err
	}
	s.userKeys.keys = &UserKeys{
		signing:      ed25519.NewKeyFromSeed(stored.SigningSeed),
		audit:        ed25519.NewKeyFromSeed(stored.AuditSeed),
		ageIdentity:  stored.AgeIdentity,
		ageRecipient: stored.AgeRecipient,
		searchKey:    stored.SearchKey,
	}
	return s.userKeys.keys, nil
}
