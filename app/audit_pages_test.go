package app_test

import (
	"testing"
	"time"

	"casenotes/app"
)

// A filtered listing found once (AuditSeqs) and read a page at a time (AuditRows)
// shows exactly what AuditEntries shows for the same filter, in the same order,
// deleted cases included; the byte pre-filter never drops a match.
func TestAuditSeqsAgreeWithAuditEntries(t *testing.T) {
	_, _, s, r := auditVault(t)
	defer s.Lock()
	a := newTestCase(t, r, "2026-TF-0412")
	b := newTestCase(t, r, "2026-TF-0413")
	for range 3 {
		if _, err := r.OpenCase(a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := r.OpenCase(b.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.DeleteCase(b.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, f := range []app.AuditFilter{
		{},
		{Case: a.ID},
		{Case: b.ID},
		{Action: app.ActCaseOpened},
		{Case: a.ID, Action: app.ActCaseOpened},
		{User: "DET. DANA ALVAREZ"},
		{Action: app.ActCaseDeleted, User: "det. dana alvarez"},
		{Since: now.Add(-time.Hour), Until: now.Add(time.Hour)},
		{Until: now.Add(-time.Hour)},
		{Action: "no-such-action"},
	} {
		want, err := r.AuditEntries(f, 0, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		seqs, err := r.AuditSeqs(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(seqs) != len(want.Rows) {
			t.Errorf("%+v: %d matches; AuditEntries finds %d", f, len(seqs), len(want.Rows))
			continue
		}
		got, err := r.AuditRows(seqs)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i].Seq != want.Rows[i].Seq || got[i].CaseNumber != want.Rows[i].CaseNumber || got[i].Action != want.Rows[i].Action {
				t.Errorf("%+v row %d: %d %q %q; want %d %q %q", f, i, got[i].Seq, got[i].CaseNumber, got[i].Action,
					want.Rows[i].Seq, want.Rows[i].CaseNumber, want.Rows[i].Action)
			}
		}
	}
	seqs, _ := r.AuditSeqs(app.AuditFilter{Case: b.ID})
	rows, _ := r.AuditRows(seqs[:1])
	if rows[0].Action != app.ActCaseDeleted || rows[0].CaseNumber != "2026-TF-0413 (deleted)" {
		t.Errorf("the deleted case's newest entry: %+v", rows[0])
	}
}
