package app_test

import (
	"path/filepath"
	"strings"
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
	lines := rk.Lines()
	if strings.Join(lines, "-") != key {
		t.Fatalf("lines %q do not read back as the key %q", lines, key)
	}
	for i, l := range lines {
		if n := strings.Count(l, "-") + 1; n > 4 || (n < 4 && i < len(lines)-1) {
			t.Errorf("line %d %q has %d groups; want 4 (fewer only on the last)", i, l, n)
		}
	}
	if len(lines) < 2 {
		t.Errorf("the key is on %d line(s); want it split for reading aloud", len(lines))
	}
	rk.Clear()
	if rk.String() == key {
		t.Error("Clear left the key in place")
	}
	s, err = v.UnlockWithRecoveryKey(dir, key)
	if err != nil {
		t.Fatalf("the shown key does not open the vault: %v", err)
	}
	s.Lock()
	if _, nilKey, err := v.Create(dir, []byte(pass1)); err == nil || nilKey.String() != "" || nilKey.Lines() != nil {
		t.Errorf("a second create in the same place: err %v, key %q; want an error and no key", err, nilKey.String())
	}
}
