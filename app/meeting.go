package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MDT case review meetings. A meeting has a date, a roster picked from the partner
// directory (or typed) with attendance, and an agenda of cases, proposed from the open
// cases due for review and those with overdue checklist items (ProposeAgenda). For
// each case the meeting records what was discussed, by reference and never by
// privileged content (short points that may name final notes that are not
// advocate-privileged), what it decided, and action items with an owner and a due
// date, which go on the task list. Minutes print under the partner profile's rules
// (app/export: BuildMinutes).
//
// The meeting itself is a vault-level record (the team's, not one case's); what it
// said about a case is a record of that case, sealed with the case's key, so
// deleting the case shreds it.
//
// This file holds the meeting, its roster and agenda; what it recorded about each
// case is in meeting_review.go, its action items in meeting_action.go, and the
// proposed agenda in meeting_agenda.go.

// Meeting is one MDT case review meeting.
type Meeting struct {
	ID     ID         `json:"id"`
	At     time.Time  `json:"at"` // date and time
	Title  string     `json:"title"`
	Roster []Attendee `json:"roster"`
	Cases  []ID       `json:"cases"` // the agenda, in order
	// Finalized is when the minutes were finalized: from then on the meeting's
	// roster, agenda, discussion and decisions never change (action items still move
	// on to done).
	Finalized   time.Time `json:"finalized,omitzero"`
	FinalizedBy string    `json:"finalized_by,omitempty"`
	Created     time.Time `json:"created"`
	By          string    `json:"by,omitempty"`
	Updated     time.Time `json:"updated"`
}

// Final reports whether the minutes are finalized.
func (m Meeting) Final() bool { return !m.Finalized.IsZero() }

// Attendee is one member of a meeting's roster: a directory entry, or a person typed
// in (who can be turned into a directory entry later).
type Attendee struct {
	ID           ID      `json:"id"`
	PartnerID    ID      `json:"partner_id,omitzero"`
	Person       string  `json:"person,omitempty"`
	Organization string  `json:"organization,omitempty"`
	Category     Partner `json:"category"`
	Attended     bool    `json:"attended"`
}

// Recipient is the attendee as releases name recipients.
func (a Attendee) Recipient() Recipient {
	return Recipient{Organisation: a.Organization, Person: a.Person, Category: a.Category}
}

// Name is how the attendee reads: "Ana Ruiz at Demo County Prosecutor's Office".
func (a Attendee) Name() string { return a.Recipient().String() }

// AttendeeInput is a roster member as a form gives it: a directory entry
// (PartnerID), or a person and organization typed in.
type AttendeeInput struct {
	PartnerID    ID
	Person       string
	Organization string
	Category     Partner
	Attended     bool
}

// MeetingInput is a meeting as a user sets it up.
type MeetingInput struct {
	At     time.Time
	Title  string
	Roster []AttendeeInput
	Cases  []ID
}

// maxRoster and maxAgenda bound a meeting.
const (
	maxRoster = 60
	maxAgenda = 200
)

func meetingKey(id ID) Key { return Key{Type: RecMeeting, ID: id} }

// normalise checks the input and resolves directory entries into attendees.
func (in *MeetingInput) normalise(t Tx) ([]Attendee, error) {
	in.Title = strings.TrimSpace(in.Title)
	if in.At.IsZero() {
		return nil, Invalid("meeting date", "is required")
	}
	if err := checkDate("meeting date", in.At); err != nil {
		return nil, err
	}
	in.At = in.At.UTC().Truncate(time.Minute)
	if in.Title == "" {
		in.Title = "MDT case review"
	}
	if err := checkText("meeting title", in.Title, maxShortText, true); err != nil {
		return nil, err
	}
	if len(in.Roster) > maxRoster {
		return nil, Invalid("roster", fmt.Sprintf("has more than %d members", maxRoster))
	}
	if len(in.Cases) > maxAgenda {
		return nil, Invalid("agenda", fmt.Sprintf("has more than %d cases", maxAgenda))
	}
	var roster []Attendee
	for i, a := range in.Roster {
		at, err := resolveAttendee(t, a)
		if err != nil {
			return nil, within(fmt.Sprintf("roster member %d", i+1), err)
		}
		if slices.ContainsFunc(roster, func(b Attendee) bool { return sameAttendee(at, b) }) {
			continue
		}
		roster = append(roster, at)
	}
	var cases []ID
	for _, c := range in.Cases {
		if slices.Contains(cases, c) {
			continue
		}
		cs, err := getCase(t, c)
		if err != nil {
			return nil, Invalid("agenda", "names a case that is not in this vault")
		}
		if cs.ReadOnly {
			return nil, Invalid("agenda", "names a received case "+cs.Number+": review your own cases only")
		}
		cases = append(cases, c)
	}
	in.Cases = cases
	return roster, nil
}

