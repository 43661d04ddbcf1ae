package app_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// A forgotten passphrase and a lockout: the recovery key sets a new passphrase
// during the lockout, and that ends it at once (the new passphrase opens the vault
// without waiting out the 15 minutes); the wrong attempts and the lockout are in
// the audit trail, before the recovery-key unlock and the passphrase change, and
// nothing is logged between that lock and the next unlock (an unlock that changed
// nothing logged an unnamed "edit").
func TestRecoveryKeySettingANewPassphraseEndsTheLockout(t *testing.T) {
	v, _, clk := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	rk := createWithRecord(t, v, dir, "x")
	for range app.LockoutFailures {
		clk.t = clk.t.Add(time.Second)
		v.Unlock(dir, []byte("a wrong passphrase entirely"))
	}
	clk.t = clk.t.Add(time.Second)
	var lo *app.LockoutError
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.As(err, &lo) {
		t.Fatalf("right passphrase after %d wrong ones: %v; want the lockout", app.LockoutFailures, err)
	}
	clk.t = clk.t.Add(time.Minute)
	if err := v.ResetPassphrase(dir, rk, []byte(pass2)); err != nil {
		t.Fatalf("the recovery key during the lockout: %v", err)
	}
	if until, locked := v.Lockout(dir); locked {
		t.Fatalf("still locked out (until %v) after the recovery key set a new passphrase", until)
	}
	clk.t = clk.t.Add(time.Second) // well inside the 15 minutes
	s, err := v.Unlock(dir, []byte(pass2))
	if err != nil {
		t.Fatalf("the new passphrase right after the reset: %v", err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	rows := entries(t, r)
	var tail []string
	for _, e := range rows[len(rows)-11:] {
		tail = append(tail, e.Action)
	}
	want := []string{app.ActUnlockFailed, app.ActUnlockFailed, app.ActUnlockFailed, app.ActUnlockFailed,
		app.ActUnlockFailed, app.ActLockout, app.ActUnlockRecovery, app.ActPassphraseChanged, app.ActLock, app.ActUnlock}
	tail = tail[len(tail)-len(want):]
	if strings.Join(tail, ",") != strings.Join(want, ",") {
		t.Fatalf("the trail ends %v; want %v", tail, want)
	}
}
