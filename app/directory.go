package app

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"

	"filippo.io/age"
)

// The partner directory: the one place in a vault that names the partners a case is
// shared with (prosecutors' offices, shelters, child welfare), with the keys their
// bundles are encrypted to and signed with. Exports pick recipients from it; verify
// and import check a bundle's signer against it. A key reported lost is revoked: the
// entry stays, marked with the date and the reason, and bundles signed by that key
// are refused from then on.

// RecDirectory holds one record per directory entry (vault level).
const RecDirectory RecordType = 0x1E

// DirectoryEntry is one partner in the directory.
type DirectoryEntry struct {
	ID           ID      `json:"id"`
	Organization string  `json:"organization,omitempty"`
	Person       string  `json:"person,omitempty"`
	Category     Partner `json:"category"`
	Role         string  `json:"role,omitempty"` // e.g. "assistant district attorney"
	Phone        string  `json:"phone,omitempty"`
	Email        string  `json:"email,omitempty"`
	// AgeRecipient ("age1...") is the key bundles for this partner are encrypted to.
	AgeRecipient string `json:"age_recipient,omitempty"`
	// SigningFingerprint is the short form of the partner's Ed25519 key that signs
	// the bundles they send ("3f2a 9c01 77de 0b4e 1a2c").
	SigningFingerprint string `json:"signing_fingerprint,omitempty"`
	// KeysConfirmed says when and by whom the keys were read back to the partner over
	// the phone and found to match.
	KeysConfirmed   time.Time `json:"keys_confirmed,omitzero"`
	KeysConfirmedBy string    `json:"keys_confirmed_by,omitempty"`
	// Revoked marks keys reported lost: no bundle goes to them or is accepted from
	// them any more.
	Revoked       time.Time `json:"revoked,omitzero"`
	RevokedReason string    `json:"revoked_reason,omitempty"`
	// PendingAgeRecipient and PendingFingerprint are keys that came in a CSV import
	// (directory_csv.go): nothing is encrypted to them or accepted from them until a
	// person reads the fingerprint back to the partner and confirms it
	// (ConfirmPartnerKeys).
	PendingAgeRecipient string    `json:"pending_age_recipient,omitempty"`
	PendingFingerprint  string    `json:"pending_signing_fingerprint,omitempty"`
	Added               time.Time `json:"added"`
	AddedBy             string    `json:"added_by,omitempty"`
	Updated             time.Time `json:"updated"`
}

// Recipient is the entry as releases name recipients, for MayShare.
func (e DirectoryEntry) Recipient() Recipient {
	return Recipient{Organisation: e.Organization, Person: e.Person, Category: e.Category}
}

// Name is how the entry reads in a list: "Ana Ruiz at Demo County Prosecutor's Office".
func (e DirectoryEntry) Name() string { return e.Recipient().String() }

// IsRevoked reports whether the entry's keys were revoked.
func (e DirectoryEntry) IsRevoked() bool { return !e.Revoked.IsZero() }

// PartnerInput is a directory entry as a user types it. Keys are taken only with
// KeysConfirmed set: the user has read the fingerprint (and the recipient) back to
// the partner over the phone, so a key swapped in an e-mail is not trusted silently.
type PartnerInput struct {
	Organization, Person string
	Category             Partner
	Role, Phone, Email   string
	AgeRecipient         string
	SigningFingerprint   string
	KeysConfirmed        bool
}

func directoryKey(id ID) Key { return Key{Type: RecDirectory, ID: id} }

