package cli_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/storage"
)

// binary is the real casenotes executable, built once for these tests with the
// test-only KDF cost (so each unlock takes milliseconds, not a second).
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "casenotes-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "casenotes")
	build := exec.Command("go", "build", "-tags", "casenotes_testkdf", "-o", binary, "casenotes")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		// The command line's contract is tested on the real binary: a machine that
		// cannot build it has not tested it, so the run fails rather than skips.
		fmt.Fprintln(os.Stderr, "the casenotes binary could not be built (it needs cgo and the GL headers: make deps-test):", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "CASENOTES_VAULT=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	pass1 = "correct horse battery staple tango"
	pass2 = "violet harbour lantern quietly seventeen"
)

var recoveryRE = regexp.MustCompile(`(?m)^\s+([0-9A-Z]{5}(-[0-9A-Z]{5})*)\s*$`)

// initVault runs `casenotes init` and returns the vault dir and the recovery key.
func initVault(t *testing.T) (dir, passFile, recovery string) {
	t.Helper()
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "vault")
	passFile = writeFile(t, tmp, "pass", pass1+"\n")
	r := run(t, "init", "--vault", dir, "--passphrase-file", passFile)
	if r.code != 0 {
		t.Fatalf("init: exit %d: %s", r.code, r.stderr)
	}
	var groups []string
	for _, m := range recoveryRE.FindAllStringSubmatch(r.stdout, -1) {
		groups = append(groups, m[1])
	}
	if len(groups) == 0 || !strings.Contains(r.stdout, "shown only") {
		t.Fatalf("init did not print a recovery key:\n%s", r.stdout)
	}
	return dir, passFile, strings.Join(groups, "-")
}

func TestVersionAndUsage(t *testing.T) {
	if r := run(t, "--version"); r.code != 0 || r.stdout != "casenotes "+app.Version+"\n" {
		t.Errorf("--version: %d %q", r.code, r.stdout)
	}
	r := run(t, "frobnicate")
	if r.code != 2 || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("unknown command: exit %d, stderr %q; want 2 and one line", r.code, r.stderr)
	}
	if r := run(t, "backup", "--vault", t.TempDir()); r.code != 2 {
		t.Errorf("backup without --out: exit %d", r.code)
	}
}

func TestInitWrongPassphraseAndLockout(t *testing.T) {
	dir, _, _ := initVault(t)
	wrong := writeFile(t, t.TempDir(), "wrong", "this is not the passphrase\n")
	out := filepath.Join(t.TempDir(), "b.cnbak")
	r := run(t, "backup", "--vault", dir, "--passphrase-file", wrong, "--out", out)
	if r.code != 3 || !strings.Contains(r.stderr, "passphrase does not open") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("wrong passphrase: exit %d, %q; want exit 3 and one sentence", r.code, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a refused backup left a file")
	}
	for range 4 {
		r = run(t, "backup", "--vault", dir, "--passphrase-file", wrong, "--out", out)
	}
	if r.code != 3 || !strings.Contains(r.stderr, "Too many wrong passphrases") {
		t.Errorf("fifth failure: exit %d, %q; want the lockout sentence", r.code, r.stderr)
	}
}

func TestBackupRestoreAndDamagedBackup(t *testing.T) {
	dir, passFile, rk := initVault(t)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "vault.cnbak")
	if r := run(t, "backup", "--vault", dir, "--passphrase-file", passFile, "--out", out); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	if r := run(t, "backup", "--vault", dir, "--passphrase-file", passFile, "--out", out); r.code != 2 {
		t.Errorf("backup over an existing file: exit %d; want 2", r.code)
	}
	restored := filepath.Join(tmp, "restored")
	if r := run(t, "restore", "--from", out, "--vault", restored, "--passphrase-file", passFile); r.code != 0 {
		t.Fatalf("restore: %d %s", r.code, r.stderr)
	}
	rkFile := writeFile(t, tmp, "rk", rk+"\n")
	again := filepath.Join(tmp, "restored-by-recovery-key")
	if r := run(t, "restore", "--from", out, "--vault", again, "--recovery-key-file", rkFile); r.code != 0 {
		t.Fatalf("restore with the recovery key: %d %s", r.code, r.stderr)
	}
	// The restored vault opens with the same passphrase: a backup of it works.
	if r := run(t, "backup", "--vault", restored, "--passphrase-file", passFile, "--out", filepath.Join(tmp, "2.cnbak")); r.code != 0 {
		t.Fatalf("restored vault does not open: %d %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(out)
	for name, bad := range map[string][]byte{
		"truncated": data[:len(data)-10],
		"altered":   append(append(bytes.Clone(data[:len(data)-40]), data[len(data)-40]^1), data[len(data)-39:]...),
	} {
		f := writeFile(t, tmp, name, string(bad))
		target := filepath.Join(tmp, "from-"+name)
		r := run(t, "restore", "--from", f, "--vault", target, "--passphrase-file", passFile)
		if r.code != 4 || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s backup: exit %d, %q; want 4 and one sentence", name, r.code, r.stderr)
		}
		if _, err := os.Stat(target); !os.IsNotExist(err) {
			t.Errorf("%s backup: restore wrote %s", name, target)
		}
	}
}

