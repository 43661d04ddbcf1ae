package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// InfoKind is a kind of information a release of information can cover.
type InfoKind string

// Kinds of information.
const (
	InfoIdentity      InfoKind = "identity"
	InfoContact       InfoKind = "contact"
	InfoLocation      InfoKind = "location"
	InfoMedical       InfoKind = "medical"
	InfoMentalHealth  InfoKind = "mental-health"
	InfoServices      InfoKind = "services"
	InfoAdvocateNotes InfoKind = "advocate-notes"
	InfoCaseStatus    InfoKind = "case-status"
	InfoTimeline      InfoKind = "timeline"
)

// InfoKinds lists every kind in the order a form offers them.
var InfoKinds = []InfoKind{InfoIdentity, InfoContact, InfoLocation, InfoMedical, InfoMentalHealth,
	InfoServices, InfoAdvocateNotes, InfoCaseStatus, InfoTimeline}

var infoLabels = map[InfoKind]string{
	InfoIdentity:      "identifying information",
	InfoContact:       "contact details",
	InfoLocation:      "location",
	InfoMedical:       "medical information",
	InfoMentalHealth:  "mental health information",
	InfoServices:      "services information",
	InfoAdvocateNotes: "advocate notes",
	InfoCaseStatus:    "case status",
	InfoTimeline:      "the timeline",
}

// Label is the kind in words, as a reason or a form shows it.
func (k InfoKind) Label() string {
	if l, ok := infoLabels[k]; ok {
		return l
	}
	return string(k)
}

// Recipient is who would receive information: an organisation, a person there, or
// both, and what kind of partner they are.
type Recipient struct {
	Organisation string  `json:"organisation,omitempty"`
	Person       string  `json:"person,omitempty"`
	Category     Partner `json:"category,omitempty"`
}

// String names the recipient in a reason: "Ana Ruiz at Demo Youth Shelter".
func (r Recipient) String() string {
	switch {
	case r.Person != "" && r.Organisation != "":
		return r.Person + " at " + r.Organisation
	case r.Person != "":
		return r.Person
	default:
		return r.Organisation
	}
}

// covers reports whether a release made out to r covers the recipient q. A release
// to an organisation covers anyone there; one naming a person covers only them.
func (r Recipient) covers(q Recipient) bool {
	if r.Organisation != "" && !strings.EqualFold(r.Organisation, strings.TrimSpace(q.Organisation)) {
		return false
	}
	if r.Person != "" && !strings.EqualFold(r.Person, strings.TrimSpace(q.Person)) {
		return false
	}
	return r.Organisation != "" || r.Person != ""
}

// Release is a victim's informed, written, time-limited release of information: a
// scope of information kinds, a recipient, the date it was signed, its expiry and,
// if it happens, its revocation. Exports ask MayShare before anything leaves.
type Release struct {
	ID            ID         `json:"id"`
	Case          ID         `json:"case"`
	Scope         []InfoKind `json:"scope"`
	Recipient     Recipient  `json:"recipient"`
	Signed        time.Time  `json:"signed"`  // a date
	Expires       time.Time  `json:"expires"` // a date: the release covers through the day before
	Revoked       time.Time  `json:"revoked,omitzero"`
	RevokedReason string     `json:"revoked_reason,omitempty"`
	RevokedBy     string     `json:"revoked_by,omitempty"`
	Created       time.Time  `json:"created"`
	CreatedBy     string     `json:"created_by,omitempty"`
	// Signer is who signed (signer.go); releases recorded before signers were carry
	// "not-recorded" (migrated).
	Signer *ReleaseSigner `json:"signer,omitempty"`
	// PartnerID is the recipient's partner directory entry, when picked from it.
	PartnerID ID `json:"partner_id,omitzero"`
}

// ReleaseInput is a signed release as a user records it.
type ReleaseInput struct {
	Scope     []InfoKind
	Recipient Recipient
	Signed    time.Time
	Expires   time.Time
	// Signer is who signed: the youth, a parent or guardian, or a caseworker.
	Signer ReleaseSigner
	// PartnerID picks the recipient from the partner directory; Recipient is then
	// filled from the entry.
	PartnerID ID
}

