package app

import "strings"

// VaultSettings are the agency's choices that belong to the vault (not to one
// screen's look, which lives in the desktop preferences): they travel with the vault
// in backups and apply on every machine that opens it.
type VaultSettings struct {
	// ConfidentialityNotice is the marking on the cover and every page of an export,
	// in the agency's own words. Empty means DefaultConfidentialityNotice.
	ConfidentialityNotice string `json:"confidentiality_notice,omitempty"`
}

// DefaultConfidentialityNotice is the marking used until an agency writes its own:
// a child victim's information, disclosed for one purpose, not to be passed on.
const DefaultConfidentialityNotice = "CONFIDENTIAL: contains information about a child victim. " +
	"Disclosed only to the named recipient for this case; do not copy, forward or file publicly " +
	"without the victim's identity protected as the law requires."

// maxNotice bounds the confidentiality notice: it is printed on every page.
const maxNotice = 300

// settingsKey is where the vault settings live (vault level, ID 1).
var settingsKey = Key{Type: RecSettings, ID: ID{15: 1}}

// Notice is the confidentiality marking to print: the agency's own, else the default.
func (s VaultSettings) Notice() string {
	if n := strings.TrimSpace(s.ConfidentialityNotice); n != "" {
		return n
	}
	return DefaultConfidentialityNotice
}

// Settings returns the vault settings; a vault that never saved any has the defaults.
func (r *Records) Settings() (VaultSettings, error) {
	var s VaultSettings
	err := r.view(func(t Tx) error { return getJSON(t, settingsKey, &s) })
	if isNotFound(err) {
		return VaultSettings{}, nil
	}
	return s, err
}

// SaveSettings checks and stores the vault settings.
func (r *Records) SaveSettings(s VaultSettings) (VaultSettings, error) {
	s.ConfidentialityNotice = strings.TrimSpace(s.ConfidentialityNotice)
	if err := checkText("confidentiality notice", s.ConfidentialityNotice, maxNotice, false); err != nil {
		return VaultSettings{}, err
	}
	err := r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "settings"}, func(t Tx) error { return putJSON(t, settingsKey, &s) })
	return s, err
}
