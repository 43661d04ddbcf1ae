package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"casenotes/app"
)

// auditVault is an unlocked vault with a profile, for audit tests.
func auditVault(t *testing.T) (*app.Vaults, string, *app.Session, *app.Records) {
	t.Helper()
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("")
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Det. Dana Alvarez", Role: app.RoleDetective}); err != nil {
		t.Fatal(err)
	}
	return v, dir, s, r
}

// entries reads every entry, oldest first.
func entries(t *testing.T, r *app.Records) []app.AuditRow {
	t.Helper()
	page, err := r.AuditEntries(app.AuditFilter{}, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	rows := page.Rows
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// since returns the entries appended by do.
func since(t *testing.T, r *app.Records, do func()) []app.AuditRow {
	t.Helper()
	before := len(entries(t, r))
	do()
	return entries(t, r)[before:]
}

// exactlyOne says the entries hold exactly one of action (for the case, if given).
func exactlyOne(t *testing.T, got []app.AuditRow, action string, c app.ID) {
	t.Helper()
	n := 0
	for _, e := range got {
		if e.Action == action && (c.IsZero() || e.Case == c) {
			n++
		}
	}
	if n != 1 {
		var acts []string
		for _, e := range got {
			acts = append(acts, e.Action)
		}
		t.Errorf("%d %q entries; the action logged %v", n, action, acts)
	}
}

// For every event of the trail, doing it through app/ appends exactly one matching
// entry.
func TestEveryEventIsLoggedOnce(t *testing.T) {
	v, dir, s, r := auditVault(t)
	if rows := entries(t, r); rows[0].Action != app.ActVaultCreated {
		t.Fatalf("the first entry is %q, not vault-created", rows[0].Action)
	}
	var c app.Case
	var n app.Note
	var item app.ChecklistItem
	var rel app.Release
	var ref app.Referral
	var ev app.TimelineEvent
	var att app.Attachment
	steps := []struct {
		action string
		do     func() error
	}{
		{app.ActCaseCreated, func() (err error) {
			c, err = r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Intake"}, app.Victim{Alias: "Rosa M."})
			return err
		}},
		{app.ActCaseOpened, func() error { _, err := r.OpenCase(c.ID); return err }},
		{app.ActCaseEdited, func() error {
			_, err := r.UpdateCase(c.ID, app.CaseInput{Number: c.Number, Title: "Intake at the center"})
			return err
		}},
		{app.ActVictimEdited, func() error { _, err := r.SetVictim(c.ID, app.Victim{Alias: "Rosa M.", Age: 15}); return err }},
		{app.ActIdentitySet, func() error { return r.SetIdentity(c.ID, app.Identity{LegalName: "Fictional Name"}) }},
		{app.ActIdentityRevealed, func() error { _, err := r.RevealIdentity(c.ID, "Court filing"); return err }},
		{app.ActNoteCreated, func() (err error) {
			n, err = r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met at the center."})
			return err
		}},
		{app.ActNoteEdited, func() error { return r.SaveDraft(c.ID, n.ID, "Met at the center today.") }},
		{app.ActNoteFinalized, func() error { _, err := r.FinaliseNote(c.ID, n.ID); return err }},
		{app.ActAddendum, func() error { _, err := r.AddAddendum(c.ID, n.ID, "By phone."); return err }},
		{app.ActNoteDeleted, func() error {
			d, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteOther, Body: "scratch"})
			if err != nil {
				return err
			}
			return r.DeleteNote(c.ID, d.ID)
		}},
		{app.ActChecklistChanged, func() error {
			items, _ := r.Checklist(c.ID)
			var err error
			item, err = r.SetItemStatus(c.ID, items[0].ID, app.ItemDone, "")
			return err
		}},
		{app.ActReleaseAdded, func() (err error) {
			rel, err = r.AddRelease(c.ID, app.ReleaseInput{Scope: []app.InfoKind{app.InfoServices},
				Recipient: app.Recipient{Organisation: "Example Hope House", Category: "victim-services"}, Signed: time.Now().AddDate(0, 0, -1), Signer: app.ReleaseSigner{Kind: app.SignerYouth},
				Expires: time.Now().AddDate(0, 1, 0)})
			return err
		}},
		{app.ActReleaseRevoked, func() error { _, err := r.RevokeRelease(c.ID, rel.ID, "Asked by the youth"); return err }},
		{app.ActReferralAdded, func() (err error) {
			ref, err = r.AddReferral(c.ID, app.ReferralInput{Service: app.ServiceTypes[0], Partner: "Example Hope House"})
			return err
		}},
		{app.ActReferralChanged, func() error {
			_, err := r.SetReferralStatus(c.ID, ref.ID, app.ReferralStatuses[1])
			return err
		}},
		{app.ActTimelineAdded, func() (err error) {
			ev, err = r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: app.EventKinds[0], Date: time.Now().AddDate(0, 0, -2),
				Source: "Report", Description: "Missing from care."})
			return err
		}},
		{app.ActTimelineDeleted, func() error { return r.DeleteTimelineEvent(c.ID, ev.ID) }},
		{app.ActAttachmentAdded, func() (err error) {
			att, err = r.AddAttachment(c.ID, "letter.txt", strings.NewReader("a letter"), 8, app.AttachmentKinds[0])
			return err
		}},
		{app.ActAttachmentOpened, func() error {
			rc, err := r.OpenAttachment(c.ID, att.ID)
			if err == nil {
				rc.Close()
			}
			return err
		}},
		{app.ActAttachmentSaved, func() error { return r.AttachmentSaved(c.ID, att.ID) }},
		{app.ActAttachmentDeleted, func() error { return r.DeleteAttachment(c.ID, att.ID) }},
		{app.ActEvidenceAdded, func() error {
			_, err := r.AddEvidenceReference(c.ID, "Example evidence system", "EV-1", "")
			return err
		}},
		{app.ActCaseStatus, func() error { _, err := r.SetCaseStatus(c.ID, app.CaseInactive, ""); return err }},
		{app.ActSettingsChanged, func() error { return r.SetIndicators([]string{"missing from care"}) }},
		{app.ActExport, func() error {
			return r.RecordExport(c.ID, app.ExportRecord{ExportID: app.NewID(), Profile: "prosecutor", Format: "pdf",
				Recipient: "Example County Prosecutor's Office", SHA256: strings.Repeat("ab", 32), RecipientKey: "category:prosecution"})
		}},
		{app.ActBackup, func() error { var b bytes.Buffer; return s.Backup(&b) }},
		{app.ActCaseFileImported, func() error {
			_, err := r.ImportCaseFile(strings.NewReader(`{"format":"casenotes-case/v1","cases":[{"number":"2026-TF-0500","title":"Imported","victim":{"alias":"J."}}]}`))
			return err
		}},
		{app.ActPassphraseChanged, func() error { return s.ChangePassphrase([]byte(pass2)) }},
		{app.ActCaseDeleted, func() error {
			d, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0999", Title: "Opened by mistake"}, app.Victim{Alias: "X."})
			if err != nil {
				return err
			}
			return r.DeleteCase(d.ID, "Opened by mistake")
		}},
	}
	for _, st := range steps {
		got := since(t, r, func() {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.action, err)
			}
		})
		exactlyOne(t, got, st.action, app.ID{})
	}
	_ = item

	// A deleted case is still found by its number.
	id, err := r.CaseIDByNumber("2026-TF-0999")
	if err != nil {
		t.Fatalf("a deleted case's number: %v", err)
	}
	page, _ := r.AuditEntries(app.AuditFilter{Case: id}, 0, 10)
	if page.Matching != 2 || !strings.Contains(page.Rows[0].CaseNumber, "2026-TF-0999") {
		t.Fatalf("the deleted case's entries: %d, %+v", page.Matching, page.Rows)
	}

	// Lock, then unlock: the unlock is the last entry and the log verifies.
	s.Lock()
	s, err = v.Unlock(dir, []byte(pass2))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ = s.Records("")
	rows := entries(t, r)
	tail := rows[len(rows)-1:]
	if tail[0].Action != app.ActUnlock {
		t.Fatalf("the last entry is %q, not the unlock", tail[0].Action)
	}
	if rep, err := s.VerifyAudit(); err != nil || !rep.OK() {
		t.Fatalf("the log does not verify: %v %s", err, rep.Problem)
	}
}

