package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// LinkRelations are how two cases of the vault relate.
var LinkRelations = []string{"co-victim", "same-suspect", "related"}

// CaseLink links a case to another case of the vault. AddCaseLink writes it in both
// cases, under the same ID.
type CaseLink struct {
	ID       ID        `json:"id"`
	Case     ID        `json:"case"`
	Linked   ID        `json:"linked"`
	Relation string    `json:"relation"`
	Created  time.Time `json:"created"`
	By       string    `json:"by,omitempty"`
}

// LinkedCase is a link with the other case's number and alias, read from the case
// list, or Gone when that case was deleted since.
type LinkedCase struct {
	CaseLink
	Number string `json:"number,omitempty"`
	Alias  string `json:"alias,omitempty"`
	Gone   bool   `json:"gone,omitempty"`
}

func caseLinkKey(c, id ID) Key { return Key{Type: RecCaseLink, Case: c, ID: id} }

// AddCaseLink links a case to another case of the vault, found by its number, in
// both cases at once.
func (r *Records) AddCaseLink(caseID ID, number, relation string) (CaseLink, error) {
	number = strings.TrimSpace(number)
	if err := ValidCaseNumber(number); err != nil {
		return CaseLink{}, err
	}
	if err := checkChoice("relation", relation, LinkRelations); err != nil {
		return CaseLink{}, err
	}
	other, err := r.CaseByNumber(number)
	if err != nil {
		if isNotFound(err) {
			return CaseLink{}, Invalid("linked case", "is not a case number of this vault")
		}
		return CaseLink{}, err
	}
	var out CaseLink
	err = r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if other.ID == caseID {
			return Invalid("linked case", "is this case")
		}
		if _, err := writableCase(t, other.ID); err != nil {
			if errors.Is(err, ErrReadOnly) {
				return Invalid("linked case", "is a received case, which is read-only: link it from your own case file instead")
			}
			return err
		}
		dup := false
		err := scanJSON(t, RecCaseLink, caseID, func(_ Key, l *CaseLink) error {
			if l.Linked == other.ID {
				dup = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		if dup {
			return &FieldError{Field: "linked case", Reason: "is already linked to this case", Err: ErrExists}
		}
		now, who := r.now(), r.who(t)
		out = CaseLink{ID: NewID(), Case: caseID, Linked: other.ID, Relation: relation, Created: now, By: who}
		back := CaseLink{ID: out.ID, Case: other.ID, Linked: caseID, Relation: relation, Created: now, By: who}
		if err := putJSON(t, caseLinkKey(caseID, out.ID), &out); err != nil {
			return err
		}
		return putJSON(t, caseLinkKey(other.ID, out.ID), &back)
	})
	return out, err
}

// RemoveCaseLink removes a link from both cases (from this one alone when the other
// case is gone).
func (r *Records) RemoveCaseLink(caseID, linkID ID) error {
	return r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var l CaseLink
		if err := getJSON(t, caseLinkKey(caseID, linkID), &l); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("link: %w", ErrNotFound)
			}
			return err
		}
		if err := t.Delete(caseLinkKey(caseID, linkID)); err != nil {
			return err
		}
		if _, err := getCase(t, l.Linked); err == nil {
			return t.Delete(caseLinkKey(l.Linked, linkID))
		}
		return nil
	})
}

// CaseLinks returns a case's links with the other cases' numbers and aliases, by
// case number.
func (r *Records) CaseLinks(caseID ID) ([]LinkedCase, error) {
	var out []LinkedCase
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecCaseLink, caseID, func(_ Key, l *CaseLink) error {
			lc := LinkedCase{CaseLink: *l}
			var s CaseSummary
			if err := getSummary(t, l.Linked, &s); err != nil {
				if !isNotFound(err) {
					return err
				}
				lc.Gone = true
			} else {
				lc.Number, lc.Alias = s.Number, s.Alias
			}
			out = append(out, lc)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b LinkedCase) int { return strings.Compare(a.Number, b.Number) })
	return out, err
}
