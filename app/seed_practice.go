package app

import (
	"time"
)

// SeedPractice writes the MDT practice's demo records for demos and screenshots: a
// fictional partner directory (when the directory is empty) and a case review
// meeting on the day after Records.Now, with the directory's partners on the roster,
// the agenda proposed from the open cases due for review (at most six), a review of
// each recorded by reference, and an action item for each. Every name is fictional.
// It writes through the services, so every rule applies.
func (r *Records) SeedPractice() (Meeting, error) {
	partners, err := r.Partners()
	if err != nil {
		return Meeting{}, err
	}
	if len(partners) == 0 {
		for _, in := range []PartnerInput{
			{Organization: "Demo County Prosecutor's Office", Person: "ADA Maya Ruiz", Category: "prosecution", Role: "assistant district attorney", Phone: "555-0140",
				SigningFingerprint: "3f2a 9c01 77de 0b4e 1a2c", KeysConfirmed: true},
			{Organization: "Demo Youth Shelter", Category: "victim-services", Role: "crisis advocacy and shelter", Phone: "555-0150"},
			{Organization: "Demo County Child Welfare", Person: "Caseworker Lee", Category: "child-welfare", Phone: "555-0160"},
			{Organization: "Demo Children's Advocacy Center", Person: "Coordinator Diaz", Category: "mdt-coordinator", Role: "runs the monthly case review"},
			{Organization: "Demo County Probation", Category: "probation-parole"},
			{Organization: "Demo Pediatric Clinic", Category: "medical-mental-health"},
		} {
			e, err := r.AddPartner(in)
			if err != nil {
				return Meeting{}, err
			}
			partners = append(partners, e)
		}
	}
	at := dateOnly(r.Now().UTC()).AddDate(0, 0, 1).Add(14 * time.Hour)
	proposed, err := r.ProposeAgenda(at)
	if err != nil {
		return Meeting{}, err
	}
	var cases []ID
	for _, p := range proposed {
		if len(cases) == 6 {
			break
		}
		cases = append(cases, p.Case.ID)
	}
	var roster []AttendeeInput
	for i, e := range partners {
		if i == 5 {
			break
		}
		roster = append(roster, AttendeeInput{PartnerID: e.ID, Attended: i != 4})
	}
	m, err := r.CreateMeeting(MeetingInput{At: at, Title: "Monthly MDT case review", Roster: roster, Cases: cases})
	if err != nil {
		return Meeting{}, err
	}
	points := []ReviewPoint{
		{Summary: "[Demo] Forensic interview done; charging decision pending."},
		{Kind: InfoServices, Summary: "[Demo] Shelter placement stable; school enrollment arranged."},
	}
	decisions := []Decision{{Text: "[Demo] Review again next month; prosecutor to report on charges."}}
	for i, c := range cases {
		if i >= 3 {
			break
		}
		if _, err := r.RecordReview(m.ID, c, ReviewInput{Points: points, Decisions: decisions}); err != nil {
			return Meeting{}, err
		}
		owner := partners[i%len(partners)]
		if _, err := r.AddActionItem(m.ID, c, ActionInput{Title: "[Demo] Confirm the next step with the team", OwnerPartner: owner.ID,
			Due: at.AddDate(0, 0, 7+i*3)}); err != nil {
			return Meeting{}, err
		}
	}
	return r.Meeting(m.ID)
}
