package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

// KeySize is the size in bytes of every symmetric key in Casenotes: AES-256
// keys, HKDF sub-keys and Argon2id outputs.
const KeySize = 32

// SealOverhead is how many bytes [Seal] adds to a plaintext: a 12-byte random
// nonce in front and a 16-byte GCM tag at the end. Storage code uses it to
// size buffers and to reject values too short to be sealed.
const SealOverhead = 12 + 16

// ErrUnauthenticated is returned by every open and unwrap operation that
// fails, whether the key is wrong, the data was altered or moved to another
// record (different associated data), or the input is truncated. One error
// for all causes gives an attacker nothing to distinguish.
var ErrUnauthenticated = errors.New("crypto: message authentication failed")

// Sealer seals and opens values under one key with AES-256-GCM and random
// nonces. It keeps the expanded key schedule, so hot paths such as reading
// every record of a case do not redo the AES key setup per value. It holds no
// per-call state (nonces come from crypto/rand), so one Sealer may be shared
// by goroutines.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer for a 32-byte key. Random 96-bit nonces keep the
// key safe for about 2^32 values, far beyond one vault's lifetime.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("crypto: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts and authenticates plaintext, binding it to ad (for records:
// format version, record type and full key, so a value cannot be moved
// unnoticed). It appends nonce||ciphertext||tag to dst and returns the
// result, len(plaintext)+SealOverhead bytes longer. dst must not overlap ad,
// and may overlap plaintext only if it is plaintext[:0].
func (s *Sealer) Seal(dst, plaintext, ad []byte) []byte {
	return s.aead.Seal(dst, nil, plaintext, ad)
}

// Open checks and decrypts a value made by [Sealer.Seal] with the same key
// and ad, appending the plaintext to dst. Any failure, including input
// shorter than SealOverhead, returns [ErrUnauthenticated]; it never panics on
// the content of sealed. dst must not overlap ad, and may overlap sealed only
// if it is sealed[:0].
func (s *Sealer) Open(dst, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < SealOverhead {
		return nil, ErrUnauthenticated
	}
	out, err := s.aead.Open(dst, nil, sealed, ad)
	if err != nil {
		return nil, ErrUnauthenticated
	}
	return out, nil
}

// Seal is [Sealer.Seal] for one-off values, such as a sealed signing key, where
// caching the cipher would not pay off.
func Seal(key, plaintext, ad []byte) ([]byte, error) {
	s, err := NewSealer(key)
	if err != nil {
		return nil, err
	}
	return s.Seal(nil, plaintext, ad), nil
}

// Open is [Sealer.Open] for one-off values. A key of the wrong length is
// reported as a plain error, not ErrUnauthenticated, because it is a bug in
// the caller rather than a property of the data.
func Open(key, sealed, ad []byte) ([]byte, error) {
	s, err := NewSealer(key)
	if err != nil {
		return nil, err
	}
	return s.Open(nil, sealed, ad)
}
