package crypto

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// NewSigningKey creates a user's Ed25519 key pair. The private key signs
// export manifests, because age encryption alone proves nothing about who
// sent a bundle; it is stored sealed in the vault.
func NewSigningKey() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	return ed25519.GenerateKey(rand.Reader)
}

// Fingerprint returns a short, readable name for a public key: the first 10
// bytes of its SHA-256 as lower-case hex in groups of four, for example
// "3f2a 9c01 77de 0b4e 1a2c". People compare it over the phone before
// trusting a partner's key, so it is short enough to read aloud.
func Fingerprint(pub []byte) string {
	sum := sha256.Sum256(pub)
	h := hex.EncodeToString(sum[:10])
	groups := make([]string, 0, len(h)/4)
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return strings.Join(groups, " ")
}

// NewAgeIdentity creates an X25519 key pair encoded exactly as age encodes
// it, so partner agencies can encrypt bundles to the recipient with the
// standard age tool and Casenotes can decrypt with the identity. identity is
// "AGE-SECRET-KEY-1..." and must be stored sealed; recipient is "age1..."
// and may be shared freely.
func NewAgeIdentity() (identity, recipient string, err error) {
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	secret := priv.Bytes()
	identity = strings.ToUpper(bech32Encode("age-secret-key-", secret))
	Zero(secret)
	recipient = bech32Encode("age", priv.PublicKey().Bytes())
	return identity, recipient, nil
}
