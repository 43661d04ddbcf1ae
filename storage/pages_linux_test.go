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

// tableRSS is how much of the store's table files is resident in this process
// (from /proc/self/smaps).
func tableRSS(t *testing.T, dir string) int {
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
			inTable = filepath.Dir(fields[5]) == dir && strings.HasSuffix(fields[5], ".sst")
		case len(fields) >= 2 && fields[0] == "Rss:" && inTable:
			kb, _ := strconv.Atoi(fields[1])
			total += kb
		}
	}
	return total
}

// TestReleaseMappedPagesKeepsRecords: after a full read, the tables' pages go back
// to the system, and every record still reads the same.
func TestReleaseMappedPagesKeepsRecords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	keys := testKeys()
	s := openTest(t, dir, keys)
	c := newCase(t, s)
	body := strings.Repeat("safety plan at the advocacy center ", 30)
	for i := range 3000 {
		put(t, s, app.Key{Type: app.RecNote, Case: c, Order: uint64(i), ID: app.NewID()}, fmt.Sprint(i, body))
	}
	s.Close()
	s = openTest(t, dir, keys) // the records are in tables now
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
	resident := tableRSS(t, dir)
	if resident == 0 {
		t.Fatal("the read left nothing of the tables resident: nothing to measure")
	}
	s.ReleaseMappedPages()
	if after := tableRSS(t, dir); after >= resident {
		t.Errorf("tables resident: %d KiB before the release, %d KiB after", resident, after)
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
