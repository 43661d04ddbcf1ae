package app

import "strings"

// ReceivedPractice is the MDT practice's part of a case that came in a bundle
// (issue 14): a prosecutor's copy carries references, court dates, notifications and
// outcomes; a transfer also the review interval and legal hold, and links by number.
type ReceivedPractice struct {
	ReviewIntervalDays int
	Hold               *LegalHold
	References         []Reference
	Hearings           []Hearing
	Notifications      []Notification
	People             []Person
	Charges            []Charge
	Outcome            *CaseOutcome
	// Links name other cases by number: a transfer links to the local case with that
	// number, if there is one; a received copy keeps no links.
	Links []FileLink
}

// receivedPracticeTypes are replaced by a newer bundle of a received case.
var receivedPracticeTypes = []RecordType{RecCasePractice, RecReference, RecHearing, RecNotification, RecPerson,
	RecCharge, RecOutcome, RecCaseLink}

// writeReceivedPractice writes the practice records a bundle carried, each checked as
// a local record is.
func (r *Records) writeReceivedPractice(t Tx, id ID, p *ReceivedPractice) error {
	if p.ReviewIntervalDays != 0 || p.Hold != nil {
		cp := CasePractice{ReviewIntervalDays: min(max(p.ReviewIntervalDays, 0), maxReviewInterval), Hold: p.Hold}
		if err := putJSON(t, casePracticeKey(id), &cp); err != nil {
			return err
		}
	}
	for _, v := range p.References {
		v.Case = id
		in := v.Input()
		if err := in.normalise(); err != nil {
			return within("reference", err)
		}
		if v.ID.IsZero() {
			v.ID = NewID()
		}
		if err := putJSON(t, referenceKey(id, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.Hearings {
		v.Case = id
		in := HearingInput{At: v.At, Court: v.Court, Type: v.Type}
		if err := in.normalise(); err != nil {
			return within("hearing", err)
		}
		if err := checkText("outcome", v.Outcome, maxSummary, false); err != nil {
			return within("hearing", err)
		}
		if v.ID.IsZero() {
			v.ID = NewID()
		}
		if err := putJSON(t, hearingKey(id, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.Notifications {
		v.Case = id
		in := NotificationInput{At: v.At, To: v.To, Method: v.Method, Summary: v.Summary, Language: v.Language, Interpreter: v.Interpreter}
		if err := in.normalise(); err != nil {
			return within("notification", err)
		}
		if v.ID.IsZero() {
			v.ID = NewID()
		}
		if err := putJSON(t, notificationKey(id, v.At, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.People {
		v.Case = id
		in := PersonInput{Reference: v.Reference, Role: v.Role, Relationship: v.Relationship}
		if err := in.normalise(); err != nil {
			return within("person", err)
		}
		if v.ID.IsZero() {
			return within("person", Invalid("id", "is missing"))
		}
		if err := putJSON(t, personKey(id, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.Charges {
		v.Case = id
		in := v.Input()
		if err := in.normalise(); err != nil {
			return within("charge", err)
		}
		if v.ID.IsZero() {
			v.ID = NewID()
		}
		if err := putJSON(t, chargeKey(id, v.ID), &v); err != nil {
			return err
		}
	}
	if o := p.Outcome; o != nil {
		if err := putJSON(t, outcomeKey(id), o); err != nil {
			return err
		}
	}
	if len(p.Links) == 0 {
		return nil
	}
	c, err := getCase(t, id)
	if err != nil || c.ReadOnly {
		return err
	}
	local := map[string]ID{}
	err = scanSummaries(t, func(s *CaseSummary) error {
		if !s.ReadOnly {
			local[strings.ToUpper(s.Number)] = s.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, l := range p.Links {
		other, ok := local[strings.ToUpper(l.Number)]
		if !ok || other == id {
			continue
		}
		cl := CaseLink{ID: NewID(), Case: id, Linked: other, Relation: l.Relation, Created: r.now(), By: r.who(t)}
		if err := putJSON(t, caseLinkKey(id, cl.ID), &cl); err != nil {
			return err
		}
	}
	return nil
}
