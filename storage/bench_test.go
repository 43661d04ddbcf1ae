package storage

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"casenotes/app"
)

// noteBytes is a typical note: about 1 KiB of text.
var noteBytes = bytes.Repeat([]byte("Met the victim with her advocate; safety plan reviewed. "), 18)

// BenchmarkPutSynced compares saving a note through the sealed store with a raw
// Badger synced put of the same bytes on the same options. The design target is a
// ratio of at most 1.3.
func BenchmarkPutSynced(b *testing.B) {
	b.Run("sealed", func(b *testing.B) {
		s, err := Open(b.TempDir(), testKeys(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		c := app.NewID()
		if err := s.Update(func(tx app.Tx) error { return tx.NewCase(c) }); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(noteBytes)))
		n := uint64(0)
		for b.Loop() {
			n++
			k := app.Key{Type: app.RecNote, Case: c, Order: n, ID: app.NewID()}
			if err := s.Update(func(tx app.Tx) error { return tx.Put(k, noteBytes) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		// The same Badger options as Open (encryption at rest, SyncWrites), without
		// our sealing, key checks or free-space check.
		s, err := Open(b.TempDir(), testKeys(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		c := app.NewID()
		b.ReportAllocs()
		b.SetBytes(int64(len(noteBytes)))
		n := uint64(0)
		for b.Loop() {
			n++
			kb := encodeKey(app.Key{Type: app.RecNote, Case: c, Order: n, ID: app.NewID()})
			if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(kb, noteBytes) }); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReopen measures opening a closed store holding 10,000 cases' keys and
// 50,000 notes (without the passphrase KDF, which crypto's BenchmarkDeriveKey shows).
func BenchmarkReopen(b *testing.B) {
	dir, key := filepath.Join(b.TempDir(), "db"), testKeys()
	s, err := Open(dir, key, Options{})
	if err != nil {
		b.Fatal(err)
	}
	err = s.Load(func(w app.Writer) error {
		for i := range 10_000 {
			c := app.NewID()
			if err := w.NewCase(c); err != nil {
				return err
			}
			for j := range 5 {
				k := app.Key{Type: app.RecNote, Case: c, Order: uint64(j), ID: app.NewID()}
				if err := w.Put(k, []byte(fmt.Sprintf("case %d note %d", i, j))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(dir, key, Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkVerifyTables measures the check of every table block that runs before
// Badger opens the store (storage/tables.go), on 20,000 notes of 3 KB; MB/s is the
// rate over the tables' size on disk.
func BenchmarkVerifyTables(b *testing.B) {
	dir, key := filepath.Join(b.TempDir(), "db"), testKeys()
	s, err := Open(dir, key, Options{})
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("note text "), 300)
	err = s.Load(func(w app.Writer) error {
		for i := range 2_000 {
			c := app.NewID()
			if err := w.NewCase(c); err != nil {
				return err
			}
			for j := range 10 {
				k := app.Key{Type: app.RecNote, Case: c, Order: uint64(j), ID: app.NewID()}
				if err := w.Put(k, fmt.Appendf(body, "case %d note %d", i, j)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	var size int64
	tables, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	for _, t := range tables {
		st, _ := os.Stat(t)
		size += st.Size()
	}
	b.SetBytes(size)
	b.ReportMetric(float64(size)/1e6, "MB-tables")
	for b.Loop() {
		if err := verifyTables(dir, key.AtRest); err != nil {
			b.Fatal(err)
		}
	}
}
