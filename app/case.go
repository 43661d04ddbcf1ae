package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// CaseStatus is where a case stands. A closed case keeps a reason.
type CaseStatus string

// Case statuses.
const (
	CaseOpen     CaseStatus = "open"
	CaseInactive CaseStatus = "inactive"
	CaseClosed   CaseStatus = "closed"
)

// CaseStatuses lists the statuses in the order a form offers them.
var CaseStatuses = []CaseStatus{CaseOpen, CaseInactive, CaseClosed}

func (s CaseStatus) valid() bool { return slices.Contains(CaseStatuses, s) }

// Case is the record a detective and an advocate keep together. It holds no victim
// data: the victim's profile (alias first) and the legal identity are records of
// their own, so that the case can be listed, shared and exported without them.
type Case struct {
	ID           ID         `json:"id"`
	Number       string     `json:"number"` // the agency's case number, unique in the vault
	Title        string     `json:"title"`
	Status       CaseStatus `json:"status"`
	ClosedReason string     `json:"closed_reason,omitempty"`
	Jurisdiction string     `json:"jurisdiction,omitempty"`
	Opened       time.Time  `json:"opened"`          // a date (UTC midnight)
	Closed       time.Time  `json:"closed,omitzero"` // a date, set while closed
	Assigned     []string   `json:"assigned,omitempty"`
	Tags         []string   `json:"tags,omitempty"` // from the vault's indicator list
	// Origin names the partner a received case came from; such a case is a copy of
	// their record and read-only here.
	Origin   string `json:"origin,omitempty"`
	ReadOnly bool   `json:"read_only,omitempty"`
	// TemplateID and TemplateVersion are the checklist template the case started
	// with; a case keeps that version when the template changes.
	TemplateID      string    `json:"template_id,omitempty"`
	TemplateVersion int       `json:"template_version,omitempty"`
	Created         time.Time `json:"created"`
	CreatedBy       string    `json:"created_by,omitempty"`
	Updated         time.Time `json:"updated"`
}

// CaseInput is what a user fills in to open or edit a case.
type CaseInput struct {
	Number       string
	Title        string
	Jurisdiction string
	Opened       time.Time // zero: today
	Assigned     []string
	Tags         []string
}

// CaseSummary is a case's entry in the case list. It is all a list shows and all a
// list reads: it is stored in the vault-level case index so listing 10,000 cases
// unseals no case record, and it never holds the legal identity.
type CaseSummary struct {
	ID       ID         `json:"id"`
	Number   string     `json:"number"`
	Title    string     `json:"title"`
	Alias    string     `json:"alias"`
	Status   CaseStatus `json:"status"`
	Tags     []string   `json:"tags,omitempty"`
	Assigned []string   `json:"assigned,omitempty"`
	Opened   time.Time  `json:"opened"`
	Closed   time.Time  `json:"closed,omitzero"`
	ReadOnly bool       `json:"read_only,omitempty"`
	Origin   string     `json:"origin,omitempty"`
	// Checklist counts the case's checklist by phase and by partner, kept current
	// in the transaction of every checklist change. Nil on an entry written before
	// the counts existed (the migration "vault totals" counts those).
	Checklist *ChecklistCounts `json:"checklist,omitempty"`
}

// CaseFilter narrows ListCases. Empty fields match every case.
type CaseFilter struct {
	Status   CaseStatus
	Tag      string
	Assigned string // a person on the case, compared without regard to letter case
	// Partner keeps the cases where that partner owns open checklist items.
	Partner Partner
	// Overdue keeps the cases with a checklist item or referral overdue by the
	// service clock (read from the vault-level task index).
	Overdue bool
}

// Limits on case fields.
const (
	maxCaseNumber = 40
	maxTitle      = 200
	maxShortText  = 120
	maxPeople     = 50
	maxTags       = 50
)

func caseKey(c ID) Key      { return Key{Type: RecCase, Case: c, ID: c} }
func caseIndexKey(c ID) Key { return Key{Type: RecCaseIndex, ID: c} }

// sameNumber compares case numbers as people do: "2026-tf-1" is "2026-TF-1".
func sameNumber(a, b string) bool { return strings.EqualFold(a, b) }

