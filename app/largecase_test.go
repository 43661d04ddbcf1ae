package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// largeCaseNotes is more short notes than one transaction takes: written at once,
// a case of 5,000 notes of 300 characters was refused, and one of 9,000 with the
// store's earlier 32 MiB memtable (docs/PERFORMANCE.md, "The seed's peak").
const largeCaseNotes = 9000

// largeNoteBody is a note of about 300 characters, short enough to stay in the
// store's tree, which is where a transaction's size limit bites.
func largeNoteBody(i int) string {
	return fmt.Sprintf("Contact %05d. ", i) + strings.Repeat("Advocate checked in by phone; no new concerns. ", 6)
}

// largeCaseFile is a case file of one case with n short notes, the first with an
// addendum, written a minute apart.
func largeCaseFile(t *testing.T, number string, n int) []byte {
	t.Helper()
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	notes := make([]map[string]any, n)
	for i := range notes {
		notes[i] = map[string]any{"kind": "contact", "body": largeNoteBody(i), "author": "Det. Alvarez",
			"created_at": at.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), "final": true}
	}
	if n > 0 {
		notes[0]["addenda"] = []map[string]any{{"body": "Correction: the call was at 9:30.", "author": "Det. Alvarez",
			"created_at": at.Add(time.Duration(n) * time.Minute).Format(time.RFC3339)}}
	}
	raw, err := json.Marshal(map[string]any{"format": app.CaseFileFormat, "cases": []any{map[string]any{
		"number": number, "title": "Long-running case", "status": "open", "opened": "2026-01-05",
		"victim": map[string]any{"alias": "J."}, "notes": notes}}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// checkLargeCase says whether the case holds all its notes, in the order written,
// with their text, and the first note's addendum.
func checkLargeCase(t *testing.T, r *app.Records, id app.ID, n int) {
	t.Helper()
	notes, err := r.Notes(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != n {
		t.Fatalf("the case lists %d notes; want %d", len(notes), n)
	}
	for i, note := range notes {
		if note.Body != largeNoteBody(i) {
			t.Fatalf("note %d reads %.20q; want note %d's text in its place", i+1, note.Body, i+1)
		}
	}
	if len(notes[0].Addenda) != 1 {
		t.Errorf("the first note has %d addenda; want its one", len(notes[0].Addenda))
	}
}

// A case file of one case with more notes than one transaction takes is imported
// in stages, the case hidden until the last; all its notes are there in order, the
// vault passes its check, and the case, once closed, can be deleted.
func TestImportCaseFileLargeCase(t *testing.T) {
	v, _, clk := newVaults(t)
	s, _, err := v.Create(filepath.Join(t.TempDir(), "vault"), []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	r.Now = clk.now
	batches := 0
	defer app.SetImportBatchHook(func(int) error {
		if list, err := r.ListCases(app.CaseFilter{}); err != nil || len(list) != 0 {
			t.Errorf("during the staged import the list shows %d cases (%v)", len(list), err)
		}
		batches++
		return nil
	})()
	sum, err := r.ImportCaseFile(bytes.NewReader(largeCaseFile(t, "2026-LC-0001", largeCaseNotes)))
	if err != nil {
		t.Fatalf("importing a case of %d notes: %v", largeCaseNotes, err)
	}
	if !sum.Staged || batches < 2 || sum.Cases != 1 || sum.Notes != largeCaseNotes || sum.Addenda != 1 {
		t.Errorf("summary %+v in %d transactions; want one case of %d notes and one addendum, staged", sum, batches, largeCaseNotes)
	}
	id, err := r.CaseIDByNumber("2026-LC-0001")
	if err != nil {
		t.Fatal(err)
	}
	checkLargeCase(t, r, id, largeCaseNotes)
	if rep, err := s.Check(nil); err != nil || !rep.OK() {
		t.Fatalf("the vault fails its check after the import: %v %v", err, rep.Problems)
	}
	if _, err := r.SetCaseStatus(id, app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	// More records than one transaction of a deletion takes: the key and the
	// first records go with the tombstone, the rest in the store's own
	// transactions, and nothing of the case is left.
	if err := r.DeleteCase(id, "Retention period ended"); err != nil {
		t.Fatalf("deleting the imported case: %v", err)
	}
	if ts, err := r.Tombstones(); err != nil || len(ts) != 1 || ts[0].Number != "2026-LC-0001" {
		t.Errorf("tombstones %+v, %v; want the deleted case's", ts, err)
	}
	if list, err := r.ListCases(app.CaseFilter{}); err != nil || len(list) != 0 {
		t.Errorf("the case list shows %d cases after the deletion (%v)", len(list), err)
	}
	left := 0
	err = r.Store().Dump(func(key, _ []byte) error {
		if bytes.Equal(key[1:17], id[:]) {
			left++
		}
		return nil
	})
	if err != nil || left != 0 {
		t.Errorf("%d records of the deleted case are left (%v)", left, err)
	}
	if rep, err := s.Check(nil); err != nil || !rep.OK() {
		t.Fatalf("the vault fails its check after the deletion: %v %v", err, rep.Problems)
	}
}

// A staged import that fails between two transactions of the same case leaves the
// vault as it was.
func TestImportCaseFileLargeCaseFailureStoresNothing(t *testing.T) {
	r := newTestRecords(t)
	newTestCase(t, r, "2026-EXISTING")
	before := dumpStore(t, r.Store())
	defer app.SetImportBatchHook(func(b int) error {
		if b == 2 {
			return app.ErrDiskFull
		}
		return nil
	})()
	_, err := r.ImportCaseFile(bytes.NewReader(largeCaseFile(t, "2026-LC-0001", largeCaseNotes)))
	if !errors.Is(err, app.ErrDiskFull) {
		t.Fatalf("err = %v; want the full disk", err)
	}
	assertSameStoreButTotals(t, r, before, dumpStore(t, r.Store()))
	if _, err := r.CaseIDByNumber("2026-LC-0001"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("the number after the failed import: %v; want it free", err)
	}
}

// A case with more notes and addenda than a case can hold and still be deleted is
// refused with one sentence, from a file or a bundle, and nothing is stored.
func TestLargeCaseOverTheLimitIsRefused(t *testing.T) {
	r := newTestRecords(t)
	before := dumpStore(t, r.Store())
	_, err := r.ImportCaseFile(bytes.NewReader(largeCaseFile(t, "2026-LC-0001", app.MaxCaseNotes)))
	want := fmt.Sprintf(`case 1 ("2026-LC-0001"): notes are more than %d with their addenda in one case`, app.MaxCaseNotes)
	if !errors.Is(err, app.ErrInvalid) || err.Error() != want {
		t.Errorf("case file: err = %v; want %q", err, want)
	}
	rc := largeReceived(app.MaxCaseNotes + 1)
	want = fmt.Sprintf("notes are more than %d with their addenda in one case", app.MaxCaseNotes)
	if _, err := r.ImportReceived(rc); !errors.Is(err, app.ErrInvalid) || err.Error() != want {
		t.Errorf("bundle: err = %v; want %q", err, want)
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
}

// largeReceived is a received copy of a case with n final notes, the first with an
// addendum.
func largeReceived(n int) app.ReceivedCase {
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	notes := make([]app.Note, n)
	for i := range notes {
		created := at.Add(time.Duration(i) * time.Minute)
		notes[i] = app.Note{ID: app.NewID(), Kind: app.NoteContact, Body: largeNoteBody(i), Author: "Det. Alvarez",
			Sensitivity: app.SensitivityStandard, Created: created, Updated: created, Finalised: created, FinalisedBy: "Det. Alvarez"}
	}
	if n > 0 {
		notes[0].Addenda = []app.Addendum{{ID: app.NewID(), Body: "Correction: the call was at 9:30.", Author: "Det. Alvarez",
			Created: at.Add(time.Duration(n) * time.Minute)}}
	}
	return app.ReceivedCase{Kind: app.ReceivedCopy,
		Origin: app.BundleOrigin{ExportID: app.NewID(), Exported: testNow, Profile: "prosecutor", ExporterName: "Det. Alvarez",
			SourceCase: app.NewID(), SourceNumber: "2026-LC-0001"},
		Case:   app.Case{Number: "2026-LC-0001", Title: "Long-running case", Status: app.CaseOpen, Opened: testNow},
		Victim: app.Victim{Alias: "J."},
		Notes:  notes,
	}
}

// A received case with more notes than one transaction takes comes in whole, and
// a newer bundle of it that adds as many again brings them all, each note once.
func TestReceiveLargeCase(t *testing.T) {
	r := newTestRecords(t)
	rc := largeReceived(largeCaseNotes)
	res, err := r.ImportReceived(rc)
	if err != nil {
		t.Fatalf("receiving a case of %d notes: %v", largeCaseNotes, err)
	}
	if res.Notes != largeCaseNotes {
		t.Errorf("result says %d notes; want %d", res.Notes, largeCaseNotes)
	}
	checkLargeCase(t, r, res.Case, largeCaseNotes)
	if h, ok, err := r.ReceivedHistory(res.Case); err != nil || !ok || len(h.Bundles) != 1 {
		t.Fatalf("history %+v, %v, %v; want the one bundle", h, ok, err)
	}

	newer := largeReceived(2 * largeCaseNotes)
	copy(newer.Notes, rc.Notes) // the same notes, and as many new ones
	newer.Origin = rc.Origin
	newer.Origin.ExportID, newer.Origin.Exported = app.NewID(), rc.Origin.Exported.Add(time.Hour)
	up, err := r.ImportReceived(newer)
	if err != nil {
		t.Fatalf("receiving the newer bundle: %v", err)
	}
	if !up.Updated || up.Case != res.Case || up.Notes != largeCaseNotes {
		t.Errorf("update result %+v; want the same case updated with %d new notes", up, largeCaseNotes)
	}
	checkLargeCase(t, r, res.Case, 2*largeCaseNotes)
	if h, _, _ := r.ReceivedHistory(res.Case); len(h.Bundles) != 2 {
		t.Errorf("history names %d bundles after the update; want 2", len(h.Bundles))
	}
}

// A received case whose notes fail part way leaves nothing when it was new; an
// update cut short keeps the bundle before it in the history, and the same bundle
// taken again brings the rest, each note once.
func TestReceiveLargeCaseCutShort(t *testing.T) {
	r := newTestRecords(t)
	before := dumpStore(t, r.Store())
	failAt := func(at int) func() {
		return app.SetImportBatchHook(func(b int) error {
			if b == at {
				return app.ErrDiskFull
			}
			return nil
		})
	}
	rc := largeReceived(largeCaseNotes)
	restore := failAt(1)
	if _, err := r.ImportReceived(rc); !errors.Is(err, app.ErrDiskFull) {
		t.Fatalf("err = %v; want the full disk", err)
	}
	restore()
	assertSameStoreButTotals(t, r, before, dumpStore(t, r.Store()))

	res, err := r.ImportReceived(rc)
	if err != nil {
		t.Fatal(err)
	}
	newer := largeReceived(2 * largeCaseNotes)
	copy(newer.Notes, rc.Notes)
	newer.Origin = rc.Origin
	newer.Origin.ExportID, newer.Origin.Exported = app.NewID(), rc.Origin.Exported.Add(time.Hour)
	restore = failAt(1)
	if _, err := r.ImportReceived(newer); !errors.Is(err, app.ErrDiskFull) {
		t.Fatalf("update: err = %v; want the full disk", err)
	}
	restore()
	if h, _, _ := r.ReceivedHistory(res.Case); len(h.Bundles) != 1 {
		t.Errorf("history names %d bundles after the update cut short; want the first only", len(h.Bundles))
	}
	if _, err := r.ImportReceived(newer); err != nil {
		t.Fatalf("the same bundle again: %v", err)
	}
	checkLargeCase(t, r, res.Case, 2*largeCaseNotes)
	if h, _, _ := r.ReceivedHistory(res.Case); len(h.Bundles) != 2 {
		t.Errorf("history names %d bundles; want 2", len(h.Bundles))
	}
}
