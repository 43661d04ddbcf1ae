package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"casenotes/crypto"
)

// The vault header (vault.json) is the only file readable without a key. It holds no
// victim data: the format, the vault id, the key slots (KDF parameters, salt and the
// wrapped vault key) and a MAC, keyed from the vault key, over all of it.

const (
	headerFormat = "casenotes-vault"
	// HeaderVersion is the current vault header format.
	HeaderVersion = 1
	// maxHeaderSize bounds what is read and parsed: a header is a few KiB.
	maxHeaderSize = 64 << 10
	maxSlots      = 16
)

// Slot kinds.
const (
	SlotPassphrase = "passphrase"
	SlotRecovery   = "recovery"
)

// KeySlot holds the vault key wrapped by one secret: a user's passphrase (through
// Argon2id) or the recovery key (through HKDF: it is already 256 random bits).
type KeySlot struct {
	ID      ID                `json:"id"`
	Kind    string            `json:"kind"`
	User    string            `json:"user,omitempty"`
	KDF     *crypto.KDFParams `json:"kdf,omitempty"`
	Salt    b64               `json:"salt,omitempty"`
	Wrapped b64               `json:"wrapped"`
}

// Header is the parsed vault.json.
type Header struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	VaultID ID        `json:"vault_id"`
	Created time.Time `json:"created"`
	Slots   []KeySlot `json:"slots"`
	// State anchors the store's state (anchor.go); absent in a vault made before
	// anchors existed, until its first unlock.
	State *StateAnchor `json:"state,omitempty"`
	MAC   b64          `json:"mac,omitempty"`
	// Checksum is an unkeyed SHA-256 of everything else (MAC included): it tells a
	// damaged header (use the spare) from a wrong passphrase before any key is
	// derived. Absent in headers written before it existed.
	Checksum b64 `json:"checksum,omitempty"`

	// repair is set when this copy opened the vault but the other copy is missing,
	// damaged or different; repairedMain when the main copy was the damaged one.
	repair, repairedMain bool
}

// b64 is a byte string kept as standard base64 in JSON.
type b64 []byte

func (b b64) MarshalText() ([]byte, error) {
	return []byte(base64.StdEncoding.EncodeToString(b)), nil
}

func (b *b64) UnmarshalText(t []byte) error {
	v, err := base64.StdEncoding.DecodeString(string(t))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// ParseHeader reads a vault header. It bounds everything before any expensive work:
// size, slot count, KDF parameters, so a crafted header cannot make unlock take
// minutes or gigabytes. Any problem is ErrIntegrity (or ErrTooNew).
func ParseHeader(data []byte) (*Header, error) {
	if len(data) > maxHeaderSize {
		return nil, fmt.Errorf("vault header too large: %w", ErrIntegrity)
	}
	var h Header
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("vault header unreadable: %w", ErrIntegrity)
	}
	if h.Format != headerFormat {
		return nil, fmt.Errorf("not a Casenotes vault header: %w", ErrIntegrity)
	}
	if h.Version > HeaderVersion {
		return nil, ErrTooNew
	}
	if h.Version < 1 || h.VaultID.IsZero() || len(h.MAC) != 32 {
		return nil, fmt.Errorf("vault header incomplete: %w", ErrIntegrity)
	}
	if h.Checksum != nil && !bytes.Equal(h.Checksum, h.checksum()) {
		return nil, fmt.Errorf("vault header damaged: %w", ErrIntegrity)
	}
	if len(h.Slots) == 0 || len(h.Slots) > maxSlots {
		return nil, fmt.Errorf("vault header has %d key slots: %w", len(h.Slots), ErrIntegrity)
	}
	for i, s := range h.Slots {
		if len(s.Wrapped) != crypto.KeySize+crypto.SealOverhead {
			return nil, fmt.Errorf("key slot %d malformed: %w", i+1, ErrIntegrity)
		}
		switch s.Kind {
		case SlotPassphrase:
			if s.KDF == nil || len(s.Salt) < 16 || len(s.Salt) > 64 {
				return nil, fmt.Errorf("key slot %d malformed: %w", i+1, ErrIntegrity)
			}
			if err := s.KDF.Check(); err != nil {
				return nil, fmt.Errorf("key slot %d: %v: %w", i+1, err, ErrIntegrity)
			}
			if err := s.KDF.CheckFloor(); err != nil {
				return nil, fmt.Errorf("key slot %d: %v: %w", i+1, err, ErrIntegrity)
			}
		case SlotRecovery:
		default:
			return nil, fmt.Errorf("key slot %d of unknown kind: %w", i+1, ErrIntegrity)
		}
	}
	return &h, nil
}

// Marshal encodes the header with its MAC and a fresh checksum.
func (h *Header) Marshal() ([]byte, error) {
	h.Checksum = h.checksum()
	return json.MarshalIndent(h, "", "  ")
}

// checksum is the unkeyed SHA-256 of the header's canonical encoding without the
// checksum.
func (h *Header) checksum() []byte {
	c := *h
	c.Checksum = nil
	b, err := json.Marshal(&c)
	if err != nil {
		panic("casenotes: header encoding failed: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// macInput is the header's canonical encoding without the MAC (and the checksum,
// which covers the MAC).
func (h *Header) macInput() []byte {
	c := *h
	c.MAC, c.Checksum = nil, nil
	b, err := json.Marshal(&c)
	if err != nil {
		panic("casenotes: header encoding failed: " + err.Error())
	}
	return b
}

// seal sets the header MAC from the keyring.
func (h *Header) seal(keys *Keyring) error {
	k, err := keys.derive(purposeHeaderMAC)
	if err != nil {
		return err
	}
	defer crypto.Zero(k)
	h.MAC = crypto.MAC(k, h.macInput())
	return nil
}

// verify checks the header MAC with the keyring.
func (h *Header) verify(keys *Keyring) bool {
	k, err := keys.derive(purposeHeaderMAC)
	if err != nil {
		return false
	}
	defer crypto.Zero(k)
	return crypto.MACEqual(h.MAC, crypto.MAC(k, h.macInput()))
}

// slotAD binds a wrapped key to its vault, slot and kind, so a slot copied from
// another vault or relabelled does not unwrap.
func slotAD(vault ID, s *KeySlot) []byte {
	ad := []byte("casenotes/v1 slot\x00")
	ad = append(ad, vault[:]...)
	ad = append(ad, s.ID[:]...)
	ad = append(ad, s.Kind...)
	return ad
}

// recoveryKEK turns the recovery key into the key that wraps the vault key.
func recoveryKEK(rk crypto.RecoveryKey) []byte {
	return crypto.SubKey(rk.Bytes(), recoverySlotLabel)
}