func (in *ReleaseInput) normalise() error {
	if err := in.Signer.normalise(); err != nil {
		return err
	}
	return in.normaliseTerms()
}

// normaliseTerms checks the scope, recipient and dates.
func (in *ReleaseInput) normaliseTerms() error {
	if len(in.Scope) == 0 {
		return Invalid("scope", "is empty: choose which kinds of information the release covers")
	}
	var scope []InfoKind
	for _, k := range in.Scope {
		if !slices.Contains(InfoKinds, k) {
			return Invalid("scope", quoteShort(string(k))+"is not a kind of information")
		}
		if !slices.Contains(scope, k) {
			scope = append(scope, k)
		}
	}
	in.Scope = scope
	rc := &in.Recipient
	rc.Organisation, rc.Person = strings.TrimSpace(rc.Organisation), strings.TrimSpace(rc.Person)
	if rc.Organisation == "" && rc.Person == "" {
		return Invalid("recipient", "is required: name the organization, the person, or both")
	}
	if err := checkText("recipient organization", rc.Organisation, maxShortText, false); err != nil {
		return err
	}
	if err := checkText("recipient person", rc.Person, maxShortText, false); err != nil {
		return err
	}
	cat, ok := ParsePartner(string(rc.Category))
	if !ok {
		return Invalid("partner category", quoteShort(string(rc.Category))+"is not one of the MDT partners")
	}
	rc.Category = cat
	if in.Signed.IsZero() {
		return Invalid("signed date", "is required")
	}
	if err := checkDate("signed date", in.Signed); err != nil {
		return err
	}
	if in.Expires.IsZero() {
		return Invalid("expiry", "is required: a release is time-limited")
	}
	if err := checkDate("expiry", in.Expires); err != nil {
		return err
	}
	in.Signed, in.Expires = dateOnly(in.Signed), dateOnly(in.Expires)
	if !in.Expires.After(in.Signed) {
		return Invalid("expiry", "must be after the date the release was signed")
	}
	return nil
}

// AddRelease records a signed release. A signer recorded in the case as an alleged
// offender is refused.
func (r *Records) AddRelease(caseID ID, in ReleaseInput) (Release, error) {
	if !in.PartnerID.IsZero() {
		e, err := r.PartnerByID(in.PartnerID)
		if err != nil {
			return Release{}, Invalid("recipient", "is no longer in the partner directory: choose it again")
		}
		in.Recipient = e.Recipient()
	}
	if err := in.normalise(); err != nil {
		return Release{}, err
	}
	var rel Release
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActReleaseAdded, Case: caseID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if err := offenderSigner(t, caseID, &in.Signer); err != nil {
			return err
		}
		signer := in.Signer
		rel = Release{ID: NewID(), Case: caseID, Scope: in.Scope, Recipient: in.Recipient,
			Signed: in.Signed, Expires: in.Expires, Created: r.now(), CreatedBy: r.who(t),
			Signer: &signer, PartnerID: in.PartnerID}
		return putJSON(t, Key{Type: RecRelease, Case: caseID, Order: nextOrder(r.Now()), ID: rel.ID}, &rel)
	})
	return rel, err
}

// RevokeRelease records that the victim withdrew a release, when and why. The
// release stays on file, no longer in force.
func (r *Records) RevokeRelease(caseID, releaseID ID, reason string) (Release, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("revocation reason", reason, maxTitle, true); err != nil {
		return Release{}, err
	}
	var out Release
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActReleaseRevoked, Case: caseID, Object: releaseID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
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
			return err
		}
		if rel == nil {
			return fmt.Errorf("release: %w", ErrNotFound)
		}
		if !rel.Revoked.IsZero() {
			return &FieldError{Field: "release", Reason: "was already revoked", Err: ErrFinal}
		}
		rel.Revoked, rel.RevokedReason, rel.RevokedBy = r.now(), reason, r.who(t)
		out = *rel
		return putJSON(t, found, rel)
	})
	return out, err
}

