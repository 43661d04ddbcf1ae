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

// ActionItem is a task a case review gave to a person or a partner, with a due date.
// While open it is on the task list.
type ActionItem struct {
	ID      ID        `json:"id"`
	Case    ID        `json:"case"`
	Meeting ID        `json:"meeting"`
	Title   string    `json:"title"`
	Kind    InfoKind  `json:"kind"`
	Owner   string    `json:"owner"` // the person or partner, as it reads
	OwnerID ID        `json:"owner_partner,omitzero"`
	Due     time.Time `json:"due"` // a date
	Done    time.Time `json:"done,omitzero"`
	DoneBy  string    `json:"done_by,omitempty"`
	Created time.Time `json:"created"`
	By      string    `json:"by,omitempty"`
}

// Open reports whether the item still needs doing.
func (a ActionItem) Open() bool { return a.Done.IsZero() }

// ActionInput is an action item as a user records it: an owner from the directory
// (OwnerPartner) or a person typed in (Owner), and a due date.
type ActionInput struct {
	Title        string
	Kind         InfoKind
	Owner        string
	OwnerPartner ID
	Due          time.Time
}

func actionItemKey(c, id ID) Key { return Key{Type: RecActionItem, Case: c, ID: id} }

// task is an open action item's entry on the task list.
func (a *ActionItem) task() (TaskRef, bool) {
	if !a.Open() || a.Due.IsZero() {
		return TaskRef{}, false
	}
	return TaskRef{Case: a.Case, Item: a.ID, Kind: TaskAction, Due: a.Due, Title: "Action: " + a.Title, Partner: a.Owner}, true
}

// AddActionItem records an action item of a meeting's review of a case. The case
// must be on the meeting's agenda; items can be added until the minutes are final.
func (r *Records) AddActionItem(meetingID, caseID ID, in ActionInput) (ActionItem, error) {
	in.Title, in.Owner = strings.TrimSpace(in.Title), strings.TrimSpace(in.Owner)
	if err := checkText("action", in.Title, maxTitle, true); err != nil {
		return ActionItem{}, err
	}
	if in.Kind == "" {
		in.Kind = InfoCaseStatus
	}
	if err := checkReviewKind("topic", in.Kind); err != nil {
		return ActionItem{}, err
	}
	if in.Owner == "" && in.OwnerPartner.IsZero() {
		return ActionItem{}, Invalid("owner", "is required: a person or a partner")
	}
	if err := checkText("owner", in.Owner, maxShortText, false); err != nil {
		return ActionItem{}, err
	}
	if in.Due.IsZero() {
		return ActionItem{}, Invalid("due date", "is required")
	}
	if err := checkDate("due date", in.Due); err != nil {
		return ActionItem{}, err
	}
	var out ActionItem
	err := r.update(func(t Tx) error {
		m, err := readMeeting(t, meetingID)
		if err != nil {
			return err
		}
		if m.Final() {
			return &FieldError{Field: "meeting", Reason: "has finalized minutes, which do not change", Err: ErrFinal}
		}
		if !slices.Contains(m.Cases, caseID) {
			return Invalid("case", "is not on this meeting's agenda")
		}
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		owner := in.Owner
		if !in.OwnerPartner.IsZero() {
			var e DirectoryEntry
			if err := getJSON(t, directoryKey(in.OwnerPartner), &e); err != nil {
				if isNotFound(err) {
					return Invalid("owner", "is no longer in the partner directory: choose it again")
				}
				return err
			}
			owner = e.Name()
		}
		out = ActionItem{ID: NewID(), Case: caseID, Meeting: meetingID, Title: in.Title, Kind: in.Kind, Owner: owner,
			OwnerID: in.OwnerPartner, Due: dateOnly(in.Due), Created: r.now(), By: r.who(t)}
		return putJSON(t, actionItemKey(caseID, out.ID), &out)
	})
	return out, err
}

// SetActionDone marks an action item done (it leaves the task list) or open again.
func (r *Records) SetActionDone(caseID, id ID, done bool) (ActionItem, error) {
	var out ActionItem
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var a ActionItem
		if err := getJSON(t, actionItemKey(caseID, id), &a); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("action item: %w", ErrNotFound)
			}
			return err
		}
		if done {
			a.Done, a.DoneBy = r.now(), r.who(t)
		} else {
			a.Done, a.DoneBy = time.Time{}, ""
		}
		out = a
		return putJSON(t, actionItemKey(caseID, id), &a)
	})
	return out, err
}

