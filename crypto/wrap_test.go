package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestWrapKey(t *testing.T) {
	kek, key := RandomKey(), RandomKey()
	ad := []byte("vault 5f0c/slot 1")
	wrapped, err := WrapKey(kek, key, ad)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnwrapKey(kek, wrapped, ad)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("UnwrapKey = %x, %v; want %x", got, err, key)
	}

	tests := []struct {
		name    string
		kek     []byte
		wrapped []byte
		ad      []byte
	}{
		{"wrong kek", RandomKey(), wrapped, ad},
		{"other slot", kek, wrapped, []byte("vault 5f0c/slot 2")},
		{"other vault", kek, wrapped, []byte("vault 5f0d/slot 1")},
		{"no ad", kek, wrapped, nil},
		{"truncated", kek, wrapped[:len(wrapped)-1], ad},
		{"empty", kek, nil, ad},
	}
	for i := range wrapped {
		bad := bytes.Clone(wrapped)
		bad[i] ^= 0x40
		tests = append(tests, struct {
			name    string
			kek     []byte
			wrapped []byte
			ad      []byte
		}{fmt.Sprintf("byte %d flipped", i), kek, bad, ad})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := UnwrapKey(tt.kek, tt.wrapped, tt.ad); !errors.Is(err, ErrUnauthenticated) || got != nil {
				t.Fatalf("UnwrapKey = %x, %v; want nil, ErrUnauthenticated", got, err)
			}
		})
	}
}

func TestWrapIsNotSeal(t *testing.T) {
	kek, key, ad := RandomKey(), RandomKey(), []byte("slot")
	wrapped, err := WrapKey(kek, key, ad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(kek, wrapped, ad); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a wrapped key opened as a sealed value: %v", err)
	}
	sealed, err := Seal(kek, key, ad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnwrapKey(kek, sealed, ad); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a sealed value unwrapped as a key: %v", err)
	}
}

func TestWrapKeyRejectsOtherSizes(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := WrapKey(RandomKey(), make([]byte, n), nil); err == nil {
			t.Errorf("WrapKey accepted a %d-byte key", n)
		}
	}
	if _, err := WrapKey(make([]byte, 16), RandomKey(), nil); err == nil {
		t.Error("WrapKey accepted a 16-byte kek")
	}
}
