// Package cli is Casenotes' command line: the stable contract of docs/design.md
// ("Command line"; the README lists every command) for administrators, scripts,
// prosecutors without the desktop app, and tests. It talks to app/ only; main.go
// wires in the storage adapter.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"

	"casenotes/app"
	"casenotes/ui/format"
)

// Exit codes of the command-line contract.
const (
	ExitOK        = 0
	ExitError     = 1
	ExitUsage     = 2
	ExitLocked    = 3 // wrong passphrase or locked out
	ExitIntegrity = 4
)

// Env is everything a command touches, so tests can run commands in-process and the
// real binary can run them against the real terminal.
type Env struct {
	Args   []string // without the program name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Vaults is the vault service over the real disk.
	Vaults *app.Vaults
	// DefaultVault is the vault directory when neither --vault nor CASENOTES_VAULT is given.
	DefaultVault string
	// Getenv reads the environment (os.Getenv in production).
	Getenv func(string) string
	// Terminal, when set, reads a passphrase from the terminal without echo. When nil,
	// standard input is not a terminal and one line is read from it.
	Terminal func(prompt string) ([]byte, error)
	// Desktop opens the desktop app on a vault directory; called when no subcommand
	// is given.
	Desktop func(vaultDir string) int
}

// usageError is a mistake in how the command was called (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// sentenceError is a failure whose message is already one sentence for people,
// naming the file or case it is about (exit 1): a file that cannot be read or
// written, a case number that is not in the vault.
type sentenceError struct{ msg string }

func (e *sentenceError) Error() string { return e.msg }

// openInput opens a file the command reads, or says in one sentence which file
// could not be opened and why.
func openInput(what, path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unreadable(what, path, err)
	}
	if fi, err := f.Stat(); err != nil || fi.IsDir() {
		f.Close()
		if err == nil {
			return nil, &sentenceError{fmt.Sprintf("The %s %s is a folder, not a file; nothing was changed.", what, path)}
		}
		return nil, unreadable(what, path, err)
	}
	return f, nil
}

// unreadable says which file could not be read and why, in one sentence.
func unreadable(what, path string, err error) error {
	why := "could not be read"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why = "does not exist"
	case errors.Is(err, fs.ErrPermission):
		why = "cannot be read with your permissions"
	}
	return &sentenceError{fmt.Sprintf("The %s %s %s; nothing was changed.", what, path, why)}
}

// flagError turns the flag package's complaint into one line that says what to do.
func flagError(cmd string, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		msg = "unknown option -" + name
	}
	return usagef("%s%s; run casenotes help", cmd, msg)
}

// command is one subcommand.
type command struct {
	summary string
	run     func(e *Env, g *globals, args []string) error
}

var commands = map[string]command{
	"init":     {"create a vault; prints the recovery key once", runInit},
	"passwd":   {"change the passphrase (--new-passphrase-file F)", runPasswd},
	"backup":   {"write an encrypted backup (--out F)", runBackup},
	"restore":  {"rebuild a vault from a backup (--from F)", runRestore},
	"cases":    {"list cases [--json] [--status S] [--tag T] [--assigned NAME]", runCases},
	"note":     {"note add --case NUMBER --kind KIND --text-file F [--final] [--sensitivity S]; note list --case NUMBER [--json]; note show --case NUMBER --note ID [--addendum ID]", runNote},
	"import":   {"import a case file (casenotes-case/v1) or a bundle [--signer FP]", runImport},
	"seed":     {"write fictional demo cases (--cases N --notes-per-case M)", runSeed},
	"search":   {"search every case: search QUERY [--json] [--case N] [--kind K] [--since D]", runSearch},
	"check":    {"open every record and check every digest; exit 4 naming damaged cases", runCheck},
	"export":   {"export a case: --case N --profile P --format pdf|md|json|bundle --out F", runExport},
	"verify":   {"check a bundle's signature and hashes: verify FILE [--identity F] [--signer FP]", runVerify},
	"audit":    {"audit trail: verify | list [--json] [filters] | export --out F | checkpoint --out F | prove --from-checkpoint F", runAudit},
	"template": {"checklist templates: template list [--json] | import FILE [--default] | default ID VERSION", runTemplate},
	"report":   {"de-identified program report: --period 2026|2026-Q3|2026-11 (or --from D --to D) --format pdf|csv --out F", runReport},
}

// Run executes the command line and returns the exit code.
func Run(e *Env) int {
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	g := &globals{}
	fs := newFlagSet("casenotes", e)
	g.register(fs)
	version := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {} // a mistake gets one line (flagError), not the whole usage
	if err := fs.Parse(e.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(e.Stdout)
			return ExitOK
		}
		return report(e, flagError("", err))
	}
	if *version {
		fmt.Fprintf(e.Stdout, "casenotes %s\n", app.Version)
		return ExitOK
	}
	rest := fs.Args()
	if len(rest) == 0 {
		if e.Desktop == nil {
			return report(e, usagef("no command given"))
		}
		return e.Desktop(g.vaultDir(e))
	}
	name := rest[0]
	if name == "help" {
		printUsage(e.Stdout)
		return ExitOK
	}
	cmd, ok := commands[name]
	if !ok {
		return report(e, usagef("unknown command %q; run casenotes help", name))
	}
	return report(e, cmd.run(e, g, rest[1:]))
}

