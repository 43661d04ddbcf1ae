package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"casenotes/crypto"
)

// The blind number index: a case found by its number in one read.
//
// Checking that a new number is free, and finding the case a command line names,
// used to unseal every entry of the case index: 0.2 s at 10,000 cases, and an
// import of 100,000 cases compared each with all the others. Each case number now
// also has an index record whose key is an HMAC of the normalized number under the
// user's random search key (so the key says nothing of the number, and a rekey does
// not change it) and whose sealed value names the case. Local numbers are unique;
// received cases keep their sender's numbers apart from local ones, and two
// partners' numbers may be the same, so their record lists every case with it.
// The commit path keeps the index in step with the case records (deriveNumbers).

// numberEntry is the value of an index record.
type numberEntry struct {
	Cases []ID `json:"cases"`
}

// normalNumber is how numbers compare: letter case ignored.
func normalNumber(n string) string { return strings.ToUpper(n) }

// numberKey is the index record of a number, local or received.
func numberKey(searchKey []byte, number string, received bool) Key {
	kind := "local\x00"
	if received {
		kind = "received\x00"
	}
	mac := crypto.MAC(searchKey, []byte("casenotes/v1 case-number\x00"+kind+normalNumber(number)))
	var id ID
	copy(id[:], mac)
	return Key{Type: RecNumberIndex, ID: id}
}

// searchKeyOf returns the user's search key, from the path's cache or the store; nil
// when the vault has no user keys yet.
func (p *commitPath) searchKeyOf(t Tx) ([]byte, error) {
	if p.searchKey != nil {
		return p.searchKey, nil
	}
	var k storedUserKeys
	err := getJSON(t, userKeysKey, &k)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	crypto.Zero(k.SigningSeed)
	crypto.Zero(k.AuditSeed)
	if err := k.check(); err != nil {
		return nil, err
	}
	return k.SearchKey, nil
}

// lookupNumber returns the cases the index lists under a number.
func lookupNumber(t Tx, key []byte, number string, received bool) ([]ID, error) {
	var e numberEntry
	err := getJSON(t, numberKey(key, number, received), &e)
	if isNotFound(err) {
		return nil, nil
	}
	return e.Cases, err
}

// indexNumber adds (or, with remove, takes out) a case under its number.
func indexNumber(t Tx, key []byte, number string, received bool, id ID, remove bool) error {
	k := numberKey(key, number, received)
	var e numberEntry
	if err := getJSON(t, k, &e); err != nil && !isNotFound(err) {
		return err
	}
	has := slices.Contains(e.Cases, id)
	switch {
	case remove && has:
		e.Cases = slices.DeleteFunc(e.Cases, func(x ID) bool { return x == id })
	case !remove && !has:
		e.Cases = append(e.Cases, id)
	default:
		return nil
	}
	if len(e.Cases) == 0 {
		return t.Delete(k)
	}
	return putJSON(t, k, &e)
}

// deriveNumbers keeps the number index in step with the case records a change wrote
// and the cases it shredded.
func deriveNumbers(c *Change) error {
	key, err := c.path.searchKeyOf(c)
	if err != nil || key == nil {
		return err
	}
	for id, n := range c.shredNumbers {
		if err := indexNumber(c, key, n.number, n.received, id, true); err != nil {
			return err
		}
	}
	for _, w := range c.writes {
		if w.Key.Type != RecCase {
			continue
		}
		if _, gone := c.shred[w.Key.Case]; gone {
			continue
		}
		var old, cur Case
		if w.hadOld {
			if err := json.Unmarshal(w.Old, &old); err != nil {
				return fmt.Errorf("case record: %w", ErrIntegrity)
			}
		}
		if !w.Deleted {
			if err := json.Unmarshal(w.New, &cur); err != nil {
				return fmt.Errorf("case record: %w", ErrIntegrity)
			}
		}
		if w.hadOld && (old.Number != cur.Number || old.ReadOnly != cur.ReadOnly || w.Deleted) {
			if err := indexNumber(c, key, old.Number, old.ReadOnly, w.Key.Case, true); err != nil {
				return err
			}
		}
		if !w.Deleted {
			if err := indexNumber(c, key, cur.Number, cur.ReadOnly, w.Key.Case, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateNumberIndex builds the index of a vault made before it existed (schema 2 to
// 3), a batch of cases at a time.
func migrateNumberIndex(c *Change, cursor []byte) ([]byte, bool, error) {
	key, err := c.path.searchKeyOf(c)
	if err != nil {
		return nil, false, err
	}
	if key == nil {
		return nil, false, fmt.Errorf("the vault has no search key: %w", ErrIntegrity)
	}
	return casesAfter(c, cursor, 500, func(id ID) error {
		cs, err := getCase(c, id)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return indexNumber(c, key, cs.Number, cs.ReadOnly, id, false)
	})
}

// pathOf is the commit path of a change, for code given only its Tx; a read-only
// snapshot has none, and gets a path with no cached keys.
func pathOf(t Tx) *commitPath {
	if c, ok := t.(*Change); ok && c.path != nil {
		return c.path
	}
	return &commitPath{}
}
