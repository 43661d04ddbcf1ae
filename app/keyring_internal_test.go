package app

import (
	"bytes"
	"testing"

	"casenotes/crypto"
)

// Every purpose has its own label, and every label derives a different key from
// the same vault key; the recovery slot's label is apart from all of them.
func TestEveryPurposeDerivesADistinctKey(t *testing.T) {
	k := newKeyring(crypto.RandomKey())
	defer k.zero()
	seen := map[string]purpose{}
	var keys [][]byte
	for p, label := range subKeyLabels {
		if label == "" {
			t.Fatalf("purpose %d has no label", p)
		}
		if other, dup := seen[label]; dup {
			t.Fatalf("purposes %d and %d share the label %q", other, p, label)
		}
		seen[label] = purpose(p)
		key, err := k.derive(purpose(p))
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range keys {
			if bytes.Equal(other, key) {
				t.Fatalf("purpose %d derives a key another purpose has", p)
			}
		}
		keys = append(keys, key)
	}
	if _, clash := seen[recoverySlotLabel]; clash {
		t.Fatal("the recovery slot label is also a vault sub-key label")
	}
	sk, err := k.storeKeys()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(sk.AtRest, sk.Records) {
		t.Fatal("the store's two keys are the same")
	}
}

// A zeroed keyring derives nothing: a session's services fail with ErrLocked.
func TestZeroedKeyringRefuses(t *testing.T) {
	k := newKeyring(crypto.RandomKey())
	k.zero()
	if _, err := k.derive(purposeRecords); err != ErrLocked {
		t.Fatalf("derive after zero: %v, want ErrLocked", err)
	}
	if _, err := k.storeKeys(); err != ErrLocked {
		t.Fatalf("storeKeys after zero: %v, want ErrLocked", err)
	}
}

// The labels are part of the vault format: a vault made by an earlier build opens
// only if each label still derives the same key. These are the labels of format 1.
func TestSubKeyLabelsAreFrozen(t *testing.T) {
	frozen := map[purpose]string{
		purposeAtRest:    "casenotes/v1 badger",
		purposeRecords:   "casenotes/v1 records",
		purposeHeaderMAC: "casenotes/v1 header-mac",
		purposeBackup:    "casenotes/v1 backup",
	}
	for p, want := range frozen {
		if subKeyLabels[p] != want {
			t.Errorf("purpose %d is labelled %q; released vaults use %q", p, subKeyLabels[p], want)
		}
	}
	if recoverySlotLabel != "casenotes/v1 recovery-slot" {
		t.Errorf("the recovery slot label changed")
	}
}
