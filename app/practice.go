package app

import (
	"fmt"
	"strings"
	"time"
)

// The MDT practice (issue 14): what a multidisciplinary team does around a case
// beyond its notes and checklist. Case review meetings and their action items
// (meeting.go), mandated-report and other reference numbers with the NCMEC report
// clock (references.go), court dates and the victim-notification log (court.go),
// outcomes (outcomes.go), people by pseudonymous reference (people.go), charges
// (charges.go) and linked cases (caselinks.go),
// retention, legal hold and deletion with a tombstone (retention.go).
//
// Every record here is written through the record service's commit path; case
// records are sealed with the case's data key, so deleting a case shreds them.

// Record types of the MDT practice (0x40-0x4F). Never renumber; append.
const (
	RecMeeting          RecordType = 0x40 // a case review meeting: date, roster and attendance, agenda (vault level)
	RecCaseReview       RecordType = 0x41 // what a meeting discussed about one case and decided
	RecActionItem       RecordType = 0x42 // an action item from a case review; open ones are tasks
	RecCasePractice     RecordType = 0x43 // a case's review interval, last review and legal hold
	RecReference        RecordType = 0x44 // mandated and NCMEC reports, tips, other agencies' case numbers
	RecHearing          RecordType = 0x45 // court dates and their outcomes
	RecNotification     RecordType = 0x46 // the victim-notification log
	RecPerson           RecordType = 0x47 // people by pseudonymous reference (suspects, buyers, witnesses)
	RecCharge           RecordType = 0x48 // charges, dispositions, sentences, restitution and forfeiture
	RecOutcome          RecordType = 0x49 // the child-welfare outcome and services outcomes (one per case)
	RecCaseLink         RecordType = 0x4A // a link to another case of the vault (co-victims, related cases)
	RecPracticeSettings RecordType = 0x4C // the agency's retention period (vault level)
)

// DefaultReviewInterval is how often an open case comes up for MDT review unless the
// case sets its own interval (accreditation standards ask for regular review).
const DefaultReviewInterval = 30

// maxReviewInterval bounds a case's review interval, in days.
const maxReviewInterval = 365

// maxSummary bounds the short texts of the practice records (a discussion point, a
// decision, a hearing outcome, what was said in a notification): detail belongs in
// notes, which have their own rules.
const maxSummary = 280

// CasePractice is a case's MDT review plan and legal hold.
type CasePractice struct {
	// ReviewIntervalDays is how often the case comes up for review; 0 means
	// DefaultReviewInterval.
	ReviewIntervalDays int `json:"review_interval_days,omitempty"`
	// LastReviewed is the date of the latest meeting that reviewed the case.
	LastReviewed time.Time `json:"last_reviewed,omitzero"`
	LastMeeting  ID        `json:"last_meeting,omitzero"`
	// Hold is the legal hold in force, if any: it blocks deletion until lifted.
	Hold *LegalHold `json:"legal_hold,omitempty"`
	// Lifted are the holds placed and lifted before, oldest first.
	Lifted []LegalHold `json:"lifted_holds,omitempty"`
}

// Interval is the review interval in days.
func (p CasePractice) Interval() int {
	if p.ReviewIntervalDays <= 0 {
		return DefaultReviewInterval
	}
	return p.ReviewIntervalDays
}

// NextReview is the date the case is next due for review: an interval after its last
// review, or after it was opened when it was never reviewed.
func (p CasePractice) NextReview(opened time.Time) time.Time {
	from := p.LastReviewed
	if from.IsZero() {
		from = opened
	}
	return dateOnly(from).AddDate(0, 0, p.Interval())
}

// LegalHold keeps a case from being deleted (litigation, a records request, an
// appeal) until someone lifts it, with a reason both ways.
type LegalHold struct {
	Reason     string    `json:"reason"`
	Placed     time.Time `json:"placed"`
	PlacedBy   string    `json:"placed_by,omitempty"`
	Lifted     time.Time `json:"lifted,omitzero"`
	LiftedBy   string    `json:"lifted_by,omitempty"`
	LiftReason string    `json:"lift_reason,omitempty"`
}

func casePracticeKey(c ID) Key { return Key{Type: RecCasePractice, Case: c, ID: c} }

// readPractice reads a case's practice record; a case without one has the defaults.
func readPractice(t Tx, c ID) (CasePractice, error) {
	var p CasePractice
	err := getJSON(t, casePracticeKey(c), &p)
	if isNotFound(err) {
		return CasePractice{}, nil
	}
	return p, err
}