// foldNumber is a number's form under the folding sameNumber compares by: each
// letter replaced by the smallest of the letters it equals with case ignored, so
// two numbers are the same exactly when their folded forms are equal, and a set of
// numbers can be checked with a map.
func foldNumber(n string) string {
	var b strings.Builder
	b.Grow(len(n))
	for _, r := range n {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// normalise trims and checks every field of the input, returning the cleaned copy.
// Whether the tags are on the vault's indicator list is checkTags' job.
func (in CaseInput) normalise() (CaseInput, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Jurisdiction = strings.TrimSpace(in.Jurisdiction)
	if err := ValidCaseNumber(in.Number); err != nil {
		return in, err
	}
	if err := checkText("title", in.Title, maxTitle, true); err != nil {
		return in, err
	}
	if err := checkText("jurisdiction", in.Jurisdiction, maxShortText, false); err != nil {
		return in, err
	}
	var err error
	if in.Assigned, err = cleanList("assigned", in.Assigned, maxPeople, maxShortText); err != nil {
		return in, err
	}
	if in.Tags, err = cleanList("tags", in.Tags, maxTags, maxShortText); err != nil {
		return in, err
	}
	if !in.Opened.IsZero() {
		if err := checkDate("opened", in.Opened); err != nil {
			return in, err
		}
		in.Opened = dateOnly(in.Opened)
	}
	return in, nil
}

// checkTags refuses a tag that is not on the allowed list (the vault's indicators).
func checkTags(tags, allowed []string) error {
	for _, tag := range tags {
		if !slices.Contains(allowed, tag) {
			return Invalid("tags", "include one that is not on the vault's indicator list")
		}
	}
	return nil
}

// summary is the index entry of a case and its victim's alias.
func (c *Case) summary(alias string) CaseSummary {
	return CaseSummary{
		ID: c.ID, Number: c.Number, Title: c.Title, Alias: alias, Status: c.Status,
		Tags: c.Tags, Assigned: c.Assigned, Opened: c.Opened, Closed: c.Closed,
		ReadOnly: c.ReadOnly, Origin: c.Origin,
	}
}

// CreateCase opens a case with its victim's profile (a case always has an alias
// to show) and the current checklist template, in one transaction.
func (r *Records) CreateCase(in CaseInput, v Victim) (Case, error) {
	var out Case
	err := r.update(func(t Tx) error {
		inds, err := indicators(t)
		if err != nil {
			return err
		}
		in, err := in.normalise()
		if err != nil {
			return err
		}
		if err := checkTags(in.Tags, inds); err != nil {
			return err
		}
		if err := v.normalise(); err != nil {
			return err
		}
		if err := numberFree(t, in.Number, ID{}); err != nil {
			return err
		}
		now := r.now()
		c := Case{
			ID: NewID(), Number: in.Number, Title: in.Title, Status: CaseOpen,
			Jurisdiction: in.Jurisdiction, Opened: in.Opened, Assigned: in.Assigned,
			Tags: in.Tags, Created: now, CreatedBy: r.who(t), Updated: now,
		}
		if c.Opened.IsZero() {
			c.Opened = dateOnly(now)
		}
		if err := t.NewCase(c.ID); err != nil {
			return err
		}
		logEvent(t, AuditEvent{Action: ActCaseCreated, Case: c.ID})
		if err := putJSON(t, caseKey(c.ID), &c); err != nil {
			return err
		}
		if err := putJSON(t, victimKey(c.ID), &v); err != nil {
			return err
		}
		if err := addChecklistFromTemplate(t, &c, now); err != nil {
			return err
		}
		if err := putCase(t, &c); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// numberFree reports ErrExists when another case (not self) already uses the number.
// It reads only the case index. Received (read-only) cases carry their sender's
// numbers, kept apart from local ones: they never make a local number taken.
func numberFree(t Tx, number string, self ID) error {
	taken := false
	key, err := pathOf(t).searchKeyOf(t)
	if err != nil {
		return err
	}
	if key != nil { // one read in the blind number index
		ids, err := lookupNumber(t, key, number, false)
		if err != nil {
			return err
		}
		taken = slices.ContainsFunc(ids, func(id ID) bool { return id != self })
	} else {
		err = scanSummaries(t, func(s *CaseSummary) error {
			if s.ID != self && !s.ReadOnly && sameNumber(s.Number, number) {
				taken = true
				return ErrStopScan
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if !taken {
		taken, err = numberPending(t, number)
		if err != nil {
			return err
		}
	}
	if taken {
		return &FieldError{Field: "case number", Reason: "is already used by another case", Err: ErrExists}
	}
	return nil
}

// putCase writes the case record; the commit path derives its index entry.
func putCase(t Tx, c *Case) error { return putJSON(t, caseKey(c.ID), c) }

// getCase reads a case record.
func getCase(t Tx, id ID) (*Case, error) {
	if id.IsZero() {
		return nil, ErrNotFound
	}
	c := new(Case)
	if err := getJSON(t, caseKey(id), c); err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("case: %w", ErrNotFound)
		}
		return nil, err
	}
	return c, nil
}

// writableCase reads a case that is about to change: received cases are read-only.
func writableCase(t Tx, id ID) (*Case, error) {
	c, err := getCase(t, id)
	if err != nil {
		return nil, err
	}
	if c.ReadOnly {
		return nil, ErrReadOnly
	}
	return c, nil
}

// Case returns one case record.
func (r *Records) Case(id ID) (Case, error) {
	var out Case
	err := r.view(func(t Tx) error {
		c, err := getCase(t, id)
		if err == nil {
			out = *c
		}
		return err
	})
	return out, err
}

// CaseByNumber finds a case by its agency number (letter case ignored). It reads
// only the case index to find it. Received cases keep their sender's numbers apart
// from local ones: a local case with the number comes first.
func (r *Records) CaseByNumber(number string) (Case, error) {
	if err := ValidCaseNumber(number); err != nil {
		return Case{}, err
	}
	var id, received ID
	err := r.view(func(t Tx) error {
		pending, err := pendingCases(t)
		if err != nil {
			return err
		}
		key, err := r.path.searchKeyOf(t)
		if err != nil {
			return err
		}
		if key != nil { // the blind number index: local first, then received
			for _, rcv := range []bool{false, true} {
				ids, err := lookupNumber(t, key, number, rcv)
				if err != nil {
					return err
				}
				for _, x := range ids {
					if !pending[x] {
						id = x
						return nil
					}
				}
			}
			return nil
		}
		return scanSummaries(t, func(s *CaseSummary) error {
			if !sameNumber(s.Number, number) || pending[s.ID] {
				return nil
			}
			if s.ReadOnly {
				received = s.ID
				return nil
			}
			id = s.ID
			return ErrStopScan
		})
	})
	if id.IsZero() {
		id = received
	}
	if err != nil {
		return Case{}, err
	}
	if id.IsZero() {
		return Case{}, fmt.Errorf("case number: %w", ErrNotFound)
	}
	return r.Case(id)
}

// ListCases returns the case list, sorted by case number. It reads only the
// vault-level case index (and the task index for f.Overdue, the vault totals for
// the number of entries): no case record, checklist, victim profile or legal
// identity is unsealed to list cases.
func (r *Records) ListCases(f CaseFilter) ([]CaseSummary, error) {
	var out []CaseSummary
	err := r.view(func(t Tx) error {
		// The vault totals count the entries: one allocation of the list instead of
		// a dozen copies of a growing one (2 MB at 10,000 cases).
		tot, err := readTotals(t)
		if err != nil {
			return err
		}
		n := 0
		for _, k := range tot.Cases {
			n += max(k, 0)
		}
		out = make([]CaseSummary, 0, min(n, maxListHint))
		return r.scanCases(t, f, func(s *CaseSummary) { out = append(out, *s) })
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b CaseSummary) int {
		if c := strings.Compare(strings.ToUpper(a.Number), strings.ToUpper(b.Number)); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out, nil
}

// maxListHint caps the list's first allocation, whatever the totals say.
const maxListHint = 1 << 20

func (f CaseFilter) match(s *CaseSummary) bool {
	if f.Status != "" && s.Status != f.Status {
		return false
	}
	if f.Tag != "" && !slices.Contains(s.Tags, f.Tag) {
		return false
	}
	if f.Assigned != "" && !slices.ContainsFunc(s.Assigned, func(p string) bool { return strings.EqualFold(p, f.Assigned) }) {
		return false
	}
	if f.Partner != "" && s.Checklist.Open(f.Partner) == 0 {
		return false
	}
	return true
}

// UpdateCase changes a case's number, title, jurisdiction, opening date, team and
// tags. The status changes through SetCaseStatus.
func (r *Records) UpdateCase(id ID, in CaseInput) (Case, error) {
	var out Case
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActCaseEdited, Case: id})
		c, err := writableCase(t, id)
		if err != nil {
			return err
		}
		inds, err := indicators(t)
		if err != nil {
			return err
		}
		// Tags already on the case stay allowed after they leave the list.
		in, err := in.normalise()
		if err != nil {
			return err
		}
		if err := checkTags(in.Tags, append(inds, c.Tags...)); err != nil {
			return err
		}
		if in.Number != c.Number {
			if err := numberFree(t, in.Number, c.ID); err != nil {
				return err
			}
		}
		c.Number, c.Title, c.Jurisdiction = in.Number, in.Title, in.Jurisdiction
		c.Assigned, c.Tags = in.Assigned, in.Tags
		if !in.Opened.IsZero() {
			c.Opened = in.Opened
		}
		c.Updated = r.now()
		if err := putCase(t, c); err != nil {
			return err
		}
		out = *c
		return nil
	})
	return out, err
}

// SetCaseStatus moves a case between open, inactive and closed. Closing needs a
// reason, which stays on the record until the case reopens.
func (r *Records) SetCaseStatus(id ID, status CaseStatus, reason string) (Case, error) {
	reason = strings.TrimSpace(reason)
	if !status.valid() {
		return Case{}, Invalid("status", "is not open, inactive or closed")
	}
	if status == CaseClosed {
		if err := checkText("closing reason", reason, maxTitle, true); err != nil {
			return Case{}, err
		}
	}
	var out Case
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActCaseStatus, Case: id, Reason: string(status)})
		c, err := writableCase(t, id)
		if err != nil {
			return err
		}
		now := r.now()
		wasClosed := c.Status == CaseClosed
		c.Status = status
		switch {
		case status != CaseClosed:
			c.ClosedReason, c.Closed = "", time.Time{}
		case wasClosed: // a new reason keeps the date it closed
			c.ClosedReason = reason
		default:
			c.ClosedReason, c.Closed = reason, dateOnly(now)
		}
		c.Updated = now
		// The commit path takes a closed case's deadlines off the task list and puts
		// them back when it reopens (derive.go).
		if err := putCase(t, c); err != nil {
			return err
		}
		out = *c
		return nil
	})
	return out, err
}
