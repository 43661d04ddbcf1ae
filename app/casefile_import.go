package app

// Writing a checked case file into the vault, all or nothing: in one transaction
// when it fits, otherwise staged behind a pending marker.

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// importMu keeps imports in this process one at a time: a second import would take
// the first one's pending marker for a stale one.
var importMu sync.Mutex

// importTxBudget is the estimated size of the records one import transaction may
// write; a larger file is imported in stages, each under it and bulkEntries (as a
// seed's are) but for the last case it takes.
var importTxBudget = 2 << 20

// importBatchHook, set only by tests, runs at the start of each staged batch's
// transaction (a case file's, and a received case's notes after its first), so a
// test can make one fail.
var importBatchHook func(batch int) error

// checklistEstimate is the stored size of one checklist item and its task entry.
const checklistEstimate = 900

// ImportCaseFile imports a case file all or nothing. Everything is validated before
// anything is written: the format, every field, case numbers against each other and
// against the vault, tags against the indicator list, checklist items against the
// default template. One bad case gives one error naming the case and the field, and
// nothing is stored.
//
// A file that fits in one transaction is written in one. A larger one is staged: a
// vault-level pending marker listing the new cases is written first, then the cases
// in several transactions, and the marker is removed last. Until then the case list
// hides them; if the import fails, or the process dies, the next import (or
// CleanStaleImport) shreds what the marker lists.
func (r *Records) ImportCaseFile(rd io.Reader) (ImportSummary, error) {
	importMu.Lock()
	defer importMu.Unlock()
	restore := boundBulkMemory()
	_, cases, err := parseCaseFile(rd)
	restore()
	if err != nil {
		return ImportSummary{}, err
	}
	// The cases parsed are live for the whole import: bound again from there.
	// Kept at the bound from before the parse, the limit sat below what was live
	// and the collector ran without pause (a fifth of a 2,000-case file's import,
	// the scavenger returning memory it was about to take back). The bound
	// collects the parse's garbage first, so it sits on what is live.
	defer r.path.loading()()
	if err := r.cleanStaleImport(); err != nil {
		return ImportSummary{}, err
	}
	var tplItems int
	err = r.view(func(t Tx) error {
		tpl, err := checkImport(t, cases)
		tplItems = len(tpl.Items)
		return err
	})
	if err != nil {
		return ImportSummary{}, err
	}
	now := r.now()
	var sum ImportSummary
	if fitsOneTx(cases, tplItems) {
		err = r.updateEv(AuditEvent{Action: ActCaseFileImported}, func(t Tx) error {
			tpl, err := checkImport(t, cases)
			if err != nil {
				return err
			}
			sum = ImportSummary{}
			links, err := resolveLinks(t, cases)
			if err != nil {
				return err
			}
			for _, ic := range cases {
				if _, err := r.writeImported(t, ic, tpl, links, now, &sum, 0, 0); err != nil {
					return err
				}
			}
			return nil
		})
		return sum, err
	}
	sum.Staged = true
	marker := pendingImport{Started: now}
	for _, ic := range cases {
		marker.Cases = append(marker.Cases, ic.c.ID)
		marker.Numbers = append(marker.Numbers, ic.c.Number)
	}
	var tpl Template
	err = r.updateEv(AuditEvent{Action: ActCaseFileImported}, func(t Tx) error {
		var err error
		if tpl, err = checkImport(t, cases); err != nil {
			return err
		}
		return putJSON(t, pendingKey, &marker)
	})
	if err != nil {
		return ImportSummary{}, err
	}
	// Each staged transaction takes whole cases until the records it has written
	// pass the budget, counted as they are written (Change.full), as a seed's bulk
	// transactions do. Batched by fitsOneTx's estimate, which counts every
	// template item though a case stores only its own, a 2,000-case file took
	// about 110 transactions of half a megabyte, each with an audit entry of its
	// own; it now takes 27. A case larger than one transaction goes on in the
	// next from the note it stopped before (from): at once, a case of 5,000
	// short notes was more than the store takes.
	for batch, done, from := 0, 0, 0; done < len(cases); batch++ {
		start, startFrom, before := done, from, sum
		err = r.updateEv(AuditEvent{Action: ActCaseFileImported}, func(t Tx) error {
			done, from, sum = start, startFrom, before // a retried transaction starts its cases again
			if importBatchHook != nil {
				if err := importBatchHook(batch); err != nil {
					return err
				}
			}
			links, err := resolveLinks(t, cases)
			if err != nil {
				return err
			}
			c := t.(*Change)
			for done < len(cases) && (done == start || !c.full(importTxBudget)) {
				next, err := r.writeImported(t, cases[done], tpl, links, now, &sum, from, importTxBudget)
				if err != nil {
					return err
				}
				if next < len(cases[done].notes) {
					from = next // the case goes on in the next transaction
					return nil
				}
				done, from = done+1, 0
			}
			return nil
		})
		if err != nil {
			// Undo now if possible; otherwise the marker stays for the next import.
			_ = r.cleanStaleImport()
			return ImportSummary{}, err
		}
	}
	err = r.updateEv(AuditEvent{Action: ActCaseFileImported}, func(t Tx) error { return t.Delete(pendingKey) })
	if err != nil {
		_ = r.cleanStaleImport()
		return ImportSummary{}, err
	}
	return sum, nil
}

