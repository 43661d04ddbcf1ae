package app_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// rekeyVault is a vault with two full cases, a profile and a fixed clock.
func rekeyVault(t *testing.T, disk *storage.Disk) (*app.Vaults, string, string) {
	t.Helper()
	v := app.NewVaults(disk)
	v.Now = func() time.Time { return fullGoldenNow }
	dir := filepath.Join(t.TempDir(), "vault")
	s, rk, err := v.Create(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Records("Det. Alvarez")
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Det. Alvarez", Role: app.RoleDetective}); err != nil {
		t.Fatal(err)
	}
	fullCase(t, r, "2026-TF-0412")
	fullCase(t, r, "2026-TF-0413")
	s.Lock()
	return v, dir, rk.String()
}

func readBackWith(t *testing.T, v *app.Vaults, dir, pass string) []byte {
	t.Helper()
	s, err := v.Unlock(dir, []byte(pass))
	if err != nil {
		t.Fatalf("unlock: %v", err)
	}
	defer s.Lock()
	if rep, err := s.Check(nil); err != nil || !rep.OK() {
		t.Fatalf("check: %v %v", err, rep.Problems)
	}
	return readBack(t, s)
}

func rekey(t *testing.T, v *app.Vaults, dir, oldPass, newPass string) (string, error) {
	t.Helper()
	s, err := v.Unlock(dir, []byte(oldPass))
	if err != nil {
		t.Fatalf("unlock before the rekey: %v", err)
	}
	rk, err := s.Rekey([]byte(newPass), nil)
	s.Lock()
	return rk.String(), err
}

// A rekey keeps every record (and the fingerprints partners hold) and revokes the
// old passphrase, the old recovery key and an old header copy.
func TestRekeyChangesEveryKey(t *testing.T) {
	v, dir, oldRK := rekeyVault(t, &storage.Disk{})
	before := readBackWith(t, v, dir, pass1)
	oldHeader, _ := os.ReadFile(filepath.Join(dir, "vault.json"))
	s, _ := v.Unlock(dir, []byte(pass1))
	var backup bytes.Buffer
	if err := s.Backup(&backup); err != nil {
		t.Fatal(err)
	}
	s.Lock()

	newRK, err := rekey(t, v, dir, pass1, pass2)
	if err != nil {
		t.Fatalf("rekey: %v", err)
	}
	if got := readBackWith(t, v, dir, pass2); !bytes.Equal(got, before) {
		t.Fatal("the vault reads back differently after the rekey")
	}
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatalf("the old passphrase after a rekey: %v", err)
	}
	if _, err := v.UnlockWithRecoveryKey(dir, oldRK); !errors.Is(err, app.ErrWrongRecoveryKey) {
		t.Fatalf("the old recovery key after a rekey: %v", err)
	}
	s, err = v.UnlockWithRecoveryKey(dir, newRK)
	if err != nil {
		t.Fatalf("the new recovery key: %v", err)
	}
	s.Lock()
	for _, leftover := range []string{"db.old", "db.rekey", "vault.json.rekey"} {
		if _, err := os.Stat(filepath.Join(dir, leftover)); err == nil {
			t.Errorf("%s is left after the rekey", leftover)
		}
	}

	// An old header put back opens nothing with the old passphrase: its key does
	// not open the new store.
	current, _ := os.ReadFile(filepath.Join(dir, "vault.json"))
	for _, f := range []string{"vault.json", "vault.json.spare"} {
		os.WriteFile(filepath.Join(dir, f), oldHeader, 0o600)
	}
	if _, err := v.Unlock(dir, []byte(pass1)); !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("an old header after a rekey: %v; want ErrIntegrity", err)
	}
	for _, f := range []string{"vault.json", "vault.json.spare"} {
		os.WriteFile(filepath.Join(dir, f), current, 0o600)
	}

	// The old backup restores as what it was, a vault of its own.
	old := filepath.Join(t.TempDir(), "restored")
	if err := v.Restore(bytes.NewReader(backup.Bytes()), old, app.Credential{Passphrase: []byte(pass1)}); err != nil {
		t.Fatalf("restore the old backup: %v", err)
	}
	if got := readBackWith(t, v, old, pass1); !bytes.Equal(got, before) {
		t.Fatal("the old backup no longer restores as it was")
	}
}

