package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ServiceType is the kind of service a referral asks for.
type ServiceType string

// ServiceTypes lists the services of the services phase (docs/domain.md), and a few more.
var ServiceTypes = []ServiceType{"advocacy", "therapy", "housing-placement", "school", "legal",
	"compensation", "medical", "other"}

// ReferralStatus is where a referral stands.
type ReferralStatus string

// Referral statuses. Completed, declined and closed end a referral: a new need is a
// new referral, so the history of each stays readable.
const (
	ReferralReferred   ReferralStatus = "referred"
	ReferralAccepted   ReferralStatus = "accepted"
	ReferralInProgress ReferralStatus = "in-progress"
	ReferralCompleted  ReferralStatus = "completed"
	ReferralDeclined   ReferralStatus = "declined"
	ReferralClosed     ReferralStatus = "closed"
)

// ReferralStatuses lists the statuses in the order a referral moves through them.
var ReferralStatuses = []ReferralStatus{ReferralReferred, ReferralAccepted, ReferralInProgress,
	ReferralCompleted, ReferralDeclined, ReferralClosed}

// Open reports whether the referral still needs work.
func (s ReferralStatus) Open() bool {
	return s == ReferralReferred || s == ReferralAccepted || s == ReferralInProgress
}

// Referral is a referral to a service partner, with the history of its status. Its
// due date, while it is open, puts it on the upcoming and overdue task list.
type Referral struct {
	ID      ID             `json:"id"`
	Case    ID             `json:"case"`
	Service ServiceType    `json:"service"`
	Partner string         `json:"partner"`
	Status  ReferralStatus `json:"status"`
	Due     time.Time      `json:"due,omitzero"` // a date
	History []StatusChange `json:"history"`
	Created time.Time      `json:"created"`
	By      string         `json:"by,omitempty"`
	// PartnerID is the partner's directory entry, when picked from it (or linked
	// later: directory_use.go).
	PartnerID ID `json:"partner_id,omitzero"`
}

// StatusChange is one step in a referral's history.
type StatusChange struct {
	Status ReferralStatus `json:"status"`
	At     time.Time      `json:"at"`
	By     string         `json:"by,omitempty"`
}

// ReferralInput is a new referral as a user records it.
type ReferralInput struct {
	Service ServiceType
	Partner string
	Due     time.Time // zero: no due date
	// PartnerID picks the partner from the directory; Partner is then its name.
	PartnerID ID
}

func (in *ReferralInput) normalise() error {
	if !slices.Contains(ServiceTypes, in.Service) {
		return Invalid("service", quoteShort(string(in.Service))+"is not a service type")
	}
	in.Partner = strings.TrimSpace(in.Partner)
	if err := checkText("partner", in.Partner, maxShortText, true); err != nil {
		return err
	}
	if !in.Due.IsZero() {
		if err := checkDate("due date", in.Due); err != nil {
			return err
		}
		in.Due = dateOnly(in.Due)
	}
	return nil
}

func parseReferralStatus(s string) (ReferralStatus, error) {
	if v := ReferralStatus(s); slices.Contains(ReferralStatuses, v) {
		return v, nil
	}
	return "", Invalid("status", quoteShort(s)+"is not a referral status")
}

// task is the referral's entry on the task list.
func (ref *Referral) task() TaskRef {
	return TaskRef{Case: ref.Case, Item: ref.ID, Kind: TaskReferral, Due: ref.Due,
		Title: "Referral: " + string(ref.Service), Partner: ref.Partner}
}

func referralKey(c, id ID) Key { return Key{Type: RecReferral, Case: c, ID: id} }

// AddReferral records a referral, status "referred".
func (r *Records) AddReferral(caseID ID, in ReferralInput) (Referral, error) {
	if !in.PartnerID.IsZero() {
		e, err := r.PartnerByID(in.PartnerID)
		if err != nil {
			return Referral{}, Invalid("partner", "is no longer in the partner directory: choose it again")
		}
		in.Partner = e.Name()
	}
	if err := in.normalise(); err != nil {
		return Referral{}, err
	}
	var ref Referral
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActReferralAdded, Case: caseID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		now := r.now()
		ref = Referral{ID: NewID(), Case: caseID, Service: in.Service, Partner: in.Partner, PartnerID: in.PartnerID,
			Status: ReferralReferred, Due: in.Due, Created: now, By: r.who(t),
			History: []StatusChange{{Status: ReferralReferred, At: now, By: r.who(t)}}}
		return putJSON(t, referralKey(caseID, ref.ID), &ref)
	})
	return ref, err
}

// changeReferral reads a referral of a writable case, lets fn change it, and stores
// it with the task list in step.
func (r *Records) changeReferral(caseID, id ID, fn func(ref *Referral, now time.Time, by string) error) (Referral, error) {
	var out Referral
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActReferralChanged, Case: caseID, Object: id})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var ref Referral
		if err := getJSON(t, referralKey(caseID, id), &ref); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("referral: %w", ErrNotFound)
			}
			return err
		}
		if err := fn(&ref, r.now(), r.who(t)); err != nil {
			return err
		}
		out = ref
		return putJSON(t, referralKey(caseID, id), &ref)
	})
	return out, err
}

// SetReferralStatus moves a referral on and adds the step to its history. A
// completed, declined or closed referral does not reopen: record a new one.
func (r *Records) SetReferralStatus(caseID, id ID, status ReferralStatus) (Referral, error) {
	if _, err := parseReferralStatus(string(status)); err != nil {
		return Referral{}, err
	}
	return r.changeReferral(caseID, id, func(ref *Referral, now time.Time, by string) error {
		if ref.Status == status {
			return nil
		}
		if !ref.Status.Open() {
			return Invalid("status", "cannot change once the referral is completed, declined or closed: add a new referral")
		}
		ref.Status = status
		ref.History = append(ref.History, StatusChange{Status: status, At: now, By: by})
		return nil
	})
}

// SetReferralDue sets or (with a zero time) removes a referral's due date.
func (r *Records) SetReferralDue(caseID, id ID, due time.Time) (Referral, error) {
	if !due.IsZero() {
		if err := checkDate("due date", due); err != nil {
			return Referral{}, err
		}
		due = dateOnly(due)
	}
	return r.changeReferral(caseID, id, func(ref *Referral, _ time.Time, _ string) error {
		ref.Due = due
		return nil
	})
}

// Referrals returns a case's referrals, oldest first.
func (r *Records) Referrals(caseID ID) ([]Referral, error) {
	var out []Referral
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecReferral, caseID, func(_ Key, v *Referral) error {
			out = append(out, *v)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Referral) int { return a.Created.Compare(b.Created) })
	return out, err
}
