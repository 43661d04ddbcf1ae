package storage

import (
	"encoding/json"
	"errors"
	"testing"

	"casenotes/app"
	"casenotes/crypto"
)

// TestMigrationsRunInOrderOnce opens a version-1 store under a build with two
// migrations and checks they ran in order, once each, and moved the version to 3.
func TestMigrationsRunInOrderOnce(t *testing.T) {
	dir, key := t.TempDir(), crypto.RandomKey()
	s := openTest(t, dir, key)
	s.Close()

	saved := migrations
	defer func() { migrations = saved }()
	var ran []int
	marker := app.Key{Type: app.RecSettings, ID: app.ID{7}}
	migrations = []migration{
		func(tx app.Tx) error { ran = append(ran, 1); return tx.Put(marker, []byte("after 1")) },
		func(tx app.Tx) error { ran = append(ran, 2); return tx.Put(marker, []byte("after 2")) },
	}
	for range 2 { // the second open finds nothing to do
		s = openTest(t, dir, key)
		s.Close()
	}
	if len(ran) != 2 || ran[0] != 1 || ran[1] != 2 {
		t.Fatalf("migrations ran %v; want [1 2] once", ran)
	}
	s = openTest(t, dir, key)
	defer s.Close()
	b, err := get(s, schemaKey)
	var r schemaRecord
	if err != nil || json.Unmarshal(b, &r) != nil || r.Version != 3 {
		t.Fatalf("schema after migrations: %s, %v; want version 3", b, err)
	}
	if got, _ := get(s, marker); string(got) != "after 2" {
		t.Errorf("marker %q", got)
	}
}

// TestFailedMigrationChangesNothing: a migration that fails leaves the vault at its
// old version with its records untouched, and says so.
func TestFailedMigrationChangesNothing(t *testing.T) {
	dir, key := t.TempDir(), crypto.RandomKey()
	s := openTest(t, dir, key)
	marker := app.Key{Type: app.RecSettings, ID: app.ID{7}}
	put(t, s, marker, "original")
	s.Close()
	saved := migrations
	defer func() { migrations = saved }()
	boom := errors.New("boom")
	migrations = []migration{func(tx app.Tx) error {
		if err := tx.Put(marker, []byte("half-migrated")); err != nil {
			return err
		}
		return boom
	}}
	if _, err := Open(dir, key, Options{}); !errors.Is(err, boom) {
		t.Fatalf("failed migration: %v", err)
	}
	migrations = saved
	s = openTest(t, dir, key)
	defer s.Close()
	if got, _ := get(s, marker); string(got) != "original" {
		t.Errorf("a failed migration left %q", got)
	}
}
