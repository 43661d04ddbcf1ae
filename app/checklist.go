package app

import (
	"fmt"
	"sort"
	"time"
	"unicode/utf8"
)

// ItemStatus is where a checklist item stands.
type ItemStatus string

// Item statuses. Not applicable always carries a reason, so a reviewer can tell a
// deliberate decision from a forgotten item.
const (
	ItemOpen          ItemStatus = "open"
	ItemDone          ItemStatus = "done"
	ItemNotApplicable ItemStatus = "not-applicable"
)

// ItemStatuses lists the statuses in the order a form offers them.
var ItemStatuses = []ItemStatus{ItemOpen, ItemDone, ItemNotApplicable}

func (s ItemStatus) valid() bool {
	return s == ItemOpen || s == ItemDone || s == ItemNotApplicable
}

// Limits on what people type into a checklist item.
const (
	MaxItemReason = 500 // characters
	MaxItemNotes  = 500 // characters
)

// ChecklistItem is one item of a case's MDT checklist: copied from the case's
// template when the case opens, or added to the case by hand (Custom).
type ChecklistItem struct {
	ID           ID      `json:"id"`
	TemplateItem string  `json:"template_item,omitempty"` // the template item id; empty when Custom
	Custom       bool    `json:"custom,omitempty"`
	Phase        Phase   `json:"phase"`
	Position     int     `json:"position"` // order within the phase
	Title        string  `json:"title"`
	Guidance     string  `json:"guidance,omitempty"`
	Owner        Partner `json:"owner"`
	// Status is open, done or not applicable; Reason says why it does not apply.
	Status ItemStatus `json:"status"`
	Reason string     `json:"reason,omitempty"`
	// Due is a calendar date (UTC midnight): the item is due by the end of that day.
	// Zero when the item has no due date.
	Due time.Time `json:"due,omitzero"`
	// CompletedBy and CompletedAt say who marked the item done or not applicable,
	// and when; they are empty while the item is open.
	CompletedBy string    `json:"completed_by,omitempty"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	Notes       string    `json:"notes,omitempty"`
	Added       time.Time `json:"added"`
	AddedBy     string    `json:"added_by,omitempty"`
	Updated     time.Time `json:"updated"`
	UpdatedBy   string    `json:"updated_by,omitempty"`
}

// Resolved reports whether the item needs no more work: done or not applicable.
func (it ChecklistItem) Resolved() bool {
	return it.Status == ItemDone || it.Status == ItemNotApplicable
}

// Overdue reports whether the item is open and its due date has passed by now.
func (it ChecklistItem) Overdue(now time.Time) bool {
	return it.Status == ItemOpen && !it.Due.IsZero() && pastDue(it.Due, now)
}

// pastDue reports whether the whole due day (UTC) has gone by at now.
func pastDue(due, now time.Time) bool { return !now.Before(dateOnly(due.UTC()).AddDate(0, 0, 1)) }

// Checklist items of a case live at Key{RecChecklist, case, 0, item}: the order is
// kept in the record (phase, position), so an item can be read by its ID alone.
func checklistKey(c, item ID) Key { return Key{Type: RecChecklist, Case: c, ID: item} }

// task is the index entry of an open, dated item.
func (it *ChecklistItem) task(c ID) TaskRef {
	return TaskRef{Case: c, Item: it.ID, Kind: TaskChecklist, Due: it.Due, Title: it.Title, Partner: string(it.Owner)}
}

// addChecklistFromTemplate stores a new case's checklist from the vault's default
// template and records that template's id and version on the case. CreateCase
// calls it after writing the case record (the case data key must exist); the
// caller writes the case record again afterwards if it needs c.TemplateID stored.
func addChecklistFromTemplate(t Tx, c *Case, now time.Time) error {
	tpl, err := defaultTemplate(t)
	if err != nil {
		return err
	}
	return writeChecklist(t, c, tpl, now)
}

// writeChecklist writes a new case's checklist skeleton (checklist_skeleton.go),
// without reading: the case is new. The commit path derives a task index entry for
// each item with a due date, and the case's counts, from the skeleton.
//
// progress, when set, may record work already done on an item (demo data: a case
// opened a year ago has most of its checklist done); only the items it changed are
// written as records.
func writeChecklist(w Writer, c *Case, tpl Template, now time.Time, progress ...func(*ChecklistItem)) error {
	if c == nil || c.ID.IsZero() {
		return Invalid("case", "has no identifier")
	}
	opened := c.Opened
	if opened.IsZero() {
		opened = now
	}
	s := checklistSkeleton{
		TemplateID: tpl.ID, TemplateVersion: tpl.Version,
		Opened: dateOnly(opened), Created: now.UTC(), CreatedBy: c.CreatedBy,
		Items: make([]ID, len(tpl.Items)),
	}
	// The stored form keeps nanoseconds and seconds: round-trip the times now, so
	// the items written below equal what the skeleton gives back.
	s.Created = time.Unix(0, s.Created.UnixNano()).UTC()
	s.Opened = time.Unix(s.Opened.Unix(), 0).UTC()
	for i := range s.Items {
		s.Items[i] = NewID()
	}
	if len(progress) > 0 {
		for i, ti := range tpl.Items {
			def := defaultItem(ti, i, s.Items[i], s.Opened, s.Created)
			it := def
			for _, p := range progress {
				p(&it)
			}
			if itemsEqual(&it, &def) {
				continue
			}
			if err := putJSON(w, checklistKey(c.ID, it.ID), &it); err != nil {
				return err
			}
		}
	}
	if err := w.Put(skeletonKey(c.ID), s.encode()); err != nil {
		return err
	}
	c.TemplateID = tpl.ID
	c.TemplateVersion = tpl.Version
	return nil
}

// Checklist returns a case's checklist in phase order, then template order, with
// items added by hand after the template's items of their phase.
func (r *Records) Checklist(caseID ID) ([]ChecklistItem, error) {
	var items []ChecklistItem
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		var err error
		items, err = checklistItems(t, caseID)
		return err
	})
	return items, err
}

func sortChecklist(items []ChecklistItem) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if ra, rb := a.Phase.Rank(), b.Phase.Rank(); ra != rb {
			return ra < rb
		}
		if a.Position != b.Position {
			return a.Position < b.Position
		}
		return a.Added.Before(b.Added)
	})
}

// changeItem reads an item of a writable case, lets fn change it (given the time
// and who is changing it), stamps and stores it, and keeps the task index in step,
// all in one transaction.
func (r *Records) changeItem(caseID, itemID ID, fn func(it *ChecklistItem, now time.Time, by string) error) (ChecklistItem, error) {
	var out ChecklistItem
	now := r.now()
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActChecklistChanged, Case: caseID, Object: itemID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		it, err := checklistItem(t, caseID, itemID)
		if err != nil {
			return err
		}
		by := r.who(t)
		if err := fn(&it, now, by); err != nil {
			return err
		}
		it.Updated, it.UpdatedBy = now, by
		if err := putJSON(t, checklistKey(caseID, it.ID), &it); err != nil {
			return err
		}
		out = it
		return nil
	})
	return out, err
}

// SetItemStatus marks a checklist item open, done or not applicable. Not applicable
// needs a reason; done and not applicable record who decided and when, and
// reopening clears them. The item leaves the task list once it is resolved.
func (r *Records) SetItemStatus(caseID, itemID ID, status ItemStatus, reason string) (ChecklistItem, error) {
	if !status.valid() {
		return ChecklistItem{}, Invalid("status", "must be open, done or not applicable")
	}
	if status == ItemNotApplicable {
		if isBlank(reason) {
			return ChecklistItem{}, Invalid("reason", "is required when an item does not apply")
		}
		if err := checkText("reason", reason, MaxItemReason, true); err != nil {
			return ChecklistItem{}, err
		}
	}
	return r.changeItem(caseID, itemID, func(it *ChecklistItem, now time.Time, by string) error {
		it.Status = status
		switch status {
		case ItemOpen:
			it.Reason, it.CompletedBy, it.CompletedAt = "", "", time.Time{}
		case ItemDone:
			it.Reason, it.CompletedBy, it.CompletedAt = "", by, now
		case ItemNotApplicable:
			it.Reason, it.CompletedBy, it.CompletedAt = reason, by, now
		}
		return nil
	})
}

// SetItemDue sets a checklist item's due date (a calendar date; the time of day is
// dropped), or removes it when due is nil.
func (r *Records) SetItemDue(caseID, itemID ID, due *time.Time) (ChecklistItem, error) {
	var d time.Time
	if due != nil {
		if err := checkDate("due date", *due); err != nil {
			return ChecklistItem{}, err
		}
		d = dateOnly(*due)
	}
	return r.changeItem(caseID, itemID, func(it *ChecklistItem, _ time.Time, _ string) error {
		it.Due = d
		return nil
	})
}

// SetItemNotes replaces an item's short notes (for instance who was called).
func (r *Records) SetItemNotes(caseID, itemID ID, notes string) (ChecklistItem, error) {
	if err := checkBody("notes", notes, MaxItemNotes*4, false); err != nil {
		return ChecklistItem{}, err
	}
	if utf8.RuneCountInString(notes) > MaxItemNotes {
		return ChecklistItem{}, Invalid("notes", fmt.Sprintf("are longer than %d characters", MaxItemNotes))
	}
	return r.changeItem(caseID, itemID, func(it *ChecklistItem, _ time.Time, _ string) error {
		it.Notes = notes
		return nil
	})
}

// AddChecklistItem adds an item of the agency's own to a case's checklist, after
// the items already in its phase.
func (r *Records) AddChecklistItem(caseID ID, phase Phase, title string, owner Partner, due *time.Time) (ChecklistItem, error) {
	switch {
	case phase.Rank() < 0:
		return ChecklistItem{}, Invalid("phase", "is not one of the nine checklist phases")
	case !owner.Known():
		return ChecklistItem{}, Invalid("owner", "is not one of the MDT partners")
	case !plainText(title, MaxItemTitle, false):
		return ChecklistItem{}, Invalid("title", fmt.Sprintf("must be 1 to %d characters on one line", MaxItemTitle))
	}
	var d time.Time
	if due != nil {
		if err := checkDate("due date", *due); err != nil {
			return ChecklistItem{}, err
		}
		d = dateOnly(*due)
	}
	now := r.now()
	var out ChecklistItem
	err := r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActChecklistChanged, Case: caseID})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		items, err := checklistItems(t, caseID)
		if err != nil {
			return err
		}
		pos := 0
		for _, it := range items {
			if it.Phase == phase && it.Position >= pos {
				pos = it.Position + 1
			}
		}
		it := ChecklistItem{
			ID: NewID(), Custom: true, Phase: phase, Position: pos, Title: title, Owner: owner,
			Status: ItemOpen, Due: d, Added: now, AddedBy: r.who(t), Updated: now, UpdatedBy: r.who(t),
		}
		if err := putJSON(t, checklistKey(caseID, it.ID), &it); err != nil {
			return err
		}
		out = it
		return nil
	})
	return out, err
}

// ProgressCount counts the items of a phase, a partner or a whole checklist.
type ProgressCount struct {
	Done          int
	NotApplicable int
	Total         int
}

// Resolved is done plus not applicable: both need no more work.
func (p ProgressCount) Resolved() int { return p.Done + p.NotApplicable }

// Open is what is left to do.
func (p ProgressCount) Open() int { return p.Total - p.Resolved() }

func (p *ProgressCount) add(it *ChecklistItem) {
	p.Total++
	switch it.Status {
	case ItemDone:
		p.Done++
	case ItemNotApplicable:
		p.NotApplicable++
	}
}

// PhaseProgress is the progress of one phase.
type PhaseProgress struct {
	Phase Phase
	ProgressCount
}

// PartnerProgress is the progress of the items one partner owns.
type PartnerProgress struct {
	Partner Partner
	ProgressCount
}

// ChecklistProgress summarises a case's checklist for supervisors: every phase in
// order (phases without items show zero), and every partner that owns items.
type ChecklistProgress struct {
	Overall   ProgressCount
	ByPhase   []PhaseProgress
	ByPartner []PartnerProgress
	// Cases is how many cases TeamProgress counted; Uncounted how many it left
	// out because their list entry has no counts yet. Both zero for one case.
	Cases, Uncounted int
}

// ChecklistProgress counts a case's checklist by phase and by partner.
func (r *Records) ChecklistProgress(caseID ID) (ChecklistProgress, error) {
	items, err := r.Checklist(caseID)
	if err != nil {
		return ChecklistProgress{}, err
	}
	return progressOf(items), nil
}

func progressOf(items []ChecklistItem) ChecklistProgress {
	var p ChecklistProgress
	phases := make([]ProgressCount, len(Phases))
	partners := map[Partner]*ProgressCount{}
	for i := range items {
		it := &items[i]
		p.Overall.add(it)
		if r := it.Phase.Rank(); r >= 0 {
			phases[r].add(it)
		}
		pc := partners[it.Owner]
		if pc == nil {
			pc = new(ProgressCount)
			partners[it.Owner] = pc
		}
		pc.add(it)
	}
	for i, ph := range Phases {
		p.ByPhase = append(p.ByPhase, PhaseProgress{Phase: ph, ProgressCount: phases[i]})
	}
	for _, pt := range Partners {
		if pc := partners[pt]; pc != nil {
			p.ByPartner = append(p.ByPartner, PartnerProgress{Partner: pt, ProgressCount: *pc})
		}
	}
	return p
}