// Failed unlocks before a successful one appear after it, in their order, with the
// lockout they caused, and before the unlock's own entry.
func TestFailedUnlocksAreFoldedInOrder(t *testing.T) {
	v, dir, s, _ := auditVault(t)
	s.Lock()
	clk := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	v.Now = func() time.Time { return clk }
	for i := range app.LockoutFailures + 1 {
		clk = clk.Add(time.Duration(i+1) * time.Second)
		v.Unlock(dir, []byte("a wrong passphrase entirely"))
	}
	clk = clk.Add(16 * time.Minute)
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	rows := entries(t, r)
	var tail []string
	var times []time.Time
	for _, e := range rows[len(rows)-7:] {
		tail = append(tail, e.Action)
		times = append(times, e.Time)
	}
	want := []string{app.ActUnlockFailed, app.ActUnlockFailed, app.ActUnlockFailed, app.ActUnlockFailed,
		app.ActUnlockFailed, app.ActLockout, app.ActUnlock}
	if strings.Join(tail, ",") != strings.Join(want, ",") {
		t.Fatalf("entries after the unlock: %v; want %v", tail, want)
	}
	for i := 1; i < len(times); i++ {
		if times[i].Before(times[i-1]) {
			t.Fatalf("entries out of time order: %v", times)
		}
	}
}