// CasePractice returns a case's review plan and legal hold.
func (r *Records) CasePractice(caseID ID) (CasePractice, error) {
	var p CasePractice
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		var err error
		p, err = readPractice(t, caseID)
		return err
	})
	return p, err
}

// changePractice reads a writable case's practice record, lets fn change it and
// stores it.
func (r *Records) changePractice(caseID ID, fn func(t Tx, p *CasePractice) error) (CasePractice, error) {
	var out CasePractice
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		p, err := readPractice(t, caseID)
		if err != nil {
			return err
		}
		if err := fn(t, &p); err != nil {
			return err
		}
		out = p
		return putJSON(t, casePracticeKey(caseID), &p)
	})
	return out, err
}

// SetReviewInterval sets how often the case comes up for MDT review, in days
// (1 to 365); 0 returns to the default of 30.
func (r *Records) SetReviewInterval(caseID ID, days int) (CasePractice, error) {
	if days < 0 || days > maxReviewInterval {
		return CasePractice{}, Invalid("review interval", fmt.Sprintf("must be between 1 and %d days", maxReviewInterval))
	}
	return r.changePractice(caseID, func(_ Tx, p *CasePractice) error {
		p.ReviewIntervalDays = days
		return nil
	})
}

// PlaceLegalHold puts the case on legal hold: it cannot be deleted until the hold is
// lifted.
func (r *Records) PlaceLegalHold(caseID ID, reason string) (CasePractice, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason for the hold", reason, maxTitle, true); err != nil {
		return CasePractice{}, err
	}
	return r.changePractice(caseID, func(t Tx, p *CasePractice) error {
		if p.Hold != nil {
			return Invalid("legal hold", "is already in place since "+p.Hold.Placed.Format("Jan 2, 2006"))
		}
		p.Hold = &LegalHold{Reason: reason, Placed: r.now(), PlacedBy: r.who(t)}
		return nil
	})
}

// LiftLegalHold ends the hold in force, with a reason; the hold stays in the case's
// history.
func (r *Records) LiftLegalHold(caseID ID, reason string) (CasePractice, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason for lifting the hold", reason, maxTitle, true); err != nil {
		return CasePractice{}, err
	}
	return r.changePractice(caseID, func(t Tx, p *CasePractice) error {
		if p.Hold == nil {
			return Invalid("legal hold", "is not in place on this case")
		}
		h := *p.Hold
		h.Lifted, h.LiftedBy, h.LiftReason = r.now(), r.who(t), reason
		p.Lifted = append(p.Lifted, h)
		p.Hold = nil
		return nil
	})
}

// PracticeSettings are the agency's choices for the MDT practice, kept in the vault.
type PracticeSettings struct {
	// RetentionMonths is how long a closed case is kept before it is proposed for
	// review (never deleted on its own); 0: no retention period is set.
	RetentionMonths int `json:"retention_months,omitempty"`
}

// maxRetentionMonths bounds the retention period (99 years).
const maxRetentionMonths = 99 * 12

var practiceSettingsKey = Key{Type: RecPracticeSettings, ID: ID{15: 1}}

// PracticeSettings returns the agency's practice settings (defaults when never saved).
func (r *Records) PracticeSettings() (PracticeSettings, error) {
	var s PracticeSettings
	err := r.view(func(t Tx) error { return getJSON(t, practiceSettingsKey, &s) })
	if isNotFound(err) {
		return PracticeSettings{}, nil
	}
	return s, err
}

// SavePracticeSettings checks and stores the agency's practice settings.
func (r *Records) SavePracticeSettings(s PracticeSettings) (PracticeSettings, error) {
	if s.RetentionMonths < 0 || s.RetentionMonths > maxRetentionMonths {
		return PracticeSettings{}, Invalid("retention period", fmt.Sprintf("must be between 0 (none) and %d months", maxRetentionMonths))
	}
	err := r.update(func(t Tx) error { return putJSON(t, practiceSettingsKey, &s) })
	return s, err
}

// checkChoice refuses a value outside a controlled list, naming the field.
func checkChoice(field, v string, list []string) error {
	for _, s := range list {
		if s == v {
			return nil
		}
	}
	if v == "" {
		return Invalid(field, "is required")
	}
	return Invalid(field, quoteShort(v)+"is not one of the choices offered")
}
