package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"casenotes/app"
)

// Files in a vault directory.
const (
	HeaderFile   = "vault.json"
	SpareFile    = "vault.json.spare"
	FailuresFile = "unlock-failures.json"
	// FailuresLockFile serializes reading and writing FailuresFile.
	FailuresLockFile = "unlock-failures.lock"
	DBDir            = "db"
)

// Disk implements app.VaultDisk on the local file system.
type Disk struct {
	// Options are passed to every store opened.
	Options Options
	// Fault, when set, is called before each step of a header write and may fail
	// it. Tests use it to prove that an interruption at any step leaves a working
	// header; production leaves it nil.
	Fault func(step string) error
}

var (
	_ app.VaultDisk = (*Disk)(nil)
	_ app.RekeyDisk = (*Disk)(nil)
	_ app.Stager    = (*Disk)(nil)
)

// Create makes an empty vault directory (0700).
func (d *Disk) Create(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, HeaderFile)); err == nil {
		return app.ErrVaultExists
	}
	if _, err := os.Stat(filepath.Join(dir, DBDir)); err == nil {
		return app.ErrVaultExists
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%w: creating the vault folder: %v", app.ErrStore, pathless(err))
	}
	// A folder the user made beforehand may be open to others: a vault's is not.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("%w: protecting the vault folder: %v", app.ErrStore, pathless(err))
	}
	return nil
}

// ReadHeaders returns the header and its spare copy; a missing or unreadable copy
// is nil.
func (d *Disk) ReadHeaders(dir string) (main, spare []byte, err error) {
	main, _ = readSmall(filepath.Join(dir, HeaderFile), 1<<20)
	spare, _ = readSmall(filepath.Join(dir, SpareFile), 1<<20)
	if main == nil && spare == nil {
		return nil, nil, app.ErrNoVault
	}
	return main, spare, nil
}

// WriteHeader replaces the header atomically and then the spare copy.
func (d *Disk) WriteHeader(dir string, header []byte) error {
	if err := d.writeAtomic(dir, HeaderFile, header); err != nil {
		return err
	}
	return d.writeAtomic(dir, SpareFile, header)
}

// ReadFailures reads the failed-unlock record; a missing file is no failures.
func (d *Disk) ReadFailures(dir string) ([]byte, error) {
	b, err := readSmall(filepath.Join(dir, FailuresFile), 64<<10)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// LockFailures holds an exclusive lock on the failed-unlock record (a lock file
// beside it, locked by the operating system, so a crashed process never leaves it
// held).
func (d *Disk) LockFailures(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, FailuresLockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { unlockFile(f); f.Close() }, nil
}

// WriteFailures replaces the failed-unlock record; nil removes it.
func (d *Disk) WriteFailures(dir string, data []byte) error {
	if data == nil {
		err := os.Remove(filepath.Join(dir, FailuresFile))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return d.writeAtomic(dir, FailuresFile, data)
}

// OpenStore opens the Badger store in dir/db with the store's two keys. Only create
// makes the store folder: a vault whose store has gone is damaged, not empty.
func (d *Disk) OpenStore(dir string, keys app.StoreKeys, create bool) (app.Store, error) {
	if _, err := os.Stat(filepath.Join(dir, HeaderFile)); err != nil {
		if _, err2 := os.Stat(filepath.Join(dir, SpareFile)); err2 != nil {
			return nil, app.ErrNoVault
		}
	}
	db := filepath.Join(dir, DBDir)
	_ = os.Chmod(dir, 0o700) // tighten a folder loosened since (best effort)
	if create {
		if err := os.MkdirAll(db, 0o700); err != nil {
			return nil, fmt.Errorf("%w: creating the store folder: %v", app.ErrStore, pathless(err))
		}
	} else if st, err := os.Stat(filepath.Join(db, "MANIFEST")); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("the vault's store is missing: %w", app.ErrIntegrity)
	}
	return Open(db, keys, d.Options)
}

// writeAtomic writes name in dir through a temp file: write, fsync, rename, fsync
// the directory. A crash at any point leaves either the old or the new file.
func (d *Disk) writeAtomic(dir, name string, data []byte) (err error) {
	step := func(s string) error {
		if d.Fault != nil {
			return d.Fault(name + ":" + s)
		}
		return nil
	}
	fail := func(e error) error { return fmt.Errorf("%w: saving %s: %v", app.ErrStore, name, pathless(e)) }
	if err := step("create"); err != nil {
		return fail(err)
	}
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fail(err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := step("write"); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := step("fsync"); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := step("rename"); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fail(err)
	}
	if err := step("fsync-dir"); err != nil {
		return fail(err)
	}
	return syncDir(dir)
}

// syncDir makes a rename durable. Windows cannot open directories for sync, and
// renames there are durable on NTFS once they return.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer f.Close()
	_ = f.Sync()
	return nil
}

// readSmall reads a file that must not be larger than limit.
func readSmall(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s is too large: %w", filepath.Base(path), app.ErrIntegrity)
	}
	b := make([]byte, st.Size())
	if _, err := f.ReadAt(b, 0); err != nil && st.Size() > 0 {
		return nil, err
	}
	return b, nil
}

// pathless strips the path from an OS error: paths can name a case folder a user
// chose, and error strings must not carry user text.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return err
}

// Stage makes an empty folder beside dir for building a vault, a commit that moves
// it to dir and an abort that removes it.
func (d *Disk) Stage(dir string) (string, func() error, func(), error) {
	if _, err := os.Stat(filepath.Join(dir, HeaderFile)); err == nil {
		return "", nil, nil, app.ErrVaultExists
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return "", nil, nil, app.ErrVaultExists
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", nil, nil, fmt.Errorf("%w: creating the folder: %v", app.ErrStore, pathless(err))
	}
	tmp, err := os.MkdirTemp(parent, ".casenotes-restore-*")
	if err != nil {
		return "", nil, nil, fmt.Errorf("%w: creating the folder: %v", app.ErrStore, pathless(err))
	}
	commit := func() error {
		_ = os.Remove(dir) // an empty folder the user made for the restore
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("%w: moving the restored vault into place: %v", app.ErrStore, pathless(err))
		}
		return syncDir(parent)
	}
	abort := func() { os.RemoveAll(tmp) }
	return tmp, commit, abort, nil
}
