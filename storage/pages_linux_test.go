package storage

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"casenotes/app"
)

// mappedRSS is how much of the store's files ending in suffix (".sst", the tables;
// ".vlog", the value log) is resident in this process (from /proc/self/smaps).
func mappedRSS(t *testing.T, dir, suffix string) int {
	t.Helper()
	dir, _ = filepath.EvalSymlinks(dir)
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps: ", err)
	}
	defer f.Close()
	total, inTable := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 6 && strings.Contains(fields[0], "-"):
			inTable = filepath.Dir(fields[5]) == dir && strings.HasSuffix(fields[5], suffix)
		case len(fields) >= 2 && fields[0] == "Rss:" && inTable:
			kb, _ := strconv.Atoi(fields[1])
			total += kb
		}
	}
	return total
}

// TestReleaseMappedPagesKeepsRecords: after a full read, the pages of the tables
// and of the value log go back to the system, and every record still reads the
// same. Half the notes are short (kept in the tree), half long enough for the value
// log.
func TestReleaseMappedPagesKeepsRecords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	keys := testKeys()
	s := openTest(t, dir, keys)
	c := newCase(t, s)
	long := strings.Repeat("safety plan at the advocacy center ", 30)
	short := "safety plan"
	for i := range 3000 {
		body := short
		if i%2 == 0 {
			body = long
		}
		put(t, s, app.Key{Type: app.RecNote, Case: c, Order: uint64(i), ID: app.NewID()}, fmt.Sprint(i, body))
	}
	s.Close()
	s = openTest(t, dir, keys) // the records are in tables and the value log now
	defer s.Close()
	read := func() [][]byte {
		var out [][]byte
		if err := s.View(func(tx app.Tx) error {
			return tx.Scan(app.RecNote, c, func(_ app.Key, v []byte) error { out = append(out, v); return nil })
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := read()
	for _, suffix := range []string{".sst", ".vlog"} {
		if mappedRSS(t, dir, suffix) == 0 {
			t.Fatalf("the read left nothing of the %s files resident: nothing to measure", suffix)
		}
	}
	tables, values := mappedRSS(t, dir, ".sst"), mappedRSS(t, dir, ".vlog")
	mappedBefore, ok := s.MappedResident()
	if !ok {
		t.Fatal("MappedResident cannot read /proc/self/statm")
	}
	s.ReleaseMappedPages()
	// What a bulk load watches (app, commitPath.loading) sees the release.
	if mappedAfter, _ := s.MappedResident(); mappedAfter >= mappedBefore {
		t.Errorf("mapped from files: %d KiB before the release, %d KiB after", mappedBefore>>10, mappedAfter>>10)
	}
	if after := mappedRSS(t, dir, ".sst"); after >= tables {
		t.Errorf("tables resident: %d KiB before the release, %d KiB after", tables, after)
	}
	if after := mappedRSS(t, dir, ".vlog"); after >= values {
		t.Errorf("value log resident: %d KiB before the release, %d KiB after", values, after)
	}
	again := read()
	if len(again) != len(before) || len(before) != 3000 {
		t.Fatalf("read %d records, then %d", len(before), len(again))
	}
	for i := range before {
		if !bytes.Equal(before[i], again[i]) {
			t.Fatalf("record %d reads differently after the release", i)
		}
	}
}

// TestReleaseMappedPagesAfterWrites: the value log and memtable log pages a bulk
// load writes go back to the system too (a seed of 10,000 cases left 700 MB of them resident), and the
// records read back the same after the store is closed and opened again.
func TestReleaseMappedPagesAfterWrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	keys := testKeys()
	s := openTest(t, dir, keys)
	c := newCase(t, s)
	long := strings.Repeat("referral to the pediatric clinic ", 40)
	for i := range 2000 {
		put(t, s, app.Key{Type: app.RecNote, Case: c, Order: uint64(i), ID: app.NewID()}, fmt.Sprint(i, long))
	}
	for _, suffix := range []string{".vlog", ".mem"} { // the values; the keys and pointers
		if mappedRSS(t, dir, suffix) == 0 {
			t.Fatalf("the writes left nothing of the %s files resident: nothing to measure", suffix)
		}
	}
	values, logged := mappedRSS(t, dir, ".vlog"), mappedRSS(t, dir, ".mem")
	s.ReleaseMappedPages()
	if after := mappedRSS(t, dir, ".vlog"); after >= values {
		t.Errorf("value log resident: %d KiB after the writes, %d KiB after the release", values, after)
	}
	if after := mappedRSS(t, dir, ".mem"); after >= logged {
		t.Errorf("memtable log resident: %d KiB after the writes, %d KiB after the release", logged, after)
	}
	s.Close()
	s = openTest(t, dir, keys)
	defer s.Close()
	n := 0
	if err := s.View(func(tx app.Tx) error {
		return tx.Scan(app.RecNote, c, func(_ app.Key, v []byte) error {
			if want := fmt.Sprint(n, long); string(v) != want {
				return fmt.Errorf("note %d reads %.20q", n, v)
			}
			n++
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if n != 2000 {
		t.Fatalf("read back %d notes of 2000", n)
	}
}