// NormalizeFingerprint accepts a signing fingerprint as people copy or type it (upper
// or lower case, with spaces, dashes or nothing between the groups) and returns it in
// the app's form, five groups of four hex digits; ok is false when it is not one.
func NormalizeFingerprint(s string) (string, bool) {
	var hex []rune
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f':
			hex = append(hex, r)
		case r == ' ' || r == '-' || r == ':' || r == '\t':
		default:
			return "", false
		}
	}
	if len(hex) != 20 {
		return "", false
	}
	var b strings.Builder
	for i, r := range hex {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// ValidAgeRecipient checks an "age1..." public key.
func ValidAgeRecipient(s string) error {
	if _, err := age.ParseX25519Recipient(strings.TrimSpace(s)); err != nil {
		return Invalid("age recipient", "is not an age public key (it starts with age1 and is 62 characters long)")
	}
	return nil
}

func (in *PartnerInput) normalize() error {
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&in.Organization, &in.Person, &in.Role, &in.Phone, &in.Email, &in.AgeRecipient, &in.SigningFingerprint} {
		trim(p)
	}
	if in.Organization == "" && in.Person == "" {
		return Invalid("partner", "needs an organization, a person, or both")
	}
	if err := checkText("organization", in.Organization, maxShortText, false); err != nil {
		return err
	}
	if err := checkText("person", in.Person, maxShortText, false); err != nil {
		return err
	}
	cat, ok := ParsePartner(string(in.Category))
	if !ok {
		return Invalid("partner category", "is not one of the MDT partners")
	}
	in.Category = cat
	if err := checkText("role", in.Role, maxShortText, false); err != nil {
		return err
	}
	if in.Phone != "" {
		digits := 0
		for _, r := range in.Phone {
			switch {
			case unicode.IsDigit(r):
				digits++
			case strings.ContainsRune(" +-().x", r):
			default:
				return Invalid("phone", "may hold only digits, spaces and + - ( ) . x")
			}
		}
		if digits < 3 || len(in.Phone) > 40 {
			return Invalid("phone", "is not a phone number")
		}
	}
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		if err != nil || a.Address != in.Email || !strings.Contains(in.Email, "@") || len(in.Email) > 254 {
			return Invalid("email", "is not an e-mail address (name@example.org)")
		}
	}
	if in.AgeRecipient != "" {
		if err := ValidAgeRecipient(in.AgeRecipient); err != nil {
			return err
		}
	}
	if in.SigningFingerprint != "" {
		fp, ok := NormalizeFingerprint(in.SigningFingerprint)
		if !ok {
			return Invalid("signing fingerprint", "is not five groups of four letters and digits (0-9, a-f)")
		}
		in.SigningFingerprint = fp
	}
	return nil
}

// AddPartner adds an entry to the directory. Keys need KeysConfirmed; a key already
// revoked in another entry is refused.
func (r *Records) AddPartner(in PartnerInput) (DirectoryEntry, error) {
	if err := in.normalize(); err != nil {
		return DirectoryEntry{}, err
	}
	if (in.AgeRecipient != "" || in.SigningFingerprint != "") && !in.KeysConfirmed {
		return DirectoryEntry{}, Invalid("keys", "are not confirmed: read the fingerprint back to the partner over the phone, then confirm that it matches")
	}
	var out DirectoryEntry
	err := r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "directory"}, func(t Tx) error {
		if err := keysNotRevoked(t, ID{}, in); err != nil {
			return err
		}
		now := r.now()
		e := DirectoryEntry{ID: NewID(), Organization: in.Organization, Person: in.Person, Category: in.Category,
			Role: in.Role, Phone: in.Phone, Email: in.Email, AgeRecipient: in.AgeRecipient,
			SigningFingerprint: in.SigningFingerprint, Added: now, AddedBy: r.who(t), Updated: now}
		if in.AgeRecipient != "" || in.SigningFingerprint != "" {
			e.KeysConfirmed, e.KeysConfirmedBy = now, r.who(t)
		}
		out = e
		return putJSON(t, directoryKey(e.ID), &e)
	})
	return out, err
}

// UpdatePartner changes an entry. Contact details change freely; a changed key needs
// KeysConfirmed again. A revoked entry keeps its revoked keys: add a new entry for
// the partner's new key.
func (r *Records) UpdatePartner(id ID, in PartnerInput) (DirectoryEntry, error) {
	if err := in.normalize(); err != nil {
		return DirectoryEntry{}, err
	}
	var out DirectoryEntry
	err := r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "directory"}, func(t Tx) error {
		var e DirectoryEntry
		if err := getJSON(t, directoryKey(id), &e); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("partner: %w", ErrNotFound)
			}
			return err
		}
		keysChanged := in.AgeRecipient != e.AgeRecipient || in.SigningFingerprint != e.SigningFingerprint
		if keysChanged && e.IsRevoked() {
			return &FieldError{Field: "keys", Reason: "of this partner were revoked: add a new entry for their new key", Err: ErrFinal}
		}
		if keysChanged && (in.AgeRecipient != "" || in.SigningFingerprint != "") && !in.KeysConfirmed {
			return Invalid("keys", "are not confirmed: read the fingerprint back to the partner over the phone, then confirm that it matches")
		}
		if err := keysNotRevoked(t, id, in); err != nil {
			return err
		}
		now := r.now()
		e.Organization, e.Person, e.Category = in.Organization, in.Person, in.Category
		e.Role, e.Phone, e.Email = in.Role, in.Phone, in.Email
		if keysChanged {
			e.AgeRecipient, e.SigningFingerprint = in.AgeRecipient, in.SigningFingerprint
			e.KeysConfirmed, e.KeysConfirmedBy = now, r.who(t)
		}
		e.Updated = now
		out = e
		return putJSON(t, directoryKey(id), &e)
	})
	return out, err
}

