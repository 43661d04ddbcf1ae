package app_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// goldenV11Checkpoints lists the checkpoints the schema-11 golden vault holds under
// their old record type, by migrating a copy of it and noting what moved.
func goldenV11Checkpoints(t *testing.T) []app.Key {
	t.Helper()
	d := newAuditDisk()
	v := app.NewVaults(d)
	v.Now = func() time.Time { return auditGoldenNow }
	s, err := v.Unlock(copyAuditGolden(t, auditGoldenV11Dir), []byte(goldenPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	var cps []app.Key
	for _, k := range d.movedState {
		if k.Type == app.RecLegacyCheckpoint {
			cps = append(cps, k)
		}
	}
	if len(cps) < 2 {
		t.Fatalf("the golden vault moved %d checkpoints; it was written with one at each of four locks", len(cps))
	}
	return cps
}

// TestAuditStateKeyMigrationOnGoldenVault opens the schema-11 audit golden vault,
// whose audit state and checkpoints are under their old record types, and lets the
// migration move them two at a time, interrupted in its second batch: the next
// unlock resumes, each record is moved exactly once and none is left behind, every
// checkpoint signed before the move is where its size says and still verifies
// against the log, and the vault's digests are unchanged.
func TestAuditStateKeyMigrationOnGoldenVault(t *testing.T) {
	want := goldenV11Checkpoints(t)
	dir := copyAuditGolden(t, auditGoldenV11Dir)
	d := newAuditDisk()
	d.failAt = 2
	defer app.SetAuditMoveBatch(2)()
	v := app.NewVaults(d)
	v.Now = func() time.Time { return auditGoldenNow }
	if _, err := v.Unlock(dir, []byte(goldenPassphrase)); err == nil {
		t.Fatal("the interrupted migration reported success")
	} else if !strings.Contains(err.Error(), "audit state key range") {
		t.Fatalf("the interruption reads %q; want it to name the migration", err)
	}
	if len(d.movedState) != 2 || d.movedState[0].Type != app.RecLegacyAuditState {
		t.Fatalf("moved %v before the interruption; want the state and the first checkpoint (one batch of 2)", d.movedState)
	}
	s, batches := resumeAuditMigration(t, v, d, dir, "audit state key range")
	defer s.Lock()
	moved := slices.Clone(d.movedState)
	slices.SortFunc(moved, func(a, b app.Key) int { return strings.Compare(string(a.Bytes()), string(b.Bytes())) })
	if len(slices.Compact(slices.Clone(moved))) != len(moved) {
		t.Fatalf("a record moved twice: %v", moved)
	}
	if len(moved) != 1+len(want) || !slices.Equal(moved[1:], want) {
		t.Fatalf("moved %v; want the state and the checkpoints %v, once each", moved, want)
	}
	if wantBatches := (len(moved) - 2 + 1) / 2; batches < wantBatches {
		t.Errorf("the resumed migration ran %d batches for %d records in batches of 2; want at least %d", batches, len(moved)-2, wantBatches)
	}
	legacy := countKeys(t, s, app.RecLegacyAuditState, app.RecLegacyCheckpoint)
	if legacy != 0 {
		t.Fatalf("%d audit state or checkpoint records left under their old record types", legacy)
	}
	st, _ := s.Store()
	err := st.View(func(tx app.Tx) error {
		for _, k := range want {
			if _, err := tx.Get(app.Key{Type: app.RecCheckpoint, Order: k.Order}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("a checkpoint is not under its new key: %v", err)
	}
	if p := s.AuditProblem(); p != "" {
		t.Fatalf("the unlock after the migration found a problem in the audit trail: %s", p)
	}
	rep, err := s.VerifyAudit()
	if err != nil || !rep.OK() {
		t.Fatalf("the log does not verify after the move: %v %q", err, rep.Problem)
	}
	if rep.Checkpoints < len(want) {
		t.Fatalf("%d checkpoints checked against the log; want at least the %d signed before the move", rep.Checkpoints, len(want))
	}
	checkVault(t, s)
	t.Logf("moved the state and %d checkpoints (%d batches after the interruption); %d entries and %d checkpoints verified",
		len(want), batches, rep.Size, rep.Checkpoints)
}

// TestDamagedCheckpointIsLeft: a checkpoint whose seal no longer opens cannot be
// sealed again under its new key. The migration leaves it, moves the rest, the vault
// opens and its log verifies against the checkpoints that can be read.
func TestDamagedCheckpointIsLeft(t *testing.T) {
	cps := goldenV11Checkpoints(t)
	dir := copyAuditGolden(t, auditGoldenV11Dir)
	d := newAuditDisk()
	d.damaged = &cps[1]
	v := app.NewVaults(d)
	v.Now = func() time.Time { return auditGoldenNow }
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("a damaged checkpoint stopped the vault from opening: %v", err)
	}
	defer s.Lock()
	if version, _ := schemaOf(t, s); version != app.SchemaVersion() {
		t.Fatalf("schema %d; want %d", version, app.SchemaVersion())
	}
	legacy := countKeys(t, s, app.RecLegacyAuditState, app.RecLegacyCheckpoint)
	if legacy != 1 || slices.Contains(d.movedState, cps[1]) {
		t.Fatalf("%d records left under the old types (the damaged one moved: %v); want the damaged checkpoint only",
			legacy, slices.Contains(d.movedState, cps[1]))
	}
	rep, err := s.VerifyAudit()
	if err != nil || !rep.OK() {
		t.Fatalf("the log does not verify: %v %q", err, rep.Problem)
	}
	if rep.Checkpoints < len(cps)-1 {
		t.Fatalf("%d checkpoints checked; want the %d that could be read", rep.Checkpoints, len(cps)-1)
	}
}

// TestDamagedAuditStateStopsTheMigration: without its state the session would start a
// new log over the old one, so a damaged state stops the migration, as it stopped the
// vault from opening before the move. The user reads the integrity sentence, nothing
// is changed, and the vault opens and migrates once the damage is gone (a restore).
func TestDamagedAuditStateStopsTheMigration(t *testing.T) {
	dir := copyAuditGolden(t, auditGoldenV11Dir)
	d := newAuditDisk()
	d.damaged = &app.Key{Type: app.RecLegacyAuditState}
	v := app.NewVaults(d)
	v.Now = func() time.Time { return auditGoldenNow }
	_, err := v.Unlock(dir, []byte(goldenPassphrase))
	if !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("a damaged audit state: %v; want an integrity error", err)
	}
	if got, want := app.Sentence(err), app.Sentence(app.ErrIntegrity); got != want {
		t.Fatalf("the user reads %q; want %q", got, want)
	}
	if len(d.movedState) != 0 {
		t.Fatalf("moved %v with the state damaged; want nothing", d.movedState)
	}
	d.damaged = nil
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("the vault did not open once the damage was gone: %v", err)
	}
	defer s.Lock()
	if legacy := countKeys(t, s, app.RecLegacyAuditState, app.RecLegacyCheckpoint); legacy != 0 {
		t.Fatalf("%d records left under the old types", legacy)
	}
	if rep, err := s.VerifyAudit(); err != nil || !rep.OK() {
		t.Fatalf("the log does not verify: %v %q", err, rep.Problem)
	}
}
