package app

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"time"
)

// Reading what a report counts. Each reader copies only the fields a figure needs
// out of the records (never an alias, a name or any text a user typed, except the
// controlled values a table groups by), in one read snapshot, so every figure of a
// report describes the same moment.

// reportCase is what a report keeps of a case list entry.
type reportCase struct {
	id        ID
	opened    time.Time
	closed    time.Time
	status    CaseStatus
	received  bool
	tags      []string
	assigned  []string
	checklist *ChecklistCounts
}

// active reports whether the case was open (or inactive) on some day of the period.
func (c *reportCase) active(p ReportPeriod) bool {
	if !c.opened.Before(p.To) {
		return false
	}
	if c.status == CaseClosed && (c.closed.IsZero() || c.closed.Before(p.From)) {
		return false
	}
	return true
}

// reportReferral is what a report keeps of a referral.
type reportReferral struct {
	service      ServiceType
	status       ReferralStatus
	partner      string
	created      time.Time
	firstService time.Time // the first step to in-progress or completed
}

// reportVictim is what a report keeps of a victim profile: controlled or
// normalized values only.
type reportVictim struct {
	ageBand  string
	gender   string
	language string
}

// reportData is everything one report counts, read in one snapshot.
type reportData struct {
	cases     []*reportCase
	referrals map[ID][]reportReferral
	events    map[ID][]TimelineEvent // recoveries and missing episodes only, description dropped
	refs      map[ID][]Reference
	charges   map[ID][]Charge
	outcomes  map[ID]CaseOutcome
	// Read for the cohort (cases opened in the period) only.
	victims  map[ID]reportVictim
	advocate map[ID]time.Time // when "Call an advocate for the child" was done
}

// advocateItem is the template item whose completion is the first advocate contact.
const advocateItem = "initial.advocate-called"

