package app

import (
	"time"
)

// migrateSparseChecklists moves every case's checklist to its sparse form (issue
// 12, item 3; checklist_skeleton.go), a batch of cases at a time: it writes the
// case's skeleton from the item records it has (their IDs in template order) and
// deletes the records that equal what the skeleton gives back. Nothing a user sees
// changes, so the change is quiet: the task index, the case's counts, the vault
// totals and the report facts stay exactly as they are.
//
// A case is left as it is (every item a record, which reads as before) when its
// checklist cannot be stood for by a skeleton: a received case (a newer bundle
// replaces its items wholesale), a template version the vault no longer has, or
// template items missing or repeated among its records.
func migrateSparseChecklists(c *Change, cursor []byte) ([]byte, bool, error) {
	c.quietChecklist = true
	return casesAfter(c, cursor, sparseBatch, func(id ID) error { return sparseCase(c, id) })
}

// sparseBatch is how many cases one batch visits: each deletes up to some eighty
// small records, well under the bulk budget.
var sparseBatch = 50

// sparseCase moves one case's checklist to its sparse form.
func sparseCase(c *Change, id ID) error {
	if _, found, err := readSkeleton(c, id); err != nil || found {
		return err // already sparse (or damaged: the vault check names it)
	}
	cs, err := getCase(c, id)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if cs.ReadOnly || cs.TemplateID == "" {
		return nil
	}
	tpl, err := loadTemplate(c, cs.TemplateID, cs.TemplateVersion)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var items []ChecklistItem
	err = scanJSON(c, RecChecklist, id, func(_ Key, it *ChecklistItem) error {
		items = append(items, *it)
		return nil
	})
	if err != nil {
		return err
	}
	s, ok := skeletonOf(cs, tpl, items)
	if !ok {
		return nil
	}
	// Compare with the defaults exactly as a reader will get them back.
	if s, err = decodeSkeleton(s.encode()); err != nil {
		return err
	}
	for i, ti := range tpl.Items {
		def := defaultItem(ti, i, s.Items[i], s.Opened, s.Created)
		for j := range items {
			if items[j].ID == def.ID && itemsEqual(&items[j], &def) {
				if err := c.Delete(checklistKey(id, def.ID)); err != nil {
					return err
				}
				break
			}
		}
	}
	return c.Put(skeletonKey(id), s.encode())
}

// skeletonOf builds a case's skeleton from its item records: each template item's
// ID, the date due days counted from and the time the checklist was made (both the
// most common among the items, so an item changed since does not decide them).
// ok is false when a template item has no record, or more than one.
func skeletonOf(cs *Case, tpl Template, items []ChecklistItem) (*checklistSkeleton, bool) {
	byTemplate := map[string]*ChecklistItem{}
	for i := range items {
		it := &items[i]
		if it.Custom || it.TemplateItem == "" {
			continue
		}
		if byTemplate[it.TemplateItem] != nil {
			return nil, false
		}
		byTemplate[it.TemplateItem] = it
	}
	s := &checklistSkeleton{
		TemplateID: tpl.ID, TemplateVersion: tpl.Version, CreatedBy: cs.CreatedBy,
		Items: make([]ID, len(tpl.Items)),
	}
	opened, created := map[time.Time]int{}, map[time.Time]int{}
	for i, ti := range tpl.Items {
		it := byTemplate[ti.ID]
		if it == nil {
			return nil, false
		}
		s.Items[i] = it.ID
		created[it.Added.UTC()]++
		if ti.DueDays != nil && !it.Due.IsZero() {
			opened[dateOnly(it.Due.UTC()).AddDate(0, 0, -*ti.DueDays)]++
		}
	}
	s.Created = mostCommon(created, cs.Created.UTC())
	s.Opened = dateOnly(mostCommon(opened, dateOnly(cs.Opened)))
	if len(byTemplate) != len(tpl.Items) {
		return nil, false // records of template items the version does not have
	}
	return s, true
}

// mostCommon is the time seen most often (the earliest of a tie), or fallback when
// none was seen.
func mostCommon(seen map[time.Time]int, fallback time.Time) time.Time {
	best, n := fallback, 0
	for t, k := range seen {
		if k > n || k == n && t.Before(best) {
			best, n = t, k
		}
	}
	return best
}
