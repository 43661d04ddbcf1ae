package app

import (
	"encoding/json"
	"fmt"
)

// Test-only access below the services, for package app_test: tests that tamper with
// records, count what a service read, or compare the whole store before and after.

// Store returns the store under the record service.
func (r *Records) Store() Store { return r.path.store }

// Store returns the session's store, or ErrLocked after Lock.
func (s *Session) Store() (Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrLocked
	}
	return s.path.store, nil
}

// SetCommitted makes fn run after each commit on the records' commit path, while the
// write lock is held: the order fn sees is the order of the commits.
func SetCommitted(r *Records, fn func()) { r.path.committed = fn }

// NewKeyring returns a keyring over a vault key, for tests that read backups with an
// unrelated key.
func NewKeyring(vaultKey []byte) *Keyring { return newKeyring(vaultKey) }

// MigrationStep is the step of a migration (see migration.step).
type MigrationStep = func(c *Change, cursor []byte) (next []byte, done bool, err error)

// AddMigration appends a migration for the length of a test; restore removes it.
func AddMigration(name string, step MigrationStep) (restore func()) {
	saved := migrations
	migrations = append(append([]migration(nil), saved...), migration{name: name, step: step})
	return func() { migrations = saved }
}

// CasesAfter is casesAfter, for migrations written by tests.
func CasesAfter(t Tx, cursor []byte, limit int, fn func(ID) error) ([]byte, bool, error) {
	return casesAfter(t, cursor, limit, fn)
}

// WriteBareCases writes n minimal cases (a case record and an alias each) through
// the commit path's bulk writer: a large vault in seconds, for migration tests.
func WriteBareCases(r *Records, n int) error {
	now := r.now()
	return r.path.bulk(n, func(i int, c *Change) error {
		cs := Case{ID: NewID(), Number: fmt.Sprintf("BARE-%06d", i), Title: "Bare case",
			Status: CaseOpen, Opened: dateOnly(now), Created: now, Updated: now}
		if err := c.NewCase(cs.ID); err != nil {
			return err
		}
		if err := putJSON(c, victimKey(cs.ID), &Victim{Alias: fmt.Sprintf("Alias %06d", i)}); err != nil {
			return err
		}
		return putCase(c, &cs)
	}, nil, nil)
}

// SchemaRecord reads the vault's schema version and whether a migration is under way.
func SchemaRecord(t Tx) (version int, migrating bool, err error) {
	var rec schemaRecord
	if err := getJSON(t, schemaKey, &rec); err != nil {
		return 0, false, err
	}
	return rec.Version, rec.Migrating, nil
}

// Update writes through the records' commit path, with any keys: for tests that need
// records the services do not write, in a vault whose digests stay true.
func Update(r *Records, fn func(Tx) error) error { return r.update(fn) }

// KDFRuns is how many passphrase derivations this process has run.
func KDFRuns() int64 { return kdfRuns.Load() }

// FailedBefore is what the session's unlock found in the record of failed unlocks.
func (s *Session) FailedBefore() FailedUnlocks { return s.failedBefore }

// SetRekeyHook makes fn run before each batch of a rekey's copy, and shrinks the
// batches so that a small vault takes several.
func SetRekeyHook(fn func(batch int) error) (restore func()) {
	oldHook, oldBatch := rekeyHook, rekeyBatch
	rekeyHook, rekeyBatch = fn, 4<<10
	return func() { rekeyHook, rekeyBatch = oldHook, oldBatch }
}

// OpenRaw opens a vault's store without a session (no migration, no audit, no
// anchor): for tests that change records below the app between two sessions.
func OpenRaw(v *Vaults, dir string, pass []byte) (Store, error) {
	_, keys, err := v.unlockKeys(dir, pass)
	if err != nil {
		return nil, err
	}
	defer keys.zero()
	sk, err := keys.storeKeys()
	if err != nil {
		return nil, err
	}
	defer sk.Zero()
	return v.Disk.OpenStore(dir, sk, false)
}

// SessionKeysForTest returns XOR-masked copies (value ^ mask, mask) of the session's
// vault key, records sub-key and signing seed, for the memory test, which must not
// hold them in the clear.
func SessionKeysForTest(s *Session) [][2][]byte {
	mask := func(k []byte) [2][]byte {
		b, m := make([]byte, len(k)), make([]byte, len(k))
		for i := range k {
			m[i] = byte(0xa5 + i*13)
			b[i] = k[i] ^ m[i]
		}
		clear(k)
		return [2][]byte{b, m}
	}
	s.keys.mu.Lock()
	vk := append([]byte(nil), s.keys.vaultKey...)
	s.keys.mu.Unlock()
	rec, _ := s.keys.derive(purposeRecords)
	uk, _ := s.UserKeys()
	seed := append([]byte(nil), uk.signing.Seed()...)
	return [][2][]byte{mask(vk), mask(rec), mask(seed)}
}

// TotalsMatch reports whether the vault totals the commit path keeps equal a fresh
// count of the case index and the task index.
func TotalsMatch(r *Records) error {
	return r.view(func(t Tx) error {
		kept, err := readTotals(t)
		if err != nil {
			return err
		}
		fresh, err := countTotals(t)
		if err != nil {
			return err
		}
		if !kept.equal(fresh) {
			a, _ := json.Marshal(kept)
			b, _ := json.Marshal(fresh)
			return fmt.Errorf("kept totals %s, counted %s", a, b)
		}
		return nil
	})
}

// MigrateTotals runs the "vault totals" migration over r's store to its end, as
// opening an older vault does (the test has made its case list entries old).
func MigrateTotals(r *Records) error {
	_, err := runMigrationStep(r.path, "vault totals")
	return err
}

// MigrationFrom is the schema version the named migration starts from (a vault at
// that version runs it, and every one after it, at its next unlock).
func MigrationFrom(name string) int {
	for i, m := range migrations {
		if m.name == name {
			return i + 1
		}
	}
	panic("no migration named " + name)
}
