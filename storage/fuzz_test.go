package storage

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"casenotes/app"
	"casenotes/crypto"
)

// FuzzUnseal stores arbitrary bytes as the raw value of a record and reads it back:
// the read must fail with ErrIntegrity (never panic, never return plaintext) unless
// the bytes are exactly the sealed value the store wrote.
func FuzzUnseal(f *testing.F) {
	s, err := Open("", testKeys(), Options{InMemory: true})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	c := app.NewID()
	if err := s.Update(func(tx app.Tx) error { return tx.NewCase(c) }); err != nil {
		f.Fatal(err)
	}
	k := app.Key{Type: app.RecNote, Case: c, ID: app.NewID()}
	if err := s.Update(func(tx app.Tx) error { return tx.Put(k, []byte("a real note")) }); err != nil {
		f.Fatal(err)
	}
	var real []byte
	s.View(func(tx app.Tx) error {
		real, _ = rawGet(s, k)
		return nil
	})
	f.Add(real)
	f.Add(real[:crypto.SealOverhead])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) >= maxInMemoryValue {
			t.Skip("an in-memory store keeps values under 1 MiB only (it has no value log)")
		}
		if err := rawPut(s, k, b); err != nil {
			t.Skip("badger refused the value")
		}
		got, err := get(s, k)
		if bytes.Equal(b, real) {
			if err != nil || string(got) != "a real note" {
				t.Fatalf("the real value no longer opens: %v", err)
			}
			return
		}
		if !errors.Is(err, app.ErrIntegrity) {
			t.Fatalf("arbitrary bytes read as %q, %v", got, err)
		}
	})
}

// FuzzValueLogEnd reads arbitrary bytes as a value log (seeded with a real one and
// its data key): it never panics, its end is within the file and after the header,
// and the file cut at that end reads whole (what Badger leaves after its cut is what
// the next open's check accepts).
func FuzzValueLogEnd(f *testing.F) {
	dir, keys := filepath.Join(f.TempDir(), "db"), testKeys()
	s, err := Open(dir, keys, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for i := range 3 {
		k := app.Key{Type: app.RecSettings, Order: uint64(i), ID: app.NewID()}
		if err := s.Update(func(tx app.Tx) error { return tx.Put(k, bytes.Repeat([]byte{'a' + byte(i)}, 900)) }); err != nil {
			f.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		f.Fatal(err)
	}
	_, vlog, ok := newestValueLog(dir)
	if !ok {
		f.Fatal("no value log")
	}
	real, err := os.ReadFile(vlog)
	if err != nil {
		f.Fatal(err)
	}
	dataKey := dataKeys(f, dir, keys)
	f.Add(real)
	f.Add(real[:len(real)/2])
	f.Add(real[:vlogHeaderSize])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		end, err := valueLogEnd(bytes.NewReader(b), int64(len(b)), dataKey)
		if err != nil {
			return // a header Badger cannot open either
		}
		if end > int64(len(b)) || (len(b) >= vlogHeaderSize && end < vlogHeaderSize) {
			t.Fatalf("end %d of a %d-byte log", end, len(b))
		}
		if len(b) < vlogHeaderSize {
			return
		}
		again, err := valueLogEnd(bytes.NewReader(b[:end]), end, dataKey)
		if err != nil || again != end {
			t.Fatalf("the log cut at %d reads to %d (%v)", end, again, err)
		}
	})
}

// dataKeys opens a closed store's data keys, as verifyTables does, until the test
// ends, and gives them by id as valueLogEnd asks for them.
func dataKeys(tb testing.TB, dir string, keys app.StoreKeys) func(id uint64) ([]byte, error) {
	tb.Helper()
	registry, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{
		Dir: dir, ReadOnly: true, EncryptionKey: keys.AtRest, EncryptionKeyRotationDuration: keyRotation,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { registry.Close() })
	return registryKeys(registry)
}