// A rekey stopped in the middle of its copy resumes from where it stopped; one
// stopped and then followed by a new write starts over, so nothing is lost.
func TestRekeyResumesAfterAnInterruption(t *testing.T) {
	v, dir, _ := rekeyVault(t, &storage.Disk{})
	stop := errors.New("interrupted")
	restore := app.SetRekeyHook(func(batch int) error {
		if batch == 3 {
			return stop
		}
		return nil
	})
	if _, err := rekey(t, v, dir, pass1, pass2); !errors.Is(err, stop) {
		t.Fatalf("interrupted rekey: %v", err)
	}
	restore()
	before := readBackWith(t, v, dir, pass1) // the switch did not happen: the old key still opens
	batches := 0
	defer app.SetRekeyHook(func(int) error { batches++; return nil })()
	if _, err := rekey(t, v, dir, pass1, pass2); err != nil {
		t.Fatalf("resumed rekey: %v", err)
	}
	if got := readBackWith(t, v, dir, pass2); !bytes.Equal(got, before) {
		t.Fatal("the vault reads back differently after a resumed rekey")
	}
	t.Logf("resumed after 3 batches with %d more", batches)

	// Interrupted, then written to: the copy starts over and keeps the new note.
	app.SetRekeyHook(func(batch int) error {
		if batch == 2 {
			return stop
		}
		return nil
	})
	rekey(t, v, dir, pass2, pass1)
	s, _ := v.Unlock(dir, []byte(pass2))
	r, _ := s.Records("")
	c, _ := r.CaseByNumber("2026-TF-0412")
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Written between the two tries."}); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	before = readBackWith(t, v, dir, pass2)
	app.SetRekeyHook(nil)
	if _, err := rekey(t, v, dir, pass2, pass1); err != nil {
		t.Fatal(err)
	}
	if got := readBackWith(t, v, dir, pass1); !bytes.Equal(got, before) {
		t.Fatal("a note written between an interrupted rekey and its retry was lost")
	}
}

// The switch to the new store survives a crash at every step: the vault opens with
// the new passphrase afterwards (the switch completes), or, before the new header
// was written, with the old one (nothing switched).
func TestRekeySwitchSurvivesAFailureAtEveryStep(t *testing.T) {
	steps := []string{"vault.json.rekey:create", "vault.json.rekey:rename",
		"rekey:old-aside", "rekey:new-in", "rekey:header-in", "rekey:old-removed"}
	for _, step := range steps {
		t.Run(step, func(t *testing.T) {
			disk := &storage.Disk{}
			v, dir, _ := rekeyVault(t, disk)
			before := readBackWith(t, v, dir, pass1)
			boom := errors.New("power cut")
			disk.Fault = func(s string) error {
				if s == step {
					return boom
				}
				return nil
			}
			_, err := rekey(t, v, dir, pass1, pass2)
			disk.Fault = nil
			if err == nil {
				t.Fatalf("rekey with a failure at %s reported success", step)
			}
			pass := pass2
			if step == "vault.json.rekey:create" || step == "vault.json.rekey:rename" {
				pass = pass1 // the new header was never written
			}
			if got := readBackWith(t, v, dir, pass); !bytes.Equal(got, before) {
				t.Fatal("the vault reads back differently")
			}
			for _, leftover := range []string{"db.old", "vault.json.rekey"} {
				if _, err := os.Stat(filepath.Join(dir, leftover)); err == nil {
					t.Errorf("%s is left", leftover)
				}
			}
		})
	}
}
