package app

import (
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// NoteKind says what a note records.
type NoteKind string

// Note kinds.
const (
	NoteContact            NoteKind = "contact"
	NoteInterviewReference NoteKind = "interview-reference" // date, interviewer and recording reference, never the content
	NoteObservation        NoteKind = "observation"
	NoteService            NoteKind = "service"
	NoteCourt              NoteKind = "court"
	NoteSupervisorReview   NoteKind = "supervisor-review"
	NoteOther              NoteKind = "other"
)

// NoteKinds lists the kinds in the order a form offers them.
var NoteKinds = []NoteKind{NoteContact, NoteInterviewReference, NoteObservation, NoteService,
	NoteCourt, NoteSupervisorReview, NoteOther}

// Sensitivity says who may see a note beyond its team.
type Sensitivity string

// Sensitivities. Advocate-privileged notes leave the vault only under a victim's
// release that covers them (see MayShare).
const (
	SensitivityStandard           Sensitivity = "standard"
	SensitivityRestricted         Sensitivity = "restricted"
	SensitivityAdvocatePrivileged Sensitivity = "advocate-privileged"
)

// Sensitivities lists them from least to most protected.
var Sensitivities = []Sensitivity{SensitivityStandard, SensitivityRestricted, SensitivityAdvocatePrivileged}

// ParseNoteKind checks a note kind written by a person or a file.
func ParseNoteKind(s string) (NoteKind, error) {
	if k := NoteKind(s); slices.Contains(NoteKinds, k) {
		return k, nil
	}
	return "", Invalid("kind", quoteShort(s)+"is not a note kind")
}

// ParseSensitivity checks a sensitivity written by a person or a file.
func ParseSensitivity(s string) (Sensitivity, error) {
	if v := Sensitivity(s); slices.Contains(Sensitivities, v) {
		return v, nil
	}
	return "", Invalid("sensitivity", quoteShort(s)+"is not standard, restricted or advocate-privileged")
}

// Note is an entry in the case record. It is a draft until its author finalises it;
// a final note never changes again, and corrections are addenda shown beside it.
type Note struct {
	ID          ID          `json:"id"`
	Case        ID          `json:"case"`
	Kind        NoteKind    `json:"kind"`
	Body        string      `json:"body"`
	Author      string      `json:"author"`
	Sensitivity Sensitivity `json:"sensitivity"`
	Created     time.Time   `json:"created"`
	Updated     time.Time   `json:"updated"`
	Finalised   time.Time   `json:"finalised,omitzero"`
	FinalisedBy string      `json:"finalised_by,omitempty"`
	// Addenda are the corrections and additions to a final note, oldest first.
	// They are stored as records of their own and attached when a note is read.
	Addenda []Addendum `json:"addenda,omitempty"`
	// Contact holds a contact note's structured facts (contact.go).
	Contact *ContactDetails `json:"contact,omitempty"`
}

// Final reports whether the note is final (and so can no longer change).
func (n *Note) Final() bool { return !n.Finalised.IsZero() }

// NoteInput is what a user writes: kind, text and sensitivity.
type NoteInput struct {
	Kind        NoteKind
	Body        string
	Sensitivity Sensitivity // empty: standard
	// Contact, for a contact note, records who was present, language, interpreter,
	// setting type and duration (AddNote; SetContactDetails changes a draft's).
	Contact *ContactDetails
}

// Addendum corrects or adds to a final note without changing it. It is final from
// the moment it is written.
type Addendum struct {
	ID      ID        `json:"id"`
	Note    ID        `json:"note"`
	Body    string    `json:"body"`
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
}

// maxNoteBody bounds a note's or addendum's text.
const maxNoteBody = 1 << 20

func (in *NoteInput) check() error {
	if _, err := ParseNoteKind(string(in.Kind)); err != nil {
		return err
	}
	if in.Sensitivity == "" {
		in.Sensitivity = SensitivityStandard
	}
	if _, err := ParseSensitivity(string(in.Sensitivity)); err != nil {
		return err
	}
	return checkBody("note text", in.Body, maxNoteBody, false)
}

// lastOrder keeps ordering keys strictly increasing within this process, so notes
// written in the same instant still list in the order they were written.
var lastOrder atomic.Uint64

// nextOrder is the ordering key for a record created at t.
func nextOrder(t time.Time) uint64 {
	n := uint64(t.UnixNano())
	for {
		last := lastOrder.Load()
		if n <= last {
			n = last + 1
		}
		if lastOrder.CompareAndSwap(last, n) {
			return n
		}
	}
}

// AddNote starts a note as a draft by the current user.
func (r *Records) AddNote(caseID ID, in NoteInput) (Note, error) {
	if err := in.check(); err != nil {
		return Note{}, err
	}
	contact, err := checkContact(in.Kind, in.Contact)
	if err != nil {
		return Note{}, err
	}
	var n Note
	err = r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		author, err := r.author(t)
		if err != nil {
			return err
		}
		now := r.now()
		n = Note{ID: NewID(), Case: caseID, Kind: in.Kind, Body: in.Body, Author: author,
			Sensitivity: in.Sensitivity, Created: now, Updated: now, Contact: contact}
		logEvent(t, AuditEvent{Action: ActNoteCreated, Case: caseID, Object: n.ID})
		return putJSON(t, Key{Type: RecNote, Case: caseID, Order: nextOrder(r.Now()), ID: n.ID}, &n)
	})
	return n, err
}

