package app

import (
	"fmt"
	"strconv"
	"time"
)

// ChecklistCounts is what a case's list entry (CaseSummary, in the vault-level case
// index) keeps of its checklist: the items of each phase and of each partner, done,
// not applicable and in all. It is kept current in the transaction of every
// checklist change, so the case list and the dashboard count progress across
// 10,000 cases without unsealing one checklist. It holds counts only, no text.
// The zero value counts nothing.
type ChecklistCounts struct {
	// n holds the counts of Phases, then of Partners, in the order of those lists.
	n []ProgressCount
}

// The stored form is one short string, because the case list decodes one entry per
// case (a JSON object of maps made listing 10,000 cases seven times slower): the
// phases' counts, "/", the partners' counts, each a comma-separated run of done,
// not applicable, total per phase (partner) in the order of Phases (Partners).
// Those lists only ever grow at the end, so an older entry simply has fewer groups.
//
//	"1,0,4,0,0,3,.../2,0,9,..."

// MarshalJSON writes the compact stored form.
func (c ChecklistCounts) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 128)
	b = append(b, '"')
	for i := range len(Phases) + len(Partners) {
		switch {
		case i == len(Phases):
			b = append(b, '/')
		case i > 0:
			b = append(b, ',')
		}
		var p ProgressCount
		if i < len(c.n) {
			p = c.n[i]
		}
		b = strconv.AppendInt(b, int64(p.Done), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p.NotApplicable), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p.Total), 10)
	}
	return append(b, '"'), nil
}

// errChecklistCounts is made once: the case list reads one entry per case, and
// making the error on every call was a fifth of reading the counts.
var errChecklistCounts = fmt.Errorf("checklist counts: %w", ErrIntegrity)

// UnmarshalJSON reads the compact stored form. It parses by hand: the case list
// reads one per case.
func (c *ChecklistCounts) UnmarshalJSON(b []byte) error {
	bad := errChecklistCounts
	if len(b) < 3 || b[0] != '"' || b[len(b)-1] != '"' {
		return bad
	}
	c.n = make([]ProgressCount, len(Phases)+len(Partners))
	base, room := 0, len(Phases) // the part being read: phases, then partners
	k, v, digits := 0, 0, 0      // numbers read in this part, the number being read
	end := func() bool {         // a number ends
		if digits == 0 || k/3 >= room {
			return false
		}
		p := &c.n[base+k/3]
		switch k % 3 {
		case 0:
			p.Done = v
		case 1:
			p.NotApplicable = v
		default:
			p.Total = v
			if p.Resolved() > p.Total {
				return false
			}
		}
		k, v, digits = k+1, 0, 0
		return true
	}
	parts := 0
	for _, ch := range b[1 : len(b)-1] {
		switch {
		case ch >= '0' && ch <= '9':
			if digits++; digits > 9 {
				return bad
			}
			v = v*10 + int(ch-'0')
		case ch == ',':
			if !end() {
				return bad
			}
		case ch == '/' && parts == 0:
			if (k > 0 || digits > 0) && !end() || k%3 != 0 {
				return bad
			}
			parts, base, room, k = 1, len(Phases), len(Partners), 0
		default:
			return bad
		}
	}
	if parts != 1 || (k > 0 || digits > 0) && !end() || k%3 != 0 {
		return bad
	}
	return nil
}

func newChecklistCounts() *ChecklistCounts {
	return &ChecklistCounts{n: make([]ProgressCount, len(Phases)+len(Partners))}
}

// partnerRank is p's position in Partners, or -1.
func partnerRank(p Partner) int {
	for i, q := range Partners {
		if q == p {
			return i
		}
	}
	return -1
}

// add counts an item in (sign 1) or out (sign -1). Validation keeps every item's
// phase and owner on the lists; one that is not is left out.
func (c *ChecklistCounts) add(it *ChecklistItem, sign int) {
	if len(c.n) < len(Phases)+len(Partners) {
		c.n = append(c.n, make([]ProgressCount, len(Phases)+len(Partners)-len(c.n))...)
	}
	step := func(p *ProgressCount) {
		p.Total += sign
		switch it.Status {
		case ItemDone:
			p.Done += sign
		case ItemNotApplicable:
			p.NotApplicable += sign
		}
	}
	if r := it.Phase.Rank(); r >= 0 {
		step(&c.n[r])
	}
	if r := partnerRank(it.Owner); r >= 0 {
		step(&c.n[len(Phases)+r])
	}
}

// merge adds another case's counts.
func (c *ChecklistCounts) merge(o *ChecklistCounts) {
	for i := range min(len(c.n), len(o.n)) {
		c.n[i] = c.n[i].plus(o.n[i])
	}
}

