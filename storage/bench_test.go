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

// BenchmarkValueLogCheck measures the read of the newest value log that runs before
// Badger opens a store that closed cleanly when the file is not the one the close
// recorded (storage/valuelog.go: the first unlock after a copy of the vault, or
// after a version without the value log's stamp), on a session's 5,000 notes of 3
// KB in transactions of 50 (15 MB: a session writing 16 MiB or more settles at its
// close, and the settling's own empty value log is then the newest); MB/s is the
// rate over the file's size.
func BenchmarkValueLogCheck(b *testing.B) {
	dir, key := filepath.Join(b.TempDir(), "db"), testKeys()
	s, err := Open(dir, key, Options{})
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("note text "), 300)
	for i := range 100 {
		err := s.Update(func(tx app.Tx) error {
			for j := range 50 {
				k := app.Key{Type: app.RecSettings, Order: uint64(i*50 + j), ID: app.NewID()}
				if err := tx.Put(k, body); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	_, vlog, _ := newestValueLog(dir)
	st, err := os.Stat(vlog)
	if err != nil {
		b.Fatal(err)
	}
	dataKey := dataKeys(b, dir, key)
	b.SetBytes(st.Size())
	b.ReportMetric(float64(st.Size())/1e6, "MB-log")
	for b.Loop() {
		f, err := os.Open(vlog)
		if err != nil {
			b.Fatal(err)
		}
		end, err := valueLogEnd(f, st.Size(), dataKey)
		f.Close()
		if err != nil || end != st.Size() {
			b.Fatalf("the log reads to %d of %d (%v)", end, st.Size(), err)
		}
	}
}
