package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/storage"
)

type searchJSON struct {
	Format string `json:"format"`
	Total  int    `json:"total"`
	Hits   []struct {
		CaseNumber string `json:"case_number"`
		Alias      string `json:"alias"`
		Source     string `json:"source"`
		NoteID     string `json:"note_id"`
		Kind       string `json:"kind"`
		Draft      bool   `json:"draft"`
		Author     string `json:"author"`
		Date       string `json:"date"`
		Snippet    string `json:"snippet"`
		Privileged bool   `json:"privileged"`
	} `json:"hits"`
}

// searchVault is a vault used by Det. Alvarez holding exportCaseFile.
func searchVault(t *testing.T) (dir, passFile string) {
	t.Helper()
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "vault")
	passFile = writeFile(t, tmp, "pass", pass1+"\n")
	if r := run(t, "init", "--vault", dir, "--passphrase-file", passFile, "--name", "Det. Alvarez", "--role", "detective"); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	if r := run(t, "import", "--vault", dir, "--passphrase-file", passFile, writeFile(t, tmp, "case.json", exportCaseFile)); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	return dir, passFile
}

func searchCLI(t *testing.T, dir, passFile string, args ...string) searchJSON {
	t.Helper()
	r := run(t, append([]string{"search", "--vault", dir, "--passphrase-file", passFile, "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("search %v: exit %d: %s", args, r.code, r.stderr)
	}
	var out searchJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Format != "casenotes-search/v1" {
		t.Fatalf("search --json printed %q: %v", r.stdout, err)
	}
	return out
}

func TestSearchCommand(t *testing.T) {
	dir, passFile := searchVault(t)
	// Accents folded both ways, the case number and alias on each hit.
	out := searchCLI(t, dir, passFile, "zoe", "angstrom")
	if out.Total != 1 || out.Hits[0].Source != "case" || out.Hits[0].CaseNumber != "2026-TF-0412" || out.Hits[0].Alias != "Zoë Ångström" {
		t.Fatalf("zoe angstrom = %+v", out)
	}
	out = searchCLI(t, dir, passFile, "advocacy")
	if out.Total != 1 || out.Hits[0].Kind != "contact" || !strings.Contains(out.Hits[0].Snippet, "advocacy") {
		t.Fatalf("advocacy = %+v", out)
	}
	// A privileged note is found, with kind, author and date but no text.
	out = searchCLI(t, dir, passFile, "shelter")
	if out.Total != 1 || !out.Hits[0].Privileged || out.Hits[0].Snippet != "" || out.Hits[0].Author != "Adv. Kim" || out.Hits[0].Date == "" {
		t.Fatalf("privileged hit = %+v", out)
	}
	r := run(t, "search", "--vault", dir, "--passphrase-file", passFile, "shelter")
	if r.code != 0 || strings.Contains(r.stdout, "shelter plan") || !strings.Contains(r.stdout, "advocate-privileged") {
		t.Fatalf("table output shows privileged text or no mark: %q", r.stdout)
	}
	// The legal identity is never found.
	for _, w := range []string{"fictional", "legal", "way"} {
		if out := searchCLI(t, dir, passFile, w); out.Total != 0 {
			t.Errorf("%q found %d: the legal identity was searched", w, out.Total)
		}
	}
	// Filters and options after the words; exclusions after --.
	if out := searchCLI(t, dir, passFile, "met", "--kind", "service"); out.Total != 0 {
		t.Errorf("--kind service found the contact note")
	}
	if out := searchCLI(t, dir, passFile, "met", "--since", "2026-03-03"); out.Total != 0 {
		t.Errorf("--since kept an older note")
	}
	if out := searchCLI(t, dir, passFile, "--case", "2026-tf-0412", "met"); out.Total != 1 {
		t.Errorf("--case found %d", out.Total)
	}
	if out := searchCLI(t, dir, passFile, "center", "--", "-advocacy"); out.Total != 0 {
		t.Errorf("-advocacy after -- did not exclude: %+v", out)
	}
	// Mistakes get one sentence and the right exit code.
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "give the words"},
		{[]string{"x", "--since", "yesterday"}, 2, "YYYY-MM-DD"},
		{[]string{"x", "--kind", "gossip"}, 2, "not a note kind"},
		{[]string{"x", "--case", "NOPE-1"}, 1, "no case numbered NOPE-1"},
		{[]string{"--", "-only"}, 1, "besides the ones to leave out"},
	} {
		r := run(t, append([]string{"search", "--vault", dir, "--passphrase-file", passFile}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("search %v: exit %d, %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
}

// TestSearchCommandSeesEveryChange: a note added, edited as a draft, finalized,
// given an addendum or deleted is found (or not) by the next `casenotes search`.
func TestSearchCommandSeesEveryChange(t *testing.T) {
	dir, passFile := searchVault(t)
	tmp := t.TempDir()
	total := func(words ...string) int { return searchCLI(t, dir, passFile, words...).Total }
	if r := run(t, "note", "add", "--vault", dir, "--passphrase-file", passFile, "--case", "2026-TF-0412",
		"--kind", "contact", "--text-file", writeFile(t, tmp, "n.txt", "Sighting at the Starlite Motel.")); r.code != 0 {
		t.Fatalf("note add: %s", r.stderr)
	}
	if total("starlite") != 1 {
		t.Fatal("a note added on the command line is not found by the next search")
	}
	// The desktop app's changes (through the same services) between two searches.
	change := func(fn func(r *app.Records, c app.Case, n app.Note)) {
		t.Helper()
		s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Lock()
		r, _ := s.Records("")
		c, err := r.CaseByNumber("2026-TF-0412")
		if err != nil {
			t.Fatal(err)
		}
		notes, err := r.Notes(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var n app.Note
		for _, x := range notes {
			if strings.Contains(x.Body, "Starlite") || strings.Contains(x.Body, "Cielo") {
				n = x
			}
		}
		fn(r, c, n)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	change(func(r *app.Records, c app.Case, n app.Note) {
		must(r.SaveDraft(c.ID, n.ID, "Sighting at the Cielo Azul Inn."))
	})
	if total("starlite") != 0 || total("cielo") != 1 {
		t.Fatal("an edited draft: old words found or new ones not")
	}
	change(func(r *app.Records, c app.Case, n app.Note) { _, err := r.FinaliseNote(c.ID, n.ID); must(err) })
	if out := searchCLI(t, dir, passFile, "cielo"); out.Total != 1 || out.Hits[0].Draft {
		t.Fatalf("finalized note: %+v", out)
	}
	change(func(r *app.Records, c app.Case, n app.Note) {
		_, err := r.AddAddendum(c.ID, n.ID, "Correction: the Pine Ridge Motel.")
		must(err)
	})
	if out := searchCLI(t, dir, passFile, `"pine ridge"`); out.Total != 1 || out.Hits[0].Source != "addendum" {
		t.Fatalf("addendum: %+v", out)
	}
	var draftID app.ID
	change(func(r *app.Records, c app.Case, _ app.Note) {
		d, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Gateway Extended Stay lead."})
		must(err)
		draftID = d.ID
	})
	if total("gateway") != 1 {
		t.Fatal("a new draft is not found")
	}
	change(func(r *app.Records, c app.Case, _ app.Note) { must(r.DeleteNote(c.ID, draftID)) })
	if total("gateway") != 0 {
		t.Fatal("a deleted draft is still found")
	}
}

// TestSearchCommandWritesNothing: a search leaves no word of the vault in the
// temporary folder or beside the vault.
func TestSearchCommandWritesNothing(t *testing.T) {
	dir, passFile := searchVault(t)
	tmpdir := t.TempDir()
	t.Setenv("TMPDIR", tmpdir)
	for range 2 {
		if out := searchCLI(t, dir, passFile, "advocacy"); out.Total != 1 {
			t.Fatal("not found")
		}
	}
	for _, root := range []string{dir, tmpdir} {
		filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return err
			}
			b, _ := os.ReadFile(p)
			low := strings.ToLower(string(b))
			for _, w := range []string{"advocacy", "angstrom", "ångström", "shelter"} {
				if strings.Contains(low, w) {
					t.Errorf("%s holds %q in clear", p, w)
				}
			}
			return nil
		})
	}
}
