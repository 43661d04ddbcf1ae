package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The people of a case (one part of what a case led to, see outcomes.go). People
// are never recorded by their details: a reference ("Suspect A") and their
// relationship to the youth, so lists, exports and minutes cannot leak who they are.

// PersonRoles are what a person is to the case. Suspects and buyers are alleged
// offenders: a release they sign is refused.
var PersonRoles = []string{"suspect", "buyer", "witness", "other"}

// Relationships are what a person is to the youth.
var Relationships = []string{"parent", "step-parent", "guardian", "sibling", "other relative", "intimate partner",
	"friend or peer", "acquaintance", "online contact", "stranger", "unknown"}

// Person is someone in a case, by pseudonymous reference only.
type Person struct {
	ID           ID        `json:"id"`
	Case         ID        `json:"case"`
	Reference    string    `json:"reference"` // "Suspect A", "Buyer 2": never a name
	Role         string    `json:"role"`
	Relationship string    `json:"relationship"`
	Created      time.Time `json:"created"`
	By           string    `json:"by,omitempty"`
	Updated      time.Time `json:"updated,omitzero"`
}

// AllegedOffender reports whether the person is a suspect or a buyer.
func (p Person) AllegedOffender() bool { return p.Role == "suspect" || p.Role == "buyer" }

// PersonInput is a person as a user records them.
type PersonInput struct {
	Reference    string
	Role         string
	Relationship string
}

// maxPersonReference keeps a pseudonymous reference short: it is a label, not a
// description.
const maxPersonReference = 40

func (in *PersonInput) normalise() error {
	in.Reference = strings.TrimSpace(in.Reference)
	if err := checkText("pseudonymous reference", in.Reference, maxPersonReference, true); err != nil {
		return err
	}
	if err := checkChoice("role", in.Role, PersonRoles); err != nil {
		return err
	}
	if in.Relationship == "" {
		in.Relationship = "unknown"
	}
	return checkChoice("relationship to the youth", in.Relationship, Relationships)
}

func personKey(c, id ID) Key { return Key{Type: RecPerson, Case: c, ID: id} }

// referenceFree refuses a reference another person of the case (not self) uses.
func referenceFree(t Tx, caseID, self ID, reference string) error {
	return scanJSON(t, RecPerson, caseID, func(_ Key, p *Person) error {
		if p.ID != self && strings.EqualFold(p.Reference, reference) {
			return &FieldError{Field: "pseudonymous reference", Reason: "is already used by another person in this case", Err: ErrExists}
		}
		return nil
	})
}

// AddPerson records a person by pseudonymous reference.
func (r *Records) AddPerson(caseID ID, in PersonInput) (Person, error) {
	return r.savePerson(caseID, ID{}, in)
}

// UpdatePerson changes a person's reference, role or relationship. Recording a
// person who signed a release as a suspect or buyer makes exports stop relying on
// that release.
func (r *Records) UpdatePerson(caseID, id ID, in PersonInput) (Person, error) {
	return r.savePerson(caseID, id, in)
}

// savePerson adds (id zero) or changes a person; a reference is the case's once.
func (r *Records) savePerson(caseID, id ID, in PersonInput) (Person, error) {
	if err := in.normalise(); err != nil {
		return Person{}, err
	}
	return saveInCase(r, caseID, id, "person", personKey,
		func(t Tx) error { return referenceFree(t, caseID, id, in.Reference) },
		func(p *Person) { p.Reference, p.Role, p.Relationship = in.Reference, in.Role, in.Relationship },
		func(p *Person, id ID, t Tx) { p.ID, p.Case, p.Created, p.By = id, caseID, r.now(), r.who(t) },
		func(p *Person) { p.Updated = r.now() })
}

// People returns the case's people in the order of their references.
func (r *Records) People(caseID ID) ([]Person, error) {
	var out []Person
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		var err error
		out, err = readPeople(t, caseID)
		return err
	})
	return out, err
}

func readPeople(t Tx, caseID ID) ([]Person, error) {
	var out []Person
	err := scanJSON(t, RecPerson, caseID, func(_ Key, v *Person) error {
		out = append(out, *v)
		return nil
	})
	slices.SortStableFunc(out, func(a, b Person) int {
		return strings.Compare(strings.ToLower(a.Reference), strings.ToLower(b.Reference))
	})
	return out, err
}

// saveInCase is the one rule for adding or changing a person or a charge: the
// case must be writable, a change needs the record (ErrNotFound names what), check
// runs before anything is written, then the input's fields are set (set) with the
// author and time of an added record (added) or the time of a change (changed).
func saveInCase[T any](r *Records, caseID, id ID, what string, key func(c, id ID) Key,
	check func(Tx) error, set func(*T), added func(*T, ID, Tx), changed func(*T)) (T, error) {
	var out T
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var rec T
		recID := id
		if id.IsZero() {
			recID = NewID()
		} else if err := getJSON(t, key(caseID, id), &rec); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("%s: %w", what, ErrNotFound)
			}
			return err
		}
		if err := check(t); err != nil {
			return err
		}
		set(&rec)
		if id.IsZero() {
			added(&rec, recID, t)
		} else {
			changed(&rec)
		}
		out = rec
		return putJSON(t, key(caseID, recID), &rec)
	})
	return out, err
}
