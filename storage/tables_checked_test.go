//go:build linux

package storage

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"

	"casenotes/app"
)

// manifestTables lists the tables a closed store's manifest names.
func manifestTables(t *testing.T, dir string) []uint64 {
	t.Helper()
	fp, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	m, _, err := badger.ReplayManifestFile(fp, 0, badger.DefaultOptions(dir).WithLogger(quietLogger{}))
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for id := range m.Tables {
		ids = append(ids, id)
	}
	return ids
}

// A clean close records its tables as checked; the list is gone while the store is
// open (a crash leaves none, so the next open checks everything); a table whose
// file changed, a damaged list and a list under another key count for nothing.
func TestCheckedTablesHoldOnlyWhileUnchanged(t *testing.T) {
	dir, keys := filepath.Join(t.TempDir(), "db"), testKeys()
	s := openTest(t, dir, keys)
	err := s.Load(func(w app.Writer) error {
		for range 20 {
			c := app.NewID()
			if err := w.NewCase(c); err != nil {
				return err
			}
			for j := range 20 {
				if err := w.Put(app.Key{Type: app.RecNote, Case: c, Order: uint64(j), ID: app.NewID()}, noteBytes); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	key := checkedKey(keys.AtRest)
	list := filepath.Join(dir, checkedFile)
	b, err := os.ReadFile(list)
	if err != nil {
		t.Fatalf("no list of checked tables after a clean close: %v", err)
	}
	ids := manifestTables(t, dir)
	checked := parseChecked(b, key)
	// The tables, and the newest value log (valuelog.go).
	fid, vlog, ok := newestValueLog(dir)
	if !ok || !unchanged(checked, valueLogStampID(fid), vlog) {
		t.Error("the list does not hold the newest value log as it was closed")
	}
	if len(ids) == 0 || len(checked) != len(ids)+1 {
		t.Fatalf("list holds %d files; the manifest names %d tables, and one value log", len(checked), len(ids))
	}
	for _, id := range ids {
		if !unchanged(checked, id, table.NewFilename(id, dir)) {
			t.Errorf("table %d counts as changed right after the close", id)
		}
	}

	// While the store is open the list is gone.
	s = openTest(t, dir, keys)
	if _, err := os.Stat(list); !os.IsNotExist(err) {
		t.Errorf("the list of checked tables stays while the store is open (%v): a crash would keep it", err)
	}
	s.Close()
	b, _ = os.ReadFile(list)
	checked = parseChecked(b, key)

	// Touching a table (its bytes or only its times) moves its status-change time.
	victim := table.NewFilename(ids[0], dir)
	st, _ := os.Stat(victim)
	time.Sleep(10 * time.Millisecond)
	if err := os.Chtimes(victim, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if unchanged(checked, ids[0], victim) {
		t.Error("a table whose times were set back counts as unchanged")
	}

	// A damaged list, or one under another key, is no list.
	for i := range b {
		d := append([]byte(nil), b...)
		d[i] ^= 0x01
		if got := parseChecked(d, key); got != nil {
			t.Fatalf("a list with byte %d flipped was taken (%d tables)", i, len(got))
		}
	}
	if parseChecked(b, checkedKey(make([]byte, 32))) != nil {
		t.Error("a list under another key was taken")
	}
	if parseChecked(b[:len(b)-1], key) != nil {
		t.Error("a cut list was taken")
	}
}

// FuzzParseChecked: the list's parser never panics, and takes nothing without the
// right MAC.
func FuzzParseChecked(f *testing.F) {
	f.Add([]byte(checkedMagic + "0123456789abcdef0123456789abcdef"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := parseChecked(b, checkedKey(make([]byte, 32))); got != nil && len(b) > 0 {
			// Only a list MACed under this key can parse; random input never is.
			t.Fatalf("random input parsed as a list of %d tables", len(got))
		}
	})
}
