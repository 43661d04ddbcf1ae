package app_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

var noteKey = app.Key{Type: app.RecSettings, ID: app.ID{1}}

func createWithRecord(t *testing.T, v *app.Vaults, dir, value string) string {
	t.Helper()
	s, rk, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	r, _ := s.Records("")
	if err := app.Update(r, func(tx app.Tx) error { return tx.Put(noteKey, []byte(value)) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	return rk.String()
}

func readRecord(t *testing.T, s *app.Session) string {
	t.Helper()
	st, err := s.Store()
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	if err := st.View(func(tx app.Tx) error {
		var err error
		got, err = tx.Get(noteKey)
		return err
	}); err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(got)
}

func TestCreateLockUnlock(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	rk := createWithRecord(t, v, dir, "first note")
	if len(strings.Split(rk, "-")) < 10 {
		t.Errorf("recovery key %q is not grouped for reading aloud", rk)
	}
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("unlock: %v", err)
	}
	if got := readRecord(t, s); got != "first note" {
		t.Errorf("got %q", got)
	}
	s.Lock()
	if _, err := s.Store(); !errors.Is(err, app.ErrLocked) {
		t.Errorf("store after lock: %v; want ErrLocked", err)
	}
	if _, _, err := v.Create(dir, []byte(pass1)); !errors.Is(err, app.ErrVaultExists) {
		t.Errorf("create over a vault: %v; want ErrVaultExists", err)
	}
}

func TestWeakPassphraseRefused(t *testing.T) {
	v, _, _ := newVaults(t)
	for _, p := range []string{"", "short", "password1234", "aaaaaaaaaaaaaaaa"} {
		_, _, err := v.Create(filepath.Join(t.TempDir(), "v"), []byte(p))
		if !errors.Is(err, app.ErrWeakPassphrase) {
			t.Errorf("%q: %v; want ErrWeakPassphrase", p, err)
		}
	}
}

func vaultFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.HasSuffix(p, "LOCK") {
			b, _ := os.ReadFile(p)
			m[strings.TrimPrefix(p, dir)] = b
		}
		return nil
	})
	return m
}

func TestWrongPassphraseChangesNothing(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "kept as it was")
	before := vaultFiles(t, dir)
	_, err := v.Unlock(dir, []byte("not the passphrase at all"))
	if !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatalf("got %v; want ErrWrongPassphrase", err)
	}
	after := vaultFiles(t, dir)
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed after a wrong passphrase", name)
		}
	}
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	if got := readRecord(t, s); got != "kept as it was" {
		t.Errorf("record %q", got)
	}
}

func TestSecondSessionIsVaultInUse(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	_, err = v.Unlock(dir, []byte(pass1))
	if !errors.Is(err, app.ErrVaultInUse) {
		t.Fatalf("second unlock: %v; want ErrVaultInUse", err)
	}
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	v, _, clk := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	rk := createWithRecord(t, v, dir, "x")
	for i := range 4 {
		clk.t = clk.t.Add(time.Minute)
		if _, err := v.Unlock(dir, []byte("wrong guess number one")); !errors.Is(err, app.ErrWrongPassphrase) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	clk.t = clk.t.Add(time.Minute)
	_, err := v.Unlock(dir, []byte("wrong guess number one"))
	var lo *app.LockoutError
	if !errors.As(err, &lo) || !errors.Is(err, app.ErrLockedOut) {
		t.Fatalf("fifth failure: %v; want a lockout", err)
	}
	if d := lo.Remaining(clk.t); d != 15*time.Minute {
		t.Errorf("lockout of %v; want 15m", d)
	}
	// Locked out: even the right passphrase is refused, and says how long.
	clk.t = clk.t.Add(5 * time.Minute)
	_, err = v.Unlock(dir, []byte(pass1))
	if !errors.As(err, &lo) || lo.Remaining(clk.t) != 10*time.Minute {
		t.Fatalf("right passphrase during lockout: %v; want 10 minutes left", err)
	}
	if !strings.Contains(app.Sentence(err), "recovery key") {
		t.Errorf("lockout sentence does not mention the recovery key: %q", app.Sentence(err))
	}
	// The recovery key still works.
	s, err := v.UnlockWithRecoveryKey(dir, rk)
	if err != nil {
		t.Fatalf("recovery key during lockout: %v", err)
	}
	s.Lock()
	// After 15 minutes the passphrase works again.
	clk.t = clk.t.Add(10 * time.Minute)
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	s.Lock()
}

func TestRecoveryKeyResetsPassphrase(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	rk := createWithRecord(t, v, dir, "recoverable")
	// A mistyped group is named, not reported as a wrong key.
	groups := strings.Split(rk, "-")
	g := []byte(groups[4])
	if g[0] == 'A' {
		g[0] = 'B'
	} else {
		g[0] = 'A'
	}
	groups[4] = string(g)
	_, err := v.UnlockWithRecoveryKey(dir, strings.Join(groups, "-"))
	if !errors.Is(err, app.ErrRecoveryKeyFormat) || !strings.Contains(app.Sentence(err), "5") {
		t.Fatalf("mistyped group 5: %v (%q)", err, app.Sentence(err))
	}
	if err := v.ResetPassphrase(dir, strings.ToLower(rk), []byte(pass2)); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Errorf("old passphrase after reset: %v", err)
	}
	s, err := v.Unlock(dir, []byte(pass2))
	if err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
	if readRecord(t, s) != "recoverable" {
		t.Error("record lost")
	}
	s.Lock()
}

