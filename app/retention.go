package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Retention, legal hold and deletion. Deleting a case destroys its data key
// (crypto-shredding): nothing of it can be read again. So deleting asks for a reason
// and leaves a tombstone in the vault: the case number, the dates, who deleted it,
// when and why, whether it had been shared (exported to a prosecutor, court or
// partner, from the case's export log), its legal holds, and the digest of its records
// at the moment they went. Tombstones are written once and chained by hash, so none
// can be altered or dropped from the middle unnoticed. A legal hold blocks deletion
// until lifted. An agency retention period only proposes closed cases for review;
// nothing is ever deleted on its own.

// ErrLegalHold: the case is on legal hold, which blocks deletion until lifted.
var ErrLegalHold = errors.New("the case is on legal hold")

// SharedExport is one time the case left the vault for another agency.
type SharedExport struct {
	At        time.Time `json:"at"`
	Profile   string    `json:"profile"`
	Recipient string    `json:"recipient"`
	SHA256    string    `json:"sha256"`
}

// Tombstone is what remains of a deleted case.
type Tombstone struct {
	Case      ID         `json:"case"`
	Number    string     `json:"number"`
	Status    CaseStatus `json:"status"`
	Opened    time.Time  `json:"opened"`
	Closed    time.Time  `json:"closed,omitzero"`
	Deleted   time.Time  `json:"deleted"`
	DeletedBy string     `json:"deleted_by"`
	Reason    string     `json:"reason"`
	// Shared lists the exports to other agencies: their copies are not deleted with
	// the case, and whoever deletes it has been told so.
	Shared []SharedExport `json:"shared,omitempty"`
	Holds  []LegalHold    `json:"legal_holds,omitempty"`
	// FinalNotes counts the final notes destroyed with the case.
	FinalNotes int `json:"final_notes"`
	// CaseDigest is the SHA3-256 of the case's record digest (state.go) just before
	// deletion: proof of exactly what was destroyed, against a backup.
	CaseDigest string `json:"case_digest,omitempty"`
	// Prev is the Seal of the tombstone before this one ("" for the first); Seal is
	// the SHA-256 of this tombstone with Seal empty.
	Prev string `json:"prev"`
	Seal string `json:"seal"`
}

func tombstoneKey(at time.Time, c ID) Key {
	return Key{Type: RecTombstone, Order: nextOrder(at), ID: c}
}

// seal is the SHA-256 of the tombstone's JSON with Seal left empty.
func (ts Tombstone) seal() string {
	ts.Seal = ""
	b, _ := json.Marshal(ts)
	sum := sha256.Sum256(append([]byte("casenotes/v1 tombstone\x00"), b...))
	return hex.EncodeToString(sum[:])
}

// sharedExports lists a case's exports that went to another agency (a transfer to
// a colleague or one's own laptop is not sharing).
func sharedExports(t Tx, caseID ID) ([]SharedExport, error) {
	var out []SharedExport
	err := scanJSON(t, RecExportLog, caseID, func(_ Key, e *ExportRecord) error {
		if e.Profile != "transfer" {
			out = append(out, SharedExport{At: e.At, Profile: e.Profile, Recipient: e.Recipient, SHA256: e.SHA256})
		}
		return nil
	})
	return out, err
}

// Sharing says whether and where a case was shared: SharedWithProsecutor is set once
// it was exported under the prosecutor profile.
type Sharing struct {
	SharedWithProsecutor bool
	Exports              []SharedExport
}

// Sharing reads a case's export log for the exports that went to other agencies.
func (r *Records) Sharing(caseID ID) (Sharing, error) {
	var s Sharing
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		var err error
		s.Exports, err = sharedExports(t, caseID)
		return err
	})
	s.SharedWithProsecutor = slices.ContainsFunc(s.Exports, func(e SharedExport) bool { return e.Profile == "prosecutor" })
	return s, err
}

