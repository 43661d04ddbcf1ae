package app_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// auditDisk opens real stores wrapped so a test can see what each committed
// transaction wrote, interrupt the audit migrations (key range, state key range)
// after a number of their batches, and make one old audit record read as damaged.
type auditDisk struct {
	storage.Disk
	mu sync.Mutex
	// failAt interrupts the failAt-th transaction that moves audit records (0: never).
	failAt, moving int
	// moved is every old entry's sequence number deleted by a committed transaction,
	// movedState every old state and checkpoint key.
	moved      []uint64
	movedState []app.Key
	// damaged is the key of the old record that reads as damaged (nil: none).
	damaged *app.Key
	// written collects the record types a committed transaction wrote or deleted,
	// while recording is set.
	recording bool
	written   map[app.RecordType]int
}

func newAuditDisk() *auditDisk {
	return &auditDisk{written: map[app.RecordType]int{}}
}

func (d *auditDisk) OpenStore(dir string, keys app.StoreKeys, create bool) (app.Store, error) {
	st, err := d.Disk.OpenStore(dir, keys, create)
	if err != nil {
		return nil, err
	}
	return &auditStore{Store: st, d: d}, nil
}

type auditStore struct {
	app.Store
	d *auditDisk
}

func (s *auditStore) View(fn func(app.Tx) error) error {
	return s.Store.View(func(t app.Tx) error { return fn(&auditTx{Tx: t, d: s.d}) })
}

func (s *auditStore) Update(fn func(app.Tx) error) error {
	return s.Store.Update(func(t app.Tx) error {
		w := &auditTx{Tx: t, d: s.d, types: map[app.RecordType]int{}}
		if err := fn(w); err != nil {
			return err
		}
		d := s.d
		d.mu.Lock()
		defer d.mu.Unlock()
		if len(w.moved) > 0 || len(w.movedState) > 0 {
			d.moving++
			if d.moving == d.failAt {
				return errors.New("interrupted by the test")
			}
			d.moved = append(d.moved, w.moved...)
			d.movedState = append(d.movedState, w.movedState...)
		}
		if d.recording {
			for typ, n := range w.types {
				d.written[typ] += n
			}
		}
		return nil
	})
}

type auditTx struct {
	app.Tx
	d          *auditDisk
	moved      []uint64
	movedState []app.Key
	types      map[app.RecordType]int
}

func (t *auditTx) isDamaged(k app.Key) bool {
	return t.d.damaged != nil && k == *t.d.damaged
}

func (t *auditTx) Get(k app.Key) ([]byte, error) {
	if t.isDamaged(k) {
		return nil, app.ErrIntegrity
	}
	return t.Tx.Get(k)
}

func (t *auditTx) Walk(after []byte, fn func(k app.Key, sealed, value []byte, err error) error) error {
	return t.Tx.Walk(after, func(k app.Key, sealed, value []byte, err error) error {
		if t.isDamaged(k) {
			return fn(k, sealed, nil, app.ErrIntegrity)
		}
		return fn(k, sealed, value, err)
	})
}

func (t *auditTx) Put(k app.Key, v []byte) error {
	if t.types != nil {
		t.types[k.Type]++
	}
	return t.Tx.Put(k, v)
}

func (t *auditTx) Delete(k app.Key) error {
	switch k.Type {
	case app.RecLegacyAudit:
		t.moved = append(t.moved, k.Order)
	case app.RecLegacyAuditState, app.RecLegacyCheckpoint:
		t.movedState = append(t.movedState, k)
	}
	if t.types != nil {
		t.types[k.Type]++
	}
	return t.Tx.Delete(k)
}

