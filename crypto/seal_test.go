package crypto

import (
	"bytes"
	"errors"
	"testing"
)

var sealCases = []struct {
	name      string
	plaintext []byte
	ad        []byte
}{
	{"empty", nil, nil},
	{"empty with ad", []byte{}, []byte("v1/note/0123456789abcdef")},
	{"one byte", []byte{0}, nil},
	{"note", []byte("Interview with the school counsellor, 14:00."), []byte("v1/note/00112233445566778899aabbccddeeff")},
	{"4 KiB", bytes.Repeat([]byte{0xa5}, 4096), []byte("v1/attachment")},
}

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestSealRoundTrip(t *testing.T) {
	s, err := NewSealer(testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range sealCases {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := Seal(testKey(1), tt.plaintext, tt.ad)
			if err != nil {
				t.Fatal(err)
			}
			if len(sealed) != len(tt.plaintext)+SealOverhead {
				t.Fatalf("sealed is %d bytes, want %d", len(sealed), len(tt.plaintext)+SealOverhead)
			}
			if len(tt.plaintext) > 8 && bytes.Contains(sealed, tt.plaintext[:8]) {
				t.Fatal("sealed value contains plaintext")
			}
			for _, open := range []func() ([]byte, error){
				func() ([]byte, error) { return Open(testKey(1), sealed, tt.ad) },
				func() ([]byte, error) { return s.Open(nil, sealed, tt.ad) },
			} {
				got, err := open()
				if err != nil || !bytes.Equal(got, tt.plaintext) {
					t.Fatalf("Open = %q, %v; want %q", got, err, tt.plaintext)
				}
			}
			again := s.Seal(nil, tt.plaintext, tt.ad)
			if bytes.Equal(again, sealed) {
				t.Fatal("sealing twice gave the same bytes; nonces must be random")
			}
		})
	}
}

func TestSealTamperingIsUnauthenticated(t *testing.T) {
	for _, tt := range sealCases[:4] {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := Seal(testKey(1), tt.plaintext, tt.ad)
			if err != nil {
				t.Fatal(err)
			}
			expectFail := func(what string, key, sealed, ad []byte) {
				t.Helper()
				if got, err := Open(key, sealed, ad); !errors.Is(err, ErrUnauthenticated) || got != nil {
					t.Fatalf("%s: Open = %q, %v; want nil, ErrUnauthenticated", what, got, err)
				}
			}
			for i := range sealed {
				for bit := range 8 {
					bad := bytes.Clone(sealed)
					bad[i] ^= 1 << bit
					expectFail("flipped bit", testKey(1), bad, tt.ad)
				}
			}
			for i := range tt.ad {
				bad := bytes.Clone(tt.ad)
				bad[i] ^= 1
				expectFail("changed ad", testKey(1), sealed, bad)
			}
			expectFail("ad appended to", testKey(1), sealed, append(bytes.Clone(tt.ad), 0))
			if len(tt.ad) > 0 {
				expectFail("ad dropped", testKey(1), sealed, nil)
			}
			for n := range len(sealed) {
				expectFail("truncated", testKey(1), sealed[:n], tt.ad)
			}
			expectFail("extended", testKey(1), append(bytes.Clone(sealed), 0), tt.ad)
			expectFail("wrong key", testKey(2), sealed, tt.ad)
		})
	}
}

func TestSealRejectsWrongKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		if _, err := NewSealer(make([]byte, n)); err == nil {
			t.Errorf("NewSealer accepted a %d-byte key", n)
		}
		if _, err := Seal(make([]byte, n), []byte("x"), nil); err == nil {
			t.Errorf("Seal accepted a %d-byte key", n)
		}
		if _, err := Open(make([]byte, n), make([]byte, 40), nil); err == nil || errors.Is(err, ErrUnauthenticated) {
			t.Errorf("Open with a %d-byte key: err = %v, want a key size error", n, err)
		}
	}
}

func TestSealerAppendsToDst(t *testing.T) {
	s, err := NewSealer(testKey(3))
	if err != nil {
		t.Fatal(err)
	}
	prefix := []byte("header")
	sealed := s.Seal(bytes.Clone(prefix), []byte("body"), nil)
	if !bytes.HasPrefix(sealed, prefix) {
		t.Fatalf("Seal dropped dst prefix: %q", sealed)
	}
	opened, err := s.Open(bytes.Clone(prefix), sealed[len(prefix):], nil)
	if err != nil || string(opened) != "headerbody" {
		t.Fatalf("Open = %q, %v; want %q", opened, err, "headerbody")
	}
	// In place, as documented.
	inPlace := s.Seal(nil, []byte("in place"), nil)
	opened, err = s.Open(inPlace[:0], inPlace, nil)
	if err != nil || string(opened) != "in place" {
		t.Fatalf("in-place Open = %q, %v", opened, err)
	}
}

func FuzzOpen(f *testing.F) {
	key := testKey(9)
	for _, tt := range sealCases {
		sealed, err := Seal(key, tt.plaintext, tt.ad)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(sealed, tt.ad, tt.plaintext)
	}
	f.Add([]byte{}, []byte{}, []byte{})
	f.Add(make([]byte, SealOverhead-1), []byte{}, []byte{})
	f.Add(make([]byte, SealOverhead), []byte{}, []byte{})
	s, err := NewSealer(key)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sealed, ad, plaintext []byte) {
		got, err := Open(key, sealed, ad)
		got2, err2 := s.Open(nil, sealed, ad)
		if (err == nil) != (err2 == nil) || !bytes.Equal(got, got2) {
			t.Fatalf("Open and Sealer.Open disagree: %v vs %v", err, err2)
		}
		if err != nil && !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("Open error %v is not ErrUnauthenticated", err)
		}
		if err == nil && len(got) != len(sealed)-SealOverhead {
			t.Fatalf("Open returned %d bytes from %d sealed", len(got), len(sealed))
		}

		round := s.Seal(nil, plaintext, ad)
		back, err := s.Open(nil, round, ad)
		if err != nil || !bytes.Equal(back, plaintext) {
			t.Fatalf("round trip: %q, %v; want %q", back, err, plaintext)
		}
		if len(round) > 0 {
			round[len(round)/2] ^= 0x80
			if _, err := s.Open(nil, round, ad); !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("tampered round trip opened: %v", err)
			}
		}
	})
}

func BenchmarkSeal4KiB(b *testing.B) {
	s, err := NewSealer(testKey(1))
	if err != nil {
		b.Fatal(err)
	}
	plaintext := make([]byte, 4096)
	ad := []byte("v1/note/00112233445566778899aabbccddeeff")
	dst := make([]byte, 0, len(plaintext)+SealOverhead)
	b.SetBytes(int64(len(plaintext)))
	b.ReportAllocs()
	for b.Loop() {
		dst = s.Seal(dst[:0], plaintext, ad)
	}
}

func BenchmarkOpen4KiB(b *testing.B) {
	s, err := NewSealer(testKey(1))
	if err != nil {
		b.Fatal(err)
	}
	ad := []byte("v1/note/00112233445566778899aabbccddeeff")
	sealed := s.Seal(nil, make([]byte, 4096), ad)
	dst := make([]byte, 0, 4096)
	b.SetBytes(4096)
	b.ReportAllocs()
	for b.Loop() {
		if dst, err = s.Open(dst[:0], sealed, ad); err != nil {
			b.Fatal(err)
		}
	}
}
