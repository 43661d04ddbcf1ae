package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"casenotes/app"
)

// A rekey builds a whole new store under new keys beside the old one (db.rekey),
// then switches: the new header is written beside the old (vault.json.rekey), and
// renames move the old store aside, the new one in, and the new header over the old.
// FinishRekey completes a switch a crash interrupted, from whichever step it
// reached, before a header is read.
const (
	RekeyDir    = "db.rekey"
	RekeyHeader = "vault.json.rekey"
	OldDir      = "db.old"
)

// OpenRekeyStore opens the store being built by a rekey; fresh starts it over.
func (d *Disk) OpenRekeyStore(dir string, keys app.StoreKeys, fresh bool) (app.Store, error) {
	db := filepath.Join(dir, RekeyDir)
	if fresh {
		if err := os.RemoveAll(db); err != nil {
			return nil, fmt.Errorf("%w: clearing an earlier key change: %v", app.ErrStore, pathless(err))
		}
	}
	if err := os.MkdirAll(db, 0o700); err != nil {
		return nil, fmt.Errorf("%w: creating the new store: %v", app.ErrStore, pathless(err))
	}
	return Open(db, keys, d.Options)
}

// AbandonRekey removes a rekey's unfinished store.
func (d *Disk) AbandonRekey(dir string) error {
	if err := os.RemoveAll(filepath.Join(dir, RekeyDir)); err != nil {
		return fmt.Errorf("%w: removing an unfinished key change: %v", app.ErrStore, pathless(err))
	}
	return nil
}

// CommitRekey switches the vault to the store a rekey built and its header. The old
// store's folder must be closed.
func (d *Disk) CommitRekey(dir string, header []byte) error {
	if err := d.writeAtomic(dir, RekeyHeader, header); err != nil {
		return err
	}
	return d.FinishRekey(dir)
}

// FinishRekey completes a switch that a crash interrupted, or does nothing. Each
// step is a rename (or a removal of what is no longer used), so every state it can
// find is one of these, in order:
//
//	vault.json.rekey, db.rekey, db   -> move db aside
//	vault.json.rekey, db.rekey, db.old -> move db.rekey in
//	vault.json.rekey, db, db.old     -> move the new header in, refresh the spare
//	db.old                           -> remove it
func (d *Disk) FinishRekey(dir string) error {
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return err == nil
	}
	fail := func(what string, err error) error {
		return fmt.Errorf("%w: finishing a key change (%s): %v", app.ErrStore, what, pathless(err))
	}
	step := func(s string) error {
		if d.Fault != nil {
			return d.Fault("rekey:" + s)
		}
		return nil
	}
	if exists(RekeyHeader) {
		if exists(RekeyDir) && exists(DBDir) {
			if err := step("old-aside"); err != nil {
				return fail("moving the old store aside", err)
			}
			if err := os.Rename(filepath.Join(dir, DBDir), filepath.Join(dir, OldDir)); err != nil {
				return fail("moving the old store aside", err)
			}
			_ = syncDir(dir)
		}
		if exists(RekeyDir) && !exists(DBDir) {
			if err := step("new-in"); err != nil {
				return fail("moving the new store in", err)
			}
			if err := os.Rename(filepath.Join(dir, RekeyDir), filepath.Join(dir, DBDir)); err != nil {
				return fail("moving the new store in", err)
			}
			_ = syncDir(dir)
		}
		b, err := readSmall(filepath.Join(dir, RekeyHeader), 1<<20)
		if err != nil {
			return fail("reading the new header", err)
		}
		if err := step("header-in"); err != nil {
			return fail("moving the new header in", err)
		}
		if err := d.writeAtomic(dir, SpareFile, b); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(dir, RekeyHeader), filepath.Join(dir, HeaderFile)); err != nil {
			return fail("moving the new header in", err)
		}
		_ = syncDir(dir)
	}
	if exists(OldDir) {
		if err := step("old-removed"); err != nil {
			return fail("removing the old store", err)
		}
		if err := os.RemoveAll(filepath.Join(dir, OldDir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fail("removing the old store", err)
		}
	}
	return nil
}
