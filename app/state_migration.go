package app

import (
	"bytes"

	"casenotes/crypto"
)

// migrateStateDigests gives a vault made before state digests existed its digests
// (schema 1 to 2). It walks the case index in batches, writing each case's digest,
// then (cursor "vault") computes the vault digest from every record in one read and
// writes the vault state, from which the commit path keeps all of them up to date.
// Until then the state deriver is idle: nothing else writes while a vault migrates.
func migrateStateDigests(c *Change, cursor []byte) ([]byte, bool, error) {
	if bytes.Equal(cursor, stateCursorVault) {
		return nil, true, writeVaultDigest(c)
	}
	next, done, err := casesAfter(c, cursor, stateBatch, func(id ID) error {
		var h crypto.LtHash
		err := c.CaseSums(id, func(k Key, sum [32]byte) error {
			if inState(k.Type) {
				h.Add(stateElement(k, sum))
			}
			return nil
		})
		if err != nil {
			return err
		}
		return putJSON(c.Tx, caseStateKey(id), caseState{Digest: h.Bytes()})
	})
	if err != nil || !done {
		return next, false, err
	}
	return stateCursorVault, false, nil
}

// stateBatch is how many cases one batch of the migration digests (a case's digest
// record is 2 KiB).
const stateBatch = 500

var stateCursorVault = []byte("vault")

// writeVaultDigest sums every record of the store into the vault digest, and gives
// a case found in the store but not in the case index (an import a crash
// interrupted) a digest of its own, so that `casenotes check` starts from the truth.
func writeVaultDigest(c *Change) error {
	var global crypto.LtHash
	orphans := map[ID]*crypto.LtHash{}
	indexed := map[ID]bool{}
	err := c.ScanKeys(RecCaseState, ID{}, func(k Key) error { indexed[k.Case] = true; return nil })
	if err != nil {
		return err
	}
	err = c.Walk(nil, func(k Key, sealed, _ []byte, err error) error {
		if err != nil {
			return err
		}
		if !inState(k.Type) {
			return nil
		}
		e := sealedElement(k, sealed)
		if k.Case.IsZero() || indexed[k.Case] {
			global.Add(e)
			return nil
		}
		addToCase(e, &global, orphans, k.Case)
		return nil
	})
	if err != nil {
		return err
	}
	for id, h := range orphans {
		if err := putJSON(c.Tx, caseStateKey(id), caseState{Digest: h.Bytes()}); err != nil {
			return err
		}
	}
	return putJSON(c.Tx, vaultStateKey, vaultState{Digest: global.Bytes()})
}
