package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/storage"
	"casenotes/ui/cli"
)

// The vault commands (init, unlocking, passwd with its --rekey and
// --new-recovery-key, backup, restore) run in-process through cli.Run against a
// real vault in t.TempDir(), so that coverage sees ui/cli/vault.go; the same
// commands run as the real binary in binary_test.go.

// vaultRun is one in-process command: its exit code and what it printed.
type vaultRun struct {
	code           int
	stdout, stderr string
}

// vaultEnv runs commands against one vault folder; terminal, when set, answers the
// passphrase prompts in order, as a person typing.
type vaultEnv struct {
	t        *testing.T
	dir      string
	vault    string
	vaults   *app.Vaults
	terminal []string
}

func newVaultEnv(t *testing.T) *vaultEnv {
	dir := t.TempDir()
	return &vaultEnv{t: t, dir: dir, vault: filepath.Join(dir, "vault"), vaults: app.NewVaults(&storage.Disk{})}
}

func (v *vaultEnv) file(name, content string) string {
	p := filepath.Join(v.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		v.t.Fatal(err)
	}
	return p
}

func (v *vaultEnv) run(args ...string) vaultRun {
	var out, errb bytes.Buffer
	env := &cli.Env{
		Args:   append([]string{"--vault", v.vault}, args...),
		Stdin:  strings.NewReader(""),
		Stdout: &out, Stderr: &errb,
		Vaults: v.vaults,
		Getenv: func(string) string { return "" },
	}
	if v.terminal != nil {
		answers := v.terminal
		env.Terminal = func(string) ([]byte, error) {
			if len(answers) == 0 {
				v.t.Fatal("the command asked for more passphrases than the test typed")
			}
			a := answers[0]
			answers = answers[1:]
			return []byte(a), nil
		}
	}
	code := cli.Run(env)
	return vaultRun{code, out.String(), errb.String()}
}

// printedKey is the recovery key a command printed: its indented lines of groups.
func printedKey(t *testing.T, stdout string) string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "    ") && strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) < 2 {
		t.Fatalf("no recovery key printed in lines of groups:\n%s", stdout)
	}
	for _, l := range lines[:len(lines)-1] {
		if strings.Count(l, "-") != 3 {
			t.Errorf("recovery key line %q is not four groups", l)
		}
	}
	return strings.Join(lines, "-")
}

const (
	inprocPass  = "correct horse battery staple orbit"
	inprocPass2 = "violet harbour lantern quietly seventeen"
)

func TestInitThenUnlockInProcess(t *testing.T) {
	v := newVaultEnv(t)
	pass := v.file("pass", inprocPass+"\n")
	wrong := v.file("wrong", "a passphrase that is not this vault's\n")

	if r := v.run("--passphrase-file", pass, "init", "--name", "Dana Alvarez"); r.code != cli.ExitUsage ||
		!strings.Contains(r.stderr, "init: --name and --role go together") {
		t.Fatalf("init with --name alone: %+v", r)
	}
	if _, err := os.Stat(v.vault); err == nil {
		t.Fatal("a refused init created the vault folder")
	}
	r := v.run("--passphrase-file", pass, "init", "--name", "Dana Alvarez", "--role", "detective", "--agency", "Demo County")
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, "Vault created in "+v.vault) ||
		!strings.Contains(r.stdout, "it is shown only") {
		t.Fatalf("init: %+v", r)
	}
	key := printedKey(t, r.stdout)
	if s, err := v.vaults.UnlockWithRecoveryKey(v.vault, key); err != nil {
		t.Fatalf("the printed recovery key does not open the vault: %v", err)
	} else {
		rec, _ := s.Records("")
		p, err := rec.Profile()
		if err != nil || p.DisplayName != "Dana Alvarez" || p.Role != app.RoleDetective {
			t.Errorf("profile after init: %+v, %v", p, err)
		}
		s.Lock()
	}
	if r := v.run("--passphrase-file", pass, "init"); r.code == cli.ExitOK {
		t.Fatalf("a second init over the vault succeeded: %+v", r)
	}
	if r := v.run("--passphrase-file", pass, "cases"); r.code != cli.ExitOK {
		t.Fatalf("the right passphrase: %+v", r)
	}
	if r := v.run("--passphrase-file", wrong, "cases"); r.code != cli.ExitLocked ||
		!strings.Contains(r.stderr, "That passphrase does not open this vault; nothing was changed.") {
		t.Fatalf("a wrong passphrase: %+v", r)
	}
	// On a terminal the passphrase is asked twice; two that differ create nothing.
	v2 := newVaultEnv(t)
	v2.terminal = []string{inprocPass, inprocPass + "x"}
	if r := v2.run("init"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "the two passphrases differ; nothing was created") {
		t.Fatalf("init with two different passphrases: %+v", r)
	}
	if _, err := os.Stat(v2.vault); err == nil {
		t.Fatal("init with two different passphrases created the vault")
	}
	v2.terminal = []string{inprocPass, inprocPass}
	if r := v2.run("init"); r.code != cli.ExitOK {
		t.Fatalf("init on a terminal: %+v", r)
	}
}

