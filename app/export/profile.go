// Package export decides what of a case may leave the vault, and writes it: a
// prosecutor's PDF summary, Markdown, JSON and the signed, encrypted bundle, and it
// reads bundles back (verify, import).
//
// One function, Build, applies a profile's written rules to a case and returns a
// Document: exactly what will leave, with the list of what was withheld and why.
// The preview a user reads (Document.Preview) and every writer (PDF, Markdown, JSON,
// bundle) render that same value, so what the preview shows cannot differ from the
// file. The rules live here, in app/, not in a screen:
//
//   - drafts never leave; only their number does;
//   - advocate-privileged notes, the legal identity, contact details, location,
//     medical and mental-health information leave only when a release on file
//     covers this recipient, this kind of information and the export date
//     (app.Records.MayShare); otherwise they are withheld and listed with the reason;
//   - the legal identity also needs the exporter's explicit choice, and then stands
//     on a page of its own, never in a header or a file name;
//   - a privileged note's text never reaches a preview row, a withheld entry, an
//     error or a file name.
package export

import (
	"slices"

	"casenotes/app"
)

// FormatID is the JSON export's format id and the newest version this build writes
// and reads (docs/export.md, docs/formats.md).
var FormatID = app.FormatID{Name: "casenotes-export", Version: 1}

// Format is FormatID as written in a document.
var Format = FormatID.String()

// Section is a part of an export, in the order the PDF prints them.
type Section string

// Sections, in print order.
const (
	SecCase       Section = "case"
	SecVictim     Section = "victim"
	SecIdentity   Section = "identity"
	SecChronology Section = "chronology"
	SecInterviews Section = "interviews"
	SecEvidence   Section = "evidence"
	SecNotes      Section = "notes"
	SecChecklist  Section = "checklist"
	SecServices   Section = "services"
	SecReleases   Section = "releases"
	SecReveals    Section = "reveals"
	SecIntegrity  Section = "integrity"
)

var sectionOrder = []Section{SecCase, SecVictim, SecIdentity, SecChronology, SecInterviews, SecEvidence,
	SecNotes, SecChecklist, SecServices, SecReports, SecCourt, SecOutcomes, SecReleases, SecReveals, SecIntegrity}

var sectionTitles = map[Section]string{
	SecCase:       "Case data",
	SecVictim:     "Victim profile",
	SecIdentity:   "Legal identity",
	SecChronology: "Chronology",
	SecInterviews: "Interview and exam references",
	SecEvidence:   "Evidence index",
	SecNotes:      "Final notes",
	SecChecklist:  "MDT checklist",
	SecServices:   "Services and referrals",
	SecReports:    "Reports and reference numbers",
	SecCourt:      "Court dates and victim notifications",
	SecOutcomes:   "Outcomes",
	SecReleases:   "Releases of information",
	SecReveals:    "Identity reveal log",
	SecIntegrity:  "Integrity",
}

// Title is the section's heading.
func (s Section) Title() string { return sectionTitles[s] }

// Profile is a written rule of what an export carries. The three sharing profiles
// differ in sections and detail; transfer moves a whole case to a colleague or the
// user's own new laptop.
type Profile struct {
	Name  string
	Title string // the document's title
	// Rule is the profile in one paragraph, shown in the wizard and in docs/export.md.
	Rule     string
	Sections []Section
	// Notes says which final notes may leave without a release: advocate-privileged
	// notes always need one (except in a transfer).
	NoteSensitivities []app.Sensitivity
	// Detail: the team on the case data, timeline descriptions, screening result.
	Team, EventDescriptions, Screening bool
	// Attachments: the files themselves go into a bundle (not only their index).
	Attachments bool
	// Identity may be included at all (still only under a release and by choice).
	Identity bool
	// Everything: every record but drafts, without release checks; bundle only, to a
	// key (a colleague on the same team, or the user's own new laptop).
	Everything bool
}

// Profiles, by name. Each Rule is the profile's contract, word for word.
var (
	Prosecutor = Profile{
		Name:  "prosecutor",
		Title: "Prosecutor's case summary",
		Rule: "For the prosecutor: case data, the victim profile alias first, the chronology with sources, " +
			"interview and exam references (never their content), the evidence index with SHA-256 and the " +
			"files, final standard and restricted notes with their addenda, the checklist, mandated and NCMEC report " +
			"and other reference numbers, court dates with the victim-notification log, outcomes (charges, " +
			"dispositions, sentences, restitution and forfeiture; people by pseudonymous reference only), the identity reveal log. " +
			"Advocate-privileged notes, services and referrals, medical and mental-health details and the legal " +
			"identity only where a release covers this recipient on the export date; the identity also only when " +
			"you choose to include it.",
		Sections: []Section{SecCase, SecVictim, SecIdentity, SecChronology, SecInterviews, SecEvidence,
			SecNotes, SecChecklist, SecServices, SecReports, SecCourt, SecOutcomes, SecReveals, SecIntegrity},
		NoteSensitivities: []app.Sensitivity{app.SensitivityStandard, app.SensitivityRestricted},
		Team:              true, EventDescriptions: true, Screening: true, Attachments: true, Identity: true,
	}
	Partner = Profile{
		Name:  "partner",
		Title: "Case summary for an MDT partner",
		Rule: "Need to know, for an MDT partner planning services: case data, the victim profile alias first " +
			"(age, language, interpreter, guardian and placement type), the chronology, checklist status, and " +
			"services and referrals where a release covers them. No notes, no evidence, no files. The legal " +
			"identity only under a covering release and when you choose to include it.",
		Sections: []Section{SecCase, SecVictim, SecIdentity, SecChronology, SecChecklist, SecServices, SecIntegrity},
		Team:     true, EventDescriptions: true, Identity: true,
	}
	Court = Profile{
		Name:  "court",
		Title: "Case summary for the court",
		Rule: "The heaviest redaction, for a court filing: case number, jurisdiction, status and dates, the alias " +
			"and age band, the chronology as dates, kinds and sources without descriptions, interview and exam " +
			"references and the evidence index with SHA-256. No notes, no checklist, no services, never the " +
			"legal identity.",
		Sections: []Section{SecCase, SecVictim, SecChronology, SecInterviews, SecEvidence, SecIntegrity},
	}
	Transfer = Profile{
		Name:  "transfer",
		Title: "Case transfer",
		Rule: "The whole case, every record but drafts (which stay with their author), for a colleague on your " +
			"team or your own new laptop: notes of every sensitivity, the legal identity, releases, referrals, " +
			"checklist, timeline, attachments, references, court dates and notifications, outcomes, the review " +
			"interval and legal hold, and the reveal log (MDT case reviews stay with the meetings of your vault). " +
			"Only as a bundle encrypted to their key; it " +
			"imports as an ordinary, editable case with a note of where it came from.",
		Sections: []Section{SecCase, SecVictim, SecIdentity, SecChronology, SecInterviews, SecEvidence,
			SecNotes, SecChecklist, SecServices, SecReports, SecCourt, SecOutcomes, SecReleases, SecReveals, SecIntegrity},
		NoteSensitivities: app.Sensitivities,
		Team:              true, EventDescriptions: true, Screening: true, Attachments: true, Identity: true,
		Everything: true,
	}
)

// Profiles lists the profiles in the order a form offers them.
var Profiles = []Profile{Prosecutor, Partner, Court, Transfer}

// ProfileByName finds a profile.
func ProfileByName(name string) (Profile, error) {
	for _, p := range Profiles {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, app.Invalid("profile", "is not one of prosecutor, partner, court or transfer")
}

func (p Profile) has(s Section) bool { return slices.Contains(p.Sections, s) }