// TestInterruptedPassphraseChange injects a failure at every step of the header
// write and proves the old or the new passphrase always opens the vault.
func TestInterruptedPassphraseChange(t *testing.T) {
	steps := []string{}
	for _, f := range []string{"vault.json", "vault.json.spare"} {
		for _, s := range []string{"create", "write", "fsync", "rename", "fsync-dir"} {
			steps = append(steps, f+":"+s)
		}
	}
	for _, step := range steps {
		t.Run(step, func(t *testing.T) {
			v, d, _ := newVaults(t)
			dir := filepath.Join(t.TempDir(), "vault")
			createWithRecord(t, v, dir, "survives")
			d.Fault = func(s string) error {
				if s == step {
					return errors.New("power cut")
				}
				return nil
			}
			err := v.ChangePassphrase(dir, []byte(pass1), []byte(pass2))
			if err == nil {
				t.Fatal("the injected fault was not reached")
			}
			d.Fault = nil
			opened := 0
			for _, p := range []string{pass1, pass2} {
				if s, err := v.Unlock(dir, []byte(p)); err == nil {
					if readRecord(t, s) != "survives" {
						t.Error("record lost")
					}
					s.Lock()
					opened++
				}
			}
			if opened == 0 {
				t.Fatal("neither the old nor the new passphrase opens the vault")
			}
		})
	}
}

func TestDamagedHeaderFallsBackToSpare(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	createWithRecord(t, v, dir, "x")
	if err := os.WriteFile(filepath.Join(dir, "vault.json"), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("unlock with a damaged header: %v", err)
	}
	s.Lock()
	// Both copies altered (a changed creation date): the MAC catches it.
	for _, f := range []string{"vault.json", "vault.json.spare"} {
		b, _ := os.ReadFile(filepath.Join(dir, "vault.json.spare"))
		b = bytes.Replace(b, []byte(`"created": "2026`), []byte(`"created": "2025`), 1)
		os.WriteFile(filepath.Join(dir, f), b, 0o600)
	}
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("altered header: %v; want ErrIntegrity", err)
	}
}

func TestOldPassphraseStopsWorkingAfterChange(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	rk := createWithRecord(t, v, dir, "x")
	if err := v.ChangePassphrase(dir, []byte(pass1), []byte(pass2)); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Errorf("old passphrase: %v; want ErrWrongPassphrase", err)
	}
	for _, f := range []string{"vault.json", "vault.json.spare"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if h, err := app.ParseHeader(b); err != nil || len(h.Slots) != 2 {
			t.Errorf("%s: %v", f, err)
		}
	}
	s, err := v.UnlockWithRecoveryKey(dir, rk)
	if err != nil {
		t.Fatalf("recovery key after a passphrase change: %v", err)
	}
	s.Lock()
}

// FuzzParseHeader: any bytes either parse into a bounded header or are refused; never
// a panic, and never KDF parameters outside the bounds.
func FuzzParseHeader(f *testing.F) {
	v, _, _ := newVaults(f)
	dir := filepath.Join(f.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		f.Fatal(err)
	}
	s.Lock()
	b, _ := os.ReadFile(filepath.Join(dir, "vault.json"))
	f.Add(b)
	f.Add([]byte(`{"format":"casenotes-vault","version":1}`))
	f.Add(bytes.Replace(b, []byte(`"m": `), []byte(`"m": 99999999`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := app.ParseHeader(data)
		if err != nil {
			return
		}
		for _, s := range h.Slots {
			if s.KDF != nil && s.KDF.Check() != nil {
				t.Fatal("parsed a header with out-of-bounds KDF parameters")
			}
		}
	})
}