// fitsOneTx says whether a file can be written in one transaction, from an
// estimate that must stay above what the cases really write (Badger refuses the
// whole transaction otherwise): each case's own size and every item of its
// template, though a case stores only the items it changes. The cases after those
// that passed the budget were not measured (parseCaseFile): the sum is over the
// budget before it reaches them.
func fitsOneTx(cases []*importCase, tplItems int) bool {
	size := 0
	for _, ic := range cases {
		size += ic.size + (tplItems+len(ic.items))*checklistEstimate
		if size > importTxBudget {
			return false
		}
	}
	return true
}

// checkImport checks the cases against the vault: tags, case numbers and checklist
// template items. It returns the default template the cases will start from.
func checkImport(t Tx, cases []*importCase) (Template, error) {
	inds, err := indicators(t)
	if err != nil {
		return Template{}, err
	}
	tpl, err := defaultTemplate(t)
	if err != nil {
		return Template{}, err
	}
	inTemplate := map[string]bool{}
	for _, ti := range tpl.Items {
		inTemplate[ti.ID] = true
	}
	for _, ic := range cases {
		if err := checkTags(ic.c.Tags, inds); err != nil {
			return Template{}, within(ic.label, err)
		}
		// One read of the blind number index a case (numberFree): a file of
		// 100,000 cases is checked in linear time, not against every other case.
		if err := numberFree(t, ic.c.Number, ID{}); err != nil {
			if errors.Is(err, ErrExists) {
				err = &FieldError{Field: "case number", Reason: "is already used by a case in this vault", Err: ErrExists}
			}
			return Template{}, within(ic.label, err)
		}
		for _, it := range ic.items {
			if it.TemplateItem != "" && !inTemplate[it.TemplateItem] {
				return Template{}, within(ic.label+": "+it.label,
					Invalid("item", fmt.Sprintf("is not an item of the checklist template %q version %d", tpl.ID, tpl.Version)))
			}
		}
	}
	if _, err := resolveLinks(t, cases); err != nil {
		return Template{}, err
	}
	return tpl, nil
}