// No entry holds victim text, an alias, a case number, a title or a name typed in a
// record: only ids, fixed words and the user's own name.
func TestAuditEntriesHoldNoVictimText(t *testing.T) {
	_, _, s, r := auditVault(t)
	defer s.Lock()
	canaries := []string{"CANARYALIAS", "CANARYNUMBER", "CANARYTITLE", "CANARYBODY", "CANARYNAME", "CANARYREASON", "CANARYORG"}
	c, err := r.CreateCase(app.CaseInput{Number: "CANARYNUMBER-1", Title: "CANARYTITLE"}, app.Victim{Alias: "CANARYALIAS"})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "CANARYBODY"})
	r.FinaliseNote(c.ID, n.ID)
	r.AddAddendum(c.ID, n.ID, "CANARYBODY again")
	r.SetIdentity(c.ID, app.Identity{LegalName: "CANARYNAME"})
	r.RevealIdentity(c.ID, "CANARYREASON")
	r.AddReferral(c.ID, app.ReferralInput{Service: app.ServiceTypes[0], Partner: "CANARYORG"})
	r.RecordExport(c.ID, app.ExportRecord{ExportID: app.NewID(), Profile: "prosecutor", Format: "pdf", Recipient: "CANARYORG"})
	st, _ := s.Store()
	err = st.View(func(tx app.Tx) error {
		return tx.Scan(app.RecAudit, app.ID{}, func(_ app.Key, b []byte) error {
			for _, c := range canaries {
				if bytes.Contains(b, []byte(c)) {
					t.Errorf("an audit entry holds %s: %s", c, b)
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Tampering with entries below the log's own API (through the store) fails the
// verification at the exact entry.
func TestAuditVerificationNamesTheBadEntry(t *testing.T) {
	type tamper struct {
		name string
		do   func(tx app.Tx, keys []app.Key, vals [][]byte) error
		at   int // the entry verification must name
	}
	put := func(tx app.Tx, k app.Key, v []byte) error { return tx.Put(k, v) }
	edit := func(v []byte) []byte {
		var e map[string]any
		json.Unmarshal(v, &e)
		e["action"] = "case-opened"
		b, _ := json.Marshal(e)
		return b
	}
	tampers := []tamper{
		{"edit", func(tx app.Tx, ks []app.Key, vs [][]byte) error { return put(tx, ks[5], edit(vs[5])) }, 5},
		{"delete", func(tx app.Tx, ks []app.Key, vs [][]byte) error { return tx.Delete(ks[6]) }, 6},
		{"reorder", func(tx app.Tx, ks []app.Key, vs [][]byte) error {
			if err := put(tx, ks[4], vs[7]); err != nil {
				return err
			}
			return put(tx, ks[7], vs[4])
		}, 4},
		{"duplicate", func(tx app.Tx, ks []app.Key, vs [][]byte) error { return put(tx, ks[8], vs[3]) }, 8},
		{"truncate", func(tx app.Tx, ks []app.Key, vs [][]byte) error {
			for _, k := range ks[9:] {
				if err := tx.Delete(k); err != nil {
					return err
				}
			}
			return nil
		}, 9},
	}
	for _, tc := range tampers {
		t.Run(tc.name, func(t *testing.T) {
			_, _, s, r := auditVault(t)
			defer s.Lock()
			for i := range 10 {
				newTestCase(t, r, "2026-TF-04"+string(rune('0'+i)))
			}
			if rep, _ := s.VerifyAudit(); !rep.OK() {
				t.Fatalf("the untouched log fails: %s", rep.Problem)
			}
			st, _ := s.Store()
			var keys []app.Key
			var vals [][]byte
			st.View(func(tx app.Tx) error {
				return tx.Scan(app.RecAudit, app.ID{}, func(k app.Key, b []byte) error {
					keys, vals = append(keys, k), append(vals, bytes.Clone(b))
					return nil
				})
			})
			if err := st.Update(func(tx app.Tx) error { return tc.do(tx, keys, vals) }); err != nil {
				t.Fatal(err)
			}
			rep, err := s.VerifyAudit()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("size %d checked %d problem %q", rep.Size, rep.Checked, rep.Problem)
			if rep.OK() || rep.BadSeq != uint64(tc.at) || !errors.Is(rep.Err(), app.ErrIntegrity) {
				t.Fatalf("verification: bad entry %d (%q); want entry %d", rep.BadSeq, rep.Problem, tc.at)
			}
			t.Log(rep.Problem)
		})
	}
}

// A log that loses its tail together with its own state record (a store rolled back
// past the audit trail) is caught against the header's record at the last lock.
func TestAuditTailTruncationIsCaughtAgainstTheAnchor(t *testing.T) {
	v, dir, s, r := auditVault(t)
	newTestCase(t, r, "2026-TF-0412")
	st, _ := s.Store()
	var before []byte
	st.View(func(tx app.Tx) (err error) {
		before, err = tx.Get(app.Key{Type: app.RecAuditState})
		return err
	})
	newTestCase(t, r, "2026-TF-0413")
	var size int
	st.View(func(tx app.Tx) error {
		return tx.ScanKeys(app.RecAudit, app.ID{}, func(app.Key) error { size++; return nil })
	})
	s.Lock()
	// Put back the older state and remove the entries after it, below the API.
	raw, err := app.OpenRaw(v, dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	var old struct {
		Size uint64 `json:"size"`
	}
	json.Unmarshal(before, &old)
	raw.Update(func(tx app.Tx) error {
		for i := old.Size; i < uint64(size)+10; i++ {
			tx.Delete(app.Key{Type: app.RecAudit, Order: i})
			tx.Delete(app.Key{Type: app.RecCheckpoint, Order: i})
		}
		return tx.Put(app.Key{Type: app.RecAuditState}, before)
	})
	raw.Close()
	s, err = v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	if p := s.AuditProblem(); !strings.Contains(p, "shorter") {
		t.Fatalf("the unlock did not see the shortened log: %q", p)
	}
}

// Inclusion and consistency proofs check against the merkle library's verifier; a
// forged or stale proof fails.
func TestAuditProofs(t *testing.T) {
	_, _, s, r := auditVault(t)
	defer s.Lock()
	newTestCase(t, r, "2026-TF-0412")
	old, err := s.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		newTestCase(t, r, "2026-TF-05"+string(rune('a'+i)))
	}
	att, err := s.AttestExport(app.AuditEvent{Profile: "prosecutor", Format: "bundle", Hash: strings.Repeat("cd", 32)})
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := s.UserKeys()
	cp, err := app.OpenCheckpoint(att.Checkpoint, keys.SigningPublic(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.VerifyInclusion(cp, att.Index, att.Entry, att.Proof); err != nil {
		t.Fatalf("a true inclusion proof fails: %v", err)
	}
	forged := bytes.Replace(att.Entry, []byte(`"prosecutor"`), []byte(`"partner"`), 1)
	if err := app.VerifyInclusion(cp, att.Index, forged, att.Proof); err == nil {
		t.Fatal("a changed entry passes its inclusion proof")
	}
	stale := *cp
	stale.Size--
	if err := app.VerifyInclusion(&stale, att.Index-1, att.Entry, att.Proof); err == nil {
		t.Fatal("a proof for another size passes")
	}
	from, to, hashes, err := s.ProveConsistency(old)
	if err != nil {
		t.Fatalf("consistency from an old checkpoint: %v", err)
	}
	if err := app.VerifyConsistency(from, to, hashes); err != nil {
		t.Fatalf("a true consistency proof fails: %v", err)
	}
	if len(hashes) > 0 {
		hashes[0] = bytes.Repeat([]byte{1}, 32)
		if err := app.VerifyConsistency(from, to, hashes); err == nil {
			t.Fatal("a forged consistency proof passes")
		}
	}
	if _, err := app.OpenCheckpoint(bytes.Replace(old, []byte("\n"), []byte("\n1"), 1), keys.SigningPublic(), ""); err == nil {
		t.Fatal("a changed checkpoint opens")
	}
}

// TestAuditCrashChild adds notes one by one, printing each acknowledged note id.
func TestAuditCrashChild(t *testing.T) {
	dir := os.Getenv("CASENOTES_AUDIT_CRASH_DIR")
	if dir == "" {
		t.Skip("runs only as the child process of TestAuditEntriesAndChangesSurviveSIGKILL together")
	}
	v, _, _ := newVaults(t)
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		fmt.Println("unlock failed:", err)
		os.Exit(1)
	}
	r, _ := s.Records("Det. Alvarez")
	c, err := r.CaseByNumber("2026-TF-0412")
	if err != nil {
		fmt.Println("case:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	for i := 0; ; i++ {
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: fmt.Sprintf("note %d", i)})
		if err != nil {
			fmt.Println("add failed:", err)
			os.Exit(1)
		}
		fmt.Println("ack", n.ID)
	}
}

// TestAuditEntriesAndChangesSurviveSIGKILL kills a process that is adding notes, ten
// times at random moments: after each kill, every acknowledged note has its audit
// entry, every note-created entry its note, and the log verifies.
func TestAuditEntriesAndChangesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 10 child processes; skipped in -short mode")
	}
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	newTestCase(t, r, "2026-TF-0412")
	s.Lock()
	acked := map[app.ID]bool{}
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 10 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAuditCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CASENOTES_AUDIT_CRASH_DIR="+dir)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// The kill comes 200-600 ms after the child has unlocked and starts writing
		// (not after it started: under load its unlock alone can take that long).
		kill := time.After(time.Minute) // a child that never gets ready is killed too
		wait := time.Duration(200+rng.IntN(400)) * time.Millisecond
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				if id, found := strings.CutPrefix(l, "ack "); found {
					nid, _ := app.ParseID(id)
					acked[nid] = true
				} else if l == "ready" {
					kill = time.After(wait)
				} else {
					t.Fatalf("round %d: child said %q", round, l)
				}
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
				kill = nil
			}
		}
		cmd.Wait()

		s, err := v.Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatalf("round %d: unlock after SIGKILL: %v", round, err)
		}
		r, _ := s.Records("")
		c, _ := r.CaseByNumber("2026-TF-0412")
		notes, _ := r.Notes(c.ID)
		have := map[app.ID]bool{}
		for _, n := range notes {
			have[n.ID] = true
		}
		logged := map[app.ID]bool{}
		for _, e := range entries(t, r) {
			if e.Action == app.ActNoteCreated {
				logged[e.Object] = true
				if !have[e.Object] {
					t.Fatalf("round %d: an entry records a note that is not there", round)
				}
			}
		}
		for id := range have {
			if !logged[id] {
				t.Fatalf("round %d: a note has no audit entry", round)
			}
		}
		for id := range acked {
			if !have[id] {
				t.Fatalf("round %d: an acknowledged note was lost", round)
			}
		}
		if rep, err := s.VerifyAudit(); err != nil || !rep.OK() {
			t.Fatalf("round %d: the log does not verify: %v %s", round, err, rep.Problem)
		}
		s.Lock()
	}
	if len(acked) < 50 {
		t.Errorf("only %d notes acknowledged in 10 rounds; the test exercised little", len(acked))
	}
	t.Logf("%d acknowledged notes, each with its entry, through 10 SIGKILLs", len(acked))
}
