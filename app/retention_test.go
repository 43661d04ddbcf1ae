package app_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// Deleting asks for a reason, is refused while a legal hold is in place, and leaves
// a tombstone that names the exports to other agencies (their copies are not
// deleted) and the holds the case had.
func TestDeleteWithReasonHoldAndTombstone(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	if err := r.RecordExport(c.ID, app.ExportRecord{ExportID: app.NewID(), Profile: "prosecutor", Format: "bundle",
		Recipient: "Demo County Prosecutor's Office", SHA256: strings.Repeat("ab", 32)}); err != nil {
		t.Fatal(err)
	}
	if err := r.RecordExport(c.ID, app.ExportRecord{ExportID: app.NewID(), Profile: "transfer", Format: "bundle",
		Recipient: "Det. Alvarez's new laptop", SHA256: strings.Repeat("cd", 32)}); err != nil {
		t.Fatal(err)
	}
	sh, err := r.Sharing(c.ID)
	if err != nil || !sh.SharedWithProsecutor || len(sh.Exports) != 1 {
		t.Fatalf("sharing %+v %v: want shared with the prosecutor, the transfer not counted", sh, err)
	}
	before := dumpStore(t, r.Store())
	assertFieldError(t, r.DeleteCase(c.ID, "  "), "reason for deleting", app.ErrInvalid)
	if _, err := r.PlaceLegalHold(c.ID, "Records request from the defense"); err != nil {
		t.Fatal(err)
	}
	_, err = r.PlaceLegalHold(c.ID, "Again")
	assertFieldError(t, err, "legal hold", app.ErrInvalid)
	held := dumpStore(t, r.Store())
	err = r.DeleteCase(c.ID, "Duplicate case")
	assertFieldError(t, err, "case", app.ErrLegalHold)
	if !strings.Contains(app.Sentence(err), "lift the hold") {
		t.Errorf("refusal %q does not say what to do", app.Sentence(err))
	}
	assertSameStore(t, held, dumpStore(t, r.Store()))
	if len(before) >= len(held) {
		t.Fatal("placing the hold stored nothing")
	}
	if _, err := r.LiftLegalHold(c.ID, "Request answered"); err != nil {
		t.Fatal(err)
	}
	_, err = r.LiftLegalHold(c.ID, "Again")
	assertFieldError(t, err, "legal hold", app.ErrInvalid)
	if err := r.DeleteCase(c.ID, "Duplicate case"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Case(c.ID); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("deleted case still reads: %v", err)
	}
	ts, err := r.Tombstones()
	if err != nil || len(ts) != 1 {
		t.Fatalf("tombstones %+v %v", ts, err)
	}
	tb := ts[0]
	if tb.Number != "2026-1" || tb.Reason != "Duplicate case" || tb.DeletedBy != "Det. Alvarez" || !tb.Deleted.Equal(testNow) ||
		len(tb.Shared) != 1 || tb.Shared[0].Profile != "prosecutor" || len(tb.Holds) != 1 || tb.Holds[0].LiftReason != "Request answered" ||
		tb.Seal == "" || tb.Prev != "" {
		t.Errorf("tombstone %+v", tb)
	}
	b, _ := json.Marshal(tb)
	if strings.Contains(string(b), "Alias 2026-1") || strings.Contains(string(b), "Case 2026-1") {
		t.Error("the tombstone keeps the alias or the title")
	}
	// A second deletion chains to the first.
	d := newTestCase(t, r, "2026-2")
	if err := r.DeleteCase(d.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	ts, err = r.Tombstones()
	if err != nil || len(ts) != 2 || ts[1].Prev != ts[0].Seal {
		t.Fatalf("chain %+v %v", ts, err)
	}
}

// In a vault session, where every case has a digest of its records, the tombstone
// keeps the digest of what was destroyed.
func TestTombstoneCarriesTheCaseDigest(t *testing.T) {
	v, _, _ := newVaults(t)
	s, _, err := v.Create(filepath.Join(t.TempDir(), "vault"), []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("Det. Alvarez")
	c := newTestCase(t, r, "2026-1")
	if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	ts, err := r.Tombstones()
	if err != nil || len(ts) != 1 || len(ts[0].CaseDigest) != 64 {
		t.Fatalf("tombstone %+v %v", ts, err)
	}
	if rep, err := s.Check(nil); err != nil || !rep.OK() {
		t.Fatalf("check after deleting: %v %v", err, rep.Problems)
	}
}

// An altered tombstone, or one dropped from the middle of the chain, is detected.
func TestTombstoneChainDetectsTampering(t *testing.T) {
	r := newTestRecords(t)
	for _, n := range []string{"2026-1", "2026-2", "2026-3"} {
		c := newTestCase(t, r, n)
		if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
			t.Fatal(err)
		}
	}
	var keys []app.Key
	var vals [][]byte
	err := r.Store().View(func(tx app.Tx) error {
		return tx.Scan(app.RecTombstone, app.ID{}, func(k app.Key, v []byte) error {
			keys, vals = append(keys, k), append(vals, append([]byte(nil), v...))
			return nil
		})
	})
	if err != nil || len(keys) != 3 {
		t.Fatal(err, len(keys))
	}
	edit := strings.Replace(string(vals[0]), "Opened by mistake", "Routine cleanup", 1)
	if err := app.Update(r, func(tx app.Tx) error { return tx.Put(keys[0], []byte(edit)) }); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Tombstones(); !errors.Is(err, app.ErrIntegrity) {
		t.Errorf("altered tombstone: %v", err)
	}
	if err := app.Update(r, func(tx app.Tx) error {
		if err := tx.Put(keys[0], vals[0]); err != nil {
			return err
		}
		return tx.Delete(keys[1])
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Tombstones(); !errors.Is(err, app.ErrIntegrity) {
		t.Errorf("dropped tombstone: %v", err)
	}
}

// A case with final notes can be deleted only once closed (its retention ended);
// an open one is refused with what to do.
func TestDeleteCaseWithFinalNotes(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met at the CAC."})
	if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	assertFieldError(t, r.DeleteCase(c.ID, "Retention ended"), "case", app.ErrFinal)
	if _, err := r.SetCaseStatus(c.ID, app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteCase(c.ID, "Retention period ended"); err != nil {
		t.Fatal(err)
	}
	ts, _ := r.Tombstones()
	if len(ts) != 1 || ts[0].FinalNotes != 1 || ts[0].Status != app.CaseClosed {
		t.Errorf("tombstone %+v", ts)
	}
}

// The agency retention period proposes closed cases whose period has ended, for a
// person to review; it deletes nothing, and a case on legal hold is flagged.
func TestRetentionReview(t *testing.T) {
	r := newTestRecords(t)
	if got, err := r.RetentionReview(testNow); err != nil || got != nil {
		t.Fatalf("no retention period set: %v %v", got, err)
	}
	_, err := r.SavePracticeSettings(app.PracticeSettings{RetentionMonths: -1})
	assertFieldError(t, err, "retention period", app.ErrInvalid)
	if _, err := r.SavePracticeSettings(app.PracticeSettings{RetentionMonths: 12}); err != nil {
		t.Fatal(err)
	}
	old := newTestCase(t, r, "2024-1")
	held := newTestCase(t, r, "2024-2")
	recent := newTestCase(t, r, "2025-9")
	_ = newTestCase(t, r, "2026-1") // open
	closeOn := func(c app.Case, day time.Time) {
		t.Helper()
		clock := r.Now
		r.Now = func() time.Time { return day }
		if _, err := r.SetCaseStatus(c.ID, app.CaseClosed, "Services completed"); err != nil {
			t.Fatal(err)
		}
		r.Now = clock
	}
	closeOn(old, mustDate("2024-06-01"))
	closeOn(held, mustDate("2024-09-01"))
	closeOn(recent, mustDate("2025-09-01"))
	if _, err := r.PlaceLegalHold(held.ID, "Appeal pending"); err != nil {
		t.Fatal(err)
	}
	before := dumpStore(t, r.Store())
	got, err := r.RetentionReview(testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Case.Number != "2024-1" || got[1].Case.Number != "2024-2" ||
		!got[0].Until.Equal(mustDate("2025-06-01")) || got[0].OnHold || !got[1].OnHold {
		t.Fatalf("proposed %+v", got)
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
}
