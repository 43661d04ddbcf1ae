package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds of information a case review point, decision or action item may be about.
// The legal identity, contact details, location and advocate notes are never
// discussed in minutes.
var ReviewKinds = []InfoKind{InfoCaseStatus, InfoTimeline, InfoServices, InfoMedical, InfoMentalHealth}

// ReviewPoint is one point of a case's discussion: a short summary and, by
// reference, the final notes it draws on (never their text).
type ReviewPoint struct {
	Kind    InfoKind `json:"kind"`
	Summary string   `json:"summary"`
	Notes   []ID     `json:"notes,omitempty"`
}

// Decision is one decision the meeting made about a case.
type Decision struct {
	Kind InfoKind `json:"kind"`
	Text string   `json:"text"`
}

// CaseReview is what one meeting recorded about one case.
type CaseReview struct {
	Meeting   ID            `json:"meeting"`
	Case      ID            `json:"case"`
	At        time.Time     `json:"at"` // the meeting's date and time
	Points    []ReviewPoint `json:"points,omitempty"`
	Decisions []Decision    `json:"decisions,omitempty"`
	Updated   time.Time     `json:"updated"`
	By        string        `json:"by,omitempty"`
}

// ReviewInput is a case's discussion and decisions as a user records them.
type ReviewInput struct {
	Points    []ReviewPoint
	Decisions []Decision
}

const maxReviewEntries = 40

func checkReviewKind(field string, k InfoKind) error {
	if k == "" {
		return Invalid(field, "is required")
	}
	if !slices.Contains(ReviewKinds, k) {
		if slices.Contains(InfoKinds, k) {
			return Invalid(field, "cannot be "+k.Label()+": case review minutes never carry it")
		}
		return Invalid(field, quoteShort(string(k))+"is not a kind of information")
	}
	return nil
}

func (in *ReviewInput) normalise() error {
	if len(in.Points) > maxReviewEntries || len(in.Decisions) > maxReviewEntries {
		return Invalid("review", fmt.Sprintf("has more than %d points or decisions", maxReviewEntries))
	}
	var points []ReviewPoint
	for i, p := range in.Points {
		where := fmt.Sprintf("discussion point %d", i+1)
		p.Summary = strings.TrimSpace(p.Summary)
		if p.Summary == "" && len(p.Notes) == 0 {
			continue
		}
		if p.Kind == "" {
			p.Kind = InfoCaseStatus
		}
		if err := checkReviewKind("topic", p.Kind); err != nil {
			return within(where, err)
		}
		if err := checkText("summary", p.Summary, maxSummary, true); err != nil {
			return within(where, err)
		}
		if len(p.Notes) > 20 {
			return within(where, Invalid("notes", "are more than 20"))
		}
		points = append(points, p)
	}
	var decisions []Decision
	for i, d := range in.Decisions {
		d.Text = strings.TrimSpace(d.Text)
		if d.Text == "" {
			continue
		}
		if d.Kind == "" {
			d.Kind = InfoCaseStatus
		}
		where := fmt.Sprintf("decision %d", i+1)
		if err := checkReviewKind("topic", d.Kind); err != nil {
			return within(where, err)
		}
		if err := checkText("decision", d.Text, maxSummary, true); err != nil {
			return within(where, err)
		}
		decisions = append(decisions, d)
	}
	in.Points, in.Decisions = points, decisions
	return nil
}

// caseReviewKey is where a meeting's review of a case lives: its ID is the
// meeting's, so the meeting finds it from its agenda alone.
func caseReviewKey(c ID, meeting ID) Key {
	return Key{Type: RecCaseReview, Case: c, ID: meeting}
}

// checkNoteRefs allows references to final notes of the case that are not
// advocate-privileged: a case review discusses by reference, never privileged content.
func checkNoteRefs(t Tx, caseID ID, points []ReviewPoint) error {
	want := map[ID]bool{}
	for _, p := range points {
		for _, n := range p.Notes {
			want[n] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	found := map[ID]bool{}
	err := scanJSON(t, RecNote, caseID, func(_ Key, n *Note) error {
		if !want[n.ID] {
			return nil
		}
		found[n.ID] = true
		switch {
		case !n.Final():
			return Invalid("note reference", "names a draft: only final notes can be referred to")
		case n.Sensitivity == SensitivityAdvocatePrivileged:
			return Invalid("note reference", "names an advocate-privileged note, which a case review never discusses")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(found) != len(want) {
		return Invalid("note reference", "names a note that is not in this case")
	}
	return nil
}

// RecordReview records (or replaces) what a meeting discussed and decided about a
// case, and puts the case on the agenda if it was not. The case's last review moves
// to the meeting's date, so its next review is due an interval later.
func (r *Records) RecordReview(meetingID, caseID ID, in ReviewInput) (CaseReview, error) {
	if err := in.normalise(); err != nil {
		return CaseReview{}, err
	}
	var out CaseReview
	err := r.update(func(t Tx) error {
		m, err := readMeeting(t, meetingID)
		if err != nil {
			return err
		}
		if m.Final() {
			return &FieldError{Field: "meeting", Reason: "has finalized minutes, which do not change", Err: ErrFinal}
		}
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if err := checkNoteRefs(t, caseID, in.Points); err != nil {
			return err
		}
		if !slices.Contains(m.Cases, caseID) {
			m.Cases = append(m.Cases, caseID)
			m.Updated = r.now()
			if err := putJSON(t, meetingKey(m.ID), &m); err != nil {
				return err
			}
		}
		out = CaseReview{Meeting: meetingID, Case: caseID, At: m.At, Points: in.Points, Decisions: in.Decisions,
			Updated: r.now(), By: r.who(t)}
		if err := putJSON(t, caseReviewKey(caseID, meetingID), &out); err != nil {
			return err
		}
		p, err := readPractice(t, caseID)
		if err != nil {
			return err
		}
		if day := dateOnly(m.At); !day.Before(p.LastReviewed) {
			p.LastReviewed, p.LastMeeting = day, meetingID
			return putJSON(t, casePracticeKey(caseID), &p)
		}
		return nil
	})
	return out, err
}

// Review returns what a meeting recorded about a case; ok is false when nothing.
func (r *Records) Review(meetingID, caseID ID) (CaseReview, bool, error) {
	var out CaseReview
	found := false
	err := r.view(func(t Tx) error {
		if _, err := readMeeting(t, meetingID); err != nil {
			return err
		}
		err := getJSON(t, caseReviewKey(caseID, meetingID), &out)
		if isNotFound(err) {
			return nil
		}
		found = err == nil
		return err
	})
	return out, found, err
}

// CaseReviews returns every review of a case, the most recent first.
func (r *Records) CaseReviews(caseID ID) ([]CaseReview, error) {
	var out []CaseReview
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecCaseReview, caseID, func(_ Key, v *CaseReview) error {
			out = append(out, *v)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b CaseReview) int { return b.At.Compare(a.At) })
	return out, err
}
