package app_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// The MDT practice's records in a case file: testdata/cases/practice.json imports,
// and what the services read back of it (IDs replaced by references, so the
// expectation is stable) matches testdata/cases/practice.expected.json. Rewrite the
// expectation, after reviewing the diff, with
//
//	go test -tags casenotes_testkdf ./app -run TestImportPracticeRecords -update-practice-golden
var updatePracticeGolden = flag.Bool("update-practice-golden", false, "rewrite testdata/cases/practice.expected.json")

func TestImportPracticeRecords(t *testing.T) {
	r := newTestRecords(t)
	r.Now = func() time.Time { return time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) }
	sum, err := r.ImportCaseFile(bytes.NewReader(readCaseFile(t, "practice.json")))
	if err != nil {
		t.Fatal(err)
	}
	if s := sum.String(); !strings.HasSuffix(s, ", 4 reference(s), 2 hearing(s), 2 victim notification(s), 4 person(s) by reference, 2 charge(s), 2 linked case(s).") {
		t.Errorf("summary %q", s)
	}
	got := practiceReadBack(t, r, "2026-TF-0501", "2026-TF-0502")
	path := filepath.Join("..", "testdata", "cases", "practice.expected.json")
	if *updatePracticeGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join(t.TempDir(), "practice.read-back.json")
		os.WriteFile(failed, got, 0o600)
		t.Fatalf("what the services read back of practice.json changed; diff %s %s", path, failed)
	}
	// The legal hold from the file blocks deletion.
	c, _ := r.CaseByNumber("2026-TF-0501")
	assertFieldError(t, r.DeleteCase(c.ID, "Test"), "case", app.ErrLegalHold)
}

// practiceReadBack reads the practice records of the cases through the services.
func practiceReadBack(t *testing.T, r *app.Records, numbers ...string) []byte {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	out := []any{}
	for _, n := range numbers {
		c, err := r.CaseByNumber(n)
		must(err)
		people, err := r.People(c.ID)
		must(err)
		ref := map[app.ID]string{}
		var ps []map[string]string
		for _, p := range people {
			ref[p.ID] = p.Reference
			ps = append(ps, map[string]string{"reference": p.Reference, "role": p.Role, "relationship": p.Relationship})
		}
		practice, err := r.CasePractice(c.ID)
		must(err)
		rels, err := r.Releases(c.ID)
		must(err)
		var signers []string
		for _, rel := range rels {
			s := rel.Recipient.String() + ": " + rel.Signer.String()
			if !rel.Signer.Person.IsZero() {
				s += " = " + ref[rel.Signer.Person]
			}
			signers = append(signers, s)
		}
		refs, err := r.References(c.ID)
		must(err)
		for i := range refs {
			refs[i].ID, refs[i].Case = app.ID{}, app.ID{}
		}
		hearings, err := r.Hearings(c.ID)
		must(err)
		for i := range hearings {
			hearings[i].ID, hearings[i].Case = app.ID{}, app.ID{}
		}
		notes, err := r.Notifications(c.ID)
		must(err)
		for i := range notes {
			notes[i].ID, notes[i].Case = app.ID{}, app.ID{}
		}
		charges, err := r.Charges(c.ID)
		must(err)
		var cs []map[string]any
		for _, ch := range charges {
			cs = append(cs, map[string]any{"statute": ch.Statute, "counts": ch.Counts, "against": ref[ch.Against],
				"filed": ch.Filed, "disposition": ch.Disposition, "disposition_date": ch.DispositionDate,
				"sentence": ch.Sentence, "restitution": ch.Restitution.String(), "forfeiture": ch.Forfeiture.String()})
		}
		outcome, err := r.Outcome(c.ID)
		must(err)
		links, err := r.CaseLinks(c.ID)
		must(err)
		var ls []string
		for _, l := range links {
			ls = append(ls, l.Relation+" "+l.Number+" "+l.Alias)
		}
		allNotes, err := r.Notes(c.ID)
		must(err)
		var contacts []*app.ContactDetails
		for _, n := range allNotes {
			contacts = append(contacts, n.Contact)
		}
		tasks, err := r.UpcomingAndOverdue(time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), 30*24*time.Hour)
		must(err)
		var ts []string
		for _, tk := range tasks {
			if tk.Case == c.ID && tk.Kind != app.TaskChecklist {
				ts = append(ts, tk.Kind+": "+tk.Title+" · "+tk.Partner+" · "+tk.Due.Format(time.RFC3339))
			}
		}
		out = append(out, map[string]any{"number": n, "practice": practice, "people": ps, "release_signers": signers,
			"references": refs, "hearings": hearings, "notifications": notes, "charges": cs, "outcome": outcome,
			"links": ls, "contact_details": contacts, "practice_tasks": ts})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	must(err)
	return append(b, '\n')
}

