package app_test

import (
	"encoding/json"
	"testing"

	"casenotes/app"
)

// storedCheckpoints reads the signed checkpoints kept in the vault, by tree size.
func storedCheckpoints(t *testing.T, s *app.Session) map[uint64][]byte {
	t.Helper()
	st, err := s.Store()
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64][]byte{}
	err = st.View(func(tx app.Tx) error {
		return tx.Scan(app.RecCheckpoint, app.ID{}, func(k app.Key, v []byte) error {
			var cp struct {
				Note string `json:"note"`
			}
			if err := json.Unmarshal(v, &cp); err != nil {
				return err
			}
			out[k.Order] = []byte(cp.Note)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A long session that neither locks nor exports still leaves a signed checkpoint
// each time the log passes a multiple of 1,000 entries (a batch of 100 entries may
// carry it past by up to 99), each signed with the user's key and consistent with
// the next.
func TestCheckpointEveryThousandEntries(t *testing.T) {
	_, _, s, _ := auditVault(t)
	defer s.Lock()
	if got := storedCheckpoints(t, s); len(got) != 0 {
		t.Fatalf("checkpoints before 1,000 entries: %d", len(got))
	}
	if err := app.LogEvents(s, 2500, 100, app.AuditEvent{Action: app.ActCaseOpened}); err != nil {
		t.Fatal(err)
	}
	keys, err := s.UserKeys()
	if err != nil {
		t.Fatal(err)
	}
	cps := storedCheckpoints(t, s)
	var sizes []uint64
	opened := map[uint64]*app.Checkpoint{}
	for size, signed := range cps {
		cp, err := app.OpenCheckpoint(signed, keys.SigningPublic(), app.CheckpointOrigin(s.VaultID()))
		if err != nil {
			t.Fatalf("checkpoint at %d does not verify: %v", size, err)
		}
		if cp.Size != size {
			t.Fatalf("checkpoint kept at %d says size %d", size, cp.Size)
		}
		opened[size] = cp
		sizes = append(sizes, size)
	}
	for _, mark := range []uint64{1000, 2000} {
		found := false
		for _, size := range sizes {
			if size >= mark && size < mark+100 {
				found = true
			}
		}
		if !found {
			t.Errorf("no checkpoint as the log passed %d entries (kept: %v)", mark, sizes)
		}
	}
	if len(sizes) != 2 {
		t.Errorf("%d checkpoints for 2,500 entries; want 2 (kept: %v)", len(sizes), sizes)
	}
	// Today's log is consistent with each of them.
	for size, cp := range opened {
		from, to, hashes, err := s.ProveConsistency(cp.Note)
		if err != nil || app.VerifyConsistency(from, to, hashes) != nil {
			t.Errorf("today's log is not consistent with the checkpoint at %d: %v", size, err)
		}
	}
	rep, err := s.VerifyAudit()
	if err != nil || !rep.OK() {
		t.Fatalf("verification after 2,500 entries: %v %q", err, rep.Problem)
	}
}
