package cli_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"

	"casenotes/app"
	"casenotes/storage"
)

// rawDisk is the real disk that keeps the store it opened last, so a test can
// change records below the app (as someone editing the files would).
type rawDisk struct {
	storage.Disk
	last app.Store
}

func (d *rawDisk) OpenStore(dir string, keys app.StoreKeys, create bool) (app.Store, error) {
	s, err := d.Disk.OpenStore(dir, keys, create)
	d.last = s
	return s, err
}

// auditCLIVault is a vault made with the binary, with a profile and three demo
// cases, and one case created and deleted in-process (deleting has no command).
func auditCLIVault(t *testing.T) (dir, passFile, deleted string) {
	t.Helper()
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "vault")
	passFile = writeFile(t, tmp, "pass", pass1+"\n")
	if r := run(t, "init", "--vault", dir, "--passphrase-file", passFile, "--name", "Det. Dana Alvarez", "--role", "detective"); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	if r := run(t, "seed", "--vault", dir, "--passphrase-file", passFile, "--cases", "3", "--notes-per-case", "1"); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0999", Title: "Opened in error"}, app.Victim{Alias: "Test alias"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	return dir, passFile, "2026-TF-0999"
}

// A sound trail verifies and says how much it checked; an entry edited below the
// app (a raw store write) exits 4 naming that entry: its number, its time and what
// is wrong, and nothing goes to standard output as if it were fine.
func TestAuditVerifyNamesTheTamperedEntry(t *testing.T) {
	dir, pf, _ := auditCLIVault(t)
	r := run(t, "audit", "verify", "--vault", dir, "--passphrase-file", pf)
	if r.code != 0 || !regexp.MustCompile(`Checked \d+ entries and \d+ signed checkpoints?: the audit trail is intact`).MatchString(r.stdout) {
		t.Fatalf("verify of a sound trail: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}

	// Edit entry 5's action below the app.
	disk := &rawDisk{}
	s, err := app.NewVaults(disk).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	const bad = 5
	err = disk.last.Update(func(tx app.Tx) error {
		k := app.Key{Type: app.RecAudit, Order: bad}
		v, err := tx.Get(k)
		if err != nil {
			return err
		}
		var e map[string]any
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		e["action"] = "case-opened"
		b, _ := json.Marshal(e)
		return tx.Put(k, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()

	r = run(t, "audit", "verify", "--vault", dir, "--passphrase-file", pf)
	if r.code != 4 {
		t.Fatalf("verify of a tampered trail: exit %d; want 4\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("the problem is not one line: %q", r.stderr)
	}
	named := regexp.MustCompile(`Audit entry 5 \([A-Z][a-z]{2} \d{1,2}, \d{4} \d\d:\d\d:\d\d UTC\): its seal \(MAC\) does not match, so it was changed after it was written`)
	if !named.MatchString(r.stderr) {
		t.Errorf("the error does not name entry %d with its time and what is wrong: %q", bad, r.stderr)
	}
	if !strings.Contains(r.stdout, "Checked 5 entries") || strings.Contains(r.stdout, "intact") {
		t.Errorf("stdout: %q; want how many entries were checked before the bad one", r.stdout)
	}
	// The finding is itself logged, and listed.
	r = run(t, "audit", "list", "--vault", dir, "--passphrase-file", pf, "--action", "integrity-failure", "--json")
	if r.code != 0 || strings.Count(r.stdout, `"action":"integrity-failure"`) != 1 {
		t.Errorf("the integrity failure is not in the trail once: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// `audit list` shows entries newest first with local times and case numbers, finds
// a deleted case by its number, takes every filter, and refuses bad ones with
// exit 2 (bad usage) or 1 (an unknown case) in one line.
func TestAuditList(t *testing.T) {
	dir, pf, deleted := auditCLIVault(t)
	list := func(tz string, args ...string) result {
		t.Helper()
		t.Setenv("TZ", tz)
		return run(t, append([]string{"audit", "list", "--vault", dir, "--passphrase-file", pf}, args...)...)
	}

	r := list("America/Chicago", "--limit", "3")
	if r.code != 0 {
		t.Fatalf("list: %d %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "SEQ") {
		t.Fatalf("--limit 3: want a header, 3 rows and a footer:\n%s", r.stdout)
	}
	if !strings.Contains(lines[1], " unlock ") || !regexp.MustCompile(` C[SD]T `).MatchString(lines[1]) {
		t.Errorf("the newest entry is not this command's unlock, in Chicago time: %q", lines[1])
	}
	seq := func(l string) string { return strings.Fields(l)[0] }
	if !(seq(lines[1]) > seq(lines[2]) || len(seq(lines[1])) > len(seq(lines[2]))) {
		t.Errorf("not newest first: %q then %q", lines[1], lines[2])
	}
	if !strings.Contains(lines[4], "Shown: 3, newest first") || !strings.Contains(lines[4], "UTC-0") {
		t.Errorf("footer: %q", lines[4])
	}

	// The deleted case is found by its number, its creation and its deletion.
	r = list("UTC", "--case", deleted, "--json")
	if r.code != 0 {
		t.Fatalf("--case of a deleted case: %d %s", r.code, r.stderr)
	}
	var rows []app.AuditRow
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var row app.AuditRow
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("--json line %q: %v", l, err)
		}
		rows = append(rows, row)
	}
	if len(rows) != 2 || rows[0].Action != app.ActCaseDeleted || rows[1].Action != app.ActCaseCreated || rows[0].CaseNumber != deleted+" (deleted)" {
		t.Errorf("the deleted case's entries: %+v", rows)
	}

	// Filters: action, user, days.
	r = list("UTC", "--action", "lock")
	if r.code != 0 || strings.Contains(r.stdout, " unlock ") || !strings.Contains(r.stdout, " lock ") {
		t.Errorf("--action lock: %d\n%s", r.code, r.stdout)
	}
	r = list("UTC", "--user", "det. dana alvarez", "--action", "demo-seeded")
	if r.code != 0 || !strings.Contains(r.stdout, "1 entry matching") {
		t.Errorf("--user (any letter case) and --action: %d\n%s", r.code, r.stdout)
	}
	r = list("UTC", "--until", "2001-01-01")
	if r.code != 0 || !strings.Contains(r.stdout, "No entries match.") {
		t.Errorf("--until long ago: %d\n%s", r.code, r.stdout)
	}
	r = list("UTC", "--since", "01/01/2001", "--action", "vault-created")
	if r.code != 0 || !strings.Contains(r.stdout, "1 entry matching") {
		t.Errorf("--since MM/DD/YYYY: %d\n%s", r.code, r.stdout)
	}

	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--action", "peeked"}, 2, `"peeked" is not an action`},
		{[]string{"--since", "yesterday"}, 2, "is not a day"},
		{[]string{"--since", "2026-12-01", "--until", "2026-11-01"}, 2, "--until is before --since"},
		{[]string{"--limit", "-1"}, 2, "--limit"},
		{[]string{"--case", "NOPE-1"}, 1, "No case numbered NOPE-1"},
	} {
		r := list("UTC", bad.args...)
		if r.code != bad.code || !strings.Contains(r.stderr, bad.says) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want %d and one line saying %q", bad.args, r.code, r.stderr, bad.code, bad.says)
		}
	}
	if r := run(t, "audit", "--vault", dir, "--passphrase-file", pf); r.code != 2 {
		t.Errorf("audit with no subcommand: exit %d", r.code)
	}
}

// `audit export` writes CSV whole (oldest first, a stable header), never over an
// existing file, and leaves nothing behind when it cannot write.
func TestAuditExportCSV(t *testing.T) {
	dir, pf, _ := auditCLIVault(t)
	out := filepath.Join(t.TempDir(), "audit.csv")
	r := run(t, "audit", "export", "--vault", dir, "--passphrase-file", pf, "--format", "csv", "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "entries to "+out) {
		t.Fatalf("export: %d %q %q", r.code, r.stdout, r.stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "seq,time_utc,user,action,case_id,case_number,object_id,outcome,reason,profile,format,recipient,included,withheld,hash,state_counter" {
		t.Errorf("header: %v", recs[0])
	}
	if recs[1][0] != "0" || recs[1][3] != app.ActVaultCreated {
		t.Errorf("first row is not entry 0, vault created: %v", recs[1])
	}
	if perm := mustStat(t, out).Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("the CSV is %o: readable by others", perm)
	}
	if r := run(t, "audit", "export", "--vault", dir, "--passphrase-file", pf, "--format", "csv", "--out", out); r.code != 2 {
		t.Errorf("export over an existing file: exit %d", r.code)
	}
	if r := run(t, "audit", "export", "--vault", dir, "--passphrase-file", pf, "--format", "xlsx", "--out", out+"2"); r.code != 2 {
		t.Errorf("--format xlsx: exit %d", r.code)
	}
	missing := filepath.Join(t.TempDir(), "no-such-folder", "a.csv")
	r = run(t, "audit", "export", "--vault", dir, "--passphrase-file", pf, "--out", missing)
	if r.code != 1 || !strings.Contains(r.stderr, "Cannot write a.csv") {
		t.Errorf("export to a missing folder: %d %q", r.code, r.stderr)
	}
	// A filtered export holds only what matches.
	only := filepath.Join(t.TempDir(), "locks.csv")
	if r := run(t, "audit", "export", "--vault", dir, "--passphrase-file", pf, "--action", "lock", "--out", only); r.code != 0 {
		t.Fatalf("filtered export: %d %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(only)
	rows, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
	for _, row := range rows[1:] {
		if row[3] != "lock" {
			t.Errorf("a filtered export holds %v", row)
		}
	}
}

func mustStat(t *testing.T, p string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// A supervisor's checkpoint proves later that nothing logged before it changed: the
// proof prints, reads back and verifies; a checkpoint of another vault, an altered
// one, and a log rewritten since each exit 4 with one sentence.
func TestAuditCheckpointAndProve(t *testing.T) {
	dir, pf, _ := auditCLIVault(t)
	tmp := t.TempDir()
	kept := filepath.Join(tmp, "supervisor.checkpoint")
	r := run(t, "audit", "checkpoint", "--vault", dir, "--passphrase-file", pf, "--out", kept)
	if r.code != 0 || !strings.Contains(r.stdout, "Signer fingerprint:") {
		t.Fatalf("checkpoint: %d %q %q", r.code, r.stdout, r.stderr)
	}
	note, _ := os.ReadFile(kept)
	if !bytes.HasPrefix(note, []byte("casenotes.vault/")) || !bytes.Contains(note, []byte("\n— casenotes.signer/")) {
		t.Fatalf("not a signed checkpoint note:\n%s", note)
	}
	if r := run(t, "seed", "--vault", dir, "--passphrase-file", pf, "--cases", "2", "--notes-per-case", "1"); r.code != 0 {
		t.Fatal(r.stderr)
	}

	r = run(t, "audit", "prove", "--vault", dir, "--passphrase-file", pf, "--from-checkpoint", kept)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "casenotes-consistency-proof/v1\nold ") || !strings.Contains(r.stderr, "Proven:") {
		t.Fatalf("prove: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	checkProofText(t, r.stdout, note)
	r = run(t, "audit", "prove", "--vault", dir, "--passphrase-file", pf, "--from-checkpoint", kept, "--json")
	var j struct {
		Format  string   `json:"format"`
		OldSize uint64   `json:"old_size"`
		Proof   []string `json:"proof"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &j) != nil || j.Format != "casenotes-consistency-proof/v1" || len(j.Proof) == 0 {
		t.Errorf("prove --json: %d %q", r.code, r.stdout)
	}

	// A checkpoint of another vault (another user's key) proves nothing here.
	other, opf, _ := auditCLIVault(t)
	otherCP := filepath.Join(tmp, "other.checkpoint")
	if r := run(t, "audit", "checkpoint", "--vault", other, "--passphrase-file", opf, "--out", otherCP); r.code != 0 {
		t.Fatal(r.stderr)
	}
	altered := writeFile(t, tmp, "altered.checkpoint", strings.Replace(string(note), "\n", "\n1", 1))
	for name, f := range map[string]string{"another vault's": otherCP, "an altered": altered, "a missing": filepath.Join(tmp, "none")} {
		r := run(t, "audit", "prove", "--vault", dir, "--passphrase-file", pf, "--from-checkpoint", f)
		want, code := "is not signed by this vault's user", 4
		if name == "a missing" {
			want, code = "does not exist", 1
		}
		if r.code != code || !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
			t.Errorf("%s checkpoint: exit %d, %q %q; want %d, one sentence saying %q, no proof", name, r.code, r.stdout, r.stderr, code, want)
		}
	}

	// Rewrite the log below the app: entry 2 changed, and the log's own record
	// (tree and root) rebuilt to match, as someone covering their tracks would;
	// the kept checkpoint's root no longer agrees.
	rewriteEntry(t, dir, 2)
	r = run(t, "audit", "prove", "--vault", dir, "--passphrase-file", pf, "--from-checkpoint", kept)
	if r.code != 4 || !strings.Contains(r.stderr, "Not proven: the audit trail was rewritten since the checkpoint") || r.stdout != "" {
		t.Errorf("prove after a rewrite: exit %d, %q %q; want 4", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "audit", "prove", "--vault", dir, "--passphrase-file", pf); r.code != 2 {
		t.Errorf("prove without --from-checkpoint: exit %d", r.code)
	}
}

// rewriteEntry replaces entry seq with a copy of entry seq+1 (renumbered), below
// the app, and rebuilds the log's record of its tree (size, compact range, root)
// from the entries as they now are.
func rewriteEntry(t *testing.T, dir string, seq uint64) {
	t.Helper()
	disk := &rawDisk{}
	s, err := app.NewVaults(disk).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	err = disk.last.Update(func(tx app.Tx) error {
		v, err := tx.Get(app.Key{Type: app.RecAudit, Order: seq + 1})
		if err != nil {
			return err
		}
		var e map[string]any
		json.Unmarshal(v, &e)
		e["seq"] = seq
		b, _ := json.Marshal(e)
		if err := tx.Put(app.Key{Type: app.RecAudit, Order: seq}, b); err != nil {
			return err
		}
		rf := &compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
		cr := rf.NewEmptyRange(0)
		err = tx.Scan(app.RecAudit, app.ID{}, func(_ app.Key, v []byte) error {
			return cr.Append(rfc6962.DefaultHasher.HashLeaf(v), nil)
		})
		if err != nil {
			return err
		}
		root, err := cr.GetRootHash(nil)
		if err != nil {
			return err
		}
		st, _ := json.Marshal(map[string]any{"size": cr.End(), "range": cr.Hashes(), "root": root,
			"verified": 0, "verified_range": [][]byte{}})
		return tx.Put(app.Key{Type: app.RecAuditState}, st)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
}

// checkProofText reads a printed proof as docs/audit.md describes it, with nothing
// of Casenotes: the header lines, the hashes, then today's checkpoint; both
// checkpoints' sizes and roots match the header, and the merkle library's own
// verifier accepts the proof.
func checkProofText(t *testing.T, text string, oldNote []byte) {
	t.Helper()
	head, newNote, ok := strings.Cut(text, "\n\n")
	if !ok {
		t.Fatalf("no blank line before the checkpoint:\n%s", text)
	}
	lines := strings.Split(head, "\n")
	tree := func(l, name string) (uint64, []byte) {
		var size uint64
		var root string
		if _, err := fmt.Sscanf(l, name+" %d %s", &size, &root); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		b, err := base64.StdEncoding.DecodeString(root)
		if err != nil {
			t.Fatal(err)
		}
		return size, b
	}
	oldSize, oldRoot := tree(lines[1], "old")
	newSize, newRoot := tree(lines[2], "new")
	var hashes [][]byte
	for _, l := range lines[3:] {
		h, err := base64.StdEncoding.DecodeString(l)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	body := func(note string) (uint64, []byte) {
		f := strings.SplitN(note, "\n", 4)
		var size uint64
		fmt.Sscanf(f[1], "%d", &size)
		root, _ := base64.StdEncoding.DecodeString(f[2])
		return size, root
	}
	if s, r := body(string(oldNote)); s != oldSize || !bytes.Equal(r, oldRoot) {
		t.Errorf("the old line is not the kept checkpoint's tree")
	}
	if s, r := body(newNote); s != newSize || !bytes.Equal(r, newRoot) {
		t.Errorf("the new line is not today's checkpoint's tree")
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, oldSize, newSize, hashes, oldRoot, newRoot); err != nil {
		t.Errorf("the merkle library rejects the printed proof: %v", err)
	}
}

// A backup and a supervisor's checkpoint copy each count as a checkpoint leaving
// the machine (what Settings shows); reading the trail does not.
func TestCheckpointsLeavingAreRecorded(t *testing.T) {
	dir, pf, _ := auditCLIVault(t)
	left := func() time.Time {
		t.Helper()
		s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Lock()
		at, err := s.LastCheckpointLeft()
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	run(t, "audit", "list", "--vault", dir, "--passphrase-file", pf)
	run(t, "audit", "verify", "--vault", dir, "--passphrase-file", pf)
	if at := left(); !at.IsZero() {
		t.Fatalf("reading the trail marked a checkpoint as gone out at %v", at)
	}
	tmp := t.TempDir()
	if r := run(t, "backup", "--vault", dir, "--passphrase-file", pf, "--out", filepath.Join(tmp, "b")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	first := left()
	if first.IsZero() {
		t.Fatal("a backup did not mark its checkpoint as gone out")
	}
	time.Sleep(10 * time.Millisecond)
	if r := run(t, "audit", "checkpoint", "--vault", dir, "--passphrase-file", pf, "--out", filepath.Join(tmp, "cp")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if second := left(); !second.After(first) {
		t.Fatalf("a supervisor's copy did not mark its checkpoint: %v then %v", first, second)
	}
}

// `casenotes verify --vault` is an event of that vault's audit trail, pass or fail:
// one bundle-verified entry a run, with the SHA-256 of the file as read, ok for the
// bundle as written and failed for a copy with a changed byte.
func TestVerifyWithAVaultIsLogged(t *testing.T) {
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
	good, _ := os.ReadFile(bundle)
	bad := bytes.Clone(good)
	bad[len(bad)/3] ^= 0x20
	changed := writeFile(t, tmp, "changed.age", string(bad))
	verify := func(file string, code int) {
		t.Helper()
		if r := run(t, "verify", "--vault", dir, "--passphrase-file", passFile, "--identity", keyFile, "--signer", m[1], file); r.code != code {
			t.Fatalf("verify %s: exit %d, want %d: %s", filepath.Base(file), r.code, code, r.stderr)
		}
	}
	verify(bundle, 0)
	verify(changed, 4)
	r = run(t, "audit", "list", "--vault", dir, "--passphrase-file", passFile, "--action", app.ActBundleVerified, "--json")
	if r.code != 0 {
		t.Fatalf("audit list: %d %s", r.code, r.stderr)
	}
	var rows []app.AuditRow
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var row app.AuditRow
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("--json line %q: %v", l, err)
		}
		rows = append(rows, row)
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	if len(rows) != 2 || rows[1].Outcome != app.OutcomeOK || rows[1].Hash != sum(good) ||
		rows[0].Outcome != app.OutcomeFailed || rows[0].Hash != sum(bad) {
		t.Fatalf("bundle-verified entries (newest first): %+v; want the good bundle ok, then the changed copy failed, with their hashes", rows)
	}
}