// ActionItems returns a case's action items, open ones first, by due date.
func (r *Records) ActionItems(caseID ID) ([]ActionItem, error) {
	var out []ActionItem
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecActionItem, caseID, func(_ Key, v *ActionItem) error {
			out = append(out, *v)
			return nil
		})
	})
	sortActions(out)
	return out, err
}

// MeetingActions returns the action items a meeting gave, case by case in agenda
// order.
func (r *Records) MeetingActions(meetingID ID) ([]ActionItem, error) {
	var out []ActionItem
	err := r.view(func(t Tx) error {
		m, err := readMeeting(t, meetingID)
		if err != nil {
			return err
		}
		for _, c := range m.Cases {
			var items []ActionItem
			err := scanJSON(t, RecActionItem, c, func(_ Key, v *ActionItem) error {
				if v.Meeting == meetingID {
					items = append(items, *v)
				}
				return nil
			})
			if err != nil {
				return err
			}
			sortActions(items)
			out = append(out, items...)
		}
		return nil
	})
	return out, err
}

func sortActions(items []ActionItem) {
	slices.SortStableFunc(items, func(a, b ActionItem) int {
		if a.Open() != b.Open() {
			if a.Open() {
				return -1
			}
			return 1
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return a.Created.Compare(b.Created)
	})
}

// AgendaProposal is an open case the next meeting should review, and why.
type AgendaProposal struct {
	Case CaseSummary
	// NextReview is when the case was (or is) due for review; zero when it is
	// proposed only for overdue items.
	NextReview   time.Time
	LastReviewed time.Time
	DueForReview bool
	// Overdue counts the case's overdue checklist items.
	Overdue int
}

// Reasons says why the case is proposed, in words: "due for review since Nov 2,
// 2026, last reviewed Oct 3, 2026", "3 overdue checklist items".
func (p AgendaProposal) Reasons() []string {
	var out []string
	if p.DueForReview {
		s := "due for review since " + p.NextReview.Format("Jan 2, 2006")
		if p.LastReviewed.IsZero() {
			s += ", never reviewed"
		} else {
			s += ", last reviewed " + p.LastReviewed.Format("Jan 2, 2006")
		}
		out = append(out, s)
	}
	switch {
	case p.Overdue == 1:
		out = append(out, "1 overdue checklist item")
	case p.Overdue > 1:
		out = append(out, fmt.Sprintf("%d overdue checklist items", p.Overdue))
	}
	return out
}

// ProposeAgenda proposes the cases a meeting on day at should review: every open
// case of the vault (not received ones) whose next review falls on or before that
// day, and every open case with an overdue checklist item. Cases due longest ago
// come first. It reads the case list, the task index and each open case's practice
// record, never a note or the legal identity.
func (r *Records) ProposeAgenda(at time.Time) ([]AgendaProposal, error) {
	day := dateOnly(at.UTC())
	var out []AgendaProposal
	err := r.view(func(t Tx) error {
		overdue := map[ID]int{}
		err := t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
			if k.Order == taskPointerOrder || k.Order > dueOrder(day) {
				return ErrStopScan
			}
			e, err := decodeTask(b)
			if err != nil {
				return err
			}
			if e.Kind == TaskChecklist && pastDue(e.Due, day) {
				overdue[e.Case]++
			}
			return nil
		})
		if err != nil {
			return err
		}
		pending, err := pendingCases(t)
		if err != nil {
			return err
		}
		var open []CaseSummary
		err = scanJSON(t, RecCaseIndex, ID{}, func(_ Key, s *CaseSummary) error {
			if s.Status == CaseOpen && !s.ReadOnly && !pending[s.ID] {
				open = append(open, *s)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range open {
			p, err := readPractice(t, s.ID)
			if err != nil {
				return err
			}
			next := p.NextReview(s.Opened)
			due := !next.After(day)
			if !due && overdue[s.ID] == 0 {
				continue
			}
			out = append(out, AgendaProposal{Case: s, NextReview: next, LastReviewed: p.LastReviewed,
				DueForReview: due, Overdue: overdue[s.ID]})
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b AgendaProposal) int {
		if a.DueForReview != b.DueForReview {
			if a.DueForReview {
				return -1
			}
			return 1
		}
		if c := a.NextReview.Compare(b.NextReview); c != 0 {
			return c
		}
		return strings.Compare(a.Case.Number, b.Case.Number)
	})
	return out, err
}
