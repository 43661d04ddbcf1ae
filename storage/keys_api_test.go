package storage

import (
	"testing"

	"casenotes/app"
)

// The store is opened with the two keys it needs, never with the vault key: the
// signatures say so, and this fails to compile if either takes raw key bytes again.
var (
	_ func(string, app.StoreKeys, Options) (*Store, error)        = Open
	_ func(*Disk, string, app.StoreKeys, bool) (app.Store, error) = (*Disk).OpenStore
)

// A store refuses keys of the wrong size instead of deriving anything from them.
func TestOpenRefusesMissingKeys(t *testing.T) {
	if _, err := Open(t.TempDir(), app.StoreKeys{}, Options{}); err == nil {
		t.Fatal("a store opened without keys")
	}
}