// writeImported writes one validated case and everything in it, from its note
// from on (0: the whole case). With a budget it stops before a note once the
// change holds that much (Change.full), having written at least one, and returns
// the note the next transaction goes on from; len(ic.notes) once the case is all
// written. Its cases stay hidden behind the import's pending marker meanwhile.
func (r *Records) writeImported(t Tx, ic *importCase, tpl Template, links map[string]ID, now time.Time, sum *ImportSummary, from, budget int) (int, error) {
	c := ic.c
	if from == 0 {
		if c.Opened.IsZero() {
			c.Opened = dateOnly(now)
		}
		c.Created, c.CreatedBy, c.Updated = now, r.who(t), now
		if err := t.NewCase(c.ID); err != nil {
			return 0, err
		}
		if err := putJSON(t, caseKey(c.ID), &c); err != nil {
			return 0, err
		}
		if err := putJSON(t, victimKey(c.ID), &ic.v); err != nil {
			return 0, err
		}
		if ic.identity != nil {
			if err := putJSON(t, identityKey(c.ID), ic.identity); err != nil {
				return 0, err
			}
		}
		if err := writeChecklist(t, &c, tpl, now); err != nil {
			return 0, err
		}
		if err := r.applyItems(t, &c, ic.items, now); err != nil {
			return 0, err
		}
		sum.ChecklistItems += len(ic.items)
		if err := putCase(t, &c); err != nil {
			return 0, err
		}
		ic.written = c
	} else {
		c = ic.written
	}
	o := ic.orders()
	for i := from; i < len(ic.notes); i++ {
		if stagedFull(t, i, from, budget) {
			return i, nil
		}
		n := ic.notes[i]
		n.Case = c.ID
		addenda := n.Addenda
		n.Addenda = nil
		if err := putJSON(t, Key{Type: RecNote, Case: c.ID, Order: o.notes[i][0], ID: n.ID}, &n); err != nil {
			return 0, err
		}
		for j, a := range addenda {
			if err := putJSON(t, Key{Type: RecAddendum, Case: c.ID, Order: o.notes[i][1+j], ID: a.ID}, &a); err != nil {
				return 0, err
			}
		}
		sum.Notes++
		sum.Addenda += len(addenda)
	}
	for i, rel := range ic.releases {
		rel.Case, rel.Created, rel.CreatedBy = c.ID, now, r.who(t)
		if !rel.Revoked.IsZero() {
			rel.RevokedBy = r.who(t)
		}
		if err := putJSON(t, Key{Type: RecRelease, Case: c.ID, Order: o.releases[i], ID: rel.ID}, &rel); err != nil {
			return 0, err
		}
		sum.Releases++
	}
	for _, ref := range ic.referrals {
		ref.Case, ref.By = c.ID, r.who(t)
		if ref.Created.IsZero() {
			ref.Created = now
		}
		ref.History = []StatusChange{{Status: ReferralReferred, At: ref.Created, By: r.who(t)}}
		if ref.Status != ReferralReferred {
			ref.History = append(ref.History, StatusChange{Status: ref.Status, At: now, By: r.who(t)})
		}
		if err := putJSON(t, referralKey(c.ID, ref.ID), &ref); err != nil {
			return 0, err
		}
		sum.Referrals++
	}
	for i, ev := range ic.events {
		ev.Case, ev.Created, ev.By = c.ID, now, r.who(t)
		if err := putJSON(t, Key{Type: RecTimeline, Case: c.ID, Order: o.events[i], ID: ev.ID}, &ev); err != nil {
			return 0, err
		}
		sum.Events++
	}
	if err := r.writePractice(t, &c, &ic.practice, links, now, sum); err != nil {
		return 0, err
	}
	sum.Cases++
	return len(ic.notes), nil
}

// importOrders are the orders of a case's note, addendum, release and timeline
// keys: each its time, moved on a nanosecond past any taken before it in the case.
type importOrders struct {
	notes            [][]uint64 // a note's, then its addenda's
	releases, events []uint64
}

// orders gives the case's keys their orders, the same in every transaction that
// writes part of it.
func (ic *importCase) orders() *importOrders {
	if ic.order != nil {
		return ic.order
	}
	used := map[uint64]bool{}
	order := func(at time.Time) uint64 {
		o := uint64(at.UnixNano())
		for used[o] {
			o++
		}
		used[o] = true
		return o
	}
	o := &importOrders{notes: make([][]uint64, len(ic.notes))}
	for i, n := range ic.notes {
		o.notes[i] = append(o.notes[i], order(n.Created))
		for _, a := range n.Addenda {
			o.notes[i] = append(o.notes[i], order(a.Created))
		}
	}
	for _, rel := range ic.releases {
		o.releases = append(o.releases, order(rel.Signed))
	}
	for _, ev := range ic.events {
		o.events = append(o.events, order(ev.Date))
	}
	ic.order = o
	return o
}

