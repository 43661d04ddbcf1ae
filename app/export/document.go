package export

import (
	"time"

	"casenotes/app"
)

// Document is exactly what an export carries. Build makes it; the preview, the PDF,
// the Markdown, the JSON and the bundle all render this one value. Its JSON form is
// the casenotes-export/v1 format (docs/export.md): field names are snake_case and
// stable; a new field is optional for old readers.
type Document struct {
	Format          string    `json:"format"`
	ExportID        app.ID    `json:"export_id"`
	Created         time.Time `json:"created"`
	AppVersion      string    `json:"app_version"`
	Profile         string    `json:"profile"`
	Title           string    `json:"title"`
	Confidentiality string    `json:"confidentiality"`
	Recipient       Recipient `json:"recipient"`
	Exporter        Exporter  `json:"exporter"`
	// Sections lists the sections this document carries, in print order.
	Sections []Section `json:"sections"`

	Case       CaseData       `json:"case"`
	Victim     *VictimProfile `json:"victim,omitempty"`
	Identity   *IdentityPage  `json:"identity,omitempty"`
	Chronology []Event        `json:"chronology,omitempty"`
	Interviews []Event        `json:"interviews_and_exams,omitempty"`
	Evidence   *EvidenceIndex `json:"evidence,omitempty"`
	Notes      []NoteEntry    `json:"notes,omitempty"`
	Checklist  []PhaseEntry   `json:"checklist,omitempty"`
	Services   []Service      `json:"services,omitempty"`
	Releases   []ReleaseEntry `json:"releases,omitempty"`
	Reveals    []RevealEntry  `json:"identity_reveals,omitempty"`
	// The MDT practice (practice.go); optional for older readers.
	Reports       []ReportEntry       `json:"reports_and_references,omitempty"`
	Hearings      []HearingEntry      `json:"hearings,omitempty"`
	Notifications []NotificationEntry `json:"victim_notifications,omitempty"`
	Outcomes      *OutcomesEntry      `json:"outcomes,omitempty"`

	// ReliedOn are the releases this export relied on, one sentence each.
	ReliedOn []string   `json:"releases_relied_on"`
	Withheld []Withheld `json:"withheld"`
	Counts   Counts     `json:"counts"`
}

// Recipient is who the export is for. Organization and person are what releases
// are checked against; AgeRecipient is the key a bundle is encrypted to, if any.
type Recipient struct {
	Organization string `json:"organization,omitempty"`
	Person       string `json:"person,omitempty"`
	Category     string `json:"category,omitempty"`
	AgeRecipient string `json:"age_recipient,omitempty"`
	// Passphrase is set when a bundle is encrypted to a passphrase.
	Passphrase bool `json:"passphrase,omitempty"`
}

// auditKey names the recipient for the audit trail without a typed name: the age
// key the export was sealed to, "passphrase", or the partner category.
func (r Recipient) auditKey() string {
	switch {
	case r.AgeRecipient != "":
		return r.AgeRecipient
	case r.Passphrase:
		return "passphrase"
	case r.Category != "":
		return "category:" + r.Category
	}
	return "unnamed"
}

// Name reads "Ana Ruiz at Demo County Prosecutor's Office", or "an unnamed recipient".
func (r Recipient) Name() string {
	s := app.Recipient{Organisation: r.Organization, Person: r.Person}.String()
	if s == "" {
		return "an unnamed recipient"
	}
	return s
}

func (r Recipient) app() app.Recipient {
	return app.Recipient{Organisation: r.Organization, Person: r.Person, Category: app.Partner(r.Category)}
}

// Exporter is who made the export and the key that signs it.
type Exporter struct {
	Name               string `json:"name"`
	Role               string `json:"role,omitempty"`
	Agency             string `json:"agency,omitempty"`
	SigningFingerprint string `json:"signing_fingerprint,omitempty"`
}

