package app

import (
	"fmt"
	"slices"
	"strings"
)

// Releases that fit minors: who signed a release. A minor's release may be signed by
// the youth and by a non-offending parent or guardian, or by the caseworker of the
// agency that holds custody, never by someone recorded as an alleged offender. A
// signer linked to a person of the case (people.go) who is recorded as a suspect or
// buyer is refused when the release is recorded, and when that is learned later,
// exports stop relying on the release.

// SignerKind is who signed a release.
type SignerKind string

// Signer kinds.
const (
	SignerYouth       SignerKind = "youth"
	SignerParent      SignerKind = "parent-or-guardian"
	SignerCaseworker  SignerKind = "caseworker"
	SignerNotRecorded SignerKind = "not-recorded" // releases recorded before signers were
)

// maxSignerRelations bounds a signer's relationship.
const maxSignerRelations = 60

// SignerKinds are the kinds a form offers (not-recorded is only for releases from
// before).
var SignerKinds = []SignerKind{SignerYouth, SignerParent, SignerCaseworker}

var signerTitles = map[SignerKind]string{
	SignerYouth:       "the youth",
	SignerParent:      "a parent or guardian",
	SignerCaseworker:  "a caseworker",
	SignerNotRecorded: "signer not recorded",
}

// Title is the kind in words.
func (k SignerKind) Title() string {
	if t, ok := signerTitles[k]; ok {
		return t
	}
	return string(k)
}

// ReleaseSigner is who signed a release.
type ReleaseSigner struct {
	Kind SignerKind `json:"kind"`
	// Name is the signer's name as written on the release (the youth's alias is
	// enough for the youth); optional.
	Name string `json:"name,omitempty"`
	// Relationship is the signer's relationship to the youth: "mother", "legal
	// guardian", "county caseworker". Required for a parent, guardian or caseworker.
	Relationship string `json:"relationship,omitempty"`
	// Person links the signer to a person of the case, when they are one.
	Person ID `json:"person,omitzero"`
}

// String says who signed: "a parent or guardian (mother)".
func (s *ReleaseSigner) String() string {
	if s == nil {
		return SignerNotRecorded.Title()
	}
	out := s.Kind.Title()
	if s.Relationship != "" {
		out += " (" + s.Relationship + ")"
	}
	return out
}

func (s *ReleaseSigner) normalise() error {
	s.Name, s.Relationship = strings.TrimSpace(s.Name), strings.TrimSpace(s.Relationship)
	if !slices.Contains(SignerKinds, s.Kind) {
		if s.Kind == "" {
			return Invalid("signer", "is required: the youth, a parent or guardian, or a caseworker")
		}
		return Invalid("signer", quoteShort(string(s.Kind))+"is not the youth, a parent or guardian, or a caseworker")
	}
	if err := checkText("signer's name", s.Name, 80, false); err != nil {
		return err
	}
	if err := checkText("signer's relationship", s.Relationship, maxSignerRelations, s.Kind != SignerYouth); err != nil {
		return err
	}
	if s.Kind == SignerYouth && !s.Person.IsZero() {
		return Invalid("signer", "is the youth, who is not one of the case's people")
	}
	return nil
}

// offenderSigner refuses a signer linked to a person recorded as an alleged
// offender, and a link to a person not in the case.
func offenderSigner(t Tx, caseID ID, s *ReleaseSigner) error {
	if s == nil || s.Person.IsZero() {
		return nil
	}
	var p Person
	if err := getJSON(t, personKey(caseID, s.Person), &p); err != nil {
		if isNotFound(err) {
			return Invalid("signer", "is linked to a person who is not in this case")
		}
		return err
	}
	if p.AllegedOffender() {
		return Invalid("signer", "is recorded in this case as an alleged offender ("+p.Reference+"): a release must be signed by the youth or a non-offending parent or guardian")
	}
	return nil
}

// offenders are the case's people recorded as alleged offenders, by ID.
func offenders(t Tx, caseID ID) (map[ID]Person, error) {
	out := map[ID]Person{}
	err := scanJSON(t, RecPerson, caseID, func(_ Key, p *Person) error {
		if p.AllegedOffender() {
			out[p.ID] = *p
		}
		return nil
	})
	return out, err
}

// signedByOffender says whether the release's signer is now recorded as an alleged
// offender, given the case's offenders.
func (rel Release) signedByOffender(off map[ID]Person) (Person, bool) {
	if rel.Signer == nil || rel.Signer.Person.IsZero() {
		return Person{}, false
	}
	p, ok := off[rel.Signer.Person]
	return p, ok
}

// LinkReleaseSigner records that a release's signer is a person of the case. If that
// person is an alleged offender, the release stays on file but exports no longer
// rely on it.
func (r *Records) LinkReleaseSigner(caseID, releaseID, person ID) (Release, error) {
	var out Release
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		k, rel, err := findRelease(t, caseID, releaseID)
		if err != nil {
			return err
		}
		if rel.Signer == nil || rel.Signer.Kind == SignerNotRecorded || rel.Signer.Kind == SignerYouth {
			return Invalid("signer", "of this release is not recorded as a parent, guardian or caseworker")
		}
		if !person.IsZero() {
			if _, err := t.Get(personKey(caseID, person)); err != nil {
				if isNotFound(err) {
					return Invalid("signer", "is linked to a person who is not in this case")
				}
				return err
			}
		}
		rel.Signer.Person = person
		out = *rel
		return putJSON(t, k, rel)
	})
	return out, err
}

// findRelease finds a release by its ID (its key carries its recording order).
func findRelease(t Tx, caseID, releaseID ID) (Key, *Release, error) {
	var found Key
	var rel *Release
	err := scanJSON(t, RecRelease, caseID, func(k Key, v *Release) error {
		if v.ID == releaseID {
			found, rel = k, v
			return ErrStopScan
		}
		return nil
	})
	if err != nil {
		return Key{}, nil, err
	}
	if rel == nil {
		return Key{}, nil, fmt.Errorf("release: %w", ErrNotFound)
	}
	return found, rel, nil
}
