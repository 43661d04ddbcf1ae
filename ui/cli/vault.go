package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"casenotes/app"
	"casenotes/ui/format"
)

func runInit(e *Env, g *globals, args []string) error {
	fs := newFlagSet("init", e)
	name := fs.String("name", "", "your name, recorded as the author of your notes (optional; the app asks otherwise)")
	role := fs.String("role", "", "with --name: detective, advocate, prosecutor, supervisor or other")
	agency := fs.String("agency", "", "with --name: your agency (optional)")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	var profile *app.Profile
	if *name != "" || *role != "" || *agency != "" {
		if *name == "" || *role == "" {
			return usagef("init: --name and --role go together")
		}
		profile = &app.Profile{DisplayName: *name, Role: app.Role(*role), Agency: *agency}
		if err := profile.Check(); err != nil {
			return usagef("init: %s", app.Sentence(err))
		}
	}
	dir := g.vaultDir(e)
	var pass []byte
	var err error
	if g.passphraseFile != "" || e.Terminal == nil {
		pass, err = g.passphrase(e, "")
	} else {
		pass, err = newPassphraseTwice(e)
	}
	if err != nil {
		return err
	}
	s, rk, err := e.Vaults.Create(dir, pass)
	if err != nil {
		return err
	}
	if profile != nil {
		if err := saveProfile(s, *profile); err != nil {
			s.Lock()
			return err
		}
	}
	if err := s.Lock(); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Vault created in %s\n\n", dir)
	fmt.Fprintln(e.Stdout, "Recovery key. It opens the vault if the passphrase is lost, and it is shown only")
	fmt.Fprintln(e.Stdout, "this once. Write it down or print it, and keep it apart from this computer:")
	fmt.Fprintln(e.Stdout)
	for _, line := range format.RecoveryKeyLines(rk.String()) {
		fmt.Fprintf(e.Stdout, "    %s\n", line)
	}
	rk.Clear()
	fmt.Fprintln(e.Stdout)
	return nil
}

func newPassphraseTwice(e *Env) ([]byte, error) {
	p1, err := e.Terminal("New passphrase: ")
	if err != nil {
		return nil, err
	}
	p2, err := e.Terminal("Repeat the passphrase: ")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(p1, p2) {
		return nil, usagef("the two passphrases differ; nothing was created")
	}
	return p1, nil
}

func runPasswd(e *Env, g *globals, args []string) error {
	fs := newFlagSet("passwd", e)
	newFile := fs.String("new-passphrase-file", "", "read the new passphrase from this file")
	rkFile := fs.String("recovery-key-file", "", "use the recovery key in this file instead of the old passphrase")
	rekey := fs.Bool("rekey", false, "change every key of the vault, not only the passphrase (prints a new recovery key)")
	newRecovery := fs.Bool("new-recovery-key", false, "replace the recovery key (a rekey; the passphrase stays unless a new one is given)")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	dir := g.vaultDir(e)
	var newPass []byte
	var err error
	switch {
	case *newFile != "":
		newPass, err = secretFromFile(*newFile, "new passphrase")
	case *newRecovery:
		// The passphrase stays: it is read below as the current one.
	case e.Terminal != nil:
		newPass, err = newPassphraseTwice(e)
	default:
		return usagef("passwd: --new-passphrase-file is required when not on a terminal")
	}
	if err != nil {
		return err
	}
	if *rekey || *newRecovery {
		return rekeyVault(e, g, dir, *rkFile, newPass)
	}
	if *rkFile != "" {
		rk, err := secretFromFile(*rkFile, "recovery key")
		if err != nil {
			return err
		}
		err = e.Vaults.ResetPassphrase(dir, string(rk), newPass)
		if err != nil {
			return err
		}
	} else {
		old, err := g.passphrase(e, "Current passphrase: ")
		if err != nil {
			return err
		}
		if err := e.Vaults.ChangePassphrase(dir, old, newPass); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.Stdout, "Passphrase changed. The recovery key is unchanged, and the vault key too: an old")
	fmt.Fprintln(e.Stdout, "copy of the vault with the old passphrase still opens. If the old passphrase may be")
	fmt.Fprintln(e.Stdout, "known to someone, use passwd --rekey instead.")
	return nil
}

// rekeyVault unlocks the vault (with the passphrase, or the recovery key in rkFile)
// and changes every key; newPass nil keeps the current passphrase.
func rekeyVault(e *Env, g *globals, dir, rkFile string, newPass []byte) error {
	var s *app.Session
	var err error
	if rkFile != "" {
		rk, err := secretFromFile(rkFile, "recovery key")
		if err != nil {
			return err
		}
		if newPass == nil {
			return usagef("passwd: with --recovery-key-file, give the new passphrase with --new-passphrase-file")
		}
		s, err = e.Vaults.UnlockWithRecoveryKey(dir, string(rk))
		if err != nil {
			return err
		}
	} else {
		old, err := g.passphrase(e, "Current passphrase: ")
		if err != nil {
			return err
		}
		if newPass == nil {
			newPass = old
		}
		s, err = e.Vaults.Unlock(dir, old)
		if err != nil {
			return err
		}
	}
	rk, err := s.Rekey(newPass, nil)
	s.Lock()
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, "Every key of the vault was changed: the old passphrase, the old recovery key and")
	fmt.Fprintln(e.Stdout, "old copies of the vault's header no longer open it. Old backups open only as what")
	fmt.Fprintln(e.Stdout, "they were. The new recovery key is shown only this once; write it down or print it,")
	fmt.Fprintln(e.Stdout, "and keep it apart from this computer:")
	fmt.Fprintln(e.Stdout)
	for _, line := range format.RecoveryKeyLines(rk.String()) {
		fmt.Fprintf(e.Stdout, "    %s\n", line)
	}
	rk.Clear()
	fmt.Fprintln(e.Stdout)
	return nil
}

