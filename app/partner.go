package app

import "strings"

// Partner is an MDT partner (DOMAIN.md, "The MDT partners"): the one vocabulary for
// who owns a checklist item, what kind of partner a release of information is made
// out to, and what kind of partner a directory entry is. One list keeps the
// dashboard's "which partner is waiting on whom", the release form and the
// directory in the same words.
type Partner string

// The MDT partners. The values are stored (checklist items, releases, directory
// entries, templates, case files and exports), so they never change: a new partner
// is a new value at the end of Partners.
const (
	PartnerLawEnforcement  Partner = "law-enforcement"
	PartnerProsecution     Partner = "prosecution"
	PartnerVictimServices  Partner = "victim-services"
	PartnerChildWelfare    Partner = "child-welfare"
	PartnerSchool          Partner = "school"
	PartnerJuvenileJustice Partner = "juvenile-justice"
	PartnerProbation       Partner = "probation-parole"
	PartnerMedical         Partner = "medical-mental-health"
	PartnerCommunity       Partner = "community"
	PartnerNational        Partner = "national-resources"
	// PartnerCAC is the Children's Advocacy Center: where many MDTs meet, hold the
	// forensic interview and run case review.
	PartnerCAC Partner = "childrens-advocacy-center"
	// PartnerMDTCoordinator is the person who runs the team's case review,
	// wherever they are employed (often at the CAC, sometimes at the prosecutor's
	// office or a police department).
	PartnerMDTCoordinator Partner = "mdt-coordinator"
	// PartnerOther is a recipient or owner outside the named partners (a tribal
	// liaison, a family's attorney).
	PartnerOther Partner = "other"
)

// Partners lists the partners in display order. ChecklistCounts stores counts by
// position in this list, so it only ever grows at the end: never reorder or remove.
var Partners = []Partner{
	PartnerLawEnforcement, PartnerProsecution, PartnerVictimServices, PartnerChildWelfare,
	PartnerSchool, PartnerJuvenileJustice, PartnerProbation, PartnerMedical,
	PartnerCommunity, PartnerNational, PartnerCAC, PartnerMDTCoordinator, PartnerOther,
}

var partnerTitles = map[Partner]string{
	PartnerLawEnforcement:  "Law enforcement",
	PartnerProsecution:     "Prosecution",
	PartnerVictimServices:  "Victim services",
	PartnerChildWelfare:    "Child welfare",
	PartnerSchool:          "School",
	PartnerJuvenileJustice: "Juvenile justice",
	PartnerProbation:       "Probation and parole",
	PartnerMedical:         "Medical and mental health",
	PartnerCommunity:       "Community partners",
	PartnerNational:        "National resources",
	PartnerCAC:             "Children's Advocacy Center",
	PartnerMDTCoordinator:  "MDT coordinator",
	PartnerOther:           "Other",
}

// legacyPartners are the names releases and directory entries used before the two
// lists became one (release categories had "probation", "medical",
// "mental-health" and "national-resource"). Stored records are migrated
// (migratePartnerVocabulary); files written by older versions (case files,
// bundles) are read through ParsePartner, so they keep importing.
var legacyPartners = map[string]Partner{
	"probation":         PartnerProbation,
	"medical":           PartnerMedical,
	"mental-health":     PartnerMedical,
	"national-resource": PartnerNational,
}

// Title is the partner's name as people read it, or "" for an unknown partner.
func (p Partner) Title() string { return partnerTitles[p] }

// Known reports whether p is one of Partners.
func (p Partner) Known() bool { _, ok := partnerTitles[p]; return ok }

// ParsePartner reads a partner as stored or typed: a current name, or one of the
// older names, which it returns in the current form. ok is false for anything else.
func ParsePartner(s string) (p Partner, ok bool) {
	s = strings.TrimSpace(s)
	if Partner(s).Known() {
		return Partner(s), true
	}
	p, ok = legacyPartners[s]
	return p, ok
}

// PartnerTitle names a stored partner in words: its title when it is a partner
// (current or older name), else the text itself (a referral's organization).
func PartnerTitle(s string) string {
	if p, ok := ParsePartner(s); ok {
		return p.Title()
	}
	return s
}
