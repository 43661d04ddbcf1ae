package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"

	"casenotes/app"
	"casenotes/storage"
)

// exportCaseFile is a fictional case with a final advocate-privileged note, a draft,
// a legal identity and a release of identity to the prosecutor's office.
const exportCaseFile = `{"format":"casenotes-case/v1","cases":[{"number":"2026-TF-0412","title":"Hotel outreach referral",
 "jurisdiction":"Demo County","opened":"2026-03-01",
 "victim":{"alias":"Zoë Ångström","age":15},
 "identity":{"legal_name":"Fictional Person One","addresses":["1 Fictional Way, Demo City"]},
 "notes":[
  {"kind":"contact","body":"Met at the child advocacy center.","author":"Det. Alvarez","created_at":"2026-03-02T10:00:00Z","final":true},
  {"kind":"service","body":"PRIVILEGED shelter plan","author":"Adv. Kim","created_at":"2026-03-04T11:20:00Z","sensitivity":"advocate-privileged","final":true},
  {"kind":"observation","body":"DRAFT text never leaves","author":"Det. Alvarez","created_at":"2026-03-05T09:00:00Z"}],
 "releases":[{"scope":["identity"],"recipient":{"organisation":"Demo County Prosecutor's Office","category":"prosecution"},"signed":"2026-03-01","expires":"2099-01-01"}]}]}`

// exportVault is a vault holding exportCaseFile and a directory entry for the
// prosecutor's office with the age key in keyFile.
func exportVault(t *testing.T) (dir, passFile, keyFile string, id *age.X25519Identity) {
	t.Helper()
	dir, passFile, _ = initVault(t)
	tmp := t.TempDir()
	if r := run(t, "import", "--vault", dir, "--passphrase-file", passFile, writeFile(t, tmp, "case.json", exportCaseFile)); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile = writeFile(t, tmp, "key.txt", id.String()+"\n")
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	_, err = r.AddPartner(app.PartnerInput{Organization: "Demo County Prosecutor's Office", Person: "Ana Ruiz", Category: "prosecution",
		AgeRecipient: id.Recipient().String(), KeysConfirmed: true})
	s.Lock()
	if err != nil {
		t.Fatal(err)
	}
	return dir, passFile, keyFile, id
}

var fingerprintRE = regexp.MustCompile(`Signer fingerprint: ([0-9a-f]{4}( [0-9a-f]{4}){4})`)

func TestExportCommand(t *testing.T) {
	dir, passFile, _, _ := exportVault(t)
	out := t.TempDir()
	common := []string{"--vault", dir, "--passphrase-file", passFile}
	exp := func(args ...string) result { return run(t, append(append([]string{"export"}, common...), args...)...) }

	// --dry-run prints the preview and writes nothing.
	r := exp("--case", "2026-TF-0412", "--profile", "prosecutor", "--format", "pdf", "--recipient", "Ana Ruiz", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "advocate-privileged note of Mar 4, 2026: no release on file covers advocate notes for Ana Ruiz at Demo County Prosecutor's Office") ||
		strings.Contains(r.stdout, "PRIVILEGED shelter plan") {
		t.Fatalf("dry run: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatal("--dry-run wrote a file")
	}

	// The PDF: the withheld summary on standard error, the hash and fingerprint on
	// standard output, the identity only with --include-identity.
	pdf := filepath.Join(out, "summary.pdf")
	r = exp("--case", "2026-TF-0412", "--profile", "prosecutor", "--format", "pdf", "--recipient", "Ana Ruiz", "--include-identity", "--out", pdf)
	if r.code != 0 || !strings.Contains(r.stderr, "Withheld (") || !strings.Contains(r.stderr, "1 draft note") || !strings.Contains(r.stdout, "SHA-256: ") {
		t.Fatalf("export pdf: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"2026-TF-0412", "Zoë Ångström", "Fictional Person One"} {
			if !bytes.Contains(text, []byte(want)) {
				t.Errorf("PDF lacks %q", want)
			}
		}
		for _, never := range []string{"1 Fictional Way", "PRIVILEGED shelter plan", "DRAFT text"} {
			if bytes.Contains(text, []byte(never)) {
				t.Errorf("PDF holds %q", never)
			}
		}
	}
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := s.Records("")
	c, _ := rec.CaseByNumber("2026-TF-0412")
	log, err := rec.Exports(c.ID)
	s.Lock()
	if err != nil || len(log) != 1 || log[0].Format != "pdf" || !strings.Contains(r.stdout, log[0].SHA256) {
		t.Fatalf("export log after the PDF = %+v, %v", log, err)
	}
	for _, f := range []string{"md", "json"} {
		if r := exp("--case", "2026-TF-0412", "--format", f, "--out", filepath.Join(out, "x."+f)); r.code != 0 {
			t.Errorf("export %s: %d %s", f, r.code, r.stderr)
		}
	}

	// Bad input: one sentence each, the README's exit code, nothing written.
	bad := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown recipient", []string{"--case", "2026-TF-0412", "--recipient", "Nobody", "--out", filepath.Join(out, "a.pdf")}, 1, "No partner by that name"},
		{"unwritable destination", []string{"--case", "2026-TF-0412", "--out", filepath.Join(out, "missing", "a.pdf")}, 1, "could not be written there"},
		{"existing file", []string{"--case", "2026-TF-0412", "--out", pdf}, 2, "already exists"},
		{"unknown case", []string{"--case", "NOPE-1", "--out", filepath.Join(out, "b.pdf")}, 1, "No case with that number"},
		{"bad profile", []string{"--case", "2026-TF-0412", "--profile", "press", "--out", filepath.Join(out, "c.pdf")}, 2, "--profile"},
		{"transfer as PDF", []string{"--case", "2026-TF-0412", "--profile", "transfer", "--out", filepath.Join(out, "d.pdf")}, 2, "only as a bundle"},
		{"bundle without a key", []string{"--case", "2026-TF-0412", "--format", "bundle", "--out", filepath.Join(out, "e.age")}, 2, "a bundle needs"},
	}
	for _, tt := range bad {
		r := exp(tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want %d and one sentence with %q", tt.name, r.code, r.stderr, tt.code, tt.want)
		}
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") || e.Name() == "a.pdf" || e.Name() == "b.pdf" {
			t.Errorf("a refused export left %s", e.Name())
		}
	}
}

