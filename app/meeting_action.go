package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

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