// countKeys counts the vault-level records of the given types.
func countKeys(t *testing.T, s *app.Session, types ...app.RecordType) int {
	t.Helper()
	st, _ := s.Store()
	n := 0
	err := st.View(func(tx app.Tx) error {
		for _, typ := range types {
			if err := tx.ScanKeys(typ, app.ID{}, func(app.Key) error { n++; return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// copyAuditGolden copies an audit golden vault (auditGoldenDir, auditGoldenV11Dir)
// for a test to migrate.
func copyAuditGolden(t *testing.T, golden string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	if err := os.CopyFS(dir, os.DirFS(golden)); err != nil {
		t.Fatalf("copy the golden vault: %v", err)
	}
	return dir
}

// resumeAuditMigration unlocks dir again after the test interrupted a migration,
// counting the batches of the one named, and checks the vault reached this build's
// schema. The caller locks the session.
func resumeAuditMigration(t *testing.T, v *app.Vaults, d *auditDisk, dir, name string) (*app.Session, int) {
	t.Helper()
	d.failAt = 0
	batches := 0
	v.Migrating = func(m string, n int) {
		if m == name {
			batches = n
		}
	}
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("the resumed migration failed: %v", err)
	}
	if version, migrating := schemaOf(t, s); version != app.SchemaVersion() || migrating {
		s.Lock()
		t.Fatalf("schema %d (migrating %v); want %d", version, migrating, app.SchemaVersion())
	}
	return s, batches
}

// TestAuditKeyRangeMigrationOnGoldenVault opens the audit golden vault (schema 10),
// whose audit entries are under their old record type, and lets the migration move them in
// batches of four, interrupted in its third batch: the next unlock resumes, every
// entry is moved exactly once and none is left behind, and the whole log verifies,
// entry MACs and the checkpoints signed before the move included, so each entry is
// the same leaf it was. The vault's digests are unchanged.
func TestAuditKeyRangeMigrationOnGoldenVault(t *testing.T) {
	dir := copyAuditGolden(t, auditGoldenDir)
	d := newAuditDisk()
	d.failAt = 3
	defer app.SetAuditMoveBatch(4)()
	v := app.NewVaults(d)
	v.Now = func() time.Time { return auditGoldenNow }
	if _, err := v.Unlock(dir, []byte(goldenPassphrase)); err == nil {
		t.Fatal("the interrupted migration reported success")
	} else if !strings.Contains(err.Error(), "audit key range") {
		t.Fatalf("the interruption reads %q; want it to name the migration", err)
	}
	if len(d.moved) != 8 {
		t.Fatalf("%d entries moved before the interruption; want the two batches of 4 that committed", len(d.moved))
	}
	s, batches := resumeAuditMigration(t, v, d, dir, "audit key range")
	defer s.Lock()
	moved := slices.Clone(d.moved)
	slices.Sort(moved)
	for i, seq := range moved {
		if seq != uint64(i) {
			t.Fatalf("moved entries %v; want each of 0..%d once", moved, len(moved)-1)
		}
	}
	if want := (len(moved) - 8 + 3) / 4; batches < want {
		t.Errorf("the resumed migration ran %d batches for %d entries in batches of 4; want at least %d", batches, len(moved)-8, want)
	}
	legacy, current := countKeys(t, s, app.RecLegacyAudit), countKeys(t, s, app.RecAudit)
	if legacy != 0 {
		t.Fatalf("%d audit entries left under the old record type", legacy)
	}
	if p := s.AuditProblem(); p != "" {
		t.Fatalf("the unlock after the migration found a problem in the audit trail: %s", p)
	}
	rep, err := s.VerifyAudit()
	if err != nil || !rep.OK() {
		t.Fatalf("the moved log does not verify: %v %q", err, rep.Problem)
	}
	if rep.Size != uint64(current) || rep.Checked != rep.Size {
		t.Fatalf("verified %d of %d entries, %d stored; want every stored entry checked", rep.Checked, rep.Size, current)
	}
	if rep.Checkpoints == 0 {
		t.Fatal("no checkpoint signed before the move was checked against the moved log")
	}
	r, _ := s.Records("")
	first, err := r.AuditEntries(app.AuditFilter{}, int(rep.Size)-1, 1)
	if err != nil || len(first.Rows) != 1 {
		t.Fatalf("reading the first entry: %v", err)
	}
	if e := first.Rows[0]; e.Seq != 0 || e.Action != app.ActVaultCreated || !e.Time.Before(auditGoldenNow) {
		t.Fatalf("the first entry reads %+v; want the golden vault's creation", e.AuditEntry)
	}
	// Every batch that committed logged itself, those of this migration too (the log's
	// state was still under its schema-11 key while they ran: audit_migration.go).
	logged, err := r.AuditEntries(app.AuditFilter{Action: app.ActMigration}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	perSchema := map[string]int{}
	for _, e := range logged.Rows {
		perSchema[e.Reason]++
	}
	if perSchema["schema-11"] != 2+batches {
		t.Errorf("%d batches of the audit key range migration logged; want the %d that committed (%v)", perSchema["schema-11"], 2+batches, perSchema)
	}
	if perSchema["schema-12"] == 0 {
		t.Errorf("no batch of the audit state key range migration logged (%v)", perSchema)
	}
	checkVault(t, s)
	t.Logf("%d entries moved (%d before the interruption, %d batches after); %d entries and %d checkpoints verified",
		len(moved), 8, batches, rep.Size, rep.Checkpoints)
}

// TestDamagedAuditEntryIsLeftAndNamed: an old entry whose seal no longer opens cannot
// be sealed again under its new key. The migration leaves it where it is and moves
// the rest, the vault opens, and the full verification of the audit trail names the
// entry as damaged, as it would have before the move. (The unlock's own check reads
// only the entries written since the last verified one, before and after the move.)
func TestDamagedAuditEntryIsLeftAndNamed(t *testing.T) {
	dir := copyAuditGolden(t, auditGoldenDir)
	d := newAuditDisk()
	d.damaged = &app.Key{Type: app.RecLegacyAudit, Order: 5}
	v := app.NewVaults(d)
	v.Now = func() time.Time { return auditGoldenNow }
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("a damaged audit entry stopped the vault from opening: %v", err)
	}
	defer s.Lock()
	if version, _ := schemaOf(t, s); version != app.SchemaVersion() {
		t.Fatalf("schema %d; want %d", version, app.SchemaVersion())
	}
	legacy := countKeys(t, s, app.RecLegacyAudit)
	if legacy != 1 || slices.Contains(d.moved, 5) {
		t.Fatalf("%d entries left under the old type (entry 5 moved: %v); want the damaged one only", legacy, slices.Contains(d.moved, 5))
	}
	want := "Audit entry 5: it is damaged and cannot be read."
	rep, err := s.VerifyAudit()
	if err != nil || rep.Problem != want || rep.BadSeq != 5 {
		t.Fatalf("the full verification reads %q at entry %d (%v); want %q", rep.Problem, rep.BadSeq, err, want)
	}
}

// TestSessionThatChangesNoCaseWritesOnlyTheAuditLog: an unlock and a lock write only
// the audit log's records (its entries, its state, a checkpoint), whose types are
// adjacent in key order (0x2A-0x2C) and hold nothing else. The store flushes a
// session's writes at the lock as a table whose key range runs from its first key to
// its last, and merges it into the base level at the close; kept to the log's own
// newest records, that merge rewrites only the base level's table that holds them,
// not the case records' or the vault's indexes (audit_migration.go).
func TestSessionThatChangesNoCaseWritesOnlyTheAuditLog(t *testing.T) {
	d := newAuditDisk()
	v := app.NewVaults(d)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	if err := app.WriteBareCases(r, 20); err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		d.recording = true
		s, err = v.Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Lock(); err != nil {
			t.Fatal(err)
		}
		d.recording = false
	}
	var types []string
	for typ, n := range d.written {
		types = append(types, fmt.Sprintf("0x%02X x%d", byte(typ), n))
		switch typ {
		case app.RecAudit, app.RecAuditState, app.RecCheckpoint:
		default:
			t.Errorf("an unlock and lock wrote record type 0x%02X, outside the audit log's key range", byte(typ))
		}
	}
	for _, typ := range []app.RecordType{app.RecAudit, app.RecAuditState, app.RecCheckpoint} {
		if d.written[typ] == 0 {
			t.Errorf("the unlocks and locks wrote no record of type 0x%02X: the recording saw nothing", byte(typ))
		}
	}
	if app.RecAuditState != app.RecAudit+1 || app.RecCheckpoint != app.RecAudit+2 {
		t.Error("the audit log's record types are not adjacent in key order")
	}
	slices.Sort(types)
	t.Logf("two unlocks and locks wrote %s", strings.Join(types, ", "))
}
