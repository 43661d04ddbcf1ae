package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"casenotes/app"
	"casenotes/crypto"
)

// testKeys are random store keys, for stores opened without a vault.
func testKeys() app.StoreKeys {
	return app.StoreKeys{AtRest: crypto.RandomKey(), Records: crypto.RandomKey()}
}

func openTest(t testing.TB, dir string, key app.StoreKeys) *Store {
	t.Helper()
	s, err := Open(dir, key, Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func put(t testing.TB, s *Store, k app.Key, v string) {
	t.Helper()
	if err := s.Update(func(tx app.Tx) error { return tx.Put(k, []byte(v)) }); err != nil {
		t.Fatalf("put: %v", err)
	}
}

func get(s *Store, k app.Key) ([]byte, error) {
	var out []byte
	err := s.View(func(tx app.Tx) error {
		var err error
		out, err = tx.Get(k)
		return err
	})
	return out, err
}

func newCase(t testing.TB, s *Store) app.ID {
	t.Helper()
	c := app.NewID()
	if err := s.Update(func(tx app.Tx) error { return tx.NewCase(c) }); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRecordsSurviveReopen(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	s := openTest(t, dir, key)
	c := newCase(t, s)
	vaultRec := app.Key{Type: app.RecSettings, ID: app.NewID()}
	caseRec := app.Key{Type: app.RecNote, Case: c, Order: 42, ID: app.NewID()}
	put(t, s, vaultRec, "vault-level")
	put(t, s, caseRec, "case-level: Niña, cần phiên dịch")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, key)
	defer s.Close()
	for k, want := range map[app.Key]string{vaultRec: "vault-level", caseRec: "case-level: Niña, cần phiên dịch"} {
		got, err := get(s, k)
		if err != nil || string(got) != want {
			t.Errorf("after reopen got %q, %v; want %q", got, err, want)
		}
	}
}

func TestScanListsInOrderAndAcrossCases(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	c1, c2 := newCase(t, s), newCase(t, s)
	for i, c := range []app.ID{c1, c2, c1} {
		put(t, s, app.Key{Type: app.RecNote, Case: c, Order: uint64(10 - i), ID: app.NewID()}, fmt.Sprint(i))
	}
	var inCase1 []string
	var all int
	err := s.View(func(tx app.Tx) error {
		if err := tx.Scan(app.RecNote, c1, func(_ app.Key, v []byte) error {
			inCase1 = append(inCase1, string(v))
			return nil
		}); err != nil {
			return err
		}
		return tx.ScanKeys(app.RecNote, app.ID{}, func(app.Key) error { all++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(inCase1) != "[2 0]" || all != 3 {
		t.Errorf("case 1 lists %v (want [2 0], by Order), all cases %d (want 3)", inCase1, all)
	}
}

// rawEdit replaces the stored bytes of k with f(old).
func rawEdit(t *testing.T, s *Store, k app.Key, f func([]byte) []byte) {
	t.Helper()
	kb := encodeKey(k)
	err := s.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(kb)
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		return txn.Set(kb, f(v))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func rawValue(t *testing.T, s *Store, k app.Key) []byte {
	t.Helper()
	var v []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(encodeKey(k))
		if err != nil {
			return err
		}
		v, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFlippedByteIsIntegrityFailure(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	c := newCase(t, s)
	keys := []app.Key{
		{Type: app.RecNote, Case: c, ID: app.NewID()}, // sealed with the case key
		{Type: app.RecSettings, ID: app.NewID()},      // sealed with the record key
	}
	for _, k := range keys {
		put(t, s, k, "Observed at the bus station; safe adult is her aunt.")
		orig := rawValue(t, s, k)
		for i := range orig {
			rawEdit(t, s, k, func([]byte) []byte {
				v := bytes.Clone(orig)
				v[i] ^= 0x01
				return v
			})
			got, err := get(s, k)
			if !errors.Is(err, app.ErrIntegrity) {
				t.Fatalf("type %x: byte %d flipped: got %q, %v; want ErrIntegrity", k.Type, i, got, err)
			}
		}
		rawEdit(t, s, k, func([]byte) []byte { return orig[:len(orig)-1] })
		if _, err := get(s, k); !errors.Is(err, app.ErrIntegrity) {
			t.Fatalf("truncated value: %v; want ErrIntegrity", err)
		}
	}
}

func TestSwappedValuesAreIntegrityFailures(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	c1, c2 := newCase(t, s), newCase(t, s)
	pairs := [][2]app.Key{
		// two notes of one case
		{{Type: app.RecNote, Case: c1, ID: app.NewID()}, {Type: app.RecNote, Case: c1, ID: app.NewID()}},
		// a note and the victim record of the same case (type moved)
		{{Type: app.RecNote, Case: c1, ID: app.NewID()}, {Type: app.RecVictim, Case: c1, ID: app.NewID()}},
		// the same note id in two cases
		{{Type: app.RecNote, Case: c1, ID: app.NewID()}, {Type: app.RecNote, Case: c2, ID: app.NewID()}},
		// two vault-level records
		{{Type: app.RecSettings, ID: app.NewID()}, {Type: app.RecCaseIndex, ID: app.NewID()}},
		// same id, different order (a note moved in time)
		{{Type: app.RecNote, Case: c1, Order: 1, ID: app.ID{9}}, {Type: app.RecNote, Case: c1, Order: 2, ID: app.ID{9}}},
	}
	for i, p := range pairs {
		put(t, s, p[0], "first value")
		put(t, s, p[1], "second value")
		a, b := rawValue(t, s, p[0]), rawValue(t, s, p[1])
		rawEdit(t, s, p[0], func([]byte) []byte { return b })
		rawEdit(t, s, p[1], func([]byte) []byte { return a })
		for _, k := range p {
			if got, err := get(s, k); !errors.Is(err, app.ErrIntegrity) {
				t.Errorf("pair %d: swapped value read as %q, %v; want ErrIntegrity", i, got, err)
			}
		}
	}
}

func TestSecondOpenIsVaultInUse(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	s := openTest(t, dir, key)
	defer s.Close()
	_, err := Open(dir, key, Options{})
	if !errors.Is(err, app.ErrVaultInUse) {
		t.Fatalf("second open: %v; want ErrVaultInUse", err)
	}
	if got := app.Sentence(err); got != "This vault is already open in another Casenotes window. Close that window first." {
		t.Errorf("sentence: %q", got)
	}
}

func TestWrongKeyIsIntegrityFailure(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, testKeys())
	s.Close()
	if _, err := Open(dir, testKeys(), Options{}); !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("open with another key: %v; want ErrIntegrity", err)
	}
}

func TestLowDiskSpaceRefusesWrites(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	s := openTest(t, dir, key)
	k := app.Key{Type: app.RecSettings, ID: app.NewID()}
	put(t, s, k, "before")
	s.minFree = 1 << 62 // more than any disk
	err := s.Update(func(tx app.Tx) error { return tx.Put(k, []byte("after")) })
	if !errors.Is(err, app.ErrDiskFull) {
		t.Fatalf("write on a full disk: %v; want ErrDiskFull", err)
	}
	if err := s.Load(func(w app.Writer) error { return w.Put(k, []byte("after")) }); !errors.Is(err, app.ErrDiskFull) {
		t.Fatalf("batch on a full disk: %v; want ErrDiskFull", err)
	}
	if got, _ := get(s, k); string(got) != "before" {
		t.Errorf("value changed to %q", got)
	}
	s.Close()
}

func TestShreddedCaseIsGone(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	s := openTest(t, dir, key)
	c, other := newCase(t, s), newCase(t, s)
	note := app.Key{Type: app.RecNote, Case: c, ID: app.NewID()}
	keep := app.Key{Type: app.RecNote, Case: other, ID: app.NewID()}
	put(t, s, note, "to be shredded")
	put(t, s, keep, "kept")
	sealed := rawValue(t, s, note)
	if err := s.Update(func(tx app.Tx) error { return tx.ShredCase(c) }); err != nil {
		t.Fatal(err)
	}
	if _, err := get(s, note); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("shredded note: %v; want ErrNotFound", err)
	}
	if got, err := get(s, keep); err != nil || string(got) != "kept" {
		t.Errorf("other case: %q, %v", got, err)
	}
	// A remnant of the sealed value (as left in an old value-log file) cannot be
	// opened any more: the case key is gone, even after a reopen.
	s.Close()
	s = openTest(t, dir, key)
	defer s.Close()
	rawEditSet(t, s, note, sealed)
	if _, err := get(s, note); err == nil {
		t.Error("a remnant of a shredded case was readable")
	}
}

func rawEditSet(t *testing.T, s *Store, k app.Key, v []byte) {
	t.Helper()
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(encodeKey(k), v) }); err != nil {
		t.Fatal(err)
	}
}

func TestPanicInsideTransactionIsReported(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	err := s.Update(func(app.Tx) error { panic("boom") })
	if !errors.Is(err, app.ErrStore) {
		t.Fatalf("panic: %v; want ErrStore", err)
	}
	// The store still works afterwards.
	put(t, s, app.Key{Type: app.RecSettings, ID: app.NewID()}, "still fine")
}

func TestAbortedTransactionLeavesNoCaseKey(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	c := app.NewID()
	stop := errors.New("stop")
	err := s.Update(func(tx app.Tx) error {
		if err := tx.NewCase(c); err != nil {
			return err
		}
		return stop
	})
	if !errors.Is(err, stop) {
		t.Fatal(err)
	}
	err = s.Update(func(tx app.Tx) error {
		return tx.Put(app.Key{Type: app.RecNote, Case: c, ID: app.NewID()}, []byte("x"))
	})
	if !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("put into a case whose creation was rolled back: %v; want ErrNotFound", err)
	}
}

// TestCanaryNeverOnDisk stores records holding a unique string and proves that no
// file in the vault directory, nor anything new in the temp directory, contains it.
func TestCanaryNeverOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir, key := t.TempDir(), testKeys()
	canary := "CANARY-" + app.NewID().String()
	s := openTest(t, dir, key)
	c := newCase(t, s)
	for i := range 200 {
		put(t, s, app.Key{Type: app.RecNote, Case: c, Order: uint64(i), ID: app.NewID()},
			fmt.Sprintf("note %d mentions %s in the middle of the text", i, canary))
	}
	big := bytes.Repeat([]byte(canary+" "), 100_000) // over Badger's value threshold: goes to the value log
	if err := s.Update(func(tx app.Tx) error {
		return tx.Put(app.Key{Type: app.RecChunk, Case: c, ID: app.NewID()}, big)
	}); err != nil {
		t.Fatal(err)
	}
	if got, err := get(s, app.Key{Type: app.RecNote, Case: c, Order: 7}); err == nil {
		t.Fatalf("unexpected record %q", got)
	}
	s.Close()
	assertNoCanary(t, dir, canary)
	assertNoCanary(t, tmp, canary)
}

func assertNoCanary(t *testing.T, root, canary string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte("mentions")) {
			t.Errorf("%s holds plaintext", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files checked under %s", files, root)
}

func rawGet(s *Store, k app.Key) ([]byte, error) {
	var v []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(encodeKey(k))
		if err != nil {
			return err
		}
		v, err = item.ValueCopy(nil)
		return err
	})
	return v, err
}