// report prints one line for an error and returns its exit code.
func report(e *Env, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.Stderr, "casenotes: %s\n", ue.msg)
		return ExitUsage
	}
	var fe *sentenceError
	if errors.As(err, &fe) {
		fmt.Fprintf(e.Stderr, "casenotes: %s\n", fe.msg)
		return ExitError
	}
	var xe *exitError
	if errors.As(err, &xe) {
		fmt.Fprintf(e.Stderr, "casenotes: %s\n", xe.msg)
		return xe.code
	}
	msg := app.Sentence(err)
	if errors.Is(err, app.ErrWrongPassphrase) {
		// The desktop app's sentence speaks of Caps Lock; here the passphrase
		// usually comes from a file.
		msg = "That passphrase does not open this vault; nothing was changed."
	}
	fmt.Fprintf(e.Stderr, "casenotes: %s\n", msg)
	switch {
	case errors.Is(err, app.ErrWrongPassphrase), errors.Is(err, app.ErrWrongRecoveryKey), errors.Is(err, app.ErrLockedOut):
		return ExitLocked
	case errors.Is(err, app.ErrIntegrity):
		return ExitIntegrity
	default:
		return ExitError
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "Casenotes %s: encrypted, victim-centered case notes.\n\n", app.Version)
	fmt.Fprintln(w, "Usage: casenotes [--vault DIR] [--passphrase-file F] [command] [flags]")
	fmt.Fprintln(w, "With no command, the desktop app opens.")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nExit codes: 0 ok, 1 error, 2 usage, 3 wrong passphrase or locked out, 4 integrity failure.")
}

func newFlagSet(name string, e *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses a subcommand's flags (plus the global ones, which may come after the
// command too) and refuses stray arguments unless want > 0.
func parse(fs *flag.FlagSet, g *globals, args []string, want int) ([]string, error) {
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, flagError(fs.Name()+": ", err)
	}
	if fs.NArg() != want {
		if want == 0 {
			return nil, usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
		}
		return nil, usagef("%s: expected %s", fs.Name(), format.Count(want, "argument", "arguments"))
	}
	return fs.Args(), nil
}

// parseAnywhere is parse for a command whose flags may stand before or after its
// arguments (`template import FILE --default`).
func parseAnywhere(fs *flag.FlagSet, g *globals, args []string, want int) ([]string, error) {
	g.register(fs)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs.Name()+": ", err)
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(rest) != want {
		return nil, usagef("%s: expected %s", fs.Name(), format.Count(want, "argument", "arguments"))
	}
	return rest, nil
}

// globals are the flags every command takes.
type globals struct {
	vault          string
	passphraseFile string
}

func (g *globals) register(fs *flag.FlagSet) {
	if fs.Lookup("vault") != nil {
		return
	}
	fs.Func("vault", "vault directory", func(s string) error { g.vault = s; return nil })
	fs.Func("passphrase-file", "read the passphrase from this file", func(s string) error { g.passphraseFile = s; return nil })
}

func (g *globals) vaultDir(e *Env) string {
	if g.vault != "" {
		return g.vault
	}
	if v := e.Getenv("CASENOTES_VAULT"); v != "" {
		return v
	}
	return e.DefaultVault
}

// secretFromFile reads a passphrase or key file: the first line, without its line
// ending. Other whitespace is part of the passphrase.
func secretFromFile(path, what string) ([]byte, error) {
	f, err := openInput(what+" file", path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return nil, unreadable(what+" file", path, err)
	}
	return firstLine(b), nil
}

func firstLine(b []byte) []byte {
	if i := strings.IndexByte(string(b), '\n'); i >= 0 {
		b = b[:i]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// passphrase gets the passphrase: --passphrase-file, else a terminal prompt, else one
// line of standard input.
func (g *globals) passphrase(e *Env, prompt string) ([]byte, error) {
	if g.passphraseFile != "" {
		return secretFromFile(g.passphraseFile, "passphrase")
	}
	return readSecret(e, prompt)
}

func readSecret(e *Env, prompt string) ([]byte, error) {
	if e.Terminal != nil {
		return e.Terminal(prompt)
	}
	if e.Stdin == nil {
		return nil, usagef("no passphrase given: use --passphrase-file")
	}
	var line []byte
	buf := make([]byte, 1)
	for len(line) < 4096 {
		n, err := e.Stdin.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			line = append(line, buf[0])
		}
		if err != nil {
			if len(line) == 0 {
				return nil, usagef("no passphrase given: use --passphrase-file")
			}
			break
		}
	}
	return firstLine(line), nil
}
