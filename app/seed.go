package app

import (
	"context"
	"fmt"
	"math/rand/v2"
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
// notes (about one in three still a draft). It writes through Store.Load in
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
	// A demo vault made from the command line has nobody's name on it yet: sign
	// the demo notes as a fictional detective so the desktop app opens ready.
	if _, err := r.Profile(); isNotFound(err) {
		if _, err := r.SaveProfile(Profile{DisplayName: demoPeople[0], Role: RoleDetective, Agency: "Demo County Task Force"}); err != nil {
			return err
		}
	} else if err != nil {
		return err
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
	var author string
	if err := r.view(func(t Tx) error {
		var err error
		author, err = r.author(t)
		return err
	}); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(first), uint64(cases)))
	now := r.now()
	// One case per unit on the commit path's bulk writer: bounded transactions of
	// whole cases, each with its index entry, counts and tasks derived in it.
	return r.path.bulk(cases, func(i int, c *Change) error {
		return seedCase(c, rng, first+i, notesPerCase, tpl, inds, author, now)
	}, progress, ctx.Err)
}

// nextDemoNumber is one past the highest DEMO- case number in the vault.
func nextDemoNumber(t Tx) (int, error) {
	next := 1
	err := scanJSON(t, RecCaseIndex, ID{}, func(_ Key, s *CaseSummary) error {
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
	demoPartners = []string{"Demo Hope House", "Demo Child Advocacy Centre", "Demo County Therapy",
		"Demo Legal Aid", "Demo School District"}
	demoSentences = []string{
		"Met at the child advocacy centre with the advocate present.",
		"Discussed the safety plan and who the safe adults are.",
		"Phone call with the placement; the young person is settled.",
		"Referral made for trauma-focused therapy; waiting for an intake date.",
		"MDT pre-brief held before the forensic interview.",
		"School liaison reports attendance has improved this week.",
		"Advocate accompanied the young person to the medical appointment.",
		"Reviewed online advertisements identified by the analyst.",
		"Prosecutor asked for the timeline of missing episodes.",
		"Follow-up visit; no new concerns raised.",
	}
)

// seedCase writes one demo case through the writer.
func seedCase(w Writer, rng *rand.Rand, num, notes int, tpl Template, inds []string, author string, now time.Time) error {
	opened := dateOnly(now.AddDate(0, 0, -rng.IntN(730)))
	c := Case{
		ID:       NewID(),
		Number:   fmt.Sprintf("%s%06d", demoPrefix, num),
		Title:    fmt.Sprintf("[Demo] Fictional case %04d", num),
		Status:   CaseOpen,
		Opened:   opened,
		Assigned: []string{demoPeople[rng.IntN(2)], demoPeople[2+rng.IntN(2)]},
		Created:  now, CreatedBy: author, Updated: now,
		Jurisdiction: "Demo County",
	}
	if len(inds) > 0 {
		c.Tags = []string{inds[rng.IntN(len(inds))]}
	}
	switch rng.IntN(10) {
	case 0:
		c.Status = CaseInactive
	case 1:
		c.Status, c.ClosedReason, c.Closed = CaseClosed, "[Demo] services completed", dateOnly(now)
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
	if err := writeChecklist(w, &c, tpl, now, seedProgress(rng, opened, now, demoPeople[rng.IntN(len(demoPeople))])); err != nil {
		return err
	}
	if err := putJSON(w, caseKey(c.ID), &c); err != nil {
		return err
	}
	span := now.Sub(opened)
	for i := range notes {
		at := opened.Add(time.Duration(float64(span) * float64(i+1) / float64(notes+1))).Truncate(time.Second)
		n := Note{
			ID: NewID(), Case: c.ID, Kind: NoteKinds[rng.IntN(len(NoteKinds))],
			Body:        "[Demo] " + demoSentences[rng.IntN(len(demoSentences))] + " " + demoSentences[rng.IntN(len(demoSentences))],
			Author:      author,
			Sensitivity: Sensitivities[rng.IntN(len(Sensitivities))],
			Created:     at, Updated: at,
		}
		if rng.IntN(3) != 0 {
			n.Finalised, n.FinalisedBy = at, author
		}
		if err := putJSON(w, Key{Type: RecNote, Case: c.ID, Order: uint64(at.UnixNano()) + uint64(i), ID: n.ID}, &n); err != nil {
			return err
		}
	}
	ref := Referral{ID: NewID(), Case: c.ID, Service: ServiceTypes[rng.IntN(len(ServiceTypes))],
		Partner: demoPartners[rng.IntN(len(demoPartners))], Status: ReferralReferred,
		Created: opened, By: author, History: []StatusChange{{Status: ReferralReferred, At: opened, By: author}}}
	if rng.IntN(2) == 0 {
		ref.Due = dateOnly(now.AddDate(0, 0, rng.IntN(60)-20))
	}
	if err := putJSON(w, referralKey(c.ID, ref.ID), &ref); err != nil {
		return err
	}
	ev := TimelineEvent{ID: NewID(), Case: c.ID, Kind: "recovery", Date: opened, Source: "[Demo] patrol report",
		Description: "[Demo] Young person recovered and connected with an advocate.", Created: now, By: author}
	return putJSON(w, timelineKey(c.ID, ev.Date, ev.ID), &ev)
}

// seedProgress marks demo checklist items done the way a working team would: items
// due more than two months ago are done, those due two to eight weeks ago mostly
// (a few stay overdue, so the dashboard has something to show), and undated items
// of older cases mostly.
func seedProgress(rng *rand.Rand, opened, now time.Time, by string) func(*ChecklistItem) {
	age := now.Sub(opened)
	return func(it *ChecklistItem) {
		var done bool
		switch {
		case !it.Due.IsZero():
			late := now.Sub(it.Due)
			done = late > 60*24*time.Hour || (late > 14*24*time.Hour && rng.IntN(100) >= 10)
		default:
			done = age > 90*24*time.Hour && rng.IntN(100) < 80
		}
		if !done {
			return
		}
		at := opened.Add(time.Duration(rng.Int64N(int64(max(age, time.Hour)))))
		if !it.Due.IsZero() && at.After(it.Due) {
			at = it.Due.Add(-time.Duration(rng.IntN(48)) * time.Hour)
		}
		if at.Before(opened) {
			at = opened
		}
		it.Status, it.CompletedBy, it.CompletedAt = ItemDone, by, at.UTC().Truncate(time.Second)
		it.Updated, it.UpdatedBy = it.CompletedAt, by
	}
}
