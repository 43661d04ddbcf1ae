package app_test

import (
	"bufio"
	"crypto/rand"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// Fixtures and assertions the app package's tests share. Each opens a real Badger
// store in t.TempDir(), as the tests of this package do.

const (
	pass1 = "correct horse battery staple tango"
	pass2 = "violet harbour lantern quietly seventeen"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newVaults returns the vault service over the real disk, with a clock the test
// sets (from 26 November 2026, 09:00 UTC).
func newVaults(t testing.TB) (*app.Vaults, *storage.Disk, *clock) {
	t.Helper()
	d := &storage.Disk{}
	v := app.NewVaults(d)
	c := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	v.Now = c.now
	return v, d, c
}

// testNow is the fixed time of the case-record tests.
var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// newTestRecords opens a real Badger store in a temporary directory and returns the
// record service over it (no vault header: no passphrase to derive), working as
// "Det. Alvarez" at testNow.
func newTestRecords(t testing.TB) *app.Records {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	s, err := storage.Open(t.TempDir(), app.StoreKeys{AtRest: key, Records: key}, storage.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	r := app.NewRecords(s, "Det. Alvarez")
	r.Now = func() time.Time { return testNow }
	return r
}

// newTestCase opens a case with a fictional alias.
func newTestCase(t testing.TB, r *app.Records, number string) app.Case {
	t.Helper()
	c, err := r.CreateCase(app.CaseInput{Number: number, Title: "Case " + number, Assigned: []string{"Det. Alvarez"}},
		app.Victim{Alias: "Alias " + number})
	if err != nil {
		t.Fatalf("create case %s: %v", number, err)
	}
	return c
}

// dumpStore is every record exactly as stored. Sealed values carry random nonces, so
// two equal dumps mean nothing was written, rewritten or deleted in between.
func dumpStore(t testing.TB, s app.Store) map[string]string {
	t.Helper()
	m := map[string]string{}
	if err := s.Dump(func(k, v []byte) error { m[string(k)] = string(v); return nil }); err != nil {
		t.Fatalf("dump: %v", err)
	}
	return m
}

// assertSameStore fails the test unless two dumps are equal: nothing was written.
func assertSameStore(t testing.TB, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("store changed: %d records before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("store changed: record %x differs", k)
		}
	}
}

// assertFieldError asserts err is a FieldError naming the field (a substring of
// Field) and matching the sentinel.
func assertFieldError(t testing.TB, err error, field string, sentinel error) {
	t.Helper()
	var fe *app.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a field error naming %q", err, field)
	}
	if !strings.Contains(fe.Field, field) {
		t.Fatalf("error names field %q, want %q (%v)", fe.Field, field, err)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("err = %v, want %v", err, sentinel)
	}
}

// readLog wraps a Store and records every record type and case read through Get
// and Scan (values unsealed) and through ScanKeys (keys only).
type readLog struct {
	app.Store
	mu     sync.Mutex
	values []app.Key // type and case of every value read
	keys   []app.RecordType
}

func (s *readLog) View(fn func(app.Tx) error) error {
	return s.Store.View(func(t app.Tx) error { return fn(&readLogTx{Tx: t, log: s}) })
}

func (s *readLog) Update(fn func(app.Tx) error) error {
	return s.Store.Update(func(t app.Tx) error { return fn(&readLogTx{Tx: t, log: s}) })
}

func (s *readLog) read(k app.Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values = append(s.values, app.Key{Type: k.Type, Case: k.Case})
}

func (s *readLog) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values, s.keys = nil, nil
}

// types are the record types whose values were read.
func (s *readLog) types() []app.RecordType {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []app.RecordType
	for _, k := range s.values {
		if !slices.Contains(out, k.Type) {
			out = append(out, k.Type)
		}
	}
	return out
}

// caseRecordsRead counts values read from inside any case.
func (s *readLog) caseRecordsRead() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, k := range s.values {
		if !k.Case.IsZero() {
			n++
		}
	}
	return n
}

type readLogTx struct {
	app.Tx
	log *readLog
}

func (t *readLogTx) Get(k app.Key) ([]byte, error) {
	t.log.read(k)
	return t.Tx.Get(k)
}

func (t *readLogTx) Scan(typ app.RecordType, c app.ID, fn func(app.Key, []byte) error) error {
	return t.Tx.Scan(typ, c, func(k app.Key, v []byte) error {
		t.log.read(k)
		return fn(k, v)
	})
}

func (t *readLogTx) ScanKeys(typ app.RecordType, c app.ID, fn func(app.Key) error) error {
	t.log.mu.Lock()
	t.log.keys = append(t.log.keys, typ)
	t.log.mu.Unlock()
	return t.Tx.ScanKeys(typ, c, fn)
}

// mustNumber is the id of the case with that number.
func mustNumber(t testing.TB, r *app.Records, number string) app.ID {
	t.Helper()
	c, err := r.CaseByNumber(number)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// mustDate parses a YYYY-MM-DD date the test wrote.
func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// validRelease is a valid release to Demo Youth Shelter.
func validRelease() app.ReleaseInput {
	return app.ReleaseInput{
		Scope:     []app.InfoKind{app.InfoAdvocateNotes, app.InfoServices},
		Recipient: app.Recipient{Organisation: "Demo Youth Shelter", Category: "victim-services"},
		Signed:    mustDate("2026-03-02"),
		Expires:   mustDate("2026-09-02"),
		Signer:    app.ReleaseSigner{Kind: app.SignerYouth},
	}
}

// assertSameStoreButTotals is assertSameStore for a change that was undone: the
// dashboard totals (one record all cases share) were moved and moved back, so their
// sealed bytes differ; they must count what the store holds.
func assertSameStoreButTotals(t *testing.T, r *app.Records, before, after map[string]string) {
	t.Helper()
	totals := string(app.Key{Type: app.RecTotals}.Bytes())
	delete(before, totals)
	delete(after, totals)
	assertSameStore(t, before, after)
	if err := app.TotalsMatch(r); err != nil {
		t.Error(err)
	}
}

// killChildAtBatch runs the test named child in a child process of this test
// binary with env added, reads the "batch N" lines it prints as a migration
// commits, and kills it with SIGKILL once it has printed batch at: the crash in
// the middle of a migration that the resume tests recover from. It fails the
// test when the child says anything else, or finishes before it can be killed.
func killChildAtBatch(t *testing.T, child string, env string, at int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "batch "); ok {
			if b, _ := strconv.Atoi(n); b == at {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
				break
			}
		} else if line != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child said %q", line)
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the child finished before it could be killed")
	}
}