func sameAttendee(a, b Attendee) bool {
	if !a.PartnerID.IsZero() || !b.PartnerID.IsZero() {
		return a.PartnerID == b.PartnerID
	}
	return strings.EqualFold(a.Person, b.Person) && strings.EqualFold(a.Organization, b.Organization)
}

// resolveAttendee fills a directory entry's names in, or checks a typed one.
func resolveAttendee(t Tx, in AttendeeInput) (Attendee, error) {
	a := Attendee{ID: NewID(), PartnerID: in.PartnerID, Attended: in.Attended}
	if !in.PartnerID.IsZero() {
		var e DirectoryEntry
		if err := getJSON(t, directoryKey(in.PartnerID), &e); err != nil {
			if isNotFound(err) {
				return a, Invalid("partner", "is no longer in the partner directory: choose it again")
			}
			return a, err
		}
		a.Person, a.Organization, a.Category = e.Person, e.Organization, e.Category
		return a, nil
	}
	a.Person, a.Organization, a.Category = strings.TrimSpace(in.Person), strings.TrimSpace(in.Organization), in.Category
	if a.Person == "" && a.Organization == "" {
		return a, Invalid("name", "is required: a person, an organization, or both")
	}
	if err := checkText("person", a.Person, maxShortText, false); err != nil {
		return a, err
	}
	if err := checkText("organization", a.Organization, maxShortText, false); err != nil {
		return a, err
	}
	if a.Category == "" {
		a.Category = "other"
	}
	if p, ok := ParsePartner(string(a.Category)); ok {
		a.Category = p // an attendee saved under an older partner name
	}
	if !slices.Contains(Partners, a.Category) {
		return a, Invalid("partner category", "is not one of the partner categories")
	}
	return a, nil
}

// CreateMeeting sets up a meeting. With no roster given, it takes the roster of the
// latest meeting before it (everyone not yet marked as attending): the team is
// mostly the same from one review to the next.
func (r *Records) CreateMeeting(in MeetingInput) (Meeting, error) {
	var out Meeting
	err := r.update(func(t Tx) error {
		roster, err := in.normalise(t)
		if err != nil {
			return err
		}
		if len(in.Roster) == 0 {
			if roster, err = lastRoster(t, in.At); err != nil {
				return err
			}
		}
		now := r.now()
		out = Meeting{ID: NewID(), At: in.At, Title: in.Title, Roster: roster, Cases: in.Cases,
			Created: now, By: r.who(t), Updated: now}
		if out.Roster == nil {
			out.Roster = []Attendee{}
		}
		if out.Cases == nil {
			out.Cases = []ID{}
		}
		return putJSON(t, meetingKey(out.ID), &out)
	})
	return out, err
}

// lastRoster is the roster of the latest meeting before at, attendance cleared.
func lastRoster(t Tx, at time.Time) ([]Attendee, error) {
	var last *Meeting
	err := scanJSON(t, RecMeeting, ID{}, func(_ Key, m *Meeting) error {
		if m.At.Before(at) && (last == nil || m.At.After(last.At)) {
			last = m
		}
		return nil
	})
	if err != nil || last == nil {
		return nil, err
	}
	roster := make([]Attendee, len(last.Roster))
	for i, a := range last.Roster {
		a.ID, a.Attended = NewID(), false
		roster[i] = a
	}
	return roster, nil
}

// changeMeeting reads a meeting whose minutes are not final, lets fn change it and
// stores it.
func (r *Records) changeMeeting(id ID, fn func(t Tx, m *Meeting) error) (Meeting, error) {
	var out Meeting
	err := r.update(func(t Tx) error {
		m, err := readMeeting(t, id)
		if err != nil {
			return err
		}
		if m.Final() {
			return &FieldError{Field: "meeting", Reason: "has finalized minutes, which do not change", Err: ErrFinal}
		}
		if err := fn(t, &m); err != nil {
			return err
		}
		m.Updated = r.now()
		out = m
		return putJSON(t, meetingKey(id), &m)
	})
	return out, err
}

func readMeeting(t Tx, id ID) (Meeting, error) {
	var m Meeting
	if err := getJSON(t, meetingKey(id), &m); err != nil {
		if isNotFound(err) {
			return m, fmt.Errorf("meeting: %w", ErrNotFound)
		}
		return m, err
	}
	return m, nil
}

