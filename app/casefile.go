package app

// The case file format (docs/case-format.md): one JSON document holding whole cases,
// for moving records in from another system and for demo data that a person wrote.
// casefile_check.go reads and checks a file; casefile_import.go writes it.

import "fmt"

const (
	CaseFileFormat = "casenotes-case/v1" // CaseFileFormatID.String()
	// MaxCaseFile bounds the size of a case file read into memory.
	MaxCaseFile = 64 << 20
	// MaxFileCases bounds the number of cases in one file.
	MaxFileCases = 100_000
	// MaxCaseNotes bounds the notes and addenda of one case brought in from a file
	// or a bundle, and so the memory and time one case of an import takes. It was
	// set when a case was deleted in one transaction (a store takes MaxTxEntries);
	// a store now deletes a larger case in stages (storage/shred.go), and the
	// published limit stays.
	MaxCaseNotes = 20_000
)

// checkCaseNotes refuses a case of more than MaxCaseNotes notes and addenda.
func checkCaseNotes(records int) error {
	if records > MaxCaseNotes {
		return Invalid("notes", fmt.Sprintf("are more than %d with their addenda in one case", MaxCaseNotes))
	}
	return nil
}

// stagedFull says a staged write of a case's notes stops before note i: with a
// budget, once the change holds that much (Change.full), and only after it wrote
// at least one note since from, so every transaction moves on.
func stagedFull(t Tx, i, from, budget int) bool {
	return budget > 0 && i > from && t.(*Change).full(budget)
}

// CaseFile is a parsed case file.
type CaseFile struct {
	Format string     `json:"format"`
	Cases  []FileCase `json:"cases"`
}

// FileCase is one case of a case file. Dates are "YYYY-MM-DD"; times are RFC 3339.
type FileCase struct {
	Number       string     `json:"number"`
	Title        string     `json:"title"`
	Status       string     `json:"status,omitempty"` // default "open"
	ClosedReason string     `json:"closed_reason,omitempty"`
	Jurisdiction string     `json:"jurisdiction,omitempty"`
	Opened       string     `json:"opened,omitempty"` // default: the day of import
	Closed       string     `json:"closed,omitempty"`
	Assigned     []string   `json:"assigned,omitempty"`
	Tags         []string   `json:"tags,omitempty"`
	ReceivedFrom string     `json:"received_from,omitempty"` // set: the case is a partner's, read-only here
	Victim       FileVictim `json:"victim"`
	Identity     *Identity  `json:"identity,omitempty"`
	Notes        []FileNote `json:"notes,omitempty"`
	Checklist    []FileItem `json:"checklist,omitempty"`
	Releases     []FileRel  `json:"releases,omitempty"`
	Referrals    []FileRef  `json:"referrals,omitempty"`
	Timeline     []FileEvt  `json:"timeline,omitempty"`
	// The MDT practice (issue 14, casefile_practice.go); each optional.
	ReviewIntervalDays int                `json:"review_interval_days,omitempty"`
	LegalHold          *FileHold          `json:"legal_hold,omitempty"`
	References         []FileReference    `json:"references,omitempty"`
	Hearings           []FileHearing      `json:"hearings,omitempty"`
	Notifications      []FileNotification `json:"notifications,omitempty"`
	People             []FilePerson       `json:"people,omitempty"`
	Charges            []FileCharge       `json:"charges,omitempty"`
	Outcome            *FileOutcome       `json:"outcome,omitempty"`
	Links              []FileLink         `json:"links,omitempty"`
}

// FileVictim is the victim profile in a case file (alias first).
type FileVictim struct {
	Alias             string         `json:"alias"`
	Age               int            `json:"age,omitempty"`
	AgeBand           string         `json:"age_band,omitempty"`
	Gender            string         `json:"gender,omitempty"`
	Languages         []string       `json:"languages,omitempty"`
	InterpreterNeeded bool           `json:"interpreter_needed,omitempty"`
	GuardianType      string         `json:"guardian_type,omitempty"`
	PlacementType     string         `json:"placement_type,omitempty"`
	Screening         *FileScreening `json:"screening,omitempty"`
}

