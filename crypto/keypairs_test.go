package crypto

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"
)

func TestNewSigningKey(t *testing.T) {
	pub, priv, err := NewSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("manifest of release 7")
	sig := ed25519.Sign(priv, msg)
	if !ed25519.Verify(pub, msg, sig) {
		t.Fatal("signature does not verify")
	}
	if ed25519.Verify(pub, []byte("manifest of release 8"), sig) {
		t.Fatal("signature verifies for another message")
	}
}

func TestFingerprint(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9a-f]{4}( [0-9a-f]{4}){4}$`)
	pub, _, err := NewSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pub  []byte
		want string
	}{
		{"empty (SHA-256 of nothing)", nil, "e3b0 c442 98fc 1c14 9afb"},
		{"signing key", pub, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fingerprint(tt.pub)
			if !shape.MatchString(got) {
				t.Fatalf("Fingerprint = %q, want 5 groups of 4 hex digits", got)
			}
			if tt.want != "" && got != tt.want {
				t.Fatalf("Fingerprint = %q, want %q", got, tt.want)
			}
			if Fingerprint(tt.pub) != got {
				t.Fatal("Fingerprint is not deterministic")
			}
		})
	}
}

func TestNewAgeIdentityMatchesAge(t *testing.T) {
	for range 5 {
		identity, recipient, err := NewAgeIdentity()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(identity, "AGE-SECRET-KEY-1") || !strings.HasPrefix(recipient, "age1") {
			t.Fatalf("identity %.16s..., recipient %q: wrong prefixes", identity, recipient)
		}
		id, err := age.ParseX25519Identity(identity)
		if err != nil {
			t.Fatalf("age rejects the identity: %v", err)
		}
		if got := id.Recipient().String(); got != recipient {
			t.Fatalf("age derives recipient %q, we returned %q", got, recipient)
		}
		rcpt, err := age.ParseX25519Recipient(recipient)
		if err != nil {
			t.Fatalf("age rejects the recipient: %v", err)
		}

		// A partner encrypts with age; we decrypt with our identity.
		var buf bytes.Buffer
		w, err := age.Encrypt(&buf, rcpt)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "bundle")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r, err := age.Decrypt(&buf, id)
		if err != nil {
			t.Fatalf("age cannot decrypt to our identity: %v", err)
		}
		if got, _ := io.ReadAll(r); string(got) != "bundle" {
			t.Fatalf("decrypted %q", got)
		}
	}
}

func TestBech32(t *testing.T) {
	// Valid strings from BIP-173.
	values := make([]byte, 32)
	for i := range values {
		values[i] = byte(i)
	}
	program, _ := hex.DecodeString("751e76e8199196d454941c45d1b3a323f1433bd6")
	tests := []struct {
		name, got, want string
	}{
		{"empty data", bech32EncodeValues("a", nil), "a12uel5l"},
		{"every value", bech32EncodeValues("abcdef", values), "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"},
		{"segwit v0 address", bech32EncodeValues("bc", append([]byte{0}, convertBits8to5(program)...)), "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
