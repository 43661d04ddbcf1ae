package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// EventKind is the kind of a timeline event.
type EventKind string

// EventKinds lists the kinds of timeline events.
var EventKinds = []EventKind{"missing-episode", "recovery", "placement-change", "interview",
	"exam", "court-date", "other"}

// TimelineEvent is one dated event of a case, in a line: the rough timeline a
// partner may need to plan without reading the notes.
type TimelineEvent struct {
	ID          ID        `json:"id"`
	Case        ID        `json:"case"`
	Kind        EventKind `json:"kind"`
	Date        time.Time `json:"date"`
	Source      string    `json:"source,omitempty"` // where the fact comes from: "CPS report", "school"
	Description string    `json:"description"`
	Created     time.Time `json:"created"`
	By          string    `json:"by,omitempty"`
}

// TimelineInput is an event as a user records it.
type TimelineInput struct {
	Kind        EventKind
	Date        time.Time
	Source      string
	Description string
}

// maxEventDescription keeps timeline entries short: detail belongs in notes.
const maxEventDescription = 280

func (in *TimelineInput) normalise() error {
	if !slices.Contains(EventKinds, in.Kind) {
		return Invalid("event kind", quoteShort(string(in.Kind))+"is not a kind of timeline event")
	}
	if in.Date.IsZero() {
		return Invalid("event date", "is required")
	}
	if err := checkDate("event date", in.Date); err != nil {
		return err
	}
	in.Date = in.Date.UTC()
	in.Source, in.Description = strings.TrimSpace(in.Source), strings.TrimSpace(in.Description)
	if err := checkText("source", in.Source, maxShortText, false); err != nil {
		return err
	}
	return checkText("description", in.Description, maxEventDescription, true)
}

// AddTimelineEvent records an event; the timeline lists by event date.
func (r *Records) AddTimelineEvent(caseID ID, in TimelineInput) (TimelineEvent, error) {
	if err := in.normalise(); err != nil {
		return TimelineEvent{}, err
	}
	var ev TimelineEvent
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActTimelineAdded, Case: caseID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		ev = TimelineEvent{ID: NewID(), Case: caseID, Kind: in.Kind, Date: in.Date, Source: in.Source,
			Description: in.Description, Created: r.now(), By: r.who(t)}
		return putJSON(t, timelineKey(caseID, ev.Date, ev.ID), &ev)
	})
	return ev, err
}

func timelineKey(c ID, date time.Time, id ID) Key {
	return Key{Type: RecTimeline, Case: c, Order: uint64(date.UnixNano()), ID: id}
}

// DeleteTimelineEvent removes an event recorded by mistake.
func (r *Records) DeleteTimelineEvent(caseID, id ID) error {
	return r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActTimelineDeleted, Case: caseID, Object: id})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var found *Key
		err := t.ScanKeys(RecTimeline, caseID, func(k Key) error {
			if k.ID == id {
				found = &k
				return ErrStopScan
			}
			return nil
		})
		if err != nil {
			return err
		}
		if found == nil {
			return fmt.Errorf("timeline event: %w", ErrNotFound)
		}
		return t.Delete(*found)
	})
}

// Timeline returns a case's events in date order.
func (r *Records) Timeline(caseID ID) ([]TimelineEvent, error) {
	var out []TimelineEvent
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecTimeline, caseID, func(_ Key, v *TimelineEvent) error {
			out = append(out, *v)
			return nil
		})
	})
	return out, err
}