// CaseData is the case record as it leaves.
type CaseData struct {
	ID              app.ID    `json:"id"`
	Number          string    `json:"number"`
	Title           string    `json:"title,omitempty"`
	Status          string    `json:"status"`
	ClosedReason    string    `json:"closed_reason,omitempty"`
	Jurisdiction    string    `json:"jurisdiction,omitempty"`
	Opened          string    `json:"opened"`           // YYYY-MM-DD
	Closed          string    `json:"closed,omitempty"` // YYYY-MM-DD
	Team            []string  `json:"team,omitempty"`
	Indicators      []string  `json:"indicators,omitempty"`
	TemplateID      string    `json:"template_id,omitempty"`
	TemplateVersion int       `json:"template_version,omitempty"`
	Created         time.Time `json:"created,omitzero"`
	CreatedBy       string    `json:"created_by,omitempty"`
	// Transfer only: the case's MDT review interval and legal hold.
	ReviewIntervalDays int        `json:"review_interval_days,omitempty"`
	LegalHold          *HoldEntry `json:"legal_hold,omitempty"`
}

// VictimProfile is the victim's profile, alias first; never an address.
type VictimProfile struct {
	Alias             string     `json:"alias"`
	Age               int        `json:"age,omitempty"`
	AgeBand           string     `json:"age_band,omitempty"`
	Gender            string     `json:"gender,omitempty"`
	Languages         []string   `json:"languages,omitempty"`
	InterpreterNeeded bool       `json:"interpreter_needed,omitempty"`
	GuardianType      string     `json:"guardian_type,omitempty"`
	PlacementType     string     `json:"placement_type,omitempty"`
	Screening         *Screening `json:"screening,omitempty"`
}

// Screening is a screening result: tool, version, date, screener, level of concern.
type Screening struct {
	Tool     string `json:"tool"`
	Version  string `json:"version,omitempty"`
	Date     string `json:"date"`
	Screener string `json:"screener"`
	Concern  string `json:"concern"`
}

// IdentityPage is the legal identity, printed on a page of its own. Each part is
// present only when a release covers its kind of information (name, date of birth
// and school: identity; addresses: location; numbers: contact).
type IdentityPage struct {
	LegalName      string   `json:"legal_name,omitempty"`
	DateOfBirth    string   `json:"date_of_birth,omitempty"`
	School         string   `json:"school,omitempty"`
	Addresses      []string `json:"addresses,omitempty"`
	ContactNumbers []string `json:"contact_numbers,omitempty"`
}

// Event is a timeline event; interview and exam events are also listed as references.
type Event struct {
	ID          app.ID    `json:"id"`
	Kind        string    `json:"kind"`
	Date        time.Time `json:"date"`
	Source      string    `json:"source,omitempty"`
	Description string    `json:"description,omitempty"`
	Created     time.Time `json:"created,omitzero"`
	By          string    `json:"by,omitempty"`
}

// EvidenceIndex lists attachments (with SHA-256) and references to items held in
// the agency's evidence system.
type EvidenceIndex struct {
	Attachments []AttachmentEntry `json:"attachments,omitempty"`
	References  []ReferenceEntry  `json:"references,omitempty"`
}

