package app

import (
	"fmt"
	"strings"
)

// Contact notes carry, as fields rather than prose, who was present, the language
// used, the interpreter (name and language), the kind of setting and how long the
// contact lasted. The setting is a type from a list, never an address: a contact
// note may leave the vault, and where a child was seen can put them in danger.

// SettingTypes are the kinds of place a contact happens in.
var SettingTypes = []string{"childrens-advocacy-center", "school", "law-enforcement-office", "shelter",
	"placement", "hospital-or-clinic", "court", "community-location", "vehicle", "phone", "video-call", "other"}

var settingTitles = map[string]string{
	"childrens-advocacy-center": "children's advocacy center",
	"law-enforcement-office":    "law enforcement office",
	"placement":                 "placement (home or facility)",
	"hospital-or-clinic":        "hospital or clinic",
	"community-location":        "community location",
	"video-call":                "video call",
}

// SettingTitle is a setting type in words.
func SettingTitle(s string) string {
	if t, ok := settingTitles[s]; ok {
		return t
	}
	return strings.ReplaceAll(s, "-", " ")
}

// ContactDetails are the structured facts of a contact note.
type ContactDetails struct {
	// Present lists who was present, by role and name as the team refers to them
	// ("youth", "Adv. Kim", "foster parent").
	Present     []string     `json:"present,omitempty"`
	Language    string       `json:"language,omitempty"`
	Interpreter *Interpreter `json:"interpreter,omitempty"`
	Setting     string       `json:"setting,omitempty"` // SettingTypes
	// DurationMinutes is how long the contact lasted; 0 when not recorded.
	DurationMinutes int `json:"duration_minutes,omitempty"`
}

// maxContactMinutes bounds a contact's duration (a day).
const maxContactMinutes = 24 * 60

// Empty reports whether nothing is recorded.
func (d *ContactDetails) Empty() bool {
	return d == nil || len(d.Present) == 0 && d.Language == "" && d.Interpreter == nil && d.Setting == "" && d.DurationMinutes == 0
}

func (d *ContactDetails) normalise() error {
	var err error
	if d.Present, err = cleanList("present", d.Present, 20, 80); err != nil {
		return err
	}
	d.Language = strings.TrimSpace(d.Language)
	if err := checkText("language", d.Language, 60, false); err != nil {
		return err
	}
	if d.Interpreter != nil {
		if err := d.Interpreter.normalise(); err != nil {
			return err
		}
	}
	if d.Setting != "" {
		if err := checkChoice("setting", d.Setting, SettingTypes); err != nil {
			return Invalid("setting", "is not one of the setting types (a type of place, never an address)")
		}
	}
	if d.DurationMinutes < 0 || d.DurationMinutes > maxContactMinutes {
		return Invalid("duration", fmt.Sprintf("must be between 0 and %d minutes", maxContactMinutes))
	}
	return nil
}

// checkContact checks contact details for a note of kind k: only contact notes carry
// them. Empty details become nil.
func checkContact(k NoteKind, d *ContactDetails) (*ContactDetails, error) {
	if d.Empty() {
		return nil, nil
	}
	if k != NoteContact {
		return nil, Invalid("contact details", "belong to contact notes only")
	}
	c := *d
	if err := c.normalise(); err != nil {
		return nil, err
	}
	return &c, nil
}

// SetContactDetails records (or, with nil, clears) the contact details of a draft
// contact note. A final note's details never change: add an addendum.
func (r *Records) SetContactDetails(caseID, noteID ID, d *ContactDetails) (Note, error) {
	var out Note
	err := r.update(func(t Tx) error {
		k, n, err := draft(t, caseID, noteID)
		if err != nil {
			return err
		}
		c, err := checkContact(n.Kind, d)
		if err != nil {
			return err
		}
		n.Contact, n.Updated = c, r.now()
		out = *n
		return putJSON(t, k, n)
	})
	return out, err
}
