package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"casenotes/crypto"
)

// CheckReport is what a full check of the vault found (`casenotes check`, and
// Settings in the app): like `restic check`, every record is opened and every digest
// recomputed.
type CheckReport struct {
	Records  int            // records read
	Cases    int            // cases found
	Problems []CheckProblem // empty when the vault is sound
}

// OK reports whether the check found nothing wrong.
func (r CheckReport) OK() bool { return len(r.Problems) == 0 }

// CheckProblem is one damaged case, or damage outside any case. It names the case by
// its number where the case index still has it, never by anything else a user typed.
type CheckProblem struct {
	Case   ID     // zero for damage outside any case
	Number string // the case number, when known
	What   string // what is wrong, as the end of a sentence
}

// String is the problem as one line for people.
func (p CheckProblem) String() string {
	switch {
	case p.Case.IsZero():
		return "Vault records: " + p.What + "."
	case p.Number != "":
		return fmt.Sprintf("Case %s: %s.", p.Number, p.What)
	default:
		return fmt.Sprintf("A case (id %s) whose number is lost: %s.", p.Case, p.What)
	}
}

// Err is nil for a sound vault, else an ErrIntegrity naming how many problems.
func (r CheckReport) Err() error {
	if r.OK() {
		return nil
	}
	return fmt.Errorf("%d problem(s) found: %w", len(r.Problems), ErrIntegrity)
}

// Check opens every record of the vault and recomputes every digest. progress, when
// set, is called every few thousand records with how many were read.
func (s *Session) Check(progress func(records int)) (CheckReport, error) {
	var rep CheckReport
	var counter uint64
	var sum [32]byte
	var found bool
	err := s.path.view(func(t Tx) error {
		var err error
		rep, counter, sum, found, err = checkStore(t, progress, nil)
		return err
	})
	if err != nil {
		return rep, err
	}
	s.hmu.Lock()
	p := anchorProblem(s.header, counter, sum, found)
	s.hmu.Unlock()
	if p != "" {
		rep.Problems = append(rep.Problems, CheckProblem{What: p})
	}
	if !rep.OK() {
		// An integrity failure found is itself an event of the log.
		_ = s.logSession(AuditEvent{Action: ActIntegrityFailure, Outcome: OutcomeFailed, Reason: "records"})
	}
	return rep, nil
}

// checkStore walks the store once. It returns the report and the vault state read
// from the store (counter and digest sum) for the anchor check. each, when set, also
// gets every record as stored (a backup writes them as the check reads them).
func checkStore(t Tx, progress func(int), each func(k Key, sealed []byte) error) (rep CheckReport, counter uint64, sum [32]byte, found bool, err error) {
	var global crypto.LtHash
	computed := map[ID]*crypto.LtHash{}
	stored := map[ID][]byte{}
	numbers := map[ID]string{}
	damaged := map[ID]string{}
	var storedGlobal *vaultState
	note := func(c ID, what string) {
		if _, seen := damaged[c]; !seen {
			damaged[c] = what
		}
	}
	err = t.Walk(nil, func(k Key, sealed, value []byte, rerr error) error {
		rep.Records++
		if each != nil && sealed != nil {
			if err := each(k, sealed); err != nil {
				return err
			}
		}
		if progress != nil && rep.Records%5000 == 0 {
			progress(rep.Records)
		}
		if rerr != nil {
			if !errors.Is(rerr, ErrIntegrity) && !errors.Is(rerr, ErrNotFound) {
				return rerr // the store failed, which is not damage
			}
			note(k.Case, "a record is damaged and cannot be read")
			return nil
		}
		switch k.Type {
		case RecCaseState:
			var cs caseState
			if json.Unmarshal(value, &cs) != nil {
				note(k.Case, "its digest is unreadable")
				return nil
			}
			stored[k.Case] = cs.Digest
			return nil
		case RecVaultState:
			storedGlobal = new(vaultState)
			if json.Unmarshal(value, storedGlobal) != nil {
				note(ID{}, "the vault digest is unreadable")
			}
			return nil
		case RecRekey, RecShred, RecAudit, RecLegacyAudit, RecAuditState, RecLegacyAuditState, RecCheckpoint, RecLegacyCheckpoint:
			return nil // outside the digests: a key change's or a shred's working record, the audit log
		case RecCaseIndex:
			var s CaseSummary
			if json.Unmarshal(value, &s) == nil {
				numbers[k.ID] = s.Number
			}
		}
		e := sealedElement(k, sealed)
		if k.Case.IsZero() {
			global.Add(e)
			return nil
		}
		addToCase(e, &global, computed, k.Case)
		return nil
	})
	if err != nil {
		return rep, 0, sum, false, err
	}
	if progress != nil {
		progress(rep.Records)
	}
	rep.Cases = len(computed)
	caseDamage := false
	for id, h := range computed {
		d, ok := stored[id]
		switch {
		case !ok:
			note(id, "its digest is missing")
		default:
			if sh, err := crypto.ParseLtHash(d); err != nil || !sh.Equal(h) {
				note(id, "records are missing, added or replaced by older versions")
			}
		}
	}
	for id := range stored {
		if computed[id] == nil {
			note(id, "its records are missing")
		}
	}
	for id := range numbers {
		if computed[id] == nil && stored[id] == nil {
			note(id, "its records are missing")
		}
	}
	for id := range damaged {
		if !id.IsZero() {
			caseDamage = true
		}
	}
	if storedGlobal != nil {
		sh, err := crypto.ParseLtHash(storedGlobal.Digest)
		if err == nil && !sh.Equal(&global) && !caseDamage {
			note(ID{}, "records outside the cases are missing, added or replaced by older versions")
		}
		if err == nil {
			counter, sum, found = storedGlobal.Counter, sh.Sum(), true
		}
	} else if len(stored) > 0 {
		note(ID{}, "the vault digest is missing")
	}
	if len(damaged) == 0 {
		// The dashboard's totals are derived: they must match a fresh count.
		kept, err := readTotals(t)
		if err != nil {
			return rep, 0, sum, false, err
		}
		fresh, err := countTotals(t)
		if err != nil {
			return rep, 0, sum, false, err
		}
		if !kept.equal(fresh) {
			note(ID{}, "the dashboard's totals do not match the cases")
		}
	}
	for id, what := range damaged {
		rep.Problems = append(rep.Problems, CheckProblem{Case: id, Number: numbers[id], What: what})
	}
	sort.Slice(rep.Problems, func(i, j int) bool {
		a, b := rep.Problems[i], rep.Problems[j]
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		return a.Case.String() < b.Case.String()
	})
	return rep, counter, sum, found, nil
}