// UpdateMeeting changes a meeting's date, title, roster and agenda. Attendance
// given in the roster is kept; a case taken off the agenda keeps whatever the
// meeting already recorded about it.
func (r *Records) UpdateMeeting(id ID, in MeetingInput) (Meeting, error) {
	return r.changeMeeting(id, func(t Tx, m *Meeting) error {
		roster, err := in.normalise(t)
		if err != nil {
			return err
		}
		// An attendee who stays on the roster keeps their ID.
		for i := range roster {
			for _, old := range m.Roster {
				if sameAttendee(roster[i], old) {
					roster[i].ID = old.ID
				}
			}
		}
		if roster == nil {
			roster = []Attendee{}
		}
		if !in.At.Equal(m.At) {
			// The reviews already recorded carry the meeting's date.
			if err := moveReviews(t, m, in.At); err != nil {
				return err
			}
		}
		m.At, m.Title, m.Roster, m.Cases = in.At, in.Title, roster, in.Cases
		if m.Cases == nil {
			m.Cases = []ID{}
		}
		return nil
	})
}

// moveReviews gives the reviews a meeting recorded its new date.
func moveReviews(t Tx, m *Meeting, at time.Time) error {
	for _, c := range m.Cases {
		var rv CaseReview
		err := getJSON(t, caseReviewKey(c, m.ID), &rv)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		rv.At = at
		if err := putJSON(t, caseReviewKey(c, m.ID), &rv); err != nil {
			return err
		}
	}
	return nil
}

// SetAttendance marks a roster member as present or absent.
func (r *Records) SetAttendance(meetingID, attendee ID, attended bool) (Meeting, error) {
	return r.changeMeeting(meetingID, func(_ Tx, m *Meeting) error {
		i := slices.IndexFunc(m.Roster, func(a Attendee) bool { return a.ID == attendee })
		if i < 0 {
			return fmt.Errorf("roster member: %w", ErrNotFound)
		}
		m.Roster[i].Attended = attended
		return nil
	})
}

// AddToAgenda puts a case on a meeting's agenda (at the end).
func (r *Records) AddToAgenda(meetingID, caseID ID) (Meeting, error) {
	return r.changeMeeting(meetingID, func(t Tx, m *Meeting) error {
		if slices.Contains(m.Cases, caseID) {
			return nil
		}
		c, err := getCase(t, caseID)
		if err != nil {
			return err
		}
		if c.ReadOnly {
			return Invalid("agenda", "names a received case "+c.Number+": review your own cases only")
		}
		if len(m.Cases) >= maxAgenda {
			return Invalid("agenda", fmt.Sprintf("has more than %d cases", maxAgenda))
		}
		m.Cases = append(m.Cases, caseID)
		return nil
	})
}

// FinalizeMinutes makes a meeting's minutes final: who finalized them and when are
// recorded, and from then on the roster, agenda, discussion and decisions never
// change. Every case on the agenda must have been reviewed or taken off it.
func (r *Records) FinalizeMinutes(id ID) (Meeting, error) {
	return r.changeMeeting(id, func(t Tx, m *Meeting) error {
		if !slices.ContainsFunc(m.Roster, func(a Attendee) bool { return a.Attended }) {
			return Invalid("attendance", "is not recorded: mark who attended before finalizing the minutes")
		}
		for _, c := range m.Cases {
			_, err := t.Get(caseReviewKey(c, m.ID))
			if isNotFound(err) {
				cs, cerr := getCase(t, c)
				if cerr != nil {
					continue // deleted since: nothing of it is printed
				}
				return Invalid("agenda", "holds case "+cs.Number+", which has no review recorded: record it or take the case off the agenda")
			}
			if err != nil {
				return err
			}
		}
		m.Finalized, m.FinalizedBy = r.now(), r.who(t)
		return nil
	})
}

// Meetings lists every meeting, the most recent first.
func (r *Records) Meetings() ([]Meeting, error) {
	var out []Meeting
	err := r.view(func(t Tx) error {
		return scanJSON(t, RecMeeting, ID{}, func(_ Key, m *Meeting) error {
			out = append(out, *m)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Meeting) int { return b.At.Compare(a.At) })
	return out, err
}

// Meeting returns one meeting.
func (r *Records) Meeting(id ID) (Meeting, error) {
	var m Meeting
	err := r.view(func(t Tx) (err error) { m, err = readMeeting(t, id); return err })
	return m, err
}
