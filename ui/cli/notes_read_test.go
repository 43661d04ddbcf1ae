package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/ui/cli"
)

// note list names a case's notes without their text; with --json it gives every
// note's text and addenda; note show prints one text byte for byte, nothing added;
// each read of text is a view of the case in the audit trail.
func TestNoteListAndShow(t *testing.T) {
	c := newCrCLI(t)
	if code, _, stderr := c.run("import", crCaseFile(t, "accents.json")); code != 0 {
		t.Fatal(stderr)
	}
	// Text with no final newline, two spaces, a tab and several scripts: printed
	// exactly, never trimmed or given a newline.
	text := "Met her at the group home.  She left the group home at 9 p.m.\tcần phiên dịch; niña"
	if code, _, stderr := c.run("note", "add", "--case", "2026-TF-0500", "--kind", "contact",
		"--text-file", c.file("note.txt", text), "--final"); code != 0 {
		t.Fatal(stderr)
	}
	code, out, stderr := c.run("note", "list", "--case", "2026-TF-0500")
	if code != 0 || !strings.Contains(out, "ID") || !strings.Contains(out, "final") || strings.Contains(out, "group home") {
		t.Fatalf("note list: %d %q %q", code, out, stderr)
	}
	code, out, stderr = c.run("note", "list", "--case", "2026-TF-0500", "--json")
	if code != 0 {
		t.Fatalf("note list --json: %d %s", code, stderr)
	}
	var rows []struct {
		ID        string `json:"id"`
		Text      string `json:"text"`
		Finalized string `json:"finalized"`
		Addenda   []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"addenda"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("note list --json: %v, %d notes:\n%s", err, len(rows), out)
	}
	last := rows[len(rows)-1]
	if last.Text != text || last.Finalized == "" {
		t.Fatalf("the new note reads %q (finalized %q); want %q", last.Text, last.Finalized, text)
	}
	code, out, stderr = c.run("note", "show", "--case", "2026-TF-0500", "--note", last.ID)
	if code != 0 || out != text {
		t.Fatalf("note show: %d %q %q; want exactly %q", code, out, stderr, text)
	}
	// The case file's first note has an addendum: --addendum prints it alone.
	var withAddendum string
	var addendum, addendumText string
	for _, r := range rows {
		if len(r.Addenda) > 0 {
			withAddendum, addendum, addendumText = r.ID, r.Addenda[0].ID, r.Addenda[0].Text
		}
	}
	if withAddendum == "" {
		t.Fatal("no note of the case file shows its addendum")
	}
	if code, out, _ := c.run("note", "show", "--case", "2026-TF-0500", "--note", withAddendum, "--addendum", addendum); code != 0 || out != addendumText {
		t.Errorf("note show --addendum: %d %q; want %q", code, out, addendumText)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"note", "show", "--case", "2026-TF-0500", "--note", strings.Repeat("ab", 16)}, cli.ExitError, "has no note"},
		{[]string{"note", "show", "--case", "2026-TF-0500", "--note", last.ID, "--addendum", strings.Repeat("cd", 16)}, cli.ExitError, "has no addendum"},
		{[]string{"note", "show", "--case", "NOPE-1", "--note", last.ID}, cli.ExitError, "no case numbered NOPE-1"},
	} {
		code, out, stderr := c.run(tc.args...)
		if code != tc.code || out != "" || !strings.Contains(stderr, tc.msg) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d %q %q; want %d and %q", tc.args, code, out, stderr, tc.code, tc.msg)
		}
	}

	// Three reads of text (list --json, show, show --addendum): three views logged.
	s, err := c.vaults.Unlock(c.vault, []byte("correct horse battery staple orbit"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	page, err := r.AuditEntries(app.AuditFilter{Action: app.ActCaseOpened}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if page.Matching != 3 {
		t.Errorf("%d case views logged; want 3 (list --json, show, show --addendum)", page.Matching)
	}
}
