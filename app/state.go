package app

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync"

	"casenotes/crypto"
)

// The vault's state digest: proof that the store holds exactly the records the app
// wrote.
//
// Each record's value is sealed, so nobody without the key can forge one; but
// Badger's files can lose a record (a damaged MANIFEST drops a whole table) or bring
// back an older version of one (an older table), and a per-value seal cannot notice
// either. So the app also keeps, through the commit path and in the same transaction
// as every write:
//
//   - for each case, a sealed digest of every record of that case (RecCaseState);
//   - for the vault, a sealed digest of every record in the store and a counter that
//     grows by one with each commit (RecVaultState).
//
// A digest is an LtHash (crypto/lthash.go) of one element per record: the record's
// key and the SHA-256 of its sealed value. A missing, added, or older record changes
// the digest, and `casenotes check` recomputes every digest and names the case.
// Because the store alone cannot notice losing its newest table together with its
// newest state record, the header anchors the counter and the digest at every lock,
// close, backup and export, and at most every minute while writing (anchor.go).

// vaultState is the vault-level state record.
type vaultState struct {
	Counter uint64 `json:"counter"`
	Digest  []byte `json:"digest"`
}

// caseState is a case's state record.
type caseState struct {
	Digest []byte `json:"digest"`
}

var vaultStateKey = Key{Type: RecVaultState}

func caseStateKey(c ID) Key { return Key{Type: RecCaseState, Case: c, ID: c} }

// caseKeyRecord is where a case's data key lives (storage writes it in NewCase).
func caseKeyRecord(c ID) Key { return Key{Type: RecCaseKey, Case: c} }

// inState reports whether a record type is covered by the digests: every type but
// the digests themselves and a key change's working records.
func inState(t RecordType) bool {
	switch t {
	case RecCaseState, RecVaultState, RecRekey, RecShred:
		return false // RecShred: the store's own working record of a staged shred
	case RecAudit, RecLegacyAudit, RecAuditState, RecLegacyAuditState, RecCheckpoint, RecLegacyCheckpoint:
		return false // the audit log proves itself (audit.go) and records the digest
	}
	return true
}

// addToCase adds a record's element to the vault's digest and to its case's in
// byCase (made on first use), expanding it once: the integrity check and the
// digest migration sum every record this way.
func addToCase(e []byte, global *crypto.LtHash, byCase map[ID]*crypto.LtHash, id ID) {
	h := byCase[id]
	if h == nil {
		h = new(crypto.LtHash)
		byCase[id] = h
	}
	crypto.AddTo(e, global, h)
}

// stateElement is a record's element of the digests.
func stateElement(k Key, sum [32]byte) []byte { return append(k.Bytes(), sum[:]...) }

// sealedElement is the element of a record from its sealed value.
func sealedElement(k Key, sealed []byte) []byte { return stateElement(k, sha256.Sum256(sealed)) }

func readVaultState(t Tx) (*vaultState, *crypto.LtHash, error) {
	var vs vaultState
	if err := getJSON(t, vaultStateKey, &vs); err != nil {
		return nil, nil, err
	}
	h, err := crypto.ParseLtHash(vs.Digest)
	if err != nil {
		return nil, nil, fmt.Errorf("vault state: %w", ErrIntegrity)
	}
	return &vs, h, nil
}

func readCaseState(t Tx, c ID) (*crypto.LtHash, bool, error) {
	var cs caseState
	err := getJSON(t, caseStateKey(c), &cs)
	if isNotFound(err) {
		return new(crypto.LtHash), false, nil
	}
	if err != nil {
		return nil, false, err
	}
	h, err := crypto.ParseLtHash(cs.Digest)
	if err != nil {
		return nil, false, fmt.Errorf("case state: %w", ErrIntegrity)
	}
	return h, true, nil
}

// deriveState moves the digests by what the change wrote: each record's element
// from before the change out, its element now in. It runs after every other deriver,
// so their writes are covered too. A vault without a state record (one made before
// digests existed, until its migration writes one) is left alone.
func deriveState(c *Change) error {
	vs, global, err := readVaultState(c)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	cases := map[ID]*crypto.LtHash{}
	caseAcc := func(id ID) (*crypto.LtHash, error) {
		if h, ok := cases[id]; ok {
			return h, nil
		}
		h, _, err := readCaseState(c, id)
		if err != nil {
			return nil, err
		}
		cases[id] = h
		return h, nil
	}
	for _, h := range c.shredState {
		global.Subtract(h)
	}
	changed := len(c.shredState) > 0
	var moves []stateMove
	for _, w := range c.writes {
		if !inState(w.Key.Type) || w.virtual {
			continue
		}
		if _, gone := c.shred[w.Key.Case]; gone {
			continue
		}
		var acc *crypto.LtHash
		if !w.Key.Case.IsZero() {
			if acc, err = caseAcc(w.Key.Case); err != nil {
				return err
			}
		}
		if w.hadSum {
			moves = append(moves, stateMove{stateElement(w.Key, w.oldSum), true, acc})
		}
		sum, ok, err := c.Tx.SealedSum(w.Key)
		if err != nil {
			return err
		}
		if ok {
			moves = append(moves, stateMove{stateElement(w.Key, sum), false, acc})
		}
		changed = true
	}
	applyMoves(moves, global)
	if !changed {
		return nil
	}
	for id, h := range cases {
		if err := putJSON(c.Tx, caseStateKey(id), caseState{Digest: h.Bytes()}); err != nil {
			return err
		}
	}
	vs.Counter++
	vs.Digest = global.Bytes()
	return putJSON(c.Tx, vaultStateKey, vs)
}

// stateMove is one record's element going into (or out of) the vault's digest and
// its case's (acc; nil for a vault-level record).
type stateMove struct {
	element []byte
	out     bool
	acc     *crypto.LtHash
}

// applyMoves moves the digests by each element. Expanding an element is the cost
// (SHAKE-256 to 2 KB); a change of many records (an import's, a seed's) expands
// them on every core, a chunk at a time, then adds them in order on this goroutine.
func applyMoves(moves []stateMove, global *crypto.LtHash) {
	const chunk = 512 // 1 MB of vectors
	vecs := make([]crypto.LtVector, min(len(moves), chunk))
	for start := 0; start < len(moves); start += chunk {
		part := moves[start:min(start+chunk, len(moves))]
		expandAll(part, vecs[:len(part)])
		for i := range part {
			sets := []*crypto.LtHash{global}
			if part[i].acc != nil {
				sets = append(sets, part[i].acc)
			}
			if part[i].out {
				vecs[i].RemoveFrom(sets...)
			} else {
				vecs[i].AddTo(sets...)
			}
		}
	}
}

// expandAll expands each move's element into vecs, on as many goroutines as there
// are cores when there are enough to share.
func expandAll(moves []stateMove, vecs []crypto.LtVector) {
	workers := min(runtime.GOMAXPROCS(0), len(moves)/64+1)
	if workers <= 1 {
		for i := range moves {
			vecs[i].Expand(moves[i].element)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(moves); i += workers {
				vecs[i].Expand(moves[i].element)
			}
		})
	}
	wg.Wait()
}

// stateOf reads the vault's counter and the short form of its digest, for the anchor.
func stateOf(t Tx) (counter uint64, sum [32]byte, found bool, err error) {
	vs, h, err := readVaultState(t)
	if isNotFound(err) {
		return 0, sum, false, nil
	}
	if err != nil {
		return 0, sum, false, err
	}
	return vs.Counter, h.Sum(), true, nil
}
