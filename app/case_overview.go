package app

import "fmt"

// DeleteCase (with the reason and the tombstone it leaves) is in retention.go.

// Overview is what a case's header and overview tab show: the case, the victim's
// profile (alias first) and counts. It never holds the legal identity:
// HasIdentity says whether one is on file, from its key alone.
type Overview struct {
	Case          Case
	Victim        Victim
	HasIdentity   bool
	Notes         int // final notes
	Drafts        int
	Addenda       int
	Releases      int
	OpenReferrals int
	Events        int
}

// OpenCase reads a case's overview for a user opening the case, and records the view
// in the audit trail. Refreshing an open case reads Overview instead.
func (r *Records) OpenCase(id ID) (Overview, error) {
	o, err := r.Overview(id)
	if err != nil {
		return o, err
	}
	return o, r.logOnly(AuditEvent{Action: ActCaseOpened, Case: id})
}

// Overview reads a case's overview.
func (r *Records) Overview(id ID) (Overview, error) {
	var o Overview
	err := r.view(func(t Tx) error {
		c, err := getCase(t, id)
		if err != nil {
			return err
		}
		o.Case = *c
		if err := getJSON(t, victimKey(id), &o.Victim); err != nil {
			return err
		}
		err = t.ScanKeys(RecIdentity, id, func(Key) error { o.HasIdentity = true; return ErrStopScan })
		if err != nil {
			return err
		}
		err = scanJSON(t, RecNote, id, func(_ Key, n *Note) error {
			if n.Final() {
				o.Notes++
			} else {
				o.Drafts++
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = scanJSON(t, RecReferral, id, func(_ Key, ref *Referral) error {
			if ref.Status.Open() {
				o.OpenReferrals++
			}
			return nil
		})
		if err != nil {
			return err
		}
		count := func(typ RecordType, n *int) error {
			return t.ScanKeys(typ, id, func(Key) error { *n++; return nil })
		}
		if err := count(RecAddendum, &o.Addenda); err != nil {
			return err
		}
		if err := count(RecRelease, &o.Releases); err != nil {
			return err
		}
		return count(RecTimeline, &o.Events)
	})
	return o, err
}

// CaseSummary is one case's list entry (the case index), for refreshing a single
// row after a change without reading the whole list. Like ListCases, it never
// reads the legal identity.
func (r *Records) CaseSummary(id ID) (CaseSummary, error) {
	var s CaseSummary
	err := r.view(func(t Tx) error { return getSummary(t, id, &s) })
	return s, err
}

// finalNotesReason says why a case with final notes cannot be deleted.
func finalNotesReason(final int) string {
	if final == 1 {
		return "has a final note, which is part of the record: close the case instead of deleting it (a closed case can be deleted when its retention ends)"
	}
	return fmt.Sprintf("has %d final notes, which are part of the record: close the case instead of deleting it (a closed case can be deleted when its retention ends)", final)
}