func TestPasswdInProcess(t *testing.T) {
	v := newVaultEnv(t)
	pass := v.file("pass", inprocPass+"\n")
	pass2 := v.file("pass2", inprocPass2+"\n")
	r := v.run("--passphrase-file", pass, "init")
	if r.code != cli.ExitOK {
		t.Fatalf("init: %+v", r)
	}
	key := printedKey(t, r.stdout)

	if r := v.run("passwd"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "passwd: --new-passphrase-file is required when not on a terminal") {
		t.Fatalf("passwd with no new passphrase: %+v", r)
	}
	r = v.run("--passphrase-file", pass, "passwd", "--new-passphrase-file", pass2)
	if r.code != cli.ExitOK || !strings.HasPrefix(r.stdout, "Passphrase changed. The recovery key is unchanged") {
		t.Fatalf("passwd: %+v", r)
	}
	if r := v.run("--passphrase-file", pass, "cases"); r.code != cli.ExitLocked {
		t.Fatalf("the old passphrase after passwd: %+v", r)
	}
	if r := v.run("--passphrase-file", pass2, "cases"); r.code != cli.ExitOK {
		t.Fatalf("the new passphrase after passwd: %+v", r)
	}

	// A forgotten passphrase: the recovery key sets a new one.
	keyFile := v.file("key", key+"\n")
	if r := v.run("passwd", "--recovery-key-file", keyFile, "--new-passphrase-file", pass); r.code != cli.ExitOK {
		t.Fatalf("passwd with the recovery key: %+v", r)
	}
	if r := v.run("--passphrase-file", pass, "cases"); r.code != cli.ExitOK {
		t.Fatalf("the passphrase the recovery key set: %+v", r)
	}
	badKey := v.file("badkey", strings.Repeat("A", len(key))+"\n")
	if r := v.run("passwd", "--recovery-key-file", badKey, "--new-passphrase-file", pass2); r.code == cli.ExitOK {
		t.Fatalf("passwd with a made-up recovery key succeeded: %+v", r)
	}

	// --rekey: every key changes; the old recovery key opens nothing, the new one does.
	r = v.run("--passphrase-file", pass, "passwd", "--rekey", "--new-passphrase-file", pass2)
	if r.code != cli.ExitOK || !strings.HasPrefix(r.stdout, "Every key of the vault was changed") {
		t.Fatalf("passwd --rekey: %+v", r)
	}
	newKey := printedKey(t, r.stdout)
	if newKey == key {
		t.Fatal("--rekey printed the old recovery key")
	}
	if s, err := v.vaults.UnlockWithRecoveryKey(v.vault, key); err == nil {
		s.Lock()
		t.Fatal("the old recovery key still opens the vault after --rekey")
	}
	if r := v.run("--passphrase-file", pass2, "cases"); r.code != cli.ExitOK {
		t.Fatalf("the new passphrase after --rekey: %+v", r)
	}

	// --new-recovery-key: the passphrase stays, the key changes. Through the
	// recovery key it needs a new passphrase too.
	newKeyFile := v.file("newkey", newKey+"\n")
	if r := v.run("passwd", "--new-recovery-key", "--recovery-key-file", newKeyFile, "--passphrase-file", pass2); r.code != cli.ExitUsage ||
		!strings.Contains(r.stderr, "passwd: with --recovery-key-file, give the new passphrase with --new-passphrase-file") {
		t.Fatalf("passwd --new-recovery-key through the recovery key alone: %+v", r)
	}
	r = v.run("--passphrase-file", pass2, "passwd", "--new-recovery-key")
	if r.code != cli.ExitOK {
		t.Fatalf("passwd --new-recovery-key: %+v", r)
	}
	third := printedKey(t, r.stdout)
	if third == newKey {
		t.Fatal("--new-recovery-key printed the same key")
	}
	if s, err := v.vaults.UnlockWithRecoveryKey(v.vault, third); err != nil {
		t.Fatalf("the key --new-recovery-key printed does not open the vault: %v", err)
	} else {
		s.Lock()
	}
	if r := v.run("--passphrase-file", pass2, "cases"); r.code != cli.ExitOK {
		t.Fatalf("the passphrase after --new-recovery-key: %+v", r)
	}
}

