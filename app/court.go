package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Court dates and the victim-notification log. The youth has a right to be told of
// proceedings: every notification records who was told, how, when, what was said,
// in which language and through which interpreter. A hearing without a recorded
// outcome is on the task list: upcoming until it happens, then waiting for its
// outcome.

// HearingTypes are the kinds of hearing a case meets, criminal and dependency.
var HearingTypes = []string{"arraignment", "detention", "preliminary-hearing", "motion", "plea", "trial",
	"sentencing", "restitution", "protective-order", "dependency", "review", "other"}

// Hearing is one court date of a case.
type Hearing struct {
	ID      ID        `json:"id"`
	Case    ID        `json:"case"`
	At      time.Time `json:"at"` // date and time
	Court   string    `json:"court"`
	Type    string    `json:"type"`
	Outcome string    `json:"outcome,omitempty"`
	// OutcomeAt is when the outcome was recorded, OutcomeBy by whom.
	OutcomeAt time.Time `json:"outcome_at,omitzero"`
	OutcomeBy string    `json:"outcome_by,omitempty"`
	Created   time.Time `json:"created"`
	By        string    `json:"by,omitempty"`
}

// HearingInput is a court date as a user records it.
type HearingInput struct {
	At    time.Time
	Court string
	Type  string
}

func (in *HearingInput) normalise() error {
	in.Court = strings.TrimSpace(in.Court)
	if in.At.IsZero() {
		return Invalid("hearing date", "is required")
	}
	if err := checkDate("hearing date", in.At); err != nil {
		return err
	}
	in.At = in.At.UTC().Truncate(time.Minute)
	if err := checkText("court", in.Court, maxShortText, true); err != nil {
		return err
	}
	return checkChoice("hearing type", in.Type, HearingTypes)
}

func hearingKey(c, id ID) Key { return Key{Type: RecHearing, Case: c, ID: id} }

// AddHearing records a court date.
func (r *Records) AddHearing(caseID ID, in HearingInput) (Hearing, error) {
	if err := in.normalise(); err != nil {
		return Hearing{}, err
	}
	var out Hearing
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		out = Hearing{ID: NewID(), Case: caseID, At: in.At, Court: in.Court, Type: in.Type, Created: r.now(), By: r.who(t)}
		return putJSON(t, hearingKey(caseID, out.ID), &out)
	})
	return out, err
}

// changeHearing reads a hearing of a writable case, lets fn change it and stores it.
func (r *Records) changeHearing(caseID, id ID, fn func(t Tx, h *Hearing) error) (Hearing, error) {
	var out Hearing
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var h Hearing
		if err := getJSON(t, hearingKey(caseID, id), &h); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("hearing: %w", ErrNotFound)
			}
			return err
		}
		if err := fn(t, &h); err != nil {
			return err
		}
		out = h
		return putJSON(t, hearingKey(caseID, id), &h)
	})
	return out, err
}

// RescheduleHearing moves a hearing that has no outcome yet to a new date and time.
func (r *Records) RescheduleHearing(caseID, id ID, at time.Time) (Hearing, error) {
	if at.IsZero() {
		return Hearing{}, Invalid("hearing date", "is required")
	}
	if err := checkDate("hearing date", at); err != nil {
		return Hearing{}, err
	}
	return r.changeHearing(caseID, id, func(_ Tx, h *Hearing) error {
		if h.Outcome != "" {
			return Invalid("hearing", "already has its outcome: record a new hearing for a new date")
		}
		h.At = at.UTC().Truncate(time.Minute)
		return nil
	})
}

// SetHearingOutcome records what happened at a hearing ("continued to Mar 3",
// "plea entered", "protective order granted"); the hearing leaves the task list.
func (r *Records) SetHearingOutcome(caseID, id ID, outcome string) (Hearing, error) {
	outcome = strings.TrimSpace(outcome)
	if err := checkText("outcome", outcome, maxSummary, true); err != nil {
		return Hearing{}, err
	}
	return r.changeHearing(caseID, id, func(t Tx, h *Hearing) error {
		h.Outcome, h.OutcomeAt, h.OutcomeBy = outcome, r.now(), r.who(t)
		return nil
	})
}

// Hearings returns a case's court dates, earliest first.
func (r *Records) Hearings(caseID ID) ([]Hearing, error) {
	var out []Hearing
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecHearing, caseID, func(_ Key, v *Hearing) error {
			out = append(out, *v)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Hearing) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.Court+a.Type, b.Court+b.Type)
	})
	return out, err
}

