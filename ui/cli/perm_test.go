package cli_test

import (
	"io/fs"
	"path/filepath"
	"runtime"
	"testing"
)

// TestVaultFilesAreOwnerOnly: every file of a vault the real binary writes (the
// header, Badger's tables and logs) is readable by its owner only, whatever umask
// the user's session has.
func TestVaultFilesAreOwnerOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes; the vault folder's ACL is the user's")
	}
	dir, passFile, _ := initVault(t)
	if r := run(t, "seed", "--vault", dir, "--passphrase-file", passFile, "--cases", "3", "--notes-per-case", "2"); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n++
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %#o: others can read it", p, fi.Mode().Perm())
		}
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}
