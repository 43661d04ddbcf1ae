package app

import (
	"slices"
	"strings"
)

// Role is what the vault's user does on the team.
type Role string

// Roles.
const (
	RoleDetective  Role = "detective"
	RoleAdvocate   Role = "advocate"
	RoleProsecutor Role = "prosecutor"
	RoleSupervisor Role = "supervisor"
	RoleOther      Role = "other"
)

// Roles lists the roles in the order a form offers them.
var Roles = []Role{RoleDetective, RoleAdvocate, RoleProsecutor, RoleSupervisor, RoleOther}

// Profile is the vault user's name, role and agency. The display name is the
// author of every note and the one who completes checklist items, so that the
// record is attributable.
type Profile struct {
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	Agency      string `json:"agency,omitempty"`
}

// profileKey is the profile's place among the vault-level user records (ID 1; other
// user records, such as sealed keys, use other IDs).
var profileKey = Key{Type: RecUser, ID: ID{15: 1}}

func (p *Profile) normalise() error {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	p.Agency = strings.TrimSpace(p.Agency)
	if err := checkText("display name", p.DisplayName, 80, true); err != nil {
		return err
	}
	if !slices.Contains(Roles, p.Role) {
		return Invalid("role", "is not detective, advocate, prosecutor, supervisor or other")
	}
	return checkText("agency", p.Agency, maxShortText, false)
}

// Check reports the first thing wrong with a profile, as SaveProfile would.
func (p Profile) Check() error { return p.normalise() }

// Profile returns the user's profile; ErrNotFound before one is saved.
func (r *Records) Profile() (Profile, error) {
	var p Profile
	err := r.view(func(t Tx) error { return getJSON(t, profileKey, &p) })
	return p, err
}

// SaveProfile stores the user's profile.
func (r *Records) SaveProfile(p Profile) (Profile, error) {
	if err := p.normalise(); err != nil {
		return Profile{}, err
	}
	err := r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "profile"}, func(t Tx) error { return putJSON(t, profileKey, &p) })
	return p, err
}

// author is who is writing: Records.User, else the profile's display name.
func (r *Records) author(t Tx) (string, error) {
	if r.User != "" {
		return r.User, nil
	}
	var p Profile
	err := getJSON(t, profileKey, &p)
	if err == nil && p.DisplayName != "" {
		return p.DisplayName, nil
	}
	if err != nil && !isNotFound(err) {
		return "", err
	}
	return "", Invalid("author", "is unknown: set your name in the profile first")
}

// who names the person making a change, for the record's "by" fields: Records.User,
// else the profile's display name. Unlike author it never refuses: a checklist tick
// by a user who has not yet set a name is still recorded, with the name empty.
func (r *Records) who(t Tx) string {
	name, err := r.author(t)
	if err != nil {
		return ""
	}
	return name
}

// whoNow is who, read in its own snapshot, for code that names the person before
// its transaction starts.
func (r *Records) whoNow() string {
	var name string
	_ = r.view(func(t Tx) error { name = r.who(t); return nil })
	return name
}