// A bad practice record in a case file names the case, the record and the field,
// and nothing is stored.
func TestImportPracticeRefusals(t *testing.T) {
	base := func(extra string) string {
		return `{"format":"casenotes-case/v1","cases":[{"number":"2026-9","title":"T","victim":{"alias":"A"}` + extra + `}]}`
	}
	people := `,"people":[{"reference":"Suspect A","role":"suspect"},{"reference":"Witness 1","role":"witness"}]`
	rel := `{"scope":["services"],"recipient":{"organisation":"Demo Youth Shelter","category":"victim-services"},"signed":"2026-02-04","expires":"2026-08-04",`
	r := newTestRecords(t)
	before := dumpStore(t, r.Store())
	for _, tc := range []struct{ file, want string }{
		{base(people + `,"releases":[` + rel + `"signer":{"kind":"parent-or-guardian","relationship":"father","person":"Suspect A"}}]`),
			`Case 1 ("2026-9"): release 1: signer is recorded in this case as an alleged offender`},
		{base(people + `,"releases":[` + rel + `"signer":{"kind":"parent-or-guardian"}}]`), `release 1: signer's relationship is required`},
		{base(people + `,"releases":[` + rel + `"signer":{"kind":"uncle","relationship":"uncle"}}]`), `release 1: signer "uncle" is not the youth`},
		{base(people + `,"charges":[{"statute":"X","against":"Witness 1"}]`), `charge 1: against names a witness`},
		{base(people + `,"charges":[{"statute":"X","against":"Nobody"}]`), `charge 1: against is not the reference of a person`},
		{base(people + `,"charges":[{"statute":"X","against":"Suspect A","restitution":"lots"}]`), `charge 1: restitution is not an amount`},
		{base(`,"people":[{"reference":"A","role":"suspect"},{"reference":"a","role":"buyer"}]`), `person 2: reference is also used`},
		{base(`,"references":[{"kind":"ncmec-report","number":"1"}]`), `reference 1: missing since is required`},
		{base(`,"hearings":[{"at":"2026-03-02","court":"C","type":"trial"}]`), `hearing 1: at is not a time`},
		{base(`,"notifications":[{"at":"2026-03-02T10:00:00Z","to":"youth","method":"phone"}]`), `notification 1: what was said is required`},
		{base(`,"links":[{"number":"2026-404","relation":"co-victim"}]`), `link 1: number is not a case in this file or in the vault`},
		{base(`,"links":[{"number":"2026-9","relation":"co-victim"}]`), `link 1: number is this case`},
		{base(`,"outcome":{"child_welfare":"lost"}`), `outcome child_welfare "lost" is not one of the choices`},
		{base(`,"review_interval_days":900`), `review_interval_days must be between`},
		{base(`,"notes":[{"kind":"observation","body":"x","author":"A","created_at":"2026-03-02T10:00:00Z","contact":{"setting":"phone"}}]`), `note 1: contact details belong to contact notes only`},
		{base(`,"notes":[{"kind":"contact","body":"x","author":"A","created_at":"2026-03-02T10:00:00Z","contact":{"setting":"1 Elm St"}}]`), `note 1: setting is not one of the setting types`},
		{base(`,"legal_hold":{"reason":""}`), `legal_hold reason is required`},
		{base(`,"references":[{"kind":"tip","color":"red"}]`), `field that is not part of the case file format`},
	} {
		_, err := r.ImportCaseFile(strings.NewReader(tc.file))
		if err == nil {
			t.Errorf("accepted: %s", tc.want)
			continue
		}
		if s := app.Sentence(err); !strings.Contains(s, tc.want) {
			t.Errorf("%q does not say %q", s, tc.want)
		}
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
}