// unlock opens the vault for a command with the global passphrase flags. On a
// terminal, an update of the vault to this version's format (at the first unlock
// after an upgrade: seconds, or a minute for a very long audit trail) shows how far
// it has got on standard error, as the seed shows its progress; a script's output
// is unchanged.
func unlock(e *Env, g *globals) (*app.Session, error) {
	pass, err := g.passphrase(e, "Passphrase: ")
	if err != nil {
		return nil, err
	}
	if e.Terminal != nil && e.Vaults.Migrating == nil {
		shown := false
		e.Vaults.Migrating = func(name string, batches int) {
			shown = true
			fmt.Fprint(e.Stderr, "\r"+format.MigrationPart(name, batches))
		}
		defer func() {
			e.Vaults.Migrating = nil
			if shown {
				fmt.Fprintln(e.Stderr)
			}
		}()
	}
	return e.Vaults.Unlock(g.vaultDir(e), pass)
}

func runBackup(e *Env, g *globals, args []string) error {
	fs := newFlagSet("backup", e)
	out := fs.String("out", "", "backup file to write")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return usagef("backup: --out FILE is required")
	}
	if err := checkNewFile("backup", *out); err != nil {
		return err
	}
	s, err := unlock(e, g)
	if err != nil {
		return err
	}
	defer s.Lock()
	err = writeFileAtomic(*out, func(f *os.File) error { return s.Backup(f) })
	if err != nil {
		return err
	}
	// The backup carries the checkpoint it made: it has left the machine now.
	if err := s.MarkCheckpointLeft(nil); err != nil {
		fmt.Fprintln(e.Stderr, "casenotes: the backup is complete, but Settings will not show it as the last checkpoint to leave this computer.")
	}
	fmt.Fprintf(e.Stdout, "Backup written to %s. It opens with this vault's passphrase or recovery key.\n", *out)
	return nil
}

func runRestore(e *Env, g *globals, args []string) error {
	fs := newFlagSet("restore", e)
	from := fs.String("from", "", "backup file to restore")
	rkFile := fs.String("recovery-key-file", "", "use the recovery key in this file instead of the passphrase")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *from == "" {
		return usagef("restore: --from FILE is required")
	}
	f, err := openInput("backup file", *from)
	if err != nil {
		return err
	}
	defer f.Close()
	var c app.Credential
	if *rkFile != "" {
		rk, err := secretFromFile(*rkFile, "recovery key")
		if err != nil {
			return err
		}
		c.RecoveryKey = string(rk)
	} else {
		c.Passphrase, err = g.passphrase(e, "Passphrase of the backed-up vault: ")
		if err != nil {
			return err
		}
	}
	dir := g.vaultDir(e)
	if err := e.Vaults.Restore(f, dir, c); err != nil {
		if errors.Is(err, app.ErrNotBackup) {
			return &sentenceError{fmt.Sprintf("%s is not a Casenotes backup; nothing was restored. Choose a file written by casenotes backup.", *from)}
		}
		return err
	}
	fmt.Fprintf(e.Stdout, "Vault restored to %s.\n", dir)
	fmt.Fprintln(e.Stdout, "Its audit trail ends where the backup was made, with a \"restored\" entry: checkpoints")
	fmt.Fprintln(e.Stdout, "issued after the backup (in later exports) can no longer be proven from this vault.")
	return nil
}

// writeFileAtomic writes path through a hidden partial file beside it: write, fsync,
// rename, fsync the folder, so a crash leaves the old file or the whole new one,
// never half of one. Partial files a killed earlier write to the same path left
// behind are removed first.
func writeFileAtomic(path string, write func(*os.File) error) (err error) {
	cannot := &sentenceError{"Cannot write " + filepath.Base(path) + " there (a missing folder, no permission or a full disk); nothing was written. Choose another place."}
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".partial-"
	if stale, _ := filepath.Glob(filepath.Join(dir, prefix+"*")); len(stale) > 0 {
		for _, p := range stale {
			os.Remove(p)
		}
	}
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return cannot
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return cannot
	}
	if err := f.Close(); err != nil {
		return cannot
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return cannot
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable (not possible on Windows)
		d.Sync()
		d.Close()
	}
	return nil
}

// saveProfile stores the vault user's profile in a vault just created.
func saveProfile(s *app.Session, p app.Profile) error {
	r, err := s.Records("")
	if err != nil {
		return err
	}
	_, err = r.SaveProfile(p)
	return err
}