// AttachmentEntry is one attachment. File is its path inside a bundle when the
// profile carries the file; empty when only the index entry leaves.
type AttachmentEntry struct {
	ID          app.ID    `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Added       time.Time `json:"added"`
	AddedBy     string    `json:"added_by,omitempty"`
	File        string    `json:"file,omitempty"`
}

// ReferenceEntry points at an item in the agency's evidence system.
type ReferenceEntry struct {
	ID          app.ID    `json:"id"`
	System      string    `json:"system"`
	ReferenceID string    `json:"reference_id"`
	Description string    `json:"description,omitempty"`
	Added       time.Time `json:"added"`
	AddedBy     string    `json:"added_by,omitempty"`
}

// NoteEntry is a final note with its addenda.
type NoteEntry struct {
	ID          app.ID          `json:"id"`
	Kind        string          `json:"kind"`
	Sensitivity string          `json:"sensitivity"`
	Author      string          `json:"author"`
	Created     time.Time       `json:"created"`
	Finalized   time.Time       `json:"finalized"`
	FinalizedBy string          `json:"finalized_by,omitempty"`
	Text        string          `json:"text"`
	Addenda     []AddendumEntry `json:"addenda,omitempty"`
	// Contact is a contact note's facts (who was present, language, interpreter,
	// setting type, duration).
	Contact *ContactEntry `json:"contact,omitempty"`
}

// AddendumEntry is a correction or addition to a final note.
type AddendumEntry struct {
	ID      app.ID    `json:"id"`
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
	Text    string    `json:"text"`
}

// PhaseEntry is one phase of the checklist with its items.
type PhaseEntry struct {
	Phase string      `json:"phase"`
	Title string      `json:"title"`
	Done  int         `json:"done"`
	Total int         `json:"total"`
	Items []ItemEntry `json:"items"`
}

// ItemEntry is one checklist item.
type ItemEntry struct {
	ID           app.ID    `json:"id"`
	TemplateItem string    `json:"template_item,omitempty"`
	Custom       bool      `json:"custom,omitempty"`
	Position     int       `json:"position"`
	Title        string    `json:"title"`
	Owner        string    `json:"owner"`
	Status       string    `json:"status"`
	Reason       string    `json:"reason,omitempty"`
	Due          string    `json:"due,omitempty"`
	CompletedBy  string    `json:"completed_by,omitempty"`
	CompletedAt  time.Time `json:"completed_at,omitzero"`
	Notes        string    `json:"notes,omitempty"`    // transfer only
	Guidance     string    `json:"guidance,omitempty"` // transfer only
}

// Service is a referral with its history.
type Service struct {
	ID      app.ID          `json:"id"`
	Service string          `json:"service"`
	Partner string          `json:"partner"`
	Status  string          `json:"status"`
	Due     string          `json:"due,omitempty"`
	Created time.Time       `json:"created"`
	By      string          `json:"by,omitempty"`
	History []ServiceChange `json:"history,omitempty"`
}

// ServiceChange is one step of a referral's history.
type ServiceChange struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"`
}

// ReleaseEntry is a release of information: the ones relied on, or (transfer) all.
type ReleaseEntry struct {
	ID            app.ID    `json:"id"`
	Scope         []string  `json:"scope"`
	Recipient     Recipient `json:"recipient"`
	Signed        string    `json:"signed"`
	Expires       string    `json:"expires"`
	Revoked       string    `json:"revoked,omitempty"`
	RevokedReason string    `json:"revoked_reason,omitempty"`
	RevokedBy     string    `json:"revoked_by,omitempty"`
	Created       time.Time `json:"created,omitzero"`
	CreatedBy     string    `json:"created_by,omitempty"`
	// Signer is who signed the release.
	Signer *SignerEntry `json:"signer,omitempty"`
}

// RevealEntry is one deliberate look at the legal identity.
type RevealEntry struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

// Withheld is one item that did not leave, with the reason, in words a person can
// act on. Item never holds a note's text, a name or anything a user typed.
type Withheld struct {
	Kind   string `json:"kind"` // note, drafts, identity, referral, attachment, event, section
	Item   string `json:"item"`
	Reason string `json:"reason"`
}

// Sentence is the entry as one line: "advocate-privileged note of Mar 4, 2026: no
// release on file covers advocate notes for Demo County Prosecutor's Office".
func (w Withheld) Sentence() string { return w.Item + ": " + w.Reason }

// Counts are the numbers a reader checks the document against.
type Counts struct {
	FinalNotes       int  `json:"final_notes"`
	NotesIncluded    int  `json:"notes_included"`
	NotesWithheld    int  `json:"notes_withheld"`
	Drafts           int  `json:"drafts"`
	Addenda          int  `json:"addenda_included"`
	Events           int  `json:"events"`
	ChecklistItems   int  `json:"checklist_items"`
	Services         int  `json:"services_included"`
	Attachments      int  `json:"attachments_indexed"`
	AttachmentFiles  int  `json:"attachment_files"`
	EvidenceRefs     int  `json:"evidence_references"`
	WithheldItems    int  `json:"withheld_items"`
	IdentityIncluded bool `json:"identity_included"`
}
