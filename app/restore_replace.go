package app

import (
	"fmt"
	"io"
	"path/filepath"
)

// Restoring over the vault in use (Settings in the desktop app). Vaults.Restore
// builds a vault only where none is; here the backup is restored beside the
// current vault first (verified whole before anything is written, then rebuilt and
// checked), while the current vault stays open and untouched; only then, once it
// is locked, does the restored vault take its place, and the previous one is kept
// in a folder beside it. Nothing is deleted.

// Swapper is the part of the disk that swaps a restored vault in.
type Swapper interface {
	// SwapIn moves the vault in dir to aside, then the vault in staged to dir.
	SwapIn(dir, staged, aside string) error
	// Discard removes a staged vault.
	Discard(staged string) error
}

// StagedRestore is a backup restored beside the vault it will replace.
type StagedRestore struct {
	Dir    string // the vault it replaces
	Staged string // where the restored vault is, until it is swapped in
}

// StageRestore restores the backup into a new folder beside dir, checking the
// credential against the backup's header and every record before it is moved
// there. The vault in dir is not touched.
func (v *Vaults) StageRestore(from io.ReadSeeker, dir string, c Credential) (*StagedRestore, error) {
	if _, ok := v.Disk.(Swapper); !ok {
		return nil, fmt.Errorf("%w: this disk cannot restore over a vault", ErrStore)
	}
	dir = filepath.Clean(dir)
	staged := dir + "-restored-" + NewID().String()[:8]
	if err := v.Restore(from, staged, c); err != nil {
		return nil, err
	}
	return &StagedRestore{Dir: dir, Staged: staged}, nil
}

// SwapIn puts the restored vault in place; the session on the vault it replaces
// must be locked. It returns the folder the previous vault is kept in, named for
// when it was set aside.
func (v *Vaults) SwapIn(r *StagedRestore) (aside string, err error) {
	sw, ok := v.Disk.(Swapper)
	if !ok {
		return "", fmt.Errorf("%w: this disk cannot restore over a vault", ErrStore)
	}
	aside = r.Dir + "-before-restore-" + v.Now().Local().Format("2006-01-02-150405")
	if err := sw.SwapIn(r.Dir, r.Staged, aside); err != nil {
		return "", err
	}
	return aside, nil
}

// Discard removes a restored vault that will not be swapped in.
func (v *Vaults) Discard(r *StagedRestore) error {
	if sw, ok := v.Disk.(Swapper); ok {
		return sw.Discard(r.Staged)
	}
	return nil
}
