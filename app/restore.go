package app

import (
	"fmt"
	"io"
)

// Stager is the part of the disk that builds a vault beside its final place and
// moves it in only when complete, so a failed restore leaves nothing behind.
type Stager interface {
	// Stage returns an empty folder beside dir, a commit that moves it to dir (which
	// must not hold a vault) and an abort that removes it.
	Stage(dir string) (tmp string, commit func() error, abort func(), err error)
}

// Restore rebuilds a vault in dir from a backup. The credential (passphrase or
// recovery key) is checked against the backup's own header, the whole file is
// verified before anything is written, and the new vault opens with the same
// passphrase or recovery key as the one backed up.
func (v *Vaults) Restore(from io.ReadSeeker, dir string, c Credential) error {
	stager, ok := v.Disk.(Stager)
	if !ok {
		return fmt.Errorf("%w: this disk cannot restore", ErrStore)
	}
	br, err := NewBackupReader(from)
	if err != nil {
		return err
	}
	keys, err := keyFromHeader(br.Header, c)
	if err != nil {
		return err
	}
	defer keys.zero()
	// Pass 1: check every chunk, write nothing.
	if err := br.Records(keys, func(_, _ []byte) error { return nil }); err != nil {
		return err
	}
	if _, err := from.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("%w: rereading the backup: %v", ErrStore, err)
	}
	br, err = NewBackupReader(from)
	if err != nil {
		return err
	}
	// Pass 2: build the vault beside dir and move it in.
	tmp, commit, abort, err := stager.Stage(dir)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			abort()
		}
	}()
	hb, err := br.Header.Marshal()
	if err != nil {
		return err
	}
	if err := v.Disk.WriteHeader(tmp, hb); err != nil {
		return err
	}
	sk, err := keys.storeKeys()
	if err != nil {
		return err
	}
	st, err := v.Disk.OpenStore(tmp, sk, true)
	sk.Zero()
	if err != nil {
		return err
	}
	err = st.Restore(func(put func(k, s []byte) error) error {
		return br.Records(keys, put)
	})
	if err == nil {
		err = checkRestored(st, br.Header)
	}
	if err == nil {
		// The restored vault's audit trail says so. Whatever was logged after the
		// backup is not in it: checkpoints issued since cannot be proven from it.
		p := newCommitPath(st)
		p.now = v.Now
		err = p.update(func(c *Change) error {
			logEvent(c, AuditEvent{Action: ActRestored})
			return nil
		})
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := commit(); err != nil {
		return err
	}
	done = true
	return nil
}

// checkRestored checks a restored store before it is moved into place: every record
// opens, every digest holds, and the store is not behind the anchor its backup's
// header carries.
func checkRestored(st Store, h *Header) error {
	var rep CheckReport
	var counter uint64
	var sum [32]byte
	var found bool
	err := st.View(func(t Tx) (err error) {
		rep, counter, sum, found, err = checkStore(t, nil, nil)
		return err
	})
	if err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		return fmt.Errorf("the backup holds a damaged vault, so nothing was restored: %w", err)
	}
	return checkAnchor(h, counter, sum, found)
}