func rawPut(s *Store, k app.Key, v []byte) error {
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(encodeKey(k), v) })
}

// A flipped byte anywhere in a table's blocks (here: the first, a middle and the last
// block of a table, and the entry count at a block's end that Badger parses before it
// checks the checksum) is one ErrIntegrity at open, before Badger reads the table in
// goroutines of its own.
func TestFlippedTableBlockIsIntegrityFailureAtOpen(t *testing.T) {
	dir, keys := filepath.Join(t.TempDir(), "db"), testKeys()
	s := openTest(t, dir, keys)
	err := s.Load(func(w app.Writer) error {
		for range 50 {
			c := app.NewID()
			if err := w.NewCase(c); err != nil {
				return err
			}
			for j := range 20 {
				k := app.Key{Type: app.RecNote, Case: c, Order: uint64(j), ID: app.NewID()}
				if err := w.Put(k, noteBytes); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	tables, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	biggest, size := "", int64(0)
	for _, p := range tables {
		if st, _ := os.Stat(p); st.Size() > size {
			biggest, size = p, st.Size()
		}
	}
	if size < 64<<10 {
		t.Fatalf("the biggest table is %d bytes; the test needs several blocks", size)
	}
	orig, _ := os.ReadFile(biggest)
	for _, at := range []int64{10, size / 2, size / 3 * 2, size - 4096} {
		damaged := bytes.Clone(orig)
		damaged[at] ^= 0x10
		if err := os.WriteFile(biggest, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir, keys, Options{})
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, app.ErrIntegrity) {
			t.Errorf("byte %d of %d flipped: open returned %v; want ErrIntegrity", at, size, err)
		}
	}
	if err := os.WriteFile(biggest, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, keys)
	s.Close()
}

// A case without an identifier gets no data key, in a transaction or a batch (the
// two once made case keys separately, and only one refused it).
func TestNewCaseRefusesAZeroID(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "db"), testKeys())
	defer s.Close()
	if err := s.Update(func(tx app.Tx) error { return tx.NewCase(app.ID{}) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("transaction: NewCase(zero) = %v, want ErrInvalid", err)
	}
	if err := s.Load(func(w app.Writer) error { return w.NewCase(app.ID{}) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("batch: NewCase(zero) = %v, want ErrInvalid", err)
	}
}

// A crash while Badger writes a table (a flush or a compaction) leaves a
// half-written .sst that the MANIFEST does not list; Badger deletes it at open. It
// is not damage: the vault opens and every record reads back.
func TestHalfWrittenTableLeftByACrashIsNotDamage(t *testing.T) {
	dir, keys := filepath.Join(t.TempDir(), "db"), testKeys()
	s := openTest(t, dir, keys)
	k := app.Key{Type: app.RecSettings, ID: app.NewID()}
	put(t, s, k, "kept")
	s.Close()
	// The first bytes of a table and nothing else: its footer points outside it.
	if err := os.WriteFile(filepath.Join(dir, "000999.sst"), bytes.Repeat([]byte{0x5a}, 64), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, keys, Options{})
	if err != nil {
		t.Fatalf("open after a crash mid-table: %v", err)
	}
	defer s.Close()
	if got, err := get(s, k); err != nil || string(got) != "kept" {
		t.Fatalf("record after reopening = %q, %v", got, err)
	}
}

// TestBulkLoadKeepsNoCaseKeys: a change that creates many cases (a seed, an import)
// leaves none of their keys in memory, and each case still reads; a change that
// creates one case keeps its key at hand for the writes that follow.
func TestBulkLoadKeepsNoCaseKeys(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys())
	defer s.Close()
	bulk := make([]app.ID, 50)
	err := s.Update(func(tx app.Tx) error {
		for i := range bulk {
			bulk[i] = app.NewID()
			if err := tx.NewCase(bulk[i]); err != nil {
				return err
			}
			k := app.Key{Type: app.RecNote, Case: bulk[i], Order: 1, ID: bulk[i]}
			if err := tx.Put(k, []byte(fmt.Sprint("note of case ", i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cached := func() int { s.mu.RLock(); defer s.mu.RUnlock(); return len(s.cases) }
	if n := cached(); n != 0 {
		t.Fatalf("after creating %d cases in one change, %d case keys are cached; want none", len(bulk), n)
	}
	for i, c := range bulk {
		b, err := get(s, app.Key{Type: app.RecNote, Case: c, Order: 1, ID: c})
		if err != nil || string(b) != fmt.Sprint("note of case ", i) {
			t.Fatalf("case %d after the bulk change: %q, %v", i, b, err)
		}
	}
	if n := cached(); n != len(bulk) {
		t.Fatalf("after reading every case, %d keys cached; want %d", n, len(bulk))
	}
	one := newCase(t, s)
	s.mu.RLock()
	_, ok := s.cases[one]
	s.mu.RUnlock()
	if !ok {
		t.Fatal("the key of a case created alone is not cached")
	}
}

// TestCloseMergesLevelZero: what a session wrote is merged into the base level at
// its close, so no level-0 table waits for a later unlock to merge it while the
// screens load (storage/store.go, WithCompactL0OnClose). Three sessions, each
// writing and closing; at each open level 0 is empty and every record is there.
func TestCloseMergesLevelZero(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	var keys []app.Key
	for session := range 3 {
		s := openTest(t, dir, key)
		if n := s.db.Levels()[0].NumTables; n != 0 {
			s.Close()
			t.Fatalf("session %d opened with %d level-0 tables; want the last close to have merged them", session, n)
		}
		for _, k := range keys {
			if _, err := get(s, k); err != nil {
				s.Close()
				t.Fatalf("session %d: a record of an earlier session: %v", session, err)
			}
		}
		k := app.Key{Type: app.RecTestRecords, Order: uint64(session + 1), ID: app.NewID()}
		put(t, s, k, "written in session "+string(rune('1'+session)))
		keys = append(keys, k)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDataKeyRotationKeepsTheVaultReadable: Badger makes a new data key for new
// tables once the last one is older than the rotation period (a week), and seals
// it under the store's at-rest key, which it must still hold then. A vault used
// across a week opens again, every record of every session readable. With the key
// zeroed after the open, the new data key was sealed under zeros and the next open
// found the tables written with it damaged.
func TestDataKeyRotationKeepsTheVaultReadable(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	var keys []app.Key
	for session := range 3 {
		// Every table and value log a session writes takes a new data key.
		s, err := Open(dir, key, Options{keyRotation: time.Nanosecond})
		if err != nil {
			t.Fatalf("session %d: the vault did not open: %v", session, err)
		}
		for _, k := range keys {
			if _, err := get(s, k); err != nil {
				s.Close()
				t.Fatalf("session %d: a record of an earlier session: %v", session, err)
			}
		}
		for i := range 3 {
			k := app.Key{Type: app.RecTestRecords, Order: uint64(session*10 + i + 1), ID: app.NewID()}
			// Short values stay in the tables, long ones go to the value log.
			put(t, s, k, strings.Repeat("written in session "+string(rune('1'+session))+". ", 1+i*40))
			keys = append(keys, k)
		}
		time.Sleep(1100 * time.Millisecond) // Badger dates data keys in whole seconds
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s := openTest(t, dir, key)
	defer s.Close()
	for _, k := range keys {
		if _, err := get(s, k); err != nil {
			t.Fatalf("after three sessions, each with a new data key: %v", err)
		}
	}
}

// TestBulkLoadCloseSettlesTheStore: a bulk load's close leaves no compaction for the
// next session. Badger merges level 0 into the base level at every close, and after
// a bulk load that leaves the base level over its target size; the next session's
// compactors then rewrote it while the screens loaded (docs/PERFORMANCE.md, "A bulk
// load's close settles the store"). The close now waits for those compactions, so the
// next open finds every level under its target, and every record reads back.
func TestBulkLoadCloseSettlesTheStore(t *testing.T) {
	dir, key := t.TempDir(), testKeys()
	o := Options{small: true}
	s, err := Open(dir, key, o)
	if err != nil {
		t.Fatal(err)
	}
	// Short values stay in the tables (not the value log): what fills the levels.
	value := strings.Repeat("x", 500)
	var keys []app.Key
	err = s.Load(func(w app.Writer) error {
		for range (bulkWritten + 1<<20) / len(value) {
			k := app.Key{Type: app.RecTestRecords, ID: app.NewID()}
			keys = append(keys, k)
			if err := w.Put(k, []byte(value)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	limit := debug.SetMemoryLimit(-1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("the settling left the process's memory limit at %d bytes, want %d as before", got, limit)
	}
	s, err = Open(dir, key, o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	levels := s.db.Levels()
	if !settled(levels) {
		t.Errorf("the next open found levels over their target after a bulk load's close: %s", s.db.LevelsToString())
	}
	deepest := 0
	for _, l := range levels {
		if l.NumTables > 0 {
			deepest = l.Level
		}
	}
	if deepest < 2 {
		t.Fatalf("the load filled only levels 0-%d: too small to show a compaction", deepest)
	}
	for i := 0; i < len(keys); i += len(keys) / 50 {
		k := keys[i]
		if b, err := get(s, k); err != nil || string(b) != value {
			t.Fatalf("a record of the load after the settling: %v", err)
		}
	}
}
