package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"casenotes/app"
)

// A wrong passphrase costs one key derivation, not one per header copy.
func TestWrongPassphraseDerivesOnce(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	before := app.KDFRuns()
	if _, err := v.Unlock(dir, []byte("a wrong passphrase entirely")); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatal(err)
	}
	if n := app.KDFRuns() - before; n != 1 {
		t.Fatalf("a wrong passphrase ran %d derivations; want 1", n)
	}
}

// flipIn changes one byte in the middle of a file.
func flipIn(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A damaged header is damage (ErrIntegrity), never a wrong passphrase, and does not
// count toward the lockout. A damaged main copy is repaired from the spare, and the
// user is told.
func TestDamagedHeaderIsDamageNotAWrongPassphrase(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	main, spare := filepath.Join(dir, "vault.json"), filepath.Join(dir, "vault.json.spare")
	good, _ := os.ReadFile(spare)

	flipIn(t, main)
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("a damaged main header with an intact spare: %v", err)
	}
	if n := s.Notices(); len(n) != 1 {
		t.Errorf("notices %q; want one about the repaired header", n)
	}
	s.Lock()
	repaired, _ := os.ReadFile(main)
	if _, err := app.ParseHeader(repaired); err != nil {
		t.Fatalf("the main header was not repaired: %v", err)
	}

	for _, f := range []string{main, spare} {
		os.WriteFile(f, good, 0o600)
		flipIn(t, f)
	}
	for range app.LockoutFailures + 1 {
		if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrIntegrity) || errors.Is(err, app.ErrWrongPassphrase) {
			t.Fatalf("both headers damaged: %v; want ErrIntegrity", err)
		}
	}
	os.WriteFile(main, good, 0o600)
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("after the damage is mended: %v (damage counted toward the lockout?)", err)
	}
	if f := s.FailedBefore(); len(f.Passphrase) != 0 {
		t.Errorf("damaged headers were recorded as %d failed unlocks", len(f.Passphrase))
	}
	s.Lock()
}

// A key slot weaker than the floor this build creates is refused when read.
func TestWeakKeySlotIsRefused(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	b, _ := os.ReadFile(filepath.Join(dir, "vault.json"))
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, slot := range m["slots"].([]any) {
		if kdf, ok := slot.(map[string]any)["kdf"].(map[string]any); ok {
			kdf["m"] = 32
		}
	}
	delete(m, "checksum") // so that the floor, not the checksum, is what refuses it
	b, _ = json.Marshal(m)
	h, err := app.ParseHeader(b)
	if err == nil {
		t.Fatalf("a slot of 32 KiB was accepted: %+v", h.Slots[0].KDF)
	}
	if !errors.Is(err, app.ErrIntegrity) || !strings.Contains(err.Error(), "below the floor") {
		t.Fatalf("weak slot: %v", err)
	}
}

// Failed attempts made at the same time each count: 4 wrong passphrases (below the
// lockout) and 12 wrong recovery keys (which lock nothing out), all in parallel.
func TestParallelFailuresAllCount(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	otherKey := createWithRecord(t, v, filepath.Join(t.TempDir(), "other"), "y")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { v.Unlock(dir, []byte("a wrong passphrase entirely")) })
	}
	for range 12 {
		wg.Go(func() { v.UnlockWithRecoveryKey(dir, otherKey) })
	}
	wg.Wait()
	var rec struct {
		Passphrase []time.Time `json:"failed_unlocks"`
		Recovery   []time.Time `json:"failed_recovery_keys"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "unlock-failures.json"))
	if err != nil || json.Unmarshal(b, &rec) != nil {
		t.Fatalf("failure record: %v", err)
	}
	if len(rec.Passphrase) != 4 || len(rec.Recovery) != 12 {
		t.Fatalf("parallel failures recorded: %d of 4 passphrases, %d of 12 recovery keys", len(rec.Passphrase), len(rec.Recovery))
	}
	v.Unlock(dir, []byte("a wrong passphrase entirely"))
	if _, ok := v.Lockout(dir); !ok {
		t.Fatal("the fifth wrong passphrase did not lock passphrase unlocks out")
	}
}

// An unreadable failure record refuses passphrase unlocks (fails closed), and the
// recovery key still works.
func TestUnreadableFailureRecordFailsClosed(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	rk := createWithRecord(t, v, dir, "x")
	if err := os.Mkdir(filepath.Join(dir, "unlock-failures.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := v.Unlock(dir, []byte(pass1))
	var lo *app.LockoutError
	if !errors.As(err, &lo) || !lo.Unreadable {
		t.Fatalf("unreadable record: %v; want a lockout", err)
	}
	if s := app.Sentence(err); !bytes.Contains([]byte(s), []byte("recovery key")) {
		t.Errorf("sentence %q does not point to the recovery key", s)
	}
	s, err := v.UnlockWithRecoveryKey(dir, rk)
	if err != nil {
		t.Fatalf("the recovery key during a fail-closed lockout: %v", err)
	}
	s.Lock()
}

// Wrong recovery keys have their own message and do not lock passphrases out; the
// failures before a successful unlock are handed to the session, in order.
func TestWrongRecoveryKeysAreKeptApart(t *testing.T) {
	v, _, clk := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	other := filepath.Join(t.TempDir(), "other")
	otherKey := createWithRecord(t, v, other, "y")
	for range app.LockoutFailures + 2 {
		clk.t = clk.t.Add(time.Second)
		_, err := v.UnlockWithRecoveryKey(dir, otherKey)
		if !errors.Is(err, app.ErrWrongRecoveryKey) || errors.Is(err, app.ErrWrongPassphrase) {
			t.Fatalf("another vault's recovery key: %v", err)
		}
	}
	clk.t = clk.t.Add(time.Second)
	v.Unlock(dir, []byte("a wrong passphrase entirely"))
	clk.t = clk.t.Add(time.Second)
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("wrong recovery keys locked the passphrase out: %v", err)
	}
	defer s.Lock()
	f := s.FailedBefore()
	if len(f.Recovery) != app.LockoutFailures+2 || len(f.Passphrase) != 1 {
		t.Fatalf("failed before unlock: %d recovery keys, %d passphrases", len(f.Recovery), len(f.Passphrase))
	}
	for i := 1; i < len(f.Recovery); i++ {
		if f.Recovery[i].Before(f.Recovery[i-1]) {
			t.Fatal("failures out of order")
		}
	}
}
