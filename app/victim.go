package app

import (
	"slices"
	"strings"
	"time"
)

// Victim is the victim's profile, alias first: what the team needs to act, shown on
// every screen and export. The legal identity is not here: it is a separate record
// (Identity) read only through RevealIdentity.
type Victim struct {
	Alias             string     `json:"alias"`
	Age               int        `json:"age,omitempty"`      // age in years at intake, 0 when not recorded
	AgeBand           string     `json:"age_band,omitempty"` // when the exact age is not known (AgeBands)
	Gender            string     `json:"gender,omitempty"`   // as the young person describes it
	Languages         []string   `json:"languages,omitempty"`
	InterpreterNeeded bool       `json:"interpreter_needed,omitempty"`
	GuardianType      string     `json:"guardian_type,omitempty"`  // GuardianTypes: who holds care, never a name
	PlacementType     string     `json:"placement_type,omitempty"` // PlacementTypes: the kind of placement, never the address
	Screening         *Screening `json:"screening,omitempty"`
}

// Screening is the result of a validated screening tool. It records who screened,
// with which tool and what level of concern came out, never the tool's questions or
// the answers.
type Screening struct {
	Tool     string    `json:"tool"`
	Version  string    `json:"version,omitempty"`
	Date     time.Time `json:"date"`
	Screener string    `json:"screener"`
	Concern  string    `json:"concern"` // ConcernLevels
}

// Controlled lists of the victim profile.
var (
	AgeBands       = []string{"under 12", "12-14", "15-17", "18 or older"}
	GuardianTypes  = []string{"parent", "relative", "foster parent", "child welfare agency", "legal guardian", "none", "unknown", "other"}
	PlacementTypes = []string{"home with family", "relative or kinship care", "foster care", "group home",
		"emergency shelter", "residential treatment", "independent living", "unknown", "other"}
	ConcernLevels = []string{"low", "moderate", "high"}
)

// maxAge bounds the age at intake: victims are children, though a case may be
// opened after they turn 18.
const maxAge = 30

func (v *Victim) normalise() error {
	v.Alias = strings.TrimSpace(v.Alias)
	v.Gender = strings.TrimSpace(v.Gender)
	if err := checkText("alias", v.Alias, 80, true); err != nil {
		return err
	}
	if v.Age < 0 || v.Age > maxAge {
		return Invalid("age", "is not an age at intake")
	}
	if v.AgeBand != "" && !slices.Contains(AgeBands, v.AgeBand) {
		return Invalid("age band", "is not one of the age bands")
	}
	if err := checkText("gender", v.Gender, 60, false); err != nil {
		return err
	}
	var err error
	if v.Languages, err = cleanList("languages", v.Languages, 20, 60); err != nil {
		return err
	}
	if v.GuardianType != "" && !slices.Contains(GuardianTypes, v.GuardianType) {
		return Invalid("guardian type", "is not one of the guardian types")
	}
	if v.PlacementType != "" && !slices.Contains(PlacementTypes, v.PlacementType) {
		return Invalid("placement type", "is not one of the placement types (record the type, never the address)")
	}
	if s := v.Screening; s != nil {
		s.Tool, s.Version, s.Screener = strings.TrimSpace(s.Tool), strings.TrimSpace(s.Version), strings.TrimSpace(s.Screener)
		if err := checkText("screening tool", s.Tool, maxShortText, true); err != nil {
			return err
		}
		if err := checkText("screening tool version", s.Version, 40, false); err != nil {
			return err
		}
		if err := checkText("screener", s.Screener, maxShortText, true); err != nil {
			return err
		}
		if err := checkDate("screening date", s.Date); err != nil {
			return err
		}
		s.Date = dateOnly(s.Date)
		if !slices.Contains(ConcernLevels, s.Concern) {
			return Invalid("level of concern", "is not low, moderate or high")
		}
	}
	return nil
}

// Identity is the victim's legal identity: the most protected part of the record.
// It lives in its own record, is never part of a list, summary or index, and is read
// only through RevealIdentity, a deliberate act with a reason.
type Identity struct {
	LegalName      string   `json:"legal_name,omitempty"`
	DateOfBirth    string   `json:"date_of_birth,omitempty"` // YYYY-MM-DD
	School         string   `json:"school,omitempty"`
	Addresses      []string `json:"addresses,omitempty"`
	ContactNumbers []string `json:"contact_numbers,omitempty"`
}

