package app

import (
	"sort"
	"strings"
	"time"
)

// EvidenceReferenceAdvice is what a screen shows where a user adds an attachment:
// images of abuse and interview recordings never go into Casenotes, only a
// reference to where the agency's evidence system keeps them.
const EvidenceReferenceAdvice = "Do not add images of abuse or interview recordings here. " +
	"Keep them in your agency's evidence system and add an evidence reference (the system and the item's ID) instead."

// EvidenceReference points at an item held in the agency's evidence system (an
// image, an interview recording) that must not be copied into Casenotes.
type EvidenceReference struct {
	ID          ID        `json:"id"`
	System      string    `json:"system"`       // the evidence system, e.g. "County DEMS"
	ReferenceID string    `json:"reference_id"` // the item's ID in that system
	Description string    `json:"description,omitempty"`
	Added       time.Time `json:"added"`
	AddedBy     string    `json:"added_by,omitempty"`
}

func evidenceKey(c, id ID) Key {
	return Key{Type: RecAttachment, Case: c, Order: evidenceOrder, ID: id}
}

// AddEvidenceReference records where the agency's evidence system holds an item
// that must not be copied into Casenotes: images of abuse, interview recordings.
func (r *Records) AddEvidenceReference(caseID ID, system, referenceID, description string) (EvidenceReference, error) {
	system, referenceID = strings.TrimSpace(system), strings.TrimSpace(referenceID)
	if err := checkText("evidence system", system, maxEvidenceText, true); err != nil {
		return EvidenceReference{}, err
	}
	if err := checkText("reference ID", referenceID, maxEvidenceText, true); err != nil {
		return EvidenceReference{}, err
	}
	if err := checkText("description", description, maxEvidenceNote, false); err != nil {
		return EvidenceReference{}, err
	}
	now := r.now()
	ref := EvidenceReference{ID: NewID(), System: system, ReferenceID: referenceID,
		Description: description, Added: now}
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		ref.AddedBy = r.who(t)
		logEvent(t, AuditEvent{Action: ActEvidenceAdded, Case: caseID, Object: ref.ID})
		return putJSON(t, evidenceKey(caseID, ref.ID), &ref)
	})
	if err != nil {
		return EvidenceReference{}, err
	}
	return ref, nil
}

// EvidenceReferences lists a case's evidence references, oldest first.
func (r *Records) EvidenceReferences(caseID ID) ([]EvidenceReference, error) {
	var out []EvidenceReference
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecAttachment, caseID, func(k Key, ref *EvidenceReference) error {
			if k.Order == evidenceOrder {
				out = append(out, *ref)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Added.Before(out[j].Added) })
	return out, err
}
