package app

import (
	"fmt"
	"strings"
)

// The partner directory in use (issue 14): referrals, releases, meeting rosters and
// action items pick partners from the directory; a partner typed as free text can be
// turned into a directory entry later and the record linked to it. Keys that came
// from a CSV import wait for a person to confirm their fingerprint.

// SplitPartnerName reads a partner typed as free text into person and organization:
// "Ana Ruiz at Demo County Prosecutor's Office" is a person at an organization;
// anything else is taken as the organization.
func SplitPartnerName(s string) (person, organization string) {
	s = strings.TrimSpace(s)
	if p, o, ok := strings.Cut(s, " at "); ok && strings.TrimSpace(p) != "" && strings.TrimSpace(o) != "" {
		return strings.TrimSpace(p), strings.TrimSpace(o)
	}
	return "", s
}

// ConfirmPartnerKeys takes an entry's pending keys (from a CSV import) into use, once
// the user has read the fingerprint back to the partner over the phone and it
// matched (confirmed must be true).
func (r *Records) ConfirmPartnerKeys(id ID, confirmed bool) (DirectoryEntry, error) {
	if !confirmed {
		return DirectoryEntry{}, Invalid("keys", "are not confirmed: read the fingerprint back to the partner over the phone, then confirm that it matches")
	}
	var out DirectoryEntry
	err := r.update(func(t Tx) error {
		var e DirectoryEntry
		if err := getJSON(t, directoryKey(id), &e); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("partner: %w", ErrNotFound)
			}
			return err
		}
		if e.PendingAgeRecipient == "" && e.PendingFingerprint == "" {
			return Invalid("keys", "of this partner are not waiting for confirmation")
		}
		if e.IsRevoked() {
			return &FieldError{Field: "keys", Reason: "of this partner were revoked: add a new entry for their new key", Err: ErrFinal}
		}
		in := PartnerInput{AgeRecipient: e.PendingAgeRecipient, SigningFingerprint: e.PendingFingerprint}
		if err := keysNotRevoked(t, id, in); err != nil {
			return err
		}
		now := r.now()
		e.AgeRecipient, e.SigningFingerprint = e.PendingAgeRecipient, e.PendingFingerprint
		e.PendingAgeRecipient, e.PendingFingerprint = "", ""
		e.KeysConfirmed, e.KeysConfirmedBy, e.Updated = now, r.who(t), now
		out = e
		return putJSON(t, directoryKey(id), &e)
	})
	return out, err
}

// LinkReferralPartner links a referral whose partner was typed as free text to a
// directory entry. The partner's name as recorded stays as it was.
func (r *Records) LinkReferralPartner(caseID, referralID, partnerID ID) (Referral, error) {
	var out Referral
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if partnerID.IsZero() {
			return Invalid("partner", "is required")
		}
		if err := partnerExists(t, partnerID); err != nil {
			return err
		}
		var ref Referral
		if err := getJSON(t, referralKey(caseID, referralID), &ref); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("referral: %w", ErrNotFound)
			}
			return err
		}
		ref.PartnerID = partnerID
		out = ref
		return putJSON(t, referralKey(caseID, referralID), &ref)
	})
	return out, err
}

// LinkReleasePartner links a release whose recipient was typed as free text to a
// directory entry. The entry must be the recipient the release names (the release is
// the victim's consent: who it is for never changes).
func (r *Records) LinkReleasePartner(caseID, releaseID, partnerID ID) (Release, error) {
	var out Release
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var e DirectoryEntry
		if err := getJSON(t, directoryKey(partnerID), &e); err != nil {
			if isNotFound(err) {
				return Invalid("partner", "is no longer in the partner directory: choose it again")
			}
			return err
		}
		k, rel, err := findRelease(t, caseID, releaseID)
		if err != nil {
			return err
		}
		if !rel.Recipient.covers(e.Recipient()) || !e.Recipient().covers(rel.Recipient) {
			return Invalid("partner", "is not the recipient this release names ("+rel.Recipient.String()+")")
		}
		rel.PartnerID = partnerID
		out = *rel
		return putJSON(t, k, rel)
	})
	return out, err
}

// PartnerEntryFor is a directory entry a user would make from a partner typed as free
// text, for a form to start from.
func PartnerEntryFor(text string, category Partner) PartnerInput {
	person, org := SplitPartnerName(text)
	if category == "" {
		category = "other"
	}
	return PartnerInput{Person: person, Organization: org, Category: category}
}
