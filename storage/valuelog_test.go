//go:build linux

package storage

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
)

// valueLogVault writes records large enough for the value log, one transaction
// each, and closes the store cleanly. It returns the records.
func valueLogVault(t *testing.T, dir string, keys app.StoreKeys) map[app.Key]string {
	t.Helper()
	s := openTest(t, dir, keys)
	recs := map[app.Key]string{}
	for i := range 12 {
		k := app.Key{Type: app.RecSettings, Order: uint64(i), ID: app.NewID()}
		v := strings.Repeat(string(rune('a'+i)), 1500)
		put(t, s, k, v)
		recs[k] = v
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return recs
}

// copyStore copies a closed store's folder (new inodes and times: every file counts
// as changed since the close).
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

// readsBack opens the store and checks every record.
func readsBack(t *testing.T, dir string, keys app.StoreKeys, recs map[app.Key]string) {
	t.Helper()
	s, err := Open(dir, keys, Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	for k, want := range recs {
		if got, err := get(s, k); err != nil || string(got) != want {
			t.Fatalf("record %d after reopening: %d bytes, %v", k.Order, len(got), err)
		}
	}
}

// A byte of the newest value log changed after a clean close: the open refuses the
// vault as damaged before Badger reads the file (which would cut it at that entry,
// losing every later record and the evidence), the file is left exactly as it was,
// and every later open refuses it too. An unchanged copy of the same vault opens.
func TestDamagedValueLogAfterACleanCloseIsRefusedAndKept(t *testing.T) {
	keys := testKeys()
	orig := filepath.Join(t.TempDir(), "db")
	recs := valueLogVault(t, orig, keys)
	_, vlog, ok := newestValueLog(orig)
	if !ok {
		t.Fatal("no value log after the close")
	}
	data, err := os.ReadFile(vlog)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 12*1500 {
		t.Fatalf("the newest value log holds %d bytes; the records did not go there", len(data))
	}

	// A copy, unchanged: checked in full (new stamps), and it opens.
	whole := filepath.Join(t.TempDir(), "db")
	copyStore(t, orig, whole)
	readsBack(t, whole, keys, recs)

	for _, at := range []int{len(data) / 3, len(data) / 2, len(data) - 1500} {
		dir := filepath.Join(t.TempDir(), "db")
		copyStore(t, orig, dir)
		path := filepath.Join(dir, filepath.Base(vlog))
		damaged := bytes.Clone(data)
		damaged[at] ^= 0x04
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		for try := range 2 {
			s, err := Open(dir, keys, Options{})
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, app.ErrIntegrity) {
				t.Fatalf("byte %d of %d flipped, open %d: %v; want ErrIntegrity", at, len(data), try+1, err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, damaged) {
				t.Fatalf("byte %d flipped, open %d: the value log went from %d to %d bytes", at, try+1, len(damaged), len(got))
			}
		}
	}
}

// After a crash (no clean close, so no list) Badger cuts the value log's unfinished
// tail as it must, and the vault opens with every record it acknowledged. The same
// tail on a vault that closed cleanly cannot be a crash's: it is refused.
func TestValueLogTailIsACrashsWithoutACleanClose(t *testing.T) {
	keys := testKeys()
	orig := filepath.Join(t.TempDir(), "db")
	recs := valueLogVault(t, orig, keys)
	_, vlog, _ := newestValueLog(orig)
	data, _ := os.ReadFile(vlog)
	tails := map[string][]byte{
		"zeros":                  make([]byte, 4096),
		"half of the last entry": data[len(data)-2000 : len(data)-1000],
		"a whole entry again":    data[len(data)-1700:],
	}
	for name, tail := range tails {
		for _, clean := range []bool{false, true} {
			dir := filepath.Join(t.TempDir(), "db")
			copyStore(t, orig, dir)
			path := filepath.Join(dir, filepath.Base(vlog))
			if err := os.WriteFile(path, append(bytes.Clone(data), tail...), 0o600); err != nil {
				t.Fatal(err)
			}
			if !clean {
				if err := os.Remove(filepath.Join(dir, checkedFile)); err != nil {
					t.Fatal(err)
				}
				readsBack(t, dir, keys, recs)
				continue
			}
			s, err := Open(dir, keys, Options{})
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, app.ErrIntegrity) {
				t.Errorf("tail %q after a clean close: open returned %v; want ErrIntegrity", name, err)
			}
		}
	}
}

// valueLogEnd ends where Badger's own replay ends: for tails of every kind on a real
// value log, the length Badger cuts the file to when it opens the store after a
// crash is the end valueLogEnd reads before it.
func TestValueLogEndIsWhereBadgerCuts(t *testing.T) {
	keys := testKeys()
	orig := filepath.Join(t.TempDir(), "db")
	valueLogVault(t, orig, keys)
	_, vlog, _ := newestValueLog(orig)
	data, _ := os.ReadFile(vlog)
	cases := map[string][]byte{"whole": data}
	for i, at := range []int{20, 26, len(data) / 2, len(data) - 5, len(data) - 1} {
		d := bytes.Clone(data)
		d[at] ^= 0x80
		cases["flip "+string(rune('A'+i))] = d
	}
	cases["cut"] = data[:len(data)-700]
	cases["tail of zeros"] = append(bytes.Clone(data), make([]byte, 100)...)
	cases["tail repeated"] = append(bytes.Clone(data), data[20:3000]...)
	for name, d := range cases {
		dir := filepath.Join(t.TempDir(), "db")
		copyStore(t, orig, dir)
		path := filepath.Join(dir, filepath.Base(vlog))
		if err := os.WriteFile(path, d, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, checkedFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		end, err := valueLogEnd(bytes.NewReader(d), int64(len(d)), dataKeys(t, dir, keys))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, err := Open(dir, keys, Options{})
		if err != nil {
			t.Fatalf("%s: open after a crash: %v", name, err)
		}
		s.Close() // Badger truncates the file it extended for writing back to its end
		st, err := os.Stat(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Size() != end {
			t.Errorf("%s: Badger cut the value log to %d bytes; valueLogEnd read %d", name, st.Size(), end)
		}
	}
}