// FileScreening is a screening result in a case file.
type FileScreening struct {
	Tool     string `json:"tool"`
	Version  string `json:"version,omitempty"`
	Date     string `json:"date"`
	Screener string `json:"screener"`
	Concern  string `json:"concern"`
}

// FileNote is a note in a case file.
type FileNote struct {
	Kind        string         `json:"kind"`
	Body        string         `json:"body"`
	Author      string         `json:"author"`
	CreatedAt   string         `json:"created_at"`
	Sensitivity string         `json:"sensitivity,omitempty"` // default "standard"
	Final       bool           `json:"final,omitempty"`
	FinalisedAt string         `json:"finalised_at,omitempty"` // default: created_at
	Addenda     []FileAddendum `json:"addenda,omitempty"`      // final notes only
	// Contact holds a contact note's facts: present, language, interpreter, setting
	// (a type, never an address) and duration_minutes.
	Contact *ContactDetails `json:"contact,omitempty"`
}

// FileAddendum is an addendum to a final note in a case file.
type FileAddendum struct {
	Body      string `json:"body"`
	Author    string `json:"author"`
	CreatedAt string `json:"created_at"`
}

// FileItem is the state of a checklist item in a case file: either an item of the
// vault's default template, named by its template item id, or (with phase, title
// and owner instead) an item of the agency's own.
type FileItem struct {
	Item        string `json:"item,omitempty"`
	Phase       string `json:"phase,omitempty"`
	Title       string `json:"title,omitempty"`
	Owner       string `json:"owner,omitempty"`
	Status      string `json:"status,omitempty"` // default "open"
	Reason      string `json:"reason,omitempty"` // required for not-applicable
	Due         string `json:"due,omitempty"`
	CompletedBy string `json:"completed_by,omitempty"`
	CompletedAt string `json:"completed_at,omitempty"`
	Notes       string `json:"notes,omitempty"`
}

// FileRel is a release of information in a case file.
type FileRel struct {
	Scope         []string  `json:"scope"`
	Recipient     Recipient `json:"recipient"`
	Signed        string    `json:"signed"`
	Expires       string    `json:"expires"`
	Revoked       string    `json:"revoked,omitempty"`
	RevokedReason string    `json:"revoked_reason,omitempty"`
	// Signer is who signed; a release without one is recorded as "signer not
	// recorded".
	Signer *FileSigner `json:"signer,omitempty"`
}

// FileRef is a referral in a case file.
type FileRef struct {
	Service  string `json:"service"`
	Partner  string `json:"partner"`
	Status   string `json:"status,omitempty"` // default "referred"
	Due      string `json:"due,omitempty"`
	Referred string `json:"referred,omitempty"` // date; default: the day of import
}

// FileEvt is a timeline event in a case file.
type FileEvt struct {
	Kind        string `json:"kind"`
	Date        string `json:"date"` // a date, or an RFC 3339 time
	Source      string `json:"source,omitempty"`
	Description string `json:"description"`
}

// ImportSummary counts what an import stored.
type ImportSummary struct {
	Cases, Notes, Addenda, ChecklistItems, Releases, Referrals, Events int
	// The MDT practice's records (issue 14).
	References, Hearings, Notifications, People, Charges, Links int
	// Staged is set when the file was too large for one transaction and was written
	// in steps behind a pending marker (see docs/case-format.md).
	Staged bool
}

// String is the one-line summary the command line prints.
func (s ImportSummary) String() string {
	line := fmt.Sprintf("Imported %d case(s): %d note(s), %d addend(a), %d checklist item state(s), %d release(s), %d referral(s), %d timeline event(s)",
		s.Cases, s.Notes, s.Addenda, s.ChecklistItems, s.Releases, s.Referrals, s.Events)
	for _, p := range []struct {
		n    int
		what string
	}{{s.References, "reference(s)"}, {s.Hearings, "hearing(s)"}, {s.Notifications, "victim notification(s)"},
		{s.People, "person(s) by reference"}, {s.Charges, "charge(s)"}, {s.Links, "linked case(s)"}} {
		if p.n > 0 {
			line += fmt.Sprintf(", %d %s", p.n, p.what)
		}
	}
	return line + "."
}