// readReport reads the records of every case the filter keeps.
func readReport(t Tx, p ReportPeriod, f ReportFilter) (*reportData, error) {
	d := &reportData{
		referrals: map[ID][]reportReferral{}, events: map[ID][]TimelineEvent{}, refs: map[ID][]Reference{},
		charges: map[ID][]Charge{}, outcomes: map[ID]CaseOutcome{}, victims: map[ID]reportVictim{},
		advocate: map[ID]time.Time{},
	}
	err := scanSummaries(t, func(s *CaseSummary) error {
		c := &reportCase{id: s.ID, opened: s.Opened.UTC(), closed: s.Closed.UTC(), status: s.Status,
			received: s.ReadOnly || s.Origin != "", tags: s.Tags, assigned: s.Assigned, checklist: s.Checklist}
		d.cases = append(d.cases, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanJSON(t, RecReferral, ID{}, func(k Key, ref *Referral) error {
		rr := reportReferral{service: ref.Service, status: ref.Status, partner: ref.Partner, created: ref.Created.UTC()}
		for _, h := range ref.History {
			if h.Status == ReferralInProgress || h.Status == ReferralCompleted {
				if rr.firstService.IsZero() || h.At.Before(rr.firstService) {
					rr.firstService = h.At.UTC()
				}
			}
		}
		d.referrals[k.Case] = append(d.referrals[k.Case], rr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.cases = filterCases(d.cases, d.referrals, f)
	keep := make(map[ID]bool, len(d.cases))
	for _, c := range d.cases {
		keep[c.id] = true
	}
	for id := range d.referrals {
		if !keep[id] {
			delete(d.referrals, id)
		}
	}
	err = scanJSON(t, RecTimeline, ID{}, func(k Key, ev *TimelineEvent) error {
		if keep[k.Case] && (ev.Kind == "recovery" || ev.Kind == "missing-episode") {
			d.events[k.Case] = append(d.events[k.Case], TimelineEvent{Kind: ev.Kind, Date: ev.Date})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanJSON(t, RecReference, ID{}, func(k Key, ref *Reference) error {
		if keep[k.Case] && (ref.Kind == RefChildWelfare || ref.Kind == RefNCMEC) {
			d.refs[k.Case] = append(d.refs[k.Case], Reference{Kind: ref.Kind, ReportedAt: ref.ReportedAt,
				MissingSince: ref.MissingSince, Screening: ref.Screening})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanJSON(t, RecCharge, ID{}, func(k Key, ch *Charge) error {
		if keep[k.Case] {
			d.charges[k.Case] = append(d.charges[k.Case], Charge{Against: ch.Against, Filed: ch.Filed,
				Disposition: ch.Disposition, DispositionDate: ch.DispositionDate, Sentence: boolText(ch.Sentence != ""),
				Restitution: ch.Restitution, Forfeiture: ch.Forfeiture})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scanJSON(t, RecOutcome, ID{}, func(k Key, o *CaseOutcome) error {
		if keep[k.Case] {
			d.outcomes[k.Case] = CaseOutcome{ChildWelfare: o.ChildWelfare, ChildWelfareDate: o.ChildWelfareDate}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cohort := map[ID]bool{}
	for _, c := range d.cases {
		if p.Contains(c.opened) {
			cohort[c.id] = true
		}
	}
	if err := readCohort(t, d, cohort, len(d.cases)); err != nil {
		return nil, err
	}
	return d, nil
}

// boolText keeps whether a free-text field was filled in, never its text.
func boolText(set bool) string {
	if set {
		return "recorded"
	}
	return ""
}

// readCohort reads what the figures about youth identified in the period need:
// the victim profile's age band, gender and language, and when an advocate was
// first called (the checklist item's completion, report_facts.go). The profiles and
// the report facts are one scan each across the vault. A case without report facts
// has its checklist (some seventy items) read: case by case for fewer than 60% of
// the cases, else in one scan across the vault, where seeking into each case costs
// more than reading everything in key order (measured: about 0.6 ms of CPU a case
// against 3.5 s for the whole scan at 10,000 cases; docs/PERFORMANCE.md).
func readCohort(t Tx, d *reportData, cohort map[ID]bool, cases int) error {
	if len(cohort) == 0 {
		return nil
	}
	err := scanJSON(t, RecVictim, ID{}, func(k Key, v *Victim) error {
		if !cohort[k.Case] {
			return nil
		}
		rv := reportVictim{ageBand: ageBandOf(*v), gender: strings.ToLower(strings.TrimSpace(v.Gender))}
		if len(v.Languages) > 0 {
			rv.language = strings.ToLower(strings.TrimSpace(v.Languages[0]))
		}
		d.victims[k.Case] = rv
		return nil
	})
	if err != nil {
		return err
	}
	// The advocate item's completion: from the report facts the commit path keeps,
	// and from the checklist itself for a case that has none (written before they
	// existed), case by case in key order so neighboring cases' records come from
	// blocks just read, or in one scan once that is most of the vault.
	missing := maps.Clone(cohort)
	err = scanJSON(t, RecReportFacts, ID{}, func(k Key, f *reportFacts) error {
		if cohort[k.Case] {
			delete(missing, k.Case)
			if !f.AdvocateCalled.IsZero() {
				d.advocate[k.Case] = f.AdvocateCalled.UTC()
			}
		}
		return nil
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	item := func(k Key, b []byte) error {
		defer clear(b)
		if !missing[k.Case] {
			return nil
		}
		at, ok, err := advocateItemDone(b)
		if ok && !at.IsZero() {
			d.advocate[k.Case] = at
		}
		return err
	}
	if len(missing)*10 > cases*6 {
		return t.Scan(RecChecklist, ID{}, item)
	}
	ids := slices.SortedFunc(maps.Keys(missing), func(a, b ID) int { return bytes.Compare(a[:], b[:]) })
	for _, id := range ids {
		if err := t.Scan(RecChecklist, id, item); err != nil {
			return err
		}
	}
	return nil
}

// ageBandOf is the victim's age band: from the age at intake when recorded, else
// the band recorded instead, else "".
func ageBandOf(v Victim) string {
	switch {
	case v.Age <= 0:
		return v.AgeBand
	case v.Age < 12:
		return AgeBands[0]
	case v.Age <= 14:
		return AgeBands[1]
	case v.Age <= 17:
		return AgeBands[2]
	}
	return AgeBands[3]
}

// filterCases keeps the cases the filter matches.
func filterCases(cases []*reportCase, refs map[ID][]reportReferral, f ReportFilter) []*reportCase {
	if f.Empty() {
		return cases
	}
	assigned, partner, indicator := strings.TrimSpace(f.Assigned), strings.TrimSpace(f.Partner), strings.TrimSpace(f.Indicator)
	out := cases[:0]
	for _, c := range cases {
		if assigned != "" && !containsFold(c.assigned, assigned) {
			continue
		}
		if indicator != "" && !containsFold(c.tags, indicator) {
			continue
		}
		if partner != "" {
			found := false
			for _, r := range refs[c.id] {
				if strings.EqualFold(strings.TrimSpace(r.partner), partner) {
					found = true
					break
				}
			}
			if !found {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}