// addCounts adds (sign 1) or takes away (sign -1) another case's counts.
func (c *ChecklistCounts) addCounts(o *ChecklistCounts, sign int) {
	for i := range min(len(c.n), len(o.n)) {
		c.n[i].Done += sign * o.n[i].Done
		c.n[i].NotApplicable += sign * o.n[i].NotApplicable
		c.n[i].Total += sign * o.n[i].Total
	}
}

func (p ProgressCount) plus(o ProgressCount) ProgressCount {
	return ProgressCount{Done: p.Done + o.Done, NotApplicable: p.NotApplicable + o.NotApplicable, Total: p.Total + o.Total}
}

// Phase is the count of one phase's items.
func (c *ChecklistCounts) Phase(ph Phase) ProgressCount {
	if r := ph.Rank(); c != nil && r >= 0 && r < len(c.n) {
		return c.n[r]
	}
	return ProgressCount{}
}

// Partner is the count of the items one partner owns.
func (c *ChecklistCounts) Partner(p Partner) ProgressCount {
	if r := partnerRank(p); c != nil && r >= 0 && len(Phases)+r < len(c.n) {
		return c.n[len(Phases)+r]
	}
	return ProgressCount{}
}

// Open is how many of the items partner p owns are still open.
func (c *ChecklistCounts) Open(p Partner) int { return c.Partner(p).Open() }

// Progress is the counts in the shape of ChecklistProgress: every phase in order
// (phases without items show zero) and every partner that owns items, in the order
// of Partners.
func (c *ChecklistCounts) Progress() ChecklistProgress {
	var p ChecklistProgress
	for _, ph := range Phases {
		n := c.Phase(ph)
		p.Overall = p.Overall.plus(n)
		p.ByPhase = append(p.ByPhase, PhaseProgress{Phase: ph, ProgressCount: n})
	}
	for _, pt := range Partners {
		if n := c.Partner(pt); n.Total > 0 {
			p.ByPartner = append(p.ByPartner, PartnerProgress{Partner: pt, ProgressCount: n})
		}
	}
	return p
}

// recountChecklist counts a case's checklist, untouched items included.
func recountChecklist(t Tx, c ID) (*ChecklistCounts, error) {
	items, err := checklistItems(t, c)
	if err != nil {
		return nil, err
	}
	counts := newChecklistCounts()
	for i := range items {
		counts.add(&items[i], 1)
	}
	return counts, nil
}

// overdueCases lists the cases with at least one checklist item or referral overdue
// at now, from the vault-level task index only.
func overdueCases(t Tx, now time.Time) (map[ID]bool, error) {
	out := map[ID]bool{}
	err := eachTaskDueBefore(t, dueOrder(now)+1, func(c ID, _ string, due time.Time) {
		if pastDue(due, now) {
			out[c] = true
		}
	})
	return out, err
}

// TeamProgress adds up the checklist progress of every case that matches the
// filter, by phase and by partner, for a supervisor's view across the team. An
// empty filter.Status means open cases only: inactive and closed cases have no
// work to chase. It reads only the vault-level case index (and the task index when
// filter.Overdue is set): no checklist is unsealed. Cases whose list entry has no
// counts yet (written before counts existed) are left out and counted in
// Uncounted; the migration "vault totals" counts them when an older vault opens.
func (r *Records) TeamProgress(f CaseFilter) (ChecklistProgress, error) {
	if f.Status == "" {
		f.Status = CaseOpen
	}
	total := newChecklistCounts()
	cases, uncounted := 0, 0
	err := r.view(func(t Tx) error {
		return r.scanCases(t, f, func(s *CaseSummary) {
			if s.Checklist == nil {
				uncounted++
				return
			}
			cases++
			total.merge(s.Checklist)
		})
	})
	if err != nil {
		return ChecklistProgress{}, err
	}
	p := total.Progress()
	p.Cases, p.Uncounted = cases, uncounted
	return p, nil
}

// scanCases calls fn with every case list entry that matches the filter, in key
// order, leaving out the cases of an import in progress. It reads only the
// vault-level case index, and the task index when f.Overdue is set. fn copies what
// it keeps of the entry, never the pointer (scanSummaries).
func (r *Records) scanCases(t Tx, f CaseFilter, fn func(*CaseSummary)) error {
	pending, err := pendingCases(t)
	if err != nil {
		return err
	}
	var overdue map[ID]bool
	if f.Overdue {
		if overdue, err = overdueCases(t, r.now()); err != nil {
			return err
		}
		if len(overdue) == 0 {
			return nil
		}
	}
	return scanSummaries(t, func(s *CaseSummary) error {
		if !pending[s.ID] && f.match(s) && (!f.Overdue || overdue[s.ID]) {
			fn(s)
		}
		return nil
	})
}