// applyItems sets the states of template items and adds the agency's own items.
func (r *Records) applyItems(t Tx, c *Case, items []importItem, now time.Time) error {
	if len(items) == 0 {
		return nil
	}
	existing, err := checklistItems(t, c.ID)
	if err != nil {
		return err
	}
	byTemplate := map[string]*ChecklistItem{}
	nextPos := map[Phase]int{}
	for i := range existing {
		it := &existing[i]
		byTemplate[it.TemplateItem] = it
		nextPos[it.Phase] = max(nextPos[it.Phase], it.Position+1)
	}
	for _, in := range items {
		var it *ChecklistItem
		if in.Custom {
			it = &ChecklistItem{ID: in.ID, Custom: true, Phase: in.Phase, Position: nextPos[in.Phase],
				Title: in.Title, Owner: in.Owner, Added: now, AddedBy: r.who(t)}
			nextPos[in.Phase]++
		} else if it = byTemplate[in.TemplateItem]; it == nil {
			return within(in.label, Invalid("item", "is not in the case's checklist"))
		}
		it.Status, it.Reason, it.Notes = in.Status, in.Reason, in.Notes
		if !in.Due.IsZero() {
			it.Due = in.Due
		}
		if it.Status != ItemOpen {
			it.CompletedBy, it.CompletedAt = in.CompletedBy, in.CompletedAt
			if it.CompletedBy == "" {
				it.CompletedBy = r.who(t)
			}
			if it.CompletedAt.IsZero() {
				it.CompletedAt = now
			}
		}
		it.Updated, it.UpdatedBy = now, r.who(t)
		if err := putJSON(t, checklistKey(c.ID, it.ID), it); err != nil {
			return err
		}
	}
	return nil
}

// pendingImport is the marker of a staged import: the cases it is writing.
type pendingImport struct {
	Started time.Time `json:"started"`
	Cases   []ID      `json:"cases"`
	Numbers []string  `json:"numbers"`
}

var pendingKey = Key{Type: RecPending}

func readPending(t Tx) (*pendingImport, error) {
	p := new(pendingImport)
	err := getJSON(t, pendingKey, p)
	if isNotFound(err) {
		return nil, nil
	}
	return p, err
}

// pendingCases are the cases of a staged import still in progress: lists hide them.
func pendingCases(t Tx) (map[ID]bool, error) {
	p, err := readPending(t)
	if p == nil || err != nil {
		return nil, err
	}
	m := make(map[ID]bool, len(p.Cases))
	for _, c := range p.Cases {
		m[c] = true
	}
	return m, nil
}

// numberPending reports whether a staged import in progress holds the number.
func numberPending(t Tx, number string) (bool, error) {
	p, err := readPending(t)
	if p == nil || err != nil {
		return false, err
	}
	return slices.ContainsFunc(p.Numbers, func(n string) bool { return sameNumber(n, number) }), nil
}

// CleanStaleImport removes what an interrupted staged import left behind: every
// case its pending marker lists is shredded, then the marker is deleted. It does
// nothing when no import is pending.
func (r *Records) CleanStaleImport() error {
	importMu.Lock()
	defer importMu.Unlock()
	return r.cleanStaleImport()
}

func (r *Records) cleanStaleImport() error {
	var p *pendingImport
	err := r.view(func(t Tx) (err error) {
		p, err = readPending(t)
		return err
	})
	if err != nil || p == nil {
		return err
	}
	// One case per transaction: a case's records can be many.
	for _, c := range p.Cases {
		err := r.updateEv(AuditEvent{Action: ActCaseFileImported}, func(t Tx) error { return t.ShredCase(c) })
		if err != nil {
			return err
		}
	}
	return r.updateEv(AuditEvent{Action: ActCaseFileImported}, func(t Tx) error { return t.Delete(pendingKey) })
}
