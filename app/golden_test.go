package app_test

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// Golden vaults: one vault per released format, committed under testdata/vaults and
// opened by every test run, so a format change must migrate them. Regenerate only
// when adding a new format version (never overwrite an old one):
//
//	go test -tags casenotes_testkdf ./app -run TestGoldenVault -update-golden
var updateGolden = flag.Bool("update-golden", false, "write the golden vault of the current format")

const (
	goldenPassphrase = "golden vault passphrase for tests only"
	goldenRecovery   = "testdata/vaults/v1/RECOVERY-KEY.txt"
)

var goldenDir = filepath.Join("..", "testdata", "vaults", "v1")

// goldenRecords are the vault-level records every golden vault holds, with text in
// several scripts so encoding changes show.
var goldenRecords = map[app.Key]string{
	{Type: app.RecTestRecords, Order: 1, ID: app.ID{1}}: "Golden record one: plain ASCII.",
	{Type: app.RecTestRecords, Order: 2, ID: app.ID{2}}: "Niña de 15 años; necesita intérprete.",
	{Type: app.RecTestRecords, Order: 3, ID: app.ID{3}}: "Em cần phiên dịch tiếng Việt.",
}

func TestGoldenVault(t *testing.T) {
	if *updateGolden {
		writeGolden(t)
	}
	// Open a copy: opening writes to the store, and testdata must stay as released.
	dir := filepath.Join(t.TempDir(), "vault")
	if err := os.CopyFS(dir, os.DirFS(goldenDir)); err != nil {
		t.Fatalf("copy golden vault: %v", err)
	}
	v := app.NewVaults(&storage.Disk{})
	s, err := v.Unlock(dir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatalf("the v1 golden vault no longer opens: %v", err)
	}
	st, _ := s.Store()
	err = st.View(func(tx app.Tx) error {
		for k, want := range goldenRecords {
			got, err := tx.Get(k)
			if err != nil {
				return err
			}
			if string(got) != want {
				t.Errorf("golden record %d reads %q, want %q", k.Order, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("golden records: %v", err)
	}
	s.Lock()
	rk, err := os.ReadFile(filepath.Join("..", goldenRecovery))
	if err != nil {
		t.Fatal(err)
	}
	s, err = v.UnlockWithRecoveryKey(dir, string(rk))
	if err != nil {
		t.Fatalf("the golden recovery key no longer opens the vault: %v", err)
	}
	s.Lock()
}

func writeGolden(t *testing.T) {
	if err := os.RemoveAll(goldenDir); err != nil {
		t.Fatal(err)
	}
	v := app.NewVaults(&storage.Disk{})
	v.Now = func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }
	s, rk, err := v.Create(goldenDir, []byte(goldenPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := s.Store()
	err = st.Update(func(tx app.Tx) error {
		for k, val := range goldenRecords {
			if err := tx.Put(k, []byte(val)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(goldenDir, "db", "LOCK"))
	if err := os.WriteFile(filepath.Join("..", goldenRecovery), []byte(rk.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(goldenDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, _ := d.Info()
			t.Logf("%s %d bytes", p, info.Size())
		}
		return nil
	})
}
