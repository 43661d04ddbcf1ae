package app_test

import (
	"errors"
	"testing"

	"casenotes/app"
)

// Settings checks the current passphrase of the open vault without a second unlock;
// a wrong one counts toward the lockout and shows in the trail at the next unlock.
func TestVerifyPassphraseOfTheOpenVault(t *testing.T) {
	v, dir, s, _ := auditVault(t)
	if err := s.VerifyPassphrase([]byte(pass1)); err != nil {
		t.Fatalf("the right passphrase: %v", err)
	}
	if err := s.VerifyPassphrase([]byte("not the passphrase at all")); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatalf("a wrong passphrase: %v", err)
	}
	s.Lock()
	if err := s.VerifyPassphrase([]byte(pass1)); !errors.Is(err, app.ErrLocked) {
		t.Errorf("after lock: %v", err)
	}
	s, err := v.Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	r, _ := s.Records("")
	if p, _ := r.AuditEntries(app.AuditFilter{Action: app.ActUnlockFailed}, 0, 10); p.Matching != 1 {
		t.Errorf("%d failed-unlock entries for one wrong passphrase in Settings", p.Matching)
	}
}
