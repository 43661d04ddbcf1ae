package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"casenotes/app"
	"casenotes/storage"
	"casenotes/ui/cli"
)

// crDisk is the real disk whose stores record every record type read through them,
// to prove what a command does not read.
type crDisk struct {
	storage.Disk
	mu    sync.Mutex
	types map[app.RecordType]int
}

func (d *crDisk) OpenStore(dir string, keys app.StoreKeys, create bool) (app.Store, error) {
	s, err := d.Disk.OpenStore(dir, keys, create)
	if err != nil {
		return nil, err
	}
	return &crStore{Store: s, d: d}, nil
}

func (d *crDisk) saw(t app.RecordType) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.types == nil {
		d.types = map[app.RecordType]int{}
	}
	d.types[t]++
}

func (d *crDisk) reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.types = nil
}

func (d *crDisk) read(t app.RecordType) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.types[t]
}

type crStore struct {
	app.Store
	d *crDisk
}

func (s *crStore) View(fn func(app.Tx) error) error {
	return s.Store.View(func(t app.Tx) error { return fn(&crTx{Tx: t, d: s.d}) })
}

func (s *crStore) Update(fn func(app.Tx) error) error {
	return s.Store.Update(func(t app.Tx) error { return fn(&crTx{Tx: t, d: s.d}) })
}

type crTx struct {
	app.Tx
	d *crDisk
}

func (t *crTx) Get(k app.Key) ([]byte, error) {
	t.d.saw(k.Type)
	return t.Tx.Get(k)
}

func (t *crTx) Scan(typ app.RecordType, c app.ID, fn func(app.Key, []byte) error) error {
	return t.Tx.Scan(typ, c, func(k app.Key, v []byte) error {
		t.d.saw(k.Type)
		return fn(k, v)
	})
}

// crCLI runs commands in-process against one vault in a temporary directory.
type crCLI struct {
	t      *testing.T
	dir    string
	vault  string
	pass   string
	disk   *crDisk
	vaults *app.Vaults
}

func newCrCLI(t *testing.T) *crCLI {
	dir := t.TempDir()
	c := &crCLI{t: t, dir: dir, vault: filepath.Join(dir, "vault"), disk: &crDisk{}}
	c.vaults = app.NewVaults(c.disk)
	c.pass = c.file("pass", "correct horse battery staple orbit\n")
	if code, _, stderr := c.run("init"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	return c
}

func (c *crCLI) file(name, content string) string {
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *crCLI) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := &cli.Env{
		Args:   append([]string{"--vault", c.vault, "--passphrase-file", c.pass}, args...),
		Stdin:  strings.NewReader(""),
		Stdout: &out, Stderr: &errb,
		Vaults: c.vaults,
		Getenv: func(k string) string {
			if k == "USER" {
				return "cli-tester"
			}
			return ""
		},
	}
	code = cli.Run(env)
	return code, out.String(), errb.String()
}