func (id *Identity) normalise() error {
	id.LegalName = strings.TrimSpace(id.LegalName)
	id.School = strings.TrimSpace(id.School)
	if err := checkText("legal name", id.LegalName, maxTitle, false); err != nil {
		return err
	}
	if id.DateOfBirth != "" {
		d, err := time.Parse(time.DateOnly, id.DateOfBirth)
		if err != nil || checkDate("date of birth", d) != nil {
			return Invalid("date of birth", "is not a date (YYYY-MM-DD)")
		}
	}
	if err := checkText("school", id.School, maxTitle, false); err != nil {
		return err
	}
	var err error
	if id.Addresses, err = cleanList("addresses", id.Addresses, 10, 300); err != nil {
		return err
	}
	if id.ContactNumbers, err = cleanList("contact numbers", id.ContactNumbers, 10, 60); err != nil {
		return err
	}
	return nil
}

func (id *Identity) empty() bool {
	return id.LegalName == "" && id.DateOfBirth == "" && id.School == "" &&
		len(id.Addresses) == 0 && len(id.ContactNumbers) == 0
}

func victimKey(c ID) Key   { return Key{Type: RecVictim, Case: c, ID: c} }
func identityKey(c ID) Key { return Key{Type: RecIdentity, Case: c, ID: c} }

// Victim returns the victim's profile (alias first, no legal identity).
func (r *Records) Victim(caseID ID) (Victim, error) {
	var v Victim
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return getJSON(t, victimKey(caseID), &v)
	})
	return v, err
}

// SetVictim replaces the victim's profile; a new alias shows in the case list at once.
func (r *Records) SetVictim(caseID ID, v Victim) (Victim, error) {
	if err := v.normalise(); err != nil {
		return Victim{}, err
	}
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActVictimEdited, Case: caseID})
		c, err := writableCase(t, caseID)
		if err != nil {
			return err
		}
		if err := putJSON(t, victimKey(caseID), &v); err != nil {
			return err
		}
		c.Updated = r.now()
		return putCase(t, c)
	})
	return v, err
}

// SetIdentity records or replaces the legal identity. Writing it does not read it
// back; an empty identity removes the record.
func (r *Records) SetIdentity(caseID ID, id Identity) error {
	if err := id.normalise(); err != nil {
		return err
	}
	return r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActIdentitySet, Case: caseID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if id.empty() {
			return t.Delete(identityKey(caseID))
		}
		return putJSON(t, identityKey(caseID), &id)
	})
}

// RevealReasons are the reasons a legal identity is revealed, as the audit trail
// records them (codes, never the words typed): the reveal record in the case keeps
// what the user wrote.
var RevealReasons = []string{"court-filing", "placement-check", "safety-check", "mandated-report", "prosecution-request", "other"}

// revealReasonCode is the code of a reason: itself when it is one of the codes (or
// their words, "Court filing"), else "other".
func revealReasonCode(reason string) string {
	code := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(reason)), " ", "-")
	if slices.Contains(RevealReasons, code) {
		return code
	}
	return "other"
}

// RevealIdentity reads the legal identity. It is the only way to read it, and it is
// meant to be called only when a user deliberately asks to see it, with a reason
// ("court filing", "placement check"); no list, summary or export profile calls it
// on its own. ErrNotFound when none is recorded.
func (r *Records) RevealIdentity(caseID ID, reason string) (Identity, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, maxTitle, true); err != nil {
		return Identity{}, err
	}
	// The reveal is recorded in the case (who, when, why) in the same transaction
	// that reads the identity: no reveal without its record. AUDIT: the audit trail
	// (a later issue) adds its own hash-chained entry here.
	var id Identity
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActIdentityRevealed, Case: caseID, Reason: revealReasonCode(reason)})
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		err := getJSON(t, identityKey(caseID), &id)
		if isNotFound(err) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		// Order is a sequence number: reveals within one second still list in order.
		var seq uint64
		if err := t.ScanKeys(RecReveal, caseID, func(k Key) error { seq = max(seq, k.Order+1); return nil }); err != nil {
			return err
		}
		rv := Reveal{At: r.now(), By: r.who(t), Reason: reason}
		return putJSON(t, Key{Type: RecReveal, Case: caseID, Order: seq, ID: NewID()}, &rv)
	})
	if err != nil {
		return Identity{}, err
	}
	return id, nil
}

// Reveal records one deliberate look at a case's legal identity.
type Reveal struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

// Reveals lists who revealed the case's legal identity, when and why, oldest first.
func (r *Records) Reveals(caseID ID) ([]Reveal, error) {
	var out []Reveal
	err := r.view(func(t Tx) error {
		return scanJSON(t, RecReveal, caseID, func(_ Key, rv *Reveal) error {
			out = append(out, *rv)
			return nil
		})
	})
	return out, err
}
