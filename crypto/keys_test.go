package crypto

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func TestRandomKey(t *testing.T) {
	a, b := RandomKey(), RandomKey()
	if len(a) != KeySize || bytes.Equal(a, b) {
		t.Fatalf("RandomKey: %d bytes, repeated = %v", len(a), bytes.Equal(a, b))
	}
}

func TestZero(t *testing.T) {
	k := RandomKey()
	Zero(k)
	if !bytes.Equal(k, make([]byte, KeySize)) {
		t.Fatalf("Zero left %x", k)
	}
	Zero(nil) // must not panic
}

func TestSubKey(t *testing.T) {
	labels := []string{
		"casenotes/v1 badger",
		"casenotes/v1 header-mac",
		"casenotes/v1 records",
		"casenotes/v1 audit-mac",
		"casenotes/v1 backup",
		"casenotes/v1 search",
	}
	master := testKey(0x42)
	seen := map[string]string{hex.EncodeToString(master): "master"}
	for _, label := range labels {
		t.Run(label, func(t *testing.T) {
			k := SubKey(master, label)
			if len(k) != KeySize {
				t.Fatalf("SubKey is %d bytes, want %d", len(k), KeySize)
			}
			if !bytes.Equal(k, SubKey(bytes.Clone(master), label)) {
				t.Fatal("SubKey is not deterministic")
			}
			if bytes.Equal(k, SubKey(testKey(0x43), label)) {
				t.Fatal("SubKey ignores the master key")
			}
			if other, dup := seen[hex.EncodeToString(k)]; dup {
				t.Fatalf("same sub-key as %q", other)
			}
			seen[hex.EncodeToString(k)] = label
		})
	}
}

func TestSubKeyKnownAnswer(t *testing.T) {
	// Pins the derivation so existing vaults keep opening: HKDF-SHA-256
	// with no salt, info = label (RFC 5869 test case 3 shape).
	ikm := bytes.Repeat([]byte{0x0b}, 22)
	want := "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	if got := hex.EncodeToString(SubKey(ikm, "")); got != want {
		t.Fatalf("SubKey = %s, want %s", got, want)
	}
}

func TestMAC(t *testing.T) {
	// RFC 4231 test case 2.
	got := MAC([]byte("Jefe"), []byte("what do ya want for nothing?"))
	want, _ := hex.DecodeString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
	if !bytes.Equal(got, want) {
		t.Fatalf("MAC = %x, want %x", got, want)
	}
	tests := []struct {
		name string
		a, b []byte
		want bool
	}{
		{"equal", got, want, true},
		{"one bit off", got, append(bytes.Clone(want[:31]), want[31]^1), false},
		{"truncated", got, want[:16], false},
		{"empty", nil, want, false},
	}
	for _, tt := range tests {
		if MACEqual(tt.a, tt.b) != tt.want {
			t.Errorf("%s: MACEqual = %v, want %v", tt.name, !tt.want, tt.want)
		}
	}
}
