package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Seed limits: enough for the 10,000-case benchmark vault and more.
const (
	MaxSeedCases        = 1_000_000
	MaxSeedNotesPerCase = 10_000
)

// demoPrefix starts every demo case number, so demo cases are easy to tell apart
// and to find again.
const demoPrefix = "DEMO-"

// Seed writes clearly fictional cases for demos and benchmarks: aliases such as
// "Demo Alias 0042", notes beginning "[Demo]", case numbers "DEMO-000042", each case
// with its victim profile, list entry, the vault's default checklist and notesPerCase
// notes (about one in three still a draft). Everything is signed by fictional demo
// team members ("Demo Detective Alvarez"); the vault's own profile, the name of the
// person who will use it, is left as it is. Dates are relative to Records.Now, so a
// fixed clock gives the same picture every time: cases opened over the past year,
// their checklists as far along as a working team would have them (see
// seedProgress). It writes through Store.Load in
// batches, which is fast but not atomic: a cancelled or failed seed leaves the
// batches already written, which are demo data like the rest. progress, if set, is
// called with the number of cases written so far.
func (r *Records) Seed(ctx context.Context, cases, notesPerCase int, progress func(done int)) error {
	if cases < 1 || cases > MaxSeedCases {
		return Invalid("cases", fmt.Sprintf("must be between 1 and %d", MaxSeedCases))
	}
	if notesPerCase < 0 || notesPerCase > MaxSeedNotesPerCase {
		return Invalid("notes per case", fmt.Sprintf("must be between 0 and %d", MaxSeedNotesPerCase))
	}
	var (
		first int
		tpl   Template
		inds  []string
	)
	err := r.view(func(t Tx) error {
		var err error
		if tpl, err = defaultTemplate(t); err != nil {
			return err
		}
		if inds, err = indicators(t); err != nil {
			return err
		}
		first, err = nextDemoNumber(t)
		return err
	})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(first), uint64(cases)))
	now := r.now()
	// One case per unit on the commit path's bulk writer: bounded transactions of
	// whole cases, each with its index entry, counts and tasks derived in it.
	return r.path.bulk(cases, func(i int, c *Change) error {
		if len(c.events) == 0 { // one audit entry per transaction of the bulk load
			logEvent(c, AuditEvent{Action: ActSeed})
		}
		return seedCase(c, rng, first+i, notesPerCase, tpl, inds, now)
	}, progress, ctx.Err)
}

// nextDemoNumber is one past the highest DEMO- case number in the vault.
func nextDemoNumber(t Tx) (int, error) {
	next := 1
	err := scanSummaries(t, func(s *CaseSummary) error {
		if rest, ok := strings.CutPrefix(strings.ToUpper(s.Number), demoPrefix); ok {
			if v, err := strconv.Atoi(rest); err == nil && v >= next {
				next = v + 1
			}
		}
		return nil
	})
	return next, err
}

var (
	demoPeople = []string{"Demo Detective Alvarez", "Demo Detective Chen", "Demo Advocate Kim",
		"Demo Advocate Okafor", "Demo Prosecutor Silva", "Demo Supervisor Novak"}
	demoPartners = []string{"Demo Youth Shelter", "Demo Children's Advocacy Center", "Demo Therapy Clinic",
		"Demo Legal Aid", "Demo School District"}
)