func TestPasswd(t *testing.T) {
	dir, passFile, rk := initVault(t)
	tmp := t.TempDir()
	newFile := writeFile(t, tmp, "new", pass2+"\n")
	if r := run(t, "passwd", "--vault", dir, "--passphrase-file", passFile, "--new-passphrase-file", newFile); r.code != 0 {
		t.Fatalf("passwd: %d %s", r.code, r.stderr)
	}
	out := filepath.Join(tmp, "b")
	if r := run(t, "backup", "--vault", dir, "--passphrase-file", passFile, "--out", out); r.code != 3 {
		t.Errorf("old passphrase after passwd: exit %d; want 3", r.code)
	}
	if r := run(t, "backup", "--vault", dir, "--passphrase-file", newFile, "--out", out); r.code != 0 {
		t.Errorf("new passphrase after passwd: exit %d %s", r.code, r.stderr)
	}
	weak := writeFile(t, tmp, "weak", "short\n")
	if r := run(t, "passwd", "--vault", dir, "--passphrase-file", newFile, "--new-passphrase-file", weak); r.code != 1 || !strings.Contains(r.stderr, "at least 12") {
		t.Errorf("weak new passphrase: exit %d %q", r.code, r.stderr)
	}
	rkFile := writeFile(t, tmp, "rk", strings.ToLower(rk)+"\n")
	if r := run(t, "passwd", "--vault", dir, "--recovery-key-file", rkFile, "--new-passphrase-file", passFile); r.code != 0 {
		t.Fatalf("passwd with the recovery key: %d %s", r.code, r.stderr)
	}
	if r := run(t, "backup", "--vault", dir, "--passphrase-file", passFile, "--out", filepath.Join(tmp, "c")); r.code != 0 {
		t.Errorf("passphrase set through the recovery key: exit %d %s", r.code, r.stderr)
	}
}

func TestVaultOpenElsewhere(t *testing.T) {
	dir, passFile, _ := initVault(t)
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r := run(t, "backup", "--vault", dir, "--passphrase-file", passFile, "--out", filepath.Join(t.TempDir(), "b"))
	if r.code != 1 || !strings.Contains(r.stderr, "already open in another Casenotes window") {
		t.Errorf("vault open elsewhere: exit %d, %q", r.code, r.stderr)
	}
}

func TestVaultFromEnvironment(t *testing.T) {
	dir, passFile, _ := initVault(t)
	cmd := exec.Command(binary, "backup", "--passphrase-file", passFile, "--out", filepath.Join(t.TempDir(), "b"))
	cmd.Env = append(os.Environ(), "CASENOTES_VAULT="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CASENOTES_VAULT not honoured: %v %s", err, out)
	}
}

func TestBackupToAMissingFolder(t *testing.T) {
	dir, passFile, _ := initVault(t)
	out := filepath.Join(t.TempDir(), "no such folder", "b.cnbak")
	r := run(t, "backup", "--vault", dir, "--passphrase-file", passFile, "--out", out)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "casenotes: Cannot write b.cnbak there") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("backup into a missing folder: exit %d, %q", r.code, r.stderr)
	}
}

// The vault's files are its user's alone, even when the process starts with a
// permissive umask and in a folder made open beforehand.
func TestVaultFilesArePrivate(t *testing.T) {
	if os.PathSeparator != '/' {
		t.Skip("file modes are Unix permissions")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "vault")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777)
	pf := writeFile(t, tmp, "pass", pass1+"\n")
	sh := func(args string) {
		t.Helper()
		cmd := exec.Command("sh", "-c", "umask 000; exec "+binary+" --vault "+dir+" --passphrase-file "+pf+" "+args)
		cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", args, err, out)
		}
	}
	sh("init")
	sh("seed --cases 3 --notes-per-case 2")
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, _ := d.Info()
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s is %o: readable by others", strings.TrimPrefix(p, tmp), perm)
		}
		return nil
	})
}

// A backup killed part way leaves a hidden partial file; the next backup to the same
// name removes it. `check` passes on a sound vault.
func TestBackupCleansPartialFiles(t *testing.T) {
	dir, pf, _ := initVault(t)
	out := t.TempDir()
	stale := writeFile(t, out, ".backup.bin.partial-1234567", "half of an old backup")
	if r := run(t, "backup", "--vault", dir, "--passphrase-file", pf, "--out", filepath.Join(out, "backup.bin")); r.code != 0 {
		t.Fatalf("backup: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the partial file of an earlier, killed backup is still there")
	}
	if r := run(t, "check", "--vault", dir, "--passphrase-file", pf); r.code != 0 || !strings.Contains(r.stdout, "no damage found") {
		t.Fatalf("check of a sound vault: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
}