// noteKey finds where a note is stored (its key carries its creation order). It
// reads keys only.
func noteKey(t Tx, caseID, noteID ID) (Key, error) {
	var found Key
	err := t.ScanKeys(RecNote, caseID, func(k Key) error {
		if k.ID == noteID {
			found = k
			return ErrStopScan
		}
		return nil
	})
	if err != nil {
		return Key{}, err
	}
	if found.ID.IsZero() {
		return Key{}, fmt.Errorf("note: %w", ErrNotFound)
	}
	return found, nil
}

// draft reads a note that is about to change: it must be a draft in a case that
// is not read-only.
func draft(t Tx, caseID, noteID ID) (Key, *Note, error) {
	if _, err := writableCase(t, caseID); err != nil {
		return Key{}, nil, err
	}
	k, err := noteKey(t, caseID, noteID)
	if err != nil {
		return Key{}, nil, err
	}
	n := new(Note)
	if err := getJSON(t, k, n); err != nil {
		return Key{}, nil, err
	}
	if n.Final() {
		return Key{}, nil, ErrFinal
	}
	return k, n, nil
}

// SaveDraft replaces a draft's text. It is the autosave path, called every few
// seconds while a user types: one small write.
func (r *Records) SaveDraft(caseID, noteID ID, body string) error {
	if err := checkBody("note text", body, maxNoteBody, false); err != nil {
		return err
	}
	return r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActNoteEdited, Case: caseID, Object: noteID})
		k, n, err := draft(t, caseID, noteID)
		if err != nil {
			return err
		}
		n.Body, n.Updated = body, r.now()
		return putJSON(t, k, n)
	})
}

// UpdateNote changes a draft's kind, text and sensitivity.
func (r *Records) UpdateNote(caseID, noteID ID, in NoteInput) (Note, error) {
	if err := in.check(); err != nil {
		return Note{}, err
	}
	var out Note
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActNoteEdited, Case: caseID, Object: noteID})
		k, n, err := draft(t, caseID, noteID)
		if err != nil {
			return err
		}
		n.Kind, n.Body, n.Sensitivity, n.Updated = in.Kind, in.Body, in.Sensitivity, r.now()
		if n.Kind != NoteContact {
			n.Contact = nil // contact details belong to contact notes only
		}
		out = *n
		return putJSON(t, k, n)
	})
	return out, err
}

// FinaliseNote makes a draft final, recording who finalised it and when. From
// then on the note never changes; corrections are addenda.
func (r *Records) FinaliseNote(caseID, noteID ID) (Note, error) {
	var out Note
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActNoteFinalized, Case: caseID, Object: noteID})
		k, n, err := draft(t, caseID, noteID)
		if err != nil {
			return err
		}
		if err := checkBody("note text", n.Body, maxNoteBody, true); err != nil {
			return err
		}
		who, err := r.author(t)
		if err != nil {
			return err
		}
		now := r.now()
		n.Finalised, n.FinalisedBy, n.Updated = now, who, now
		out = *n
		return putJSON(t, k, n)
	})
	// AUDIT: the audit trail records the finalisation (note id, user, time).
	return out, err
}

// DeleteNote deletes a draft. A final note cannot be deleted (ErrFinal).
func (r *Records) DeleteNote(caseID, noteID ID) error {
	return r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActNoteDeleted, Case: caseID, Object: noteID})
		k, _, err := draft(t, caseID, noteID)
		if err != nil {
			return err
		}
		return t.Delete(k)
	})
}

// AddAddendum adds a correction or addition to a final note, keeping the original,
// and who wrote the addendum and when. A draft is edited instead.
func (r *Records) AddAddendum(caseID, noteID ID, body string) (Addendum, error) {
	if err := checkBody("addendum text", body, maxNoteBody, true); err != nil {
		return Addendum{}, err
	}
	var a Addendum
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActAddendum, Case: caseID, Object: noteID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		k, err := noteKey(t, caseID, noteID)
		if err != nil {
			return err
		}
		var n Note
		if err := getJSON(t, k, &n); err != nil {
			return err
		}
		if !n.Final() {
			return Invalid("note", "is still a draft: edit it instead of adding an addendum")
		}
		author, err := r.author(t)
		if err != nil {
			return err
		}
		a = Addendum{ID: NewID(), Note: noteID, Body: body, Author: author, Created: r.now()}
		return putJSON(t, Key{Type: RecAddendum, Case: caseID, Order: nextOrder(r.Now()), ID: a.ID}, &a)
	})
	return a, err
}

// Note returns one note with its addenda.
func (r *Records) Note(caseID, noteID ID) (Note, error) {
	var out Note
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		k, err := noteKey(t, caseID, noteID)
		if err != nil {
			return err
		}
		if err := getJSON(t, k, &out); err != nil {
			return err
		}
		return scanJSON(t, RecAddendum, caseID, func(_ Key, a *Addendum) error {
			if a.Note == noteID {
				out.Addenda = append(out.Addenda, *a)
			}
			return nil
		})
	})
	return out, err
}

// Notes returns a case's notes in the order they were written, each with its
// addenda beside it.
func (r *Records) Notes(caseID ID) ([]Note, error) {
	var out []Note
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		pos := map[ID]int{}
		err := scanJSON(t, RecNote, caseID, func(_ Key, n *Note) error {
			n.Addenda = nil
			pos[n.ID] = len(out)
			out = append(out, *n)
			return nil
		})
		if err != nil {
			return err
		}
		return scanJSON(t, RecAddendum, caseID, func(_ Key, a *Addendum) error {
			if i, ok := pos[a.Note]; ok {
				out[i].Addenda = append(out[i].Addenda, *a)
			}
			return nil
		})
	})
	return out, err
}