// seedCase writes one demo case through the writer. Its team is a demo detective
// and a demo advocate, who sign its notes, checklist work and referral.
func seedCase(w Writer, rng *rand.Rand, num, notes int, tpl Template, inds []string, now time.Time) error {
	// Most cases are weeks or months old; about one in eight opened in the last
	// fortnight, so the dashboard has fresh cases with their first items due.
	days := rng.IntN(365)
	if rng.IntN(8) == 0 {
		days = rng.IntN(14)
	}
	opened := dateOnly(now.AddDate(0, 0, -days))
	team := []string{demoPeople[rng.IntN(2)], demoPeople[2+rng.IntN(2)]}
	author := team[0]
	c := Case{
		ID:       NewID(),
		Number:   fmt.Sprintf("%s%06d", demoPrefix, num),
		Title:    fmt.Sprintf("[Demo] Fictional case %04d", num),
		Status:   CaseOpen,
		Opened:   opened,
		Assigned: team,
		Created:  opened, CreatedBy: author, Updated: now,
		Jurisdiction: "Demo County",
	}
	if len(inds) > 0 {
		c.Tags = []string{inds[rng.IntN(len(inds))]}
	}
	if days > 30 {
		switch rng.IntN(10) {
		case 0:
			c.Status = CaseInactive
		case 1:
			c.Status, c.ClosedReason, c.Closed = CaseClosed, "[Demo] services completed", dateOnly(now.AddDate(0, 0, -rng.IntN(days/2+1)))
		}
	}
	v := Victim{
		Alias:         fmt.Sprintf("Demo Alias %04d", num),
		Age:           12 + rng.IntN(6),
		Languages:     []string{"English"},
		PlacementType: PlacementTypes[rng.IntN(len(PlacementTypes))],
	}
	if rng.IntN(4) == 0 {
		v.Languages = append(v.Languages, "Spanish")
		v.InterpreterNeeded = true
	}
	if err := w.NewCase(c.ID); err != nil {
		return err
	}
	if err := putJSON(w, victimKey(c.ID), &v); err != nil {
		return err
	}
	if err := writeChecklist(w, &c, tpl, now, seedProgress(rng, opened, now, team)); err != nil {
		return err
	}
	if err := putJSON(w, caseKey(c.ID), &c); err != nil {
		return err
	}
	span := now.Sub(opened)
	spanish := slices.Contains(v.Languages, "Spanish")
	for i := range notes {
		at := opened.Add(time.Duration(float64(span) * float64(i+1) / float64(notes+1))).Truncate(time.Second)
		by := team[rng.IntN(len(team))]
		n := Note{
			ID: NewID(), Case: c.ID, Kind: NoteKinds[rng.IntN(len(NoteKinds))],
			Body:        demoNoteBody(rng, spanish, demoPartners[rng.IntN(len(demoPartners))]),
			Author:      by,
			Sensitivity: Sensitivities[rng.IntN(len(Sensitivities))],
			Created:     at, Updated: at,
		}
		if rng.IntN(3) != 0 {
			n.Finalised, n.FinalisedBy = at, by
		}
		if err := putJSON(w, Key{Type: RecNote, Case: c.ID, Order: uint64(at.UnixNano()) + uint64(i), ID: n.ID}, &n); err != nil {
			return err
		}
	}
	advocate := team[1]
	ref := Referral{ID: NewID(), Case: c.ID, Service: ServiceTypes[rng.IntN(len(ServiceTypes))],
		Partner: demoPartners[rng.IntN(len(demoPartners))], Status: ReferralReferred,
		Created: opened, By: advocate, History: []StatusChange{{Status: ReferralReferred, At: opened, By: advocate}}}
	if rng.IntN(2) == 0 && c.Status == CaseOpen {
		// Mostly due in the coming weeks; now and then a few days late.
		ref.Due = dateOnly(now.AddDate(0, 0, rng.IntN(45)-2))
	}
	if err := putJSON(w, referralKey(c.ID, ref.ID), &ref); err != nil {
		return err
	}
	ev := TimelineEvent{ID: NewID(), Case: c.ID, Kind: "recovery", Date: opened, Source: "[Demo] patrol report",
		Description: "[Demo] Young person recovered and connected with an advocate.", Created: opened, By: author}
	return putJSON(w, timelineKey(c.ID, ev.Date, ev.ID), &ev)
}

// phaseDays is how many days into a case a working team has usually finished the
// undated items of a phase: the first steps at once, aftercare after months.
var phaseDays = map[Phase]int{
	PhaseIdentification: 1, PhaseInitialResponse: 1, PhaseSafety: 5, PhaseForensicInterview: 14,
	PhaseMedical: 14, PhaseServices: 45, PhaseInvestigation: 60, PhaseProsecution: 120, PhaseAftercare: 180,
}

// seedProgress marks demo checklist items done the way a working team would, by
// someone on the case's team: what was due on the day the case opened (the child's
// immediate safety) is always done, and so is what fell due more than two weeks
// ago; of what fell due in the week before the last, all but one in 100, and in
// the past week all but one in 25; of what is due in
// the next two days, some early. Undated items are done once the case is old
// enough for their phase (phaseDays), most of the time. A case opened last week
// so has its first steps done, later ones upcoming and little overdue.
func seedProgress(rng *rand.Rand, opened, now time.Time, team []string) func(*ChecklistItem) {
	age := now.Sub(opened)
	const day = 24 * time.Hour
	return func(it *ChecklistItem) {
		var done bool
		switch {
		case !it.Due.IsZero() && !it.Due.After(opened):
			done = true
		case !it.Due.IsZero():
			late := now.Sub(it.Due)
			switch {
			case late >= 14*day:
				done = true
			case late >= 7*day:
				done = rng.IntN(100) != 0
			case late > 0:
				done = rng.IntN(100) >= 4
			default:
				done = -late <= 2*day && rng.IntN(100) < 30
			}
		default:
			done = age >= time.Duration(phaseDays[it.Phase])*day && rng.IntN(100) < 85
		}
		if !done {
			return
		}
		end := now
		if due := it.Due.Add(day - time.Second); !it.Due.IsZero() && due.Before(end) {
			end = due
		}
		at := opened
		if span := end.Sub(opened); span > 0 {
			at = opened.Add(time.Duration(rng.Int64N(int64(span))))
		}
		by := team[rng.IntN(len(team))]
		it.Status, it.CompletedBy, it.CompletedAt = ItemDone, by, at.UTC().Truncate(time.Second)
		it.Updated, it.UpdatedBy = it.CompletedAt, by
	}
}
