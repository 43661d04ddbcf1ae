package ui

import "casenotes/app"

// notApplicableExample is the example reason offered when an item is marked not
// applicable, fitting the partner that owns the item: one example for every item
// would read as nonsense under most of them ("no school enrollment" under a
// juvenile justice intake item).
func notApplicableExample(owner app.Partner) string {
	switch owner {
	case app.PartnerJuvenileJustice:
		return "for example: not referred through juvenile intake"
	case app.PartnerSchool:
		return "for example: not enrolled in school this term"
	case app.PartnerChildWelfare:
		return "for example: not known to child welfare, no placement"
	case app.PartnerProsecution:
		return "for example: no charges filed in this county"
	case app.PartnerLawEnforcement:
		return "for example: handled by the county where it happened"
	case app.PartnerVictimServices:
		return "for example: the family declined, referral offered"
	case app.PartnerCAC:
		return "for example: interviewed at the center in the county where it happened"
	case app.PartnerMDTCoordinator:
		return "for example: reviewed by the team in the county where it happened"
	default:
		return "for example: handled by another agency"
	}
}
