package app_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// The byte-flip test: a small vault made through the services, then, for each of its
// files (the header and its spare, db/MANIFEST, the key registry, every table and
// log), one byte flipped at a time in a fresh copy. Each flip must be harmless (the
// vault opens, checks clean and every service reads back exactly what it did) or
// reported as an integrity error (unlock or the full check says ErrIntegrity). None
// may change or lose a record silently.
//
// Flips run in a child process, so that a flip that crashes the process (Badger
// asserts on some damage) is seen and counted instead of ending the test run.
// CASENOTES_FLIP_EVERY=1 flips every byte of every file (hours);
// CASENOTES_FLIP_SAMPLE=N flips N bytes spread over each larger file (the figures in
// docs/SECURITY.md used 600); by default 80.

type flipOutcome string

const (
	flipHarmless  flipOutcome = "harmless"  // opens, checks clean, reads back the same
	flipReported  flipOutcome = "integrity" // ErrIntegrity at unlock or from the check
	flipRefused   flipOutcome = "refused"   // another clear refusal (the header unreadable, wrong key)
	flipCrashed   flipOutcome = "crashed"   // the process died
	flipDifferent flipOutcome = "SILENT"    // opened and checked clean, but read back something else
)

func flipVault(t *testing.T) (dir string, want []byte) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "vault")
	v := app.NewVaults(&storage.Disk{})
	v.Now = func() time.Time { return fullGoldenNow }
	s, _, err := v.Create(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Det. Alvarez", Role: app.RoleDetective}); err != nil {
		t.Fatal(err)
	}
	fullCase(t, r, "2026-TF-0412")
	c := newTestCase(t, r, "2026-TF-0413")
	// A note long enough for the store's value log (the tree keeps short values),
	// so the flips reach a value log with records in it.
	long := strings.Repeat("Met the victim with the advocate at the child advocacy center; safety plan reviewed. ", 12)
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteObservation, Body: long}); err != nil {
		t.Fatal(err)
	}
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "The newest note, finalized last."})
	if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	// The flips start from the vault as the session that wrote it left it: reading
	// it back opens the store, which starts a new value log file, and the last
	// value log file (the one Badger checks, and cuts at the first bad entry, when
	// it opens) would then be an empty one.
	src := filepath.Join(t.TempDir(), "written")
	if err := os.CopyFS(src, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return src, flipReadBack(t, dir)
}

// flipReadBack opens a vault (a copy) and reads back everything the services show.
func flipReadBack(t *testing.T, dir string) []byte {
	t.Helper()
	v := app.NewVaults(&storage.Disk{})
	v.Now = func() time.Time { return fullGoldenNow }
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	return readBack(t, s)
}

// tryFlip flips one byte of one file in a copy of the vault and classifies the result.
func tryFlip(t *testing.T, src, file string, at int64, want []byte) flipOutcome {
	dir := filepath.Join(t.TempDir(), "flip")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, file)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := []byte{0}
	if _, err := f.ReadAt(b, at); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0x5a
	if _, err := f.WriteAt(b, at); err != nil {
		t.Fatal(err)
	}
	f.Close()
	v := app.NewVaults(&storage.Disk{})
	v.Now = func() time.Time { return fullGoldenNow }
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	switch {
	case errors.Is(err, app.ErrIntegrity):
		return flipReported
	case err != nil:
		fmt.Fprintf(os.Stderr, "%s byte %d: unlock: %v\n", file, at, err)
		return flipRefused
	}
	defer s.Lock()
	rep, err := s.Check(nil)
	if errors.Is(err, app.ErrIntegrity) || err == nil && !rep.OK() {
		return flipReported
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s byte %d: check: %v\n", file, at, err)
		return flipRefused
	}
	if !bytes.Equal(readBack(t, s), want) {
		return flipDifferent
	}
	return flipHarmless
}

// TestFlipChild runs the flips of one file it is given and prints one line per flip.
func TestFlipChild(t *testing.T) {
	src := os.Getenv("CASENOTES_FLIP_SRC")
	if src == "" {
		t.Skip("runs only as the child process of TestEveryByteFlipIsHarmlessOrReported")
	}
	want, err := os.ReadFile(os.Getenv("CASENOTES_FLIP_WANT"))
	if err != nil {
		t.Fatal(err)
	}
	file := os.Getenv("CASENOTES_FLIP_FILE")
	for _, p := range strings.Fields(os.Getenv("CASENOTES_FLIP_AT")) {
		at, _ := strconv.ParseInt(p, 10, 64)
		fmt.Printf("try %d\n", at)
		fmt.Printf("flip %d %s\n", at, tryFlip(t, src, file, at, want))
	}
}

