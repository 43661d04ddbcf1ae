package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/storage"
)

// TestCommandLineMessages runs the real binary into the mistakes people make on
// the command line: each gets one line on standard error that names what is wrong
// (the file, the case number) and the right exit code, and changes nothing.
func TestCommandLineMessages(t *testing.T) {
	dir, passFile, _ := initVault(t)
	tmp := t.TempDir()
	caseFile := filepath.Join("..", "..", "testdata", "cases", "full.json")
	if r := run(t, "import", "--vault", dir, "--passphrase-file", passFile, caseFile); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	empty := writeFile(t, tmp, "empty.txt", "")
	blank := writeFile(t, tmp, "blank.txt", " \n\t\n")
	text := writeFile(t, tmp, "note.txt", "Called the placement.\n")
	notBackup := writeFile(t, tmp, "notes.txt", "These are not a backup.\n")
	wrong := writeFile(t, tmp, "wrong", "not the passphrase at all\n")
	missing := filepath.Join(tmp, "no-such-file")
	note := func(extra ...string) []string {
		return append([]string{"note", "add", "--vault", dir, "--passphrase-file", passFile, "--kind", "contact"}, extra...)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string // every part must be in the one line
		not  []string
	}{
		{"empty text file", note("--case", "2026-TF-0412", "--text-file", empty), 1,
			[]string{empty, "is empty"}, nil},
		{"blank text file", note("--case", "2026-TF-0412", "--text-file", blank), 1,
			[]string{blank, "is empty"}, nil},
		{"unknown case", note("--case", "2026-TF-9999", "--text-file", text), 1,
			[]string{"2026-TF-9999", "casenotes cases"}, []string{"Refresh the list", "no longer exists"}},
		{"missing text file", note("--case", "2026-TF-0412", "--text-file", missing), 1,
			[]string{"text file", missing, "does not exist"}, nil},
		{"missing passphrase file", []string{"cases", "--vault", dir, "--passphrase-file", missing}, 1,
			[]string{"passphrase file", missing, "does not exist"}, nil},
		{"passphrase file is a folder", []string{"cases", "--vault", dir, "--passphrase-file", tmp}, 1,
			[]string{"passphrase file", tmp, "is a folder"}, nil},
		{"missing backup file", []string{"restore", "--from", missing, "--vault", filepath.Join(tmp, "r1"), "--passphrase-file", passFile}, 1,
			[]string{"backup file", missing, "does not exist"}, nil},
		{"not a backup", []string{"restore", "--from", notBackup, "--vault", filepath.Join(tmp, "r2"), "--passphrase-file", passFile}, 1,
			[]string{notBackup, "is not a Casenotes backup"}, []string{"Restore from a backup"}},
		{"wrong passphrase", []string{"cases", "--vault", dir, "--passphrase-file", wrong}, 3,
			[]string{"does not open this vault"}, []string{"Caps Lock"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`"frobnicate"`, "casenotes help"}, []string{"Usage"}},
		{"unknown flag", []string{"--frobnicate"}, 2, []string{"--frobnicate", "casenotes help"}, []string{"Usage", "Commands"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			if r.code != tc.code || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d and one line on stderr", r.code, r.stderr, r.stdout, tc.code)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("%q does not say %q", r.stderr, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(r.stderr, w) {
					t.Errorf("%q says %q", r.stderr, w)
				}
			}
		})
	}
	for _, d := range []string{"r1", "r2"} {
		if _, err := os.Stat(filepath.Join(tmp, d)); !os.IsNotExist(err) {
			t.Errorf("a refused restore created %s", d)
		}
	}
	// The refused note commands added nothing: the case has its three imported
	// notes and the one good one.
	if r := run(t, note("--case", "2026-TF-0412", "--text-file", text)...); r.code != 0 {
		t.Fatalf("a good note: %d %s", r.code, r.stderr)
	}
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	c, _ := r.CaseByNumber("2026-TF-0412")
	if notes, _ := r.Notes(c.ID); len(notes) != 4 {
		t.Errorf("the case has %d notes, want the 3 imported and the good one", len(notes))
	}
}