func TestBundleVerifyAndImportCommands(t *testing.T) {
	dir, passFile, keyFile, _ := exportVault(t)
	tmp := t.TempDir()
	bundle := filepath.Join(tmp, "case.age")
	r := run(t, "export", "--vault", dir, "--passphrase-file", passFile, "--case", "2026-TF-0412", "--format", "bundle",
		"--recipient", "Ana Ruiz", "--out", bundle)
	if r.code != 0 {
		t.Fatalf("export bundle: %d %s", r.code, r.stderr)
	}
	m := fingerprintRE.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no fingerprint printed:\n%s", r.stdout)
	}
	fp := m[1]

	// No vault: verify says plainly that the signer was not checked.
	r = run(t, "verify", "--identity", keyFile, bundle)
	if r.code != 0 || !strings.Contains(r.stdout, "THE SIGNER WAS NOT CHECKED") || !strings.Contains(r.stdout, fp) ||
		!strings.Contains(r.stdout, "2026-TF-0412-prosecutor.pdf") || !strings.Contains(r.stdout, "profile prosecutor") {
		t.Fatalf("verify: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "verify", "--identity", keyFile, "--signer", strings.ToUpper(fp), bundle); r.code != 0 || !strings.Contains(r.stdout, "matches --signer") {
		t.Fatalf("verify --signer: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "verify", "--identity", keyFile, "--signer", "0000 1111 2222 3333 4444", bundle); r.code != 4 || !strings.Contains(r.stderr, "not by the expected") {
		t.Fatalf("verify with another signer: %d %s", r.code, r.stderr)
	}
	// A changed byte: exit 4, one sentence.
	b, _ := os.ReadFile(bundle)
	for _, pos := range []int{10, len(b) / 3, len(b) - 5} {
		c := bytes.Clone(b)
		c[pos] ^= 0x20
		changed := writeFile(t, tmp, "changed.age", string(c))
		if r := run(t, "verify", "--identity", keyFile, changed); r.code != 4 || !strings.Contains(r.stderr, "Verification failed") || strings.Count(r.stderr, "\n") != 1 {
			t.Fatalf("changed byte %d: exit %d %q", pos, r.code, r.stderr)
		}
	}

	// Import into the prosecutor's vault: the bundle is opened with the vault's own
	// key, so export one to it.
	dir2, pass2, _ := initVault(t)
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir2, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := s.UserKeys()
	rcpt := keys.AgeRecipient()
	s.Lock()
	toMe := filepath.Join(tmp, "to-me.age")
	if r := run(t, "export", "--vault", dir, "--passphrase-file", passFile, "--case", "2026-TF-0412", "--format", "bundle",
		"--recipient", rcpt, "--out", toMe); r.code != 0 {
		t.Fatalf("export to the prosecutor's key: %d %s", r.code, r.stderr)
	}
	if r := run(t, "import", "--vault", dir2, "--passphrase-file", pass2, toMe); r.code != 4 || !strings.Contains(r.stderr, "--signer") {
		t.Fatalf("import from an unknown signer: %d %s", r.code, r.stderr)
	}
	r = run(t, "import", "--vault", dir2, "--passphrase-file", pass2, "--signer", fp, toMe)
	if r.code != 0 || !strings.Contains(r.stdout, "read-only") {
		t.Fatalf("import: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "import", "--vault", dir2, "--passphrase-file", pass2, "--signer", fp, toMe); r.code != 1 || !strings.Contains(r.stderr, "already imported") {
		t.Fatalf("second import: %d %s", r.code, r.stderr)
	}
	r = run(t, "cases", "--vault", dir2, "--passphrase-file", pass2)
	if r.code != 0 || !strings.Contains(r.stdout, "2026-TF-0412") {
		t.Fatalf("cases after import: %s", r.stdout)
	}
	// The verify command with --vault checks the directory: this signer is not in it.
	if r := run(t, "verify", "--vault", dir2, "--passphrase-file", pass2, toMe); r.code != 4 || !strings.Contains(r.stderr, "not in your partner directory") {
		t.Fatalf("verify --vault with an unknown signer: %d %s", r.code, r.stderr)
	}
}
