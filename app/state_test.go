package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// fullCase gives a case one of every kind of record, through the services.
func fullCase(t *testing.T, r *app.Records, number string) app.Case {
	t.Helper()
	c := newTestCase(t, r, number)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met at the advocacy center."})
	must(err)
	_, err = r.FinaliseNote(c.ID, n.ID)
	must(err)
	_, err = r.AddAddendum(c.ID, n.ID, "The interpreter joined by phone.")
	must(err)
	_, err = r.AddNote(c.ID, app.NoteInput{Kind: app.NoteObservation, Body: "A draft."})
	must(err)
	items, _ := r.Checklist(c.ID)
	_, err = r.SetItemStatus(c.ID, items[0].ID, app.ItemDone, "")
	must(err)
	must(r.SetIdentity(c.ID, app.Identity{LegalName: "Fictional Name"}))
	_, err = r.AddReferral(c.ID, app.ReferralInput{Service: app.ServiceTypes[0], Partner: "Example Hope House", Due: time.Now().AddDate(0, 0, 7)})
	must(err)
	_, err = r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: app.EventKinds[0], Date: time.Now().AddDate(0, 0, -3), Source: "Report", Description: "Missing from care."})
	must(err)
	doc := "a letter"
	_, err = r.AddAttachment(c.ID, "letter.txt", strings.NewReader(doc), int64(len(doc)), app.AttachmentKinds[0])
	must(err)
	_, err = r.RevealIdentity(c.ID, "Court filing")
	must(err)
	return c
}

func mustCheck(t *testing.T, s *app.Session) app.CheckReport {
	t.Helper()
	rep, err := s.Check(nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Every kind of write keeps the digests true: after cases with every record, a
// deleted case, a closed case, an import and a seed, the full check finds nothing,
// before and after locking.
func TestCheckIsCleanAfterEveryKindOfWrite(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	fullCase(t, r, "2026-TF-0001")
	c2 := fullCase(t, r, "2026-TF-0002")
	gone := newTestCase(t, r, "2026-TF-0003")
	if err := r.DeleteCase(gone.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetCaseStatus(c2.ID, app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("..", "testdata", "cases", "full.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := r.ImportCaseFile(f); err != nil {
		t.Fatal(err)
	}
	if err := r.Seed(context.Background(), 30, 3, nil); err != nil {
		t.Fatal(err)
	}
	if rep := mustCheck(t, s); !rep.OK() {
		t.Fatalf("a sound vault fails its check: %v", rep.Problems)
	}
	s.Lock()
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	rep := mustCheck(t, s)
	if !rep.OK() || rep.Cases < 33 {
		t.Fatalf("after locking: %d cases, problems %v", rep.Cases, rep.Problems)
	}
}

// A record removed below the services (as a dropped table removes it) is found, and
// the report names the case by number.
func TestCheckNamesTheCaseOfAMissingRecord(t *testing.T) {
	v, _, _ := newVaults(t)
	s, _, err := v.Create(filepath.Join(t.TempDir(), "vault"), []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("Det. Alvarez")
	c := fullCase(t, r, "2026-TF-0412")
	fullCase(t, r, "2026-TF-0413")
	notes, _ := r.Notes(c.ID)
	st, _ := s.Store()
	err = st.Update(func(tx app.Tx) error {
		return tx.ScanKeys(app.RecNote, c.ID, func(k app.Key) error {
			if k.ID == notes[0].ID {
				return tx.Delete(k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	rep := mustCheck(t, s)
	if len(rep.Problems) != 1 || rep.Problems[0].Number != "2026-TF-0412" {
		t.Fatalf("problems %v; want one naming 2026-TF-0412", rep.Problems)
	}
	if !errors.Is(rep.Err(), app.ErrIntegrity) {
		t.Fatal("a damaged vault's report is not an integrity error")
	}
	t.Log(rep.Problems[0])
	// Damage does not spread into a backup unseen: no backup of a damaged vault.
	var buf bytes.Buffer
	if err := s.Backup(&buf); !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("backup of a damaged vault: %v; want ErrIntegrity", err)
	}
}

// A final note turned back into its draft by an older sealed value (which still
// authenticates: it was sealed under the same key) is found.
func TestCheckFindsARecordRolledBackToAnOlderVersion(t *testing.T) {
	v, _, _ := newVaults(t)
	s, _, err := v.Create(filepath.Join(t.TempDir(), "vault"), []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("Det. Alvarez")
	c := newTestCase(t, r, "2026-TF-0412")
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Final soon."})
	st, _ := s.Store()
	draft := sealedNote(t, st, c.ID, n.ID)
	if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	// Put the draft's sealed bytes back under the note's key, below the app.
	err = st.Restore(func(put func(k, s []byte) error) error { return put(draft.key, draft.sealed) })
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Note(c.ID, n.ID); got.Final() {
		t.Fatal("the tampering did not take: the note is still final")
	}
	rep := mustCheck(t, s)
	if len(rep.Problems) != 1 || rep.Problems[0].Number != "2026-TF-0412" {
		t.Fatalf("problems %v; want one naming 2026-TF-0412", rep.Problems)
	}
}

type sealedRecord struct{ key, sealed []byte }

func sealedNote(t *testing.T, st app.Store, c, n app.ID) sealedRecord {
	t.Helper()
	var want []byte
	_ = st.View(func(tx app.Tx) error {
		return tx.ScanKeys(app.RecNote, c, func(k app.Key) error {
			if k.ID == n {
				want = k.Bytes()
			}
			return nil
		})
	})
	var out sealedRecord
	err := st.Dump(func(key, sealed []byte) error {
		if bytes.Equal(key, want) {
			out = sealedRecord{bytes.Clone(key), bytes.Clone(sealed)}
		}
		return nil
	})
	if err != nil || out.key == nil {
		t.Fatalf("note not found: %v", err)
	}
	return out
}

// Rollback: a copy of db/ from before the last session, put back, is refused at
// unlock; so is a vault whose db/ was deleted.
func TestRollbackAndMissingStoreAreRefused(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	c := newTestCase(t, r, "2026-TF-0412")
	s.Lock()
	older := filepath.Join(t.TempDir(), "db-before")
	if err := os.CopyFS(older, os.DirFS(filepath.Join(dir, "db"))); err != nil {
		t.Fatal(err)
	}
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ = s.Records("Det. Alvarez")
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "The newest note."}); err != nil {
		t.Fatal(err)
	}
	s.Lock()

	swap := func(with string) {
		t.Helper()
		if err := os.RemoveAll(filepath.Join(dir, "db")); err != nil {
			t.Fatal(err)
		}
		if with != "" {
			if err := os.CopyFS(filepath.Join(dir, "db"), os.DirFS(with)); err != nil {
				t.Fatal(err)
			}
		}
	}
	current := filepath.Join(t.TempDir(), "db-current")
	if err := os.CopyFS(current, os.DirFS(filepath.Join(dir, "db"))); err != nil {
		t.Fatal(err)
	}
	swap(older)
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("an older db/ opened: %v", err)
	}
	swap("")
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("a vault without db/ opened: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "db")); err == nil {
		t.Fatal("unlocking made a new, empty store")
	}
	swap(current)
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatalf("the current store no longer opens: %v", err)
	}
	defer s.Lock()
	if rep := mustCheck(t, s); !rep.OK() {
		t.Fatal(rep.Problems)
	}
}
