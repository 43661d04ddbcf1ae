package app_test

import (
	"path/filepath"
	"testing"
)

// The recovery key Create returns is what a screen shows: lines of four groups that
// read back as the key, a key that opens the vault, and Clear forgets it.
func TestIssuedRecoveryKeyShowsOpensAndClears(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, rk, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	key := rk.String()
	rk.Clear()
	if rk.String() == key {
		t.Error("Clear left the key in place")
	}
	s, err = v.UnlockWithRecoveryKey(dir, key)
	if err != nil {
		t.Fatalf("the shown key does not open the vault: %v", err)
	}
	s.Lock()
	if _, nilKey, err := v.Create(dir, []byte(pass1)); err == nil || nilKey.String() != "" {
		t.Errorf("a second create in the same place: err %v, key %q; want an error and no key", err, nilKey.String())
	}
}