func crCaseFile(t *testing.T, name string) string {
	p := filepath.Join("..", "..", "testdata", "cases", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportAndListCases(t *testing.T) {
	c := newCrCLI(t)
	code, out, stderr := c.run("import", crCaseFile(t, "full.json"))
	if code != 0 || !strings.HasPrefix(out, "Imported 2 cases: 4 notes, 1 addendum") || strings.Count(out, "\n") != 1 {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	code, out, _ = c.run("cases")
	if code != 0 || !strings.Contains(out, "2026-TF-0412") || !strings.Contains(out, "Rosa M.") ||
		!strings.Contains(out, "NUMBER") || !strings.Contains(out, "closed") {
		t.Fatalf("cases: %d\n%s", code, out)
	}

	c.disk.reset()
	code, out, _ = c.run("cases", "--json")
	if code != 0 {
		t.Fatalf("cases --json: %d", code)
	}
	if n := c.disk.read(app.RecIdentity); n != 0 {
		t.Errorf("cases --json read the legal identity %d time(s)", n)
	}
	for _, typ := range []app.RecordType{app.RecCase, app.RecVictim, app.RecNote} {
		if n := c.disk.read(typ); n != 0 {
			t.Errorf("cases --json read %d record(s) of type %x inside cases", n, typ)
		}
	}
	for _, secret := range []string{"Fictional Person One", "2010-11-05", "Fictional Middle School", "555-0100", "legal_name"} {
		if strings.Contains(out, secret) {
			t.Errorf("cases --json shows %q", secret)
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("cases --json is not a JSON array: %v\n%s", err, out)
	}
	if len(list) != 2 || list[0]["number"] != "2026-TF-0412" || list[0]["alias"] != "Rosa M." {
		t.Errorf("cases --json = %v", list)
	}
	if total, _ := list[0]["checklist_total"].(float64); total < 60 {
		t.Errorf("cases --json checklist_total = %v; want the case's whole checklist", list[0]["checklist_total"])
	}
	for key := range list[1] { // the closed case has the most fields
		switch key {
		case "id", "number", "title", "alias", "status", "tags", "assigned", "opened", "closed", "read_only", "origin",
			"checklist_resolved", "checklist_total":
		default:
			t.Errorf("cases --json has an unexpected field %q", key)
		}
	}

	code, out, _ = c.run("cases", "--json", "--status", "closed")
	if code != 0 || strings.Count(out, `"number"`) != 1 {
		t.Errorf("filtered: %d %s", code, out)
	}
	if code, _, _ := c.run("cases", "--status", "lost"); code != cli.ExitUsage {
		t.Errorf("bad status: exit %d", code)
	}
}

// A case file with the MDT practice's records imports through the command line, and
// the summary names them.
func TestImportPracticeRecords(t *testing.T) {
	c := newCrCLI(t)
	code, out, stderr := c.run("import", crCaseFile(t, "practice.json"))
	want := "Imported 2 cases: 1 note, 0 addenda, 0 checklist item states, 3 releases, 0 referrals, 0 timeline events, " +
		"4 references, 2 hearings, 2 victim notifications, 4 people by reference, 2 charges, 2 linked cases.\n"
	if code != 0 || out != want {
		t.Fatalf("import: %d %q %q, want %q", code, out, stderr, want)
	}
}

func TestImportBadFileStoresNothing(t *testing.T) {
	c := newCrCLI(t)
	good, _ := os.ReadFile(crCaseFile(t, "full.json"))
	bad := strings.Replace(string(good), `"kind": "observation"`, `"kind": "foo"`, 1)
	code, out, stderr := c.run("import", c.file("bad.json", bad))
	want := "casenotes: Case 2 (\"2026-TF-0413\"): note 1: kind \"foo\" is not a note kind.\n"
	if code != cli.ExitError || out != "" || stderr != want {
		t.Errorf("bad import: %d %q %q, want %q", code, out, stderr, want)
	}
	if _, out, _ := c.run("cases", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("something was stored: %s", out)
	}
	// A file that starts like a bundle is read as one: a damaged bundle fails
	// verification (exit 4) and stores nothing.
	if code, _, stderr := c.run("import", c.file("bundle.age", "age-encryption.org/v1\n...")); code != cli.ExitIntegrity || !strings.Contains(stderr, "bundle") {
		t.Errorf("bundle: %d %q", code, stderr)
	}
	if code, _, _ := c.run("import"); code != cli.ExitUsage {
		t.Errorf("no file: exit %d", code)
	}
}

func TestNoteAdd(t *testing.T) {
	c := newCrCLI(t)
	if code, _, stderr := c.run("import", crCaseFile(t, "accents.json")); code != 0 {
		t.Fatal(stderr)
	}
	text := c.file("note.txt", "Llamada con la defensora; cần phiên dịch.\n")
	code, out, stderr := c.run("note", "add", "--case", "2026-tf-0500", "--kind", "contact", "--text-file", text,
		"--final", "--sensitivity", "advocate-privileged")
	if code != 0 || !strings.Contains(out, "added to case 2026-TF-0500 (contact, final)") {
		t.Fatalf("note add: %d %q %q", code, out, stderr)
	}
	code, out, _ = c.run("note", "add", "--case", "2026-TF-0500", "--kind", "observation", "--text-file", text)
	if code != 0 || !strings.Contains(out, "a draft") {
		t.Fatalf("draft: %d %q", code, out)
	}

	// Read the notes back through the app.
	s, err := c.vaults.Unlock(c.vault, []byte("correct horse battery staple orbit"))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("")
	cs, _ := r.CaseByNumber("2026-TF-0500")
	notes, _ := r.Notes(cs.ID)
	s.Lock()
	if len(notes) != 4 {
		t.Fatalf("%d notes", len(notes))
	}
	n := notes[2]
	if notes[3].Final() {
		t.Error("the note added without --final is final")
	}
	if n.Body != "Llamada con la defensora; cần phiên dịch.\n" || !n.Final() || n.Author != "cli-tester" ||
		n.Sensitivity != app.SensitivityAdvocatePrivileged {
		t.Errorf("note = %+v", n)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"note", "add", "--case", "2026-TF-0500", "--kind", "foo", "--text-file", text}, cli.ExitUsage, `kind "foo" is not a note kind`},
		{[]string{"note", "add", "--case", "2026-TF-0500", "--kind", "contact", "--text-file", text, "--sensitivity", "secret"}, cli.ExitUsage, "sensitivity"},
		{[]string{"note", "add", "--case", "NOPE-1", "--kind", "contact", "--text-file", text}, cli.ExitError, "no case numbered NOPE-1"},
		{[]string{"note", "add", "--kind", "contact", "--text-file", text}, cli.ExitUsage, "--case"},
		{[]string{"note", "add", "--case", "2026-TF-0500", "--kind", "contact", "--text-file", filepath.Join(c.dir, "missing.txt")}, cli.ExitError, "missing.txt does not exist"},
		{[]string{"note", "frob"}, cli.ExitUsage, "note add"},
		{[]string{"note", "list"}, cli.ExitUsage, "--case"},
		{[]string{"note", "show", "--case", "2026-TF-0500"}, cli.ExitUsage, "--note ID"},
		{[]string{"note", "show", "--case", "2026-TF-0500", "--note", "x"}, cli.ExitUsage, "not a note id"},
	} {
		code, _, stderr := c.run(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d %q, want %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
}

func TestSeedCommand(t *testing.T) {
	c := newCrCLI(t)
	code, out, stderr := c.run("seed", "--cases", "3", "--notes-per-case", "2")
	if code != 0 || !strings.HasPrefix(out, "Seeded 3 fictional demo cases with 2 notes each in ") {
		t.Fatalf("seed: %d %q %q", code, out, stderr)
	}
	_, out, _ = c.run("cases")
	if !strings.Contains(out, "DEMO-000003") || !strings.Contains(out, "Demo Alias 0003") {
		t.Errorf("cases after seed:\n%s", out)
	}
	if code, _, _ := c.run("seed"); code != cli.ExitUsage {
		t.Errorf("seed without --cases: exit %d", code)
	}
}