// Releases returns a case's releases in the order they were recorded.
func (r *Records) Releases(caseID ID) ([]Release, error) {
	var out []Release
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecRelease, caseID, func(_ Key, v *Release) error {
			out = append(out, *v)
			return nil
		})
	})
	return out, err
}

// MayShare answers "may this kind of information go to this recipient at this
// time?" from the releases on file, with the reason either way, in words a person
// can act on: "release signed Mar 2, 2026 covers advocate notes for Demo Youth Shelter
// until Sep 2, 2026", "no release on file covers medical information for County DA",
// "the release signed ... was revoked on ...". A release is in force from the day it
// was signed until the day it expires, unless revoked before.
func (r *Records) MayShare(caseID ID, kind InfoKind, to Recipient, at time.Time) (bool, string, error) {
	if !slices.Contains(InfoKinds, kind) {
		return false, "", Invalid("kind of information", quoteShort(string(kind))+"is not a kind of information")
	}
	var rels []Release
	var off map[ID]Person
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		var err error
		if off, err = offenders(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecRelease, caseID, func(_ Key, v *Release) error {
			rels = append(rels, *v)
			return nil
		})
	})
	if err != nil {
		return false, "", err
	}
	ok, why := mayShare(rels, off, kind, to, at)
	return ok, why, nil
}

// mayShare decides from the releases and the case's alleged offenders (off). Of
// several in force it names the one that lasts longest; if none is, it explains the
// most recent that would have. A release signed by someone recorded as an alleged
// offender is never relied on.
func mayShare(rels []Release, off map[ID]Person, kind InfoKind, to Recipient, at time.Time) (bool, string) {
	at = at.UTC()
	const day = "Jan 2, 2006" // the US display format, as the screens write days
	var best, lapsed, byOffender *Release
	var offender Person
	for i := range rels {
		rel := &rels[i]
		if !rel.Recipient.covers(to) || !slices.Contains(rel.Scope, kind) {
			continue
		}
		if p, bad := rel.signedByOffender(off); bad {
			byOffender, offender = rel, p
			continue
		}
		inForce := !at.Before(rel.Signed) && at.Before(rel.Expires) && (rel.Revoked.IsZero() || at.Before(rel.Revoked))
		if inForce {
			if best == nil || rel.Expires.After(best.Expires) {
				best = rel
			}
		} else if lapsed == nil || rel.Signed.After(lapsed.Signed) {
			lapsed = rel
		}
	}
	who := to.String()
	if who == "" {
		who = "this recipient"
	}
	switch {
	case best != nil:
		return true, fmt.Sprintf("release signed %s covers %s for %s until %s",
			best.Signed.Format(day), kind.Label(), best.Recipient, best.Expires.Format(day))
	case lapsed == nil && byOffender != nil:
		return false, fmt.Sprintf("the release signed %s covering %s for %s was signed by someone recorded as an alleged offender (%s) and cannot be relied on",
			byOffender.Signed.Format(day), kind.Label(), byOffender.Recipient, offender.Reference)
	case lapsed == nil:
		return false, fmt.Sprintf("no release on file covers %s for %s", kind.Label(), who)
	case !lapsed.Revoked.IsZero() && !at.Before(lapsed.Revoked):
		return false, fmt.Sprintf("the release signed %s covering %s for %s was revoked on %s",
			lapsed.Signed.Format(day), kind.Label(), lapsed.Recipient, lapsed.Revoked.Format(day))
	case at.Before(lapsed.Signed):
		return false, fmt.Sprintf("the release covering %s for %s is signed only from %s",
			kind.Label(), lapsed.Recipient, lapsed.Signed.Format(day))
	default:
		return false, fmt.Sprintf("the release signed %s covering %s for %s expired on %s",
			lapsed.Signed.Format(day), kind.Label(), lapsed.Recipient, lapsed.Expires.Format(day))
	}
}