// task is a hearing without an outcome: on the task list by its date.
func (h *Hearing) task() (TaskRef, bool) {
	if h.Outcome != "" {
		return TaskRef{}, false
	}
	return TaskRef{Case: h.Case, Item: h.ID, Kind: TaskHearing, Due: h.At,
		Title: "Hearing: " + strings.ReplaceAll(h.Type, "-", " "), Partner: h.Court}, true
}

// Interpreter is who interpreted, and into which language.
type Interpreter struct {
	Name     string `json:"name"`
	Language string `json:"language"`
}

func (ip *Interpreter) normalise() error {
	ip.Name, ip.Language = strings.TrimSpace(ip.Name), strings.TrimSpace(ip.Language)
	if err := checkText("interpreter", ip.Name, 80, true); err != nil {
		return err
	}
	return checkText("interpreter's language", ip.Language, 60, true)
}

// NotifiedParties are who a notification can go to.
var NotifiedParties = []string{"youth", "parent-or-guardian", "caseworker", "attorney", "other"}

// NotificationMethods are how a notification is given.
var NotificationMethods = []string{"in-person", "phone", "video", "letter", "email", "text-message"}

// Notification is one entry of the victim-notification log.
type Notification struct {
	ID          ID           `json:"id"`
	Case        ID           `json:"case"`
	At          time.Time    `json:"at"`
	To          string       `json:"to"`     // NotifiedParties
	Method      string       `json:"method"` // NotificationMethods
	Summary     string       `json:"summary"`
	Language    string       `json:"language,omitempty"`
	Interpreter *Interpreter `json:"interpreter,omitempty"`
	Hearing     ID           `json:"hearing,omitzero"` // the hearing it was about, if any
	Created     time.Time    `json:"created"`
	By          string       `json:"by,omitempty"`
}

// NotificationInput is a notification as a user records it.
type NotificationInput struct {
	At          time.Time
	To          string
	Method      string
	Summary     string
	Language    string
	Interpreter *Interpreter
	Hearing     ID
}

func (in *NotificationInput) normalise() error {
	in.Summary, in.Language = strings.TrimSpace(in.Summary), strings.TrimSpace(in.Language)
	if in.At.IsZero() {
		return Invalid("notified", "is required: when the notification was given")
	}
	if err := checkDate("notified", in.At); err != nil {
		return err
	}
	in.At = in.At.UTC().Truncate(time.Minute)
	if err := checkChoice("notified party", in.To, NotifiedParties); err != nil {
		return err
	}
	if err := checkChoice("method", in.Method, NotificationMethods); err != nil {
		return err
	}
	if err := checkText("what was said", in.Summary, maxSummary, true); err != nil {
		return err
	}
	if err := checkText("language", in.Language, 60, false); err != nil {
		return err
	}
	if in.Interpreter != nil {
		if err := in.Interpreter.normalise(); err != nil {
			return err
		}
	}
	return nil
}

func notificationKey(c ID, at time.Time, id ID) Key {
	return Key{Type: RecNotification, Case: c, Order: uint64(at.UnixNano()), ID: id}
}

// AddNotification adds an entry to the victim-notification log.
func (r *Records) AddNotification(caseID ID, in NotificationInput) (Notification, error) {
	if err := in.normalise(); err != nil {
		return Notification{}, err
	}
	if err := notFuture("notified", in.At, r.now()); err != nil {
		return Notification{}, err
	}
	var out Notification
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if !in.Hearing.IsZero() {
			if _, err := t.Get(hearingKey(caseID, in.Hearing)); err != nil {
				if isNotFound(err) {
					return Invalid("hearing", "is not a hearing of this case")
				}
				return err
			}
		}
		out = Notification{ID: NewID(), Case: caseID, At: in.At, To: in.To, Method: in.Method, Summary: in.Summary,
			Language: in.Language, Interpreter: in.Interpreter, Hearing: in.Hearing, Created: r.now(), By: r.who(t)}
		return putJSON(t, notificationKey(caseID, out.At, out.ID), &out)
	})
	return out, err
}

// Notifications returns the victim-notification log, oldest first. Entries are
// never changed: a correction is a new entry.
func (r *Records) Notifications(caseID ID) ([]Notification, error) {
	var out []Notification
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecNotification, caseID, func(_ Key, v *Notification) error {
			out = append(out, *v)
			return nil
		})
	})
	return out, err
}
