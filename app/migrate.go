package app

import (
	"encoding/json"
	"fmt"

	"casenotes/crypto"
)

// Schema versions and resumable migrations.
//
// The vault-level schema record says which record format the vault holds. Each
// migration moves the vault one version on, in bounded batches: every batch runs on
// the commit path (so derived records follow), and the same transaction records how
// far the migration got. A crash, a full disk or a lock in the middle leaves the
// vault at a known cursor, and the next unlock resumes from there; no batch runs
// twice and none is skipped. Never edit or reorder a released migration; append.
// Golden vaults of every released format live in testdata/vaults and are opened by
// the tests.

// migration moves a vault from version i+1 to i+2, where i is its place in the list.
type migration struct {
	// name says what the migration does, for progress and errors.
	name string
	// step does the next bounded piece of work after cursor (nil at the start) and
	// returns where to resume; done once nothing is left. It must keep its writes
	// well under bulkBudget, and it may run again from a cursor it returned before.
	step func(c *Change, cursor []byte) (next []byte, done bool, err error)
}

// migrations lists every schema change in order.
var migrations = []migration{
	{name: "state digests", step: migrateStateDigests}, // 1 -> 2
	{name: "number index", step: migrateNumberIndex},   // 2 -> 3
	{name: "vault totals", step: migrateTotals},        // 3 -> 4
	// Releases made before signers were recorded say so (issue 14).
	{name: "release signers", step: migrateReleaseSigners}, // 4 -> 5
	// One partner vocabulary for releases, the directory and checklist owners
	// (issue 8, item 16).
	{name: "partner vocabulary", step: migratePartnerVocabulary}, // 5 -> 6
	// The program report's per-case facts for cases written before them (issue 15).
	{name: "report facts", step: migrateReportFacts}, // 6 -> 7
	// Checklists store only what differs from their template version (issue 12).
	{name: "sparse checklists", step: migrateSparseChecklists}, // 7 -> 8
	// The task index keeps one record per dated item, without a pointer (issue 12).
	{name: "task pointers", step: migrateTaskPointers}, // 8 -> 9
	// An open case's untouched checklist items due the same day share one task entry (issue 12).
	{name: "shared task entries", step: migrateCompactTasks}, // 9 -> 10
	// The audit trail's entries sort after the case records, so the small table each
	// session leaves does not overlap them (issue 12; audit_migration.go).
	{name: "audit key range", step: migrateAuditKeys}, // 10 -> 11
	// The audit log's state and checkpoints sort after its entries, so the small
	// table each session leaves overlaps only the log's newest records (issue 12).
	{name: "audit state key range", step: migrateAuditStateKeys}, // 11 -> 12
}

// SchemaVersion is the record format this build writes: 1 plus one per migration.
func SchemaVersion() int { return 1 + len(migrations) }

// schemaRecord is the vault's format version and, while a migration is under way,
// where it stands.
type schemaRecord struct {
	Version int `json:"version"`
	// Cursor is where the migration to Version+1 resumes; absent between migrations.
	Cursor []byte `json:"cursor,omitempty"`
	// Migrating is set while a migration is under way (a nil cursor is its start).
	Migrating bool `json:"migrating,omitempty"`
}

var schemaKey = Key{Type: RecSchema}

// MigrationProgress reports a migration's batches as they commit.
type MigrationProgress func(name string, batches int)

// migrate stamps a new store with SchemaVersion, refuses a newer vault, and runs (or
// resumes) the migrations an older one needs.
//
// prepare runs once the store is stamped (a new one) or before any migration (an
// older one): the session makes the user's keys there, which migrations may need.
func migrate(p *commitPath, progress MigrationProgress, prepare func() error) error {
	var rec schemaRecord
	found := false
	err := p.view(func(t Tx) error {
		b, err := t.Get(schemaKey)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &rec); err != nil || rec.Version < 1 {
			return fmt.Errorf("schema record: %w", ErrIntegrity)
		}
		found = true
		return nil
	})
	if err != nil {
		return err
	}
	if rec.Version > SchemaVersion() {
		return ErrTooNew
	}
	if !found {
		// A new store: its state starts empty, and the schema record is its first
		// record (the state deriver counts it in).
		err := p.update(func(c *Change) error {
			if err := putJSON(c.Tx, vaultStateKey, vaultState{Digest: new(crypto.LtHash).Bytes()}); err != nil {
				return err
			}
			return putSchema(c, schemaRecord{Version: SchemaVersion()})
		})
		if err == nil && prepare != nil {
			err = prepare()
		}
		return err
	}
	if prepare != nil {
		if err := prepare(); err != nil {
			return err
		}
	}
	if rec.Version < SchemaVersion() {
		defer p.loading()()
	}
	for rec.Version < SchemaVersion() {
		m := migrations[rec.Version-1]
		for batches := 1; ; batches++ {
			next := rec
			err := p.update(func(c *Change) error {
				logEvent(c, AuditEvent{Action: ActMigration, Reason: fmt.Sprintf("schema-%d", rec.Version+1)})
				cursor, done, err := m.step(c, rec.Cursor)
				if err != nil {
					return err
				}
				if done {
					next = schemaRecord{Version: rec.Version + 1}
				} else {
					next = schemaRecord{Version: rec.Version, Cursor: cursor, Migrating: true}
				}
				return putSchema(c, next)
			})
			if err != nil {
				return fmt.Errorf("migrating the vault from version %d (%s): %w", rec.Version, m.name, err)
			}
			if progress != nil {
				progress(m.name, batches)
			}
			done := next.Version > rec.Version
			rec = next
			if done {
				break
			}
		}
	}
	return nil
}

func putSchema(w Writer, r schemaRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("%w: encoding: %v", ErrStore, err)
	}
	return w.Put(schemaKey, b)
}

// casesAfter calls fn for at most limit cases of the case index whose IDs sort
// after cursor, and returns the cursor to resume from and whether the index ended.
// Migrations that touch every case walk the vault with it.
func casesAfter(t Tx, cursor []byte, limit int, fn func(id ID) error) (next []byte, done bool, err error) {
	var after ID
	if len(cursor) == len(after) {
		copy(after[:], cursor)
	} else if len(cursor) != 0 {
		return nil, false, fmt.Errorf("migration cursor: %w", ErrIntegrity)
	}
	var ids []ID
	err = t.ScanKeys(RecCaseIndex, ID{}, func(k Key) error {
		if len(cursor) > 0 && string(k.ID[:]) <= string(after[:]) {
			return nil
		}
		ids = append(ids, k.ID)
		if len(ids) > limit {
			return ErrStopScan
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	done = len(ids) <= limit
	if !done {
		ids = ids[:limit]
	}
	for _, id := range ids {
		if err := fn(id); err != nil {
			return nil, false, err
		}
	}
	if len(ids) > 0 {
		last := ids[len(ids)-1]
		next = last[:]
	} else {
		next = cursor
	}
	return next, done, nil
}