func TestEveryByteFlipIsHarmlessOrReported(t *testing.T) {
	if testing.Short() {
		t.Skip("flips hundreds of bytes, each in a fresh copy of a vault; skipped in -short mode")
	}
	src, want := flipVault(t)
	wantFile := filepath.Join(t.TempDir(), "want.json")
	if err := os.WriteFile(wantFile, want, 0o600); err != nil {
		t.Fatal(err)
	}
	every := os.Getenv("CASENOTES_FLIP_EVERY") != ""
	var files []string
	sizes := map[string]int64{}
	filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "LOCK" {
			return err
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(src, p)
		if info.Size() > 0 {
			files = append(files, rel)
			sizes[rel] = info.Size()
		}
		return nil
	})
	sort.Strings(files)
	totals := map[flipOutcome]int{}
	for _, file := range files {
		if only := os.Getenv("CASENOTES_FLIP_ONLY"); only != "" && !strings.Contains(file, only) {
			continue
		}
		positions := flipPositions(sizes[file], every)
		counts := runFlips(t, src, wantFile, file, positions)
		var line []string
		for _, o := range []flipOutcome{flipHarmless, flipReported, flipRefused, flipCrashed, flipDifferent} {
			if counts[o] > 0 {
				line = append(line, fmt.Sprintf("%s %d", o, counts[o]))
				totals[o] += counts[o]
			}
		}
		t.Logf("%-22s %8d bytes, %4d flips: %s", file, sizes[file], len(positions), strings.Join(line, ", "))
	}
	t.Logf("all files: %v", totals)
	if totals[flipDifferent] > 0 {
		t.Errorf("%d flips changed or lost records silently", totals[flipDifferent])
	}
	if totals[flipCrashed] > 0 {
		t.Errorf("%d flips crashed the process instead of reporting damage", totals[flipCrashed])
	}
}

// flipPositions are the bytes to flip in a file of size n: all of a small file, a
// dense spread of a large one.
func flipPositions(n int64, every bool) []int64 {
	limit := int64(80)
	if v, err := strconv.ParseInt(os.Getenv("CASENOTES_FLIP_SAMPLE"), 10, 64); err == nil && v > 0 {
		limit = v // a denser sample (the figures in docs/SECURITY.md)
	}
	if every || n <= limit {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i)
		}
		return out
	}
	var out []int64
	for i := int64(0); i < limit; i++ {
		out = append(out, i*n/limit+(i*7919)%max(n/limit, 1))
	}
	return out
}

// runFlips runs the flips of one file in child processes, restarting after a crash.
func runFlips(t *testing.T, src, wantFile, file string, positions []int64) map[flipOutcome]int {
	counts := map[flipOutcome]int{}
	for len(positions) > 0 {
		var at []string
		for _, p := range positions {
			at = append(at, strconv.FormatInt(p, 10))
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestFlipChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CASENOTES_FLIP_SRC="+src, "CASENOTES_FLIP_WANT="+wantFile,
			"CASENOTES_FLIP_FILE="+file, "CASENOTES_FLIP_AT="+strings.Join(at, " "))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("CASENOTES_FLIP_STDERR") != "" {
			cmd.Stderr = os.Stderr
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := 0
		trying := int64(-1)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 2 && f[0] == "try":
				trying, _ = strconv.ParseInt(f[1], 10, 64)
			case len(f) == 3 && f[0] == "flip":
				counts[flipOutcome(f[2])]++
				if flipOutcome(f[2]) == flipDifferent {
					t.Errorf("%s byte %s: the vault opened and checked clean but read back differently", file, f[1])
				}
				done++
				trying = -1
			}
		}
		cmd.Wait()
		positions = positions[done:]
		if trying >= 0 && len(positions) > 0 {
			counts[flipCrashed]++
			t.Logf("%s byte %d: the process died", file, trying)
			positions = positions[1:]
		} else if len(positions) > 0 && done == 0 {
			t.Fatalf("the flip child process did nothing for %s", file)
		}
	}
	return counts
}
