package storage

import (
	"fmt"
	"os"
	"path/filepath"

	"casenotes/app"
)

// SwapIn puts the complete vault in staged (built beside dir by a restore) in
// place of the vault in dir, which must be locked. The vault in dir is not
// deleted: it is moved to aside, a new folder beside it, first. Both moves are
// renames within one parent folder, each atomic; a crash between them leaves no
// vault at dir but both whole, at aside and staged (named for what they are), and
// nothing lost. If the second move fails, the first is undone.
func (d *Disk) SwapIn(dir, staged, aside string) error {
	dir, staged, aside = filepath.Clean(dir), filepath.Clean(staged), filepath.Clean(aside)
	parent := filepath.Dir(dir)
	if filepath.Dir(staged) != parent || filepath.Dir(aside) != parent {
		return fmt.Errorf("%w: a restored vault must be built beside the vault it replaces", app.ErrStore)
	}
	if _, err := os.Stat(filepath.Join(staged, HeaderFile)); err != nil {
		return fmt.Errorf("%w: the restored vault is not complete", app.ErrStore)
	}
	if _, err := os.Lstat(aside); err == nil {
		return fmt.Errorf("%w: a folder for the previous vault already exists", app.ErrStore)
	}
	if err := os.Rename(dir, aside); err != nil {
		return fmt.Errorf("%w: moving the previous vault aside: %v", app.ErrStore, pathless(err))
	}
	if err := os.Rename(staged, dir); err != nil {
		if back := os.Rename(aside, dir); back != nil {
			return fmt.Errorf("%w: the previous vault is in the folder beside it, and the restored one too: %v", app.ErrStore, pathless(err))
		}
		return fmt.Errorf("%w: moving the restored vault into place: %v", app.ErrStore, pathless(err))
	}
	return syncDir(parent)
}

// Discard removes a staged vault that will not be swapped in.
func (d *Disk) Discard(staged string) error {
	return os.RemoveAll(staged)
}