// DeleteCase shreds a case, with the reason, leaving a tombstone: its data key is
// destroyed and its records deleted, so nothing of it can be read again, even from
// the store's old files. Refused while the case is on legal hold, and while it is
// open with final notes (final notes are part of the record: close the case; a
// closed case can be deleted when the agency's retention allows, with a reason).
func (r *Records) DeleteCase(id ID, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason for deleting", reason, maxTitle, true); err != nil {
		return err
	}
	return r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActCaseDeleted, Case: id})
		c, err := writableCase(t, id)
		if err != nil {
			return err
		}
		p, err := readPractice(t, id)
		if err != nil {
			return err
		}
		if p.Hold != nil {
			return &FieldError{Field: "case", Err: ErrLegalHold,
				Reason: "is on legal hold since " + p.Hold.Placed.Format("Jan 2, 2006") + ": lift the hold before deleting it"}
		}
		final := 0
		err = scanJSON(t, RecNote, id, func(_ Key, n *Note) error {
			if n.Final() {
				final++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if final > 0 && c.Status != CaseClosed {
			return &FieldError{Field: "case", Reason: finalNotesReason(final), Err: ErrFinal}
		}
		shared, err := sharedExports(t, id)
		if err != nil {
			return err
		}
		digest, _, err := readCaseState(t, id)
		if err != nil {
			return err
		}
		prev, err := lastTombstone(t)
		if err != nil {
			return err
		}
		now := r.now()
		ts := Tombstone{Case: id, Number: c.Number, Status: c.Status, Opened: c.Opened, Closed: c.Closed,
			Deleted: now, DeletedBy: r.who(t), Reason: reason, Shared: shared, Holds: p.Lifted,
			FinalNotes: final, Prev: prev.Seal}
		if !digest.IsZero() {
			sum := digest.Sum()
			ts.CaseDigest = hex.EncodeToString(sum[:])
		}
		ts.Seal = ts.seal()
		if err := putJSON(t, tombstoneKey(now, id), &ts); err != nil {
			return err
		}
		// The commit path removes the case's index and task entries with it.
		return t.ShredCase(id)
	})
}

// lastTombstone is the most recent tombstone (zero when there is none).
func lastTombstone(t Tx) (Tombstone, error) {
	var last Tombstone
	err := scanJSON(t, RecTombstone, ID{}, func(_ Key, ts *Tombstone) error {
		last = *ts
		return nil
	})
	return last, err
}

// Tombstones lists the deleted cases, oldest first, after checking the chain: a
// tombstone altered, or one dropped from the middle, gives ErrIntegrity.
func (r *Records) Tombstones() ([]Tombstone, error) {
	var out []Tombstone
	err := r.view(func(t Tx) error {
		prev := ""
		return scanJSON(t, RecTombstone, ID{}, func(_ Key, ts *Tombstone) error {
			if ts.Prev != prev || ts.Seal != ts.seal() {
				return fmt.Errorf("tombstone of a deleted case: %w", ErrIntegrity)
			}
			prev = ts.Seal
			out = append(out, *ts)
			return nil
		})
	})
	return out, err
}

// RetentionCandidate is a closed case whose retention period has run out.
type RetentionCandidate struct {
	Case CaseSummary
	// Until is the end of its retention: closed date plus the agency's period.
	Until time.Time
	// OnHold is set when a legal hold keeps it regardless.
	OnHold bool
}

// RetentionReview proposes, for a person to review, the closed cases whose retention
// period (the agency's, in months after closing) has ended by now. It deletes
// nothing. Without a retention period it proposes nothing.
func (r *Records) RetentionReview(now time.Time) ([]RetentionCandidate, error) {
	ps, err := r.PracticeSettings()
	if err != nil || ps.RetentionMonths == 0 {
		return nil, err
	}
	day := dateOnly(now.UTC())
	var out []RetentionCandidate
	err = r.view(func(t Tx) error {
		var closed []CaseSummary
		err := scanSummaries(t, func(s *CaseSummary) error {
			if s.Status == CaseClosed && !s.ReadOnly && !s.Closed.IsZero() &&
				!s.Closed.AddDate(0, ps.RetentionMonths, 0).After(day) {
				closed = append(closed, *s)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range closed {
			p, err := readPractice(t, s.ID)
			if err != nil {
				return err
			}
			out = append(out, RetentionCandidate{Case: s, Until: s.Closed.AddDate(0, ps.RetentionMonths, 0), OnHold: p.Hold != nil})
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b RetentionCandidate) int { return a.Until.Compare(b.Until) })
	return out, err
}
