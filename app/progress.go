package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// ChecklistCounts is what a case's list entry (CaseSummary, in the vault-level case
// index) keeps of its checklist: the items of each phase and of each partner, done,
// not applicable and in all. It is kept current in the transaction of every
// checklist change, so the case list and the dashboard count progress across
// 10,000 cases without unsealing one checklist. It holds counts only, no text.
type ChecklistCounts struct {
	Phases   map[Phase]ProgressCount
	Partners map[Partner]ProgressCount
}

// countsJSON is the stored form: short names and [done, not applicable, total]
// triples, because the case list decodes one entry per case.
type countsJSON struct {
	Phases   map[Phase][3]int   `json:"ph,omitempty"`
	Partners map[Partner][3]int `json:"pt,omitempty"`
}

// MarshalJSON writes the compact stored form.
func (c ChecklistCounts) MarshalJSON() ([]byte, error) {
	var out countsJSON
	if len(c.Phases) > 0 {
		out.Phases = make(map[Phase][3]int, len(c.Phases))
		for k, v := range c.Phases {
			out.Phases[k] = [3]int{v.Done, v.NotApplicable, v.Total}
		}
	}
	if len(c.Partners) > 0 {
		out.Partners = make(map[Partner][3]int, len(c.Partners))
		for k, v := range c.Partners {
			out.Partners[k] = [3]int{v.Done, v.NotApplicable, v.Total}
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the compact stored form.
func (c *ChecklistCounts) UnmarshalJSON(b []byte) error {
	var in countsJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	c.Phases = make(map[Phase]ProgressCount, len(in.Phases))
	for k, v := range in.Phases {
		c.Phases[k] = ProgressCount{Done: v[0], NotApplicable: v[1], Total: v[2]}
	}
	c.Partners = make(map[Partner]ProgressCount, len(in.Partners))
	for k, v := range in.Partners {
		c.Partners[k] = ProgressCount{Done: v[0], NotApplicable: v[1], Total: v[2]}
	}
	return nil
}

func newChecklistCounts() *ChecklistCounts {
	return &ChecklistCounts{Phases: map[Phase]ProgressCount{}, Partners: map[Partner]ProgressCount{}}
}

// countItems counts a list of checklist items.
func countItems(items []ChecklistItem) *ChecklistCounts {
	c := newChecklistCounts()
	for i := range items {
		c.add(&items[i], 1)
	}
	return c
}

// add counts an item in (sign 1) or out (sign -1).
func (c *ChecklistCounts) add(it *ChecklistItem, sign int) {
	if c.Phases == nil || c.Partners == nil {
		if c.Phases == nil {
			c.Phases = map[Phase]ProgressCount{}
		}
		if c.Partners == nil {
			c.Partners = map[Partner]ProgressCount{}
		}
	}
	step := func(p ProgressCount) ProgressCount {
		p.Total += sign
		switch it.Status {
		case ItemDone:
			p.Done += sign
		case ItemNotApplicable:
			p.NotApplicable += sign
		}
		return p
	}
	if p := step(c.Phases[it.Phase]); p.Total > 0 {
		c.Phases[it.Phase] = p
	} else {
		delete(c.Phases, it.Phase)
	}
	if p := step(c.Partners[it.Owner]); p.Total > 0 {
		c.Partners[it.Owner] = p
	} else {
		delete(c.Partners, it.Owner)
	}
}

// merge adds another case's counts.
func (c *ChecklistCounts) merge(o *ChecklistCounts) {
	for k, v := range o.Phases {
		c.Phases[k] = c.Phases[k].plus(v)
	}
	for k, v := range o.Partners {
		c.Partners[k] = c.Partners[k].plus(v)
	}
}

func (p ProgressCount) plus(o ProgressCount) ProgressCount {
	return ProgressCount{Done: p.Done + o.Done, NotApplicable: p.NotApplicable + o.NotApplicable, Total: p.Total + o.Total}
}

// Open is how many of the items partner p owns are still open.
func (c *ChecklistCounts) Open(p Partner) int {
	if c == nil {
		return 0
	}
	return c.Partners[p].Open()
}

// Progress is the counts in the shape of ChecklistProgress: every phase in order
// (phases without items show zero) and every partner that owns items, in the order
// of Partners (an unknown owner, which validation never lets in, is left out, as
// ChecklistProgress does).
func (c *ChecklistCounts) Progress() ChecklistProgress {
	var p ChecklistProgress
	if c == nil {
		c = newChecklistCounts()
	}
	for _, ph := range Phases {
		n := c.Phases[ph]
		p.Overall = p.Overall.plus(n)
		p.ByPhase = append(p.ByPhase, PhaseProgress{Phase: ph, ProgressCount: n})
	}
	for _, pt := range Partners {
		if n, ok := c.Partners[pt]; ok && n.Total > 0 {
			p.ByPartner = append(p.ByPartner, PartnerProgress{Partner: pt, ProgressCount: n})
		}
	}
	return p
}

// recountChecklist counts a case's checklist from its item records.
func recountChecklist(t Tx, c ID) (*ChecklistCounts, error) {
	counts := newChecklistCounts()
	err := scanJSON(t, RecChecklist, c, func(_ Key, it *ChecklistItem) error {
		counts.add(it, 1)
		return nil
	})
	return counts, err
}

// sameCount reports whether two versions of an item count the same way.
func sameCount(a, b *ChecklistItem) bool {
	return a != nil && b != nil && a.Status == b.Status && a.Phase == b.Phase && a.Owner == b.Owner
}

// updateCounts keeps the counts on a case's list entry in step with one changed
// item: before is the item as it was (nil for a new item), after as it is now (nil
// for a removed one). Call it in the transaction that writes the item. An entry
// without counts (written before counts existed) is counted afresh.
func updateCounts(t Tx, c ID, before, after *ChecklistItem) error {
	if sameCount(before, after) {
		return nil
	}
	var s CaseSummary
	if err := getJSON(t, caseIndexKey(c), &s); err != nil {
		if isNotFound(err) {
			return nil // no list entry to keep current
		}
		return err
	}
	if s.Checklist == nil {
		counts, err := recountChecklist(t, c)
		if err != nil {
			return err
		}
		s.Checklist = counts
	} else {
		if before != nil {
			s.Checklist.add(before, -1)
		}
		if after != nil {
			s.Checklist.add(after, 1)
		}
	}
	return putJSON(t, caseIndexKey(c), &s)
}

// countsForEntry are the counts putCase writes on a case's list entry: counted
// afresh when the checklist was written in this transaction (a new or imported
// case, whose items an import may have changed after writing them), else those of
// the entry being replaced, else (an entry from before counts existed) counted
// afresh.
func countsForEntry(t Tx, c *Case) (*ChecklistCounts, error) {
	if c.checklist == nil {
		var old CaseSummary
		err := getJSON(t, caseIndexKey(c.ID), &old)
		if err == nil && old.Checklist != nil {
			return old.Checklist, nil
		}
		if err != nil && !isNotFound(err) {
			return nil, err
		}
	}
	return recountChecklist(t, c.ID)
}

// overdueCases lists the cases with at least one checklist item or referral overdue
// at now, from the vault-level task index only.
func overdueCases(t Tx, now time.Time) (map[ID]bool, error) {
	out := map[ID]bool{}
	limit := dueOrder(now)
	err := t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
		if k.Order == taskPointerOrder || k.Order > limit {
			return ErrStopScan
		}
		e, err := decodeTask(b)
		if err != nil {
			return err
		}
		if pastDue(e.Due, now) {
			out[e.Case] = true
		}
		return nil
	})
	return out, err
}

// TeamProgress adds up the checklist progress of every case that matches the
// filter, by phase and by partner, for a supervisor's view across the team. An
// empty filter.Status means open cases only: inactive and closed cases have no
// work to chase. It reads only the vault-level case index (and the task index when
// filter.Overdue is set): no checklist is unsealed. Cases whose list entry has no
// counts yet (written before counts existed) are left out and counted in
// Uncounted; FillChecklistCounts counts them.
func (r *Records) TeamProgress(f CaseFilter) (ChecklistProgress, error) {
	if f.Status == "" {
		f.Status = CaseOpen
	}
	total := newChecklistCounts()
	cases, uncounted := 0, 0
	err := r.store.View(func(t Tx) error {
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
// vault-level case index, and the task index when f.Overdue is set.
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
	return scanJSON(t, RecCaseIndex, ID{}, func(_ Key, s *CaseSummary) error {
		if !pending[s.ID] && f.match(s) && (!f.Overdue || overdue[s.ID]) {
			fn(s)
		}
		return nil
	})
}

// FillChecklistCounts counts the checklist of every case whose list entry has no
// counts yet (entries written before the counts existed), a batch of cases per
// transaction, and reports how many it counted. progress, when set, is called after
// each batch with the cases done and the cases to do. It stops between batches
// when ctx is cancelled; what is counted stays counted.
func (r *Records) FillChecklistCounts(ctx context.Context, progress func(done, total int)) (int, error) {
	var todo []ID
	err := r.store.View(func(t Tx) error {
		return scanJSON(t, RecCaseIndex, ID{}, func(_ Key, s *CaseSummary) error {
			if s.Checklist == nil {
				todo = append(todo, s.ID)
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	sort.Slice(todo, func(i, j int) bool { return string(todo[i][:]) < string(todo[j][:]) })
	const batch = 100
	done := 0
	for len(todo) > 0 {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		n := min(batch, len(todo))
		err := r.store.Update(func(t Tx) error {
			for _, c := range todo[:n] {
				var s CaseSummary
				if err := getJSON(t, caseIndexKey(c), &s); err != nil {
					if isNotFound(err) {
						continue // deleted meanwhile
					}
					return err
				}
				if s.Checklist != nil {
					continue
				}
				counts, err := recountChecklist(t, c)
				if err != nil {
					return fmt.Errorf("counting a checklist: %w", err)
				}
				s.Checklist = counts
				if err := putJSON(t, caseIndexKey(c), &s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += n
		todo = todo[n:]
		if progress != nil {
			progress(done, done+len(todo))
		}
	}
	return done, nil
}
