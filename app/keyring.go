package app

import (
	"sync"

	"casenotes/crypto"
)

// The key hierarchy of an open vault (docs/design.md, "Keys"):
//
//	passphrase --Argon2id--> slot key --unwraps--> vault key (32 random bytes)
//	recovery key --HKDF("casenotes/v1 recovery-slot")--> slot key --unwraps--> vault key
//	vault key --HKDF(label)--> one sub-key per purpose, from the table below
//	vault key's records sub-key --wraps--> each case's random data key
//	records sub-key --seals--> the user's random keys (signing, age, audit, search)
//
// The Keyring owns the vault key for as long as the vault is unlocked and is the only
// code that derives sub-keys from it. Storage receives only the two keys it needs
// (StoreKeys), never the vault key.

// purpose is one use of a key derived from the vault key.
type purpose int

const (
	purposeAtRest    purpose = iota // Badger's encryption at rest
	purposeRecords                  // sealing vault-level records and wrapping case keys
	purposeHeaderMAC                // the MAC over vault.json
	purposeBackup                   // sealing the chunks of a backup file
	purposeState                    // the MAC of the vault state anchor in the header
	purposeAuditMAC                 // the MAC of each audit trail entry
)

// subKeyLabels is the one table of HKDF labels. A label is part of the vault format:
// changing one makes every vault unreadable, so labels are only ever added.
var subKeyLabels = [...]string{
	purposeAtRest:    "casenotes/v1 badger",
	purposeRecords:   "casenotes/v1 records",
	purposeHeaderMAC: "casenotes/v1 header-mac",
	purposeBackup:    "casenotes/v1 backup",
	purposeState:     "casenotes/v1 state-anchor",
	purposeAuditMAC:  "casenotes/v1 audit-mac",
}

// recoverySlotLabel derives the key that wraps the vault key in the recovery slot
// from the recovery key itself (not from the vault key, which it must unwrap).
const recoverySlotLabel = "casenotes/v1 recovery-slot"

// Keyring holds the vault key of an unlocked vault and derives its sub-keys. Zero
// destroys it; every later derivation fails with ErrLocked.
type Keyring struct {
	mu       sync.Mutex
	vaultKey []byte
}

// newKeyring takes ownership of vaultKey: the caller must not keep or zero it.
func newKeyring(vaultKey []byte) *Keyring { return &Keyring{vaultKey: vaultKey} }

// derive returns a fresh copy of the sub-key for p; the caller zeroes it after use.
func (k *Keyring) derive(p purpose) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.vaultKey == nil {
		return nil, ErrLocked
	}
	return crypto.SubKey(k.vaultKey, subKeyLabels[p]), nil
}

// wrap wraps the vault key under kek (a key slot's key) with associated data ad.
func (k *Keyring) wrap(kek, ad []byte) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.vaultKey == nil {
		return nil, ErrLocked
	}
	return crypto.WrapKey(kek, k.vaultKey, ad)
}

// storeKeys derives the two keys the record store needs.
func (k *Keyring) storeKeys() (StoreKeys, error) {
	atRest, err := k.derive(purposeAtRest)
	if err != nil {
		return StoreKeys{}, err
	}
	records, err := k.derive(purposeRecords)
	if err != nil {
		crypto.Zero(atRest)
		return StoreKeys{}, err
	}
	return StoreKeys{AtRest: atRest, Records: records}, nil
}

// zero destroys the vault key. It is safe to call twice.
func (k *Keyring) zero() {
	k.mu.Lock()
	defer k.mu.Unlock()
	crypto.Zero(k.vaultKey)
	k.vaultKey = nil
}

// StoreKeys are the only keys the record store receives: the key of Badger's own
// encryption at rest, and the key that seals vault-level records and wraps each
// case's data key. The store copies what it needs; the caller zeroes them.
type StoreKeys struct {
	AtRest  []byte
	Records []byte
}

// Zero overwrites both keys.
func (k StoreKeys) Zero() {
	crypto.Zero(k.AtRest)
	crypto.Zero(k.Records)
}