func TestBackupAndRestoreInProcess(t *testing.T) {
	v := newVaultEnv(t)
	pass := v.file("pass", inprocPass+"\n")
	r := v.run("--passphrase-file", pass, "init")
	if r.code != cli.ExitOK {
		t.Fatalf("init: %+v", r)
	}
	key := printedKey(t, r.stdout)
	s, err := v.vaults.Unlock(v.vault, []byte(inprocPass))
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := s.Records("")
	if _, err := rec.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Backed up"}, app.Victim{Alias: "Robin"}); err != nil {
		t.Fatal(err)
	}
	s.Lock()

	if r := v.run("--passphrase-file", pass, "backup"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "backup: --out FILE is required") {
		t.Fatalf("backup without --out: %+v", r)
	}
	backup := filepath.Join(v.dir, "vault.backup")
	r = v.run("--passphrase-file", pass, "backup", "--out", backup)
	if r.code != cli.ExitOK || r.stdout != "Backup written to "+backup+". It opens with this vault's passphrase or recovery key.\n" {
		t.Fatalf("backup: %+v", r)
	}

	if r := v.run("--passphrase-file", pass, "restore"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "restore: --from FILE is required") {
		t.Fatalf("restore without --from: %+v", r)
	}
	notBackup := v.file("notes.txt", "not a backup at all")
	other := filepath.Join(v.dir, "restored-none")
	r = v.run("--vault", other, "--passphrase-file", pass, "restore", "--from", notBackup)
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "is not a Casenotes backup; nothing was restored.") {
		t.Fatalf("restore of a file that is not a backup: %+v", r)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("a refused restore left a vault folder")
	}

	for _, tc := range []struct {
		name string
		args []string
	}{
		{"passphrase", []string{"--passphrase-file", pass}},
		{"recovery key", []string{"--recovery-key-file", v.file("key", key+"\n")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dest := filepath.Join(v.dir, "restored-"+strings.ReplaceAll(tc.name, " ", "-"))
			args := append([]string{"--vault", dest, "restore", "--from", backup}, tc.args...)
			r := v.run(args...)
			if r.code != cli.ExitOK || !strings.HasPrefix(r.stdout, "Vault restored to "+dest+".") {
				t.Fatalf("restore with the %s: %+v", tc.name, r)
			}
			s, err := v.vaults.Unlock(dest, []byte(inprocPass))
			if err != nil {
				t.Fatalf("the restored vault does not open: %v", err)
			}
			defer s.Lock()
			rec, _ := s.Records("")
			if _, err := rec.CaseByNumber("2026-TF-0412"); err != nil {
				t.Errorf("the restored vault lacks the backed-up case: %v", err)
			}
		})
	}
}

// TestUnlockShowsTheVaultsUpdateOnATerminal: a command that opens a vault of an
// older format updates it first; typed at a terminal, it says so on standard error,
// part by part, on a line of its own, and then does its work. Run by a script
// (standard input not a terminal) it prints nothing more than before.
func TestUnlockShowsTheVaultsUpdateOnATerminal(t *testing.T) {
	golden := os.DirFS(filepath.Join("..", "..", "testdata", "vaults", "audit-v10"))
	const pass = "golden vault passphrase for tests only" // app/golden_test.go

	v := newVaultEnv(t)
	if err := os.CopyFS(v.vault, golden); err != nil {
		t.Fatal(err)
	}
	v.terminal = []string{pass}
	r := v.run("cases")
	if r.code != 0 {
		t.Fatalf("cases on the older vault: exit %d, %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "\rUpdating the vault (audit key range, part 1)…") {
		t.Errorf("standard error does not show the update: %q", r.stderr)
	}
	if !strings.HasSuffix(r.stderr, "…\n") {
		t.Errorf("the update's line is not ended before the command goes on: %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "2026-TF-091") {
		t.Errorf("the case list after the update: %q", r.stdout)
	}

	// The same from a script: nothing on standard error.
	s := newVaultEnv(t)
	if err := os.CopyFS(s.vault, golden); err != nil {
		t.Fatal(err)
	}
	passFile := s.file("pass", pass+"\n")
	r = s.run("--passphrase-file", passFile, "cases")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("cases from a script on the older vault: exit %d, standard error %q", r.code, r.stderr)
	}
}