// RevokePartnerKeys marks an entry's keys as lost, with the reason. From then on no
// export goes to the entry and no bundle signed by its key is accepted.
func (r *Records) RevokePartnerKeys(id ID, reason string) (DirectoryEntry, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("revocation reason", reason, maxTitle, true); err != nil {
		return DirectoryEntry{}, err
	}
	var out DirectoryEntry
	err := r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "directory"}, func(t Tx) error {
		var e DirectoryEntry
		if err := getJSON(t, directoryKey(id), &e); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("partner: %w", ErrNotFound)
			}
			return err
		}
		if e.IsRevoked() {
			return &FieldError{Field: "partner's keys", Reason: "were already revoked", Err: ErrFinal}
		}
		e.Revoked, e.RevokedReason, e.Updated = r.now(), reason, r.now()
		out = e
		return putJSON(t, directoryKey(id), &e)
	})
	return out, err
}

// keysNotRevoked refuses keys that another entry (not self) holds revoked.
func keysNotRevoked(t Tx, self ID, in PartnerInput) error {
	return scanJSON(t, RecDirectory, ID{}, func(_ Key, e *DirectoryEntry) error {
		if e.ID == self || !e.IsRevoked() {
			return nil
		}
		if (in.SigningFingerprint != "" && in.SigningFingerprint == e.SigningFingerprint) ||
			(in.AgeRecipient != "" && in.AgeRecipient == e.AgeRecipient) {
			return &FieldError{Field: "key", Reason: "was revoked on " + e.Revoked.Format("Jan 2, 2006") + " and cannot be used again", Err: ErrInvalid}
		}
		return nil
	})
}

// Partners lists the directory, sorted by organization, then person.
func (r *Records) Partners() ([]DirectoryEntry, error) {
	var out []DirectoryEntry
	err := r.view(func(t Tx) error {
		return scanJSON(t, RecDirectory, ID{}, func(_ Key, e *DirectoryEntry) error {
			out = append(out, *e)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b DirectoryEntry) int {
		if c := strings.Compare(strings.ToLower(a.Organization), strings.ToLower(b.Organization)); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(a.Person), strings.ToLower(b.Person))
	})
	return out, err
}

// PartnerByID returns one directory entry.
func (r *Records) PartnerByID(id ID) (DirectoryEntry, error) {
	var e DirectoryEntry
	err := r.view(func(t Tx) error { return getJSON(t, directoryKey(id), &e) })
	if isNotFound(err) {
		return e, fmt.Errorf("partner: %w", ErrNotFound)
	}
	return e, err
}

// ErrUnknownPartner: a name given for a recipient matches no directory entry, or
// more than one. It matches ErrNotFound.
var ErrUnknownPartner = fmt.Errorf("partner %w in the directory", ErrNotFound)

// FindPartner finds the one entry a person means by name: its organization, its
// person, or "person at organization", letter case ignored.
func (r *Records) FindPartner(name string) (DirectoryEntry, error) {
	name = strings.TrimSpace(name)
	all, err := r.Partners()
	if err != nil {
		return DirectoryEntry{}, err
	}
	var hits []DirectoryEntry
	for _, e := range all {
		if strings.EqualFold(e.Name(), name) || strings.EqualFold(e.Organization, name) || strings.EqualFold(e.Person, name) {
			hits = append(hits, e)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return DirectoryEntry{}, ErrUnknownPartner
	default:
		return DirectoryEntry{}, Invalid("recipient", fmt.Sprintf("matches %d partners in the directory: give the person and the organization (\"Person at Organization\")", len(hits)))
	}
}

// PartnerBySigner finds the entry holding a signing fingerprint, revoked or not;
// ok is false when none does.
func (r *Records) PartnerBySigner(fingerprint string) (DirectoryEntry, bool, error) {
	fp, valid := NormalizeFingerprint(fingerprint)
	if !valid {
		return DirectoryEntry{}, false, nil
	}
	all, err := r.Partners()
	if err != nil {
		return DirectoryEntry{}, false, err
	}
	var found *DirectoryEntry
	for i := range all {
		if all[i].SigningFingerprint != fp {
			continue
		}
		// A revoked entry wins: once a key is reported lost, no other entry vouches for it.
		if found == nil || all[i].IsRevoked() {
			found = &all[i]
		}
	}
	if found == nil {
		return DirectoryEntry{}, false, nil
	}
	return *found, true, nil
}
