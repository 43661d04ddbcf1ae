package app_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
)

// backupOf creates a vault holding n records (one containing canary) and returns its
// backup bytes and recovery key.
func backupOf(t testing.TB, v *app.Vaults, dir string, n int, canary string) ([]byte, string) {
	t.Helper()
	s, rk, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	c := app.NewID()
	err = app.Update(r, func(tx app.Tx) error {
		if err := tx.NewCase(c); err != nil {
			return err
		}
		if err := tx.Put(noteKey, []byte(canary)); err != nil {
			return err
		}
		for i := range n {
			k := app.Key{Type: app.RecNote, Case: c, Order: uint64(i), ID: app.NewID()}
			if err := tx.Put(k, bytes.Repeat([]byte(fmt.Sprintf("note %d %s ", i, canary)), 1+i%500)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Backup(&buf); err != nil {
		t.Fatalf("backup: %v", err)
	}
	return buf.Bytes(), rk.String()
}

func allRecords(t *testing.T, s *app.Session) map[app.Key]string {
	t.Helper()
	st, _ := s.Store()
	m := map[app.Key]string{}
	err := st.View(func(tx app.Tx) error {
		for _, typ := range []app.RecordType{app.RecSettings, app.RecNote} {
			if err := tx.Scan(typ, app.ID{}, func(k app.Key, v []byte) error {
				m[k] = string(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	v, _, _ := newVaults(t)
	root := t.TempDir()
	canary := "CANARY-" + app.NewID().String()
	data, rk := backupOf(t, v, filepath.Join(root, "vault"), 400, canary)
	if bytes.Contains(data, []byte(canary)) || bytes.Contains(data, []byte("note 1")) {
		t.Fatal("the backup holds plaintext")
	}
	orig, err := v.Unlock(filepath.Join(root, "vault"), []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	want := allRecords(t, orig)
	orig.Lock()
	if len(want) != 401 {
		t.Fatalf("%d records before backup", len(want))
	}
	for _, c := range []app.Credential{{Passphrase: []byte(pass1)}, {RecoveryKey: rk}} {
		dir := filepath.Join(t.TempDir(), "restored")
		if err := v.Restore(bytes.NewReader(data), dir, c); err != nil {
			t.Fatalf("restore: %v", err)
		}
		for _, open := range []func() (*app.Session, error){
			func() (*app.Session, error) { return v.Unlock(dir, []byte(pass1)) },
			func() (*app.Session, error) { return v.UnlockWithRecoveryKey(dir, rk) },
		} {
			s, err := open()
			if err != nil {
				t.Fatalf("open restored vault: %v", err)
			}
			got := allRecords(t, s)
			s.Lock()
			if len(got) != len(want) {
				t.Fatalf("restored %d records, want %d", len(got), len(want))
			}
			for k, w := range want {
				if got[k] != w {
					t.Fatalf("record %v differs after restore", k)
				}
			}
		}
	}
}

func TestRestoreRefusesDamagedBackups(t *testing.T) {
	v, _, _ := newVaults(t)
	data, _ := backupOf(t, v, filepath.Join(t.TempDir(), "vault"), 600, "canary")
	if len(data) < 2<<20 {
		t.Fatalf("backup of %d bytes: want several chunks for this test", len(data))
	}
	try := func(name string, b []byte) {
		t.Helper()
		parent := t.TempDir()
		dir := filepath.Join(parent, "restored")
		err := v.Restore(bytes.NewReader(b), dir, app.Credential{Passphrase: []byte(pass1)})
		if !errors.Is(err, app.ErrIntegrity) {
			t.Errorf("%s: %v; want ErrIntegrity", name, err)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 0 {
			t.Errorf("%s: restore left %d entries behind", name, len(entries))
		}
	}
	for _, n := range []int{0, 10, 17, 18, 100, len(data) / 3, len(data) / 2, len(data) - 1} {
		try(fmt.Sprintf("cut at %d", n), data[:n])
	}
	try("extra byte", append(bytes.Clone(data), 0))
	step := len(data) / 97
	for i := 0; i < len(data); i += step {
		b := bytes.Clone(data)
		b[i] ^= 0x20
		try(fmt.Sprintf("byte %d changed", i), b)
	}
}

func TestRestoreWithWrongPassphrase(t *testing.T) {
	v, _, _ := newVaults(t)
	data, _ := backupOf(t, v, filepath.Join(t.TempDir(), "vault"), 3, "x")
	dir := filepath.Join(t.TempDir(), "restored")
	err := v.Restore(bytes.NewReader(data), dir, app.Credential{Passphrase: []byte(pass2)})
	if !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatalf("got %v; want ErrWrongPassphrase", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("a refused restore created the vault folder")
	}
}

func TestRestoreRefusesToOverwriteAVault(t *testing.T) {
	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	data, _ := backupOf(t, v, dir, 3, "x")
	if err := v.Restore(bytes.NewReader(data), dir, app.Credential{Passphrase: []byte(pass1)}); !errors.Is(err, app.ErrVaultExists) {
		t.Fatalf("restore over a vault: %v; want ErrVaultExists", err)
	}
}

// FuzzBackupReader feeds arbitrary bytes to the backup reader: it must never panic
// and never hand out a record from a file that does not authenticate.
func FuzzBackupReader(f *testing.F) {
	dir := f.TempDir()
	vs, _, _ := newVaults(f)
	data, _ := backupOf(f, vs, filepath.Join(dir, "vault"), 5, "seed")
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte("CASENOTES-BACKUP\n\x01\x00\x00\x00\x02{}"))
	key := []byte("0123456789abcdef0123456789abcdef")
	f.Fuzz(func(t *testing.T, b []byte) {
		br, err := app.NewBackupReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		n := 0
		err = br.Records(app.NewKeyring(key), func(_, _ []byte) error { n++; return nil })
		if err == nil || n > 0 {
			t.Fatalf("a backup opened with an unrelated key: %v, %d records", err, n)
		}
		_, _ = io.Copy(io.Discard, bytes.NewReader(b))
	})
}

// TestRestoreOfAnotherFileSaysSo: a file that is not a backup at all (a note, a
// PDF) is ErrNotBackup, not "damaged data", and nothing is written.
func TestRestoreOfAnotherFileSaysSo(t *testing.T) {
	v, _, _ := newVaults(t)
	for _, b := range []string{"These are my notes.\n", "%PDF-1.7\n", "CASENOTES-CASE\n{}"} {
		parent := t.TempDir()
		err := v.Restore(strings.NewReader(b), filepath.Join(parent, "restored"), app.Credential{Passphrase: []byte(pass1)})
		if !errors.Is(err, app.ErrNotBackup) || errors.Is(err, app.ErrIntegrity) {
			t.Errorf("%q: %v; want ErrNotBackup", b, err)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 0 {
			t.Errorf("%q: restore left %d entries behind", b, len(entries))
		}
	}
}
