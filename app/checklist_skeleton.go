package app

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Sparse checklists (issue 12, item 3).
//
// A case's checklist starts as its template's items, unchanged. Instead of storing
// those 85 items as records before anyone touches them, a case stores one skeleton:
// which template version it started from, the date its due dates count from, when
// it was made, and the ID of each template item in template order (so an item keeps
// its ID, and can be addressed by it, before it has a record). An item gets a
// RecChecklist record only once it differs from what the template gives, or when
// it is the agency's own (Custom). checklistItems is the one place that merges the
// two; every reader goes through it.
//
// Cases written before skeletons existed have every item as a record and no
// skeleton; migration 8 (checklist_migration.go) gives them one. A case without a
// skeleton reads exactly as before (its records are its checklist).

// RecChecklistBase is a case's checklist skeleton (one per case).
const RecChecklistBase RecordType = 0x28

func skeletonKey(c ID) Key { return Key{Type: RecChecklistBase, Case: c, ID: c} }

// checklistSkeleton is what a case's checklist starts from.
type checklistSkeleton struct {
	TemplateID      string
	TemplateVersion int
	// Opened is the date (UTC midnight) the template's due days count from.
	Opened time.Time
	// Created is when the checklist was made: every untouched item's Added and
	// Updated. CreatedBy is who made the case (kept for the record; untouched items
	// name nobody, as they always have).
	Created   time.Time
	CreatedBy string
	// Items are the IDs of the template's items, in template order.
	Items []ID
}

// skeletonFormat is the first byte of an encoded skeleton; a new layout gets a new
// value.
const skeletonFormat = 1

// Bounds on what a skeleton decodes, so a damaged record cannot ask for much memory.
const (
	maxSkeletonText = 400 // bytes of the template id or of who made the case
)

// encode is the skeleton's record: format(1) | template id (uvarint length, bytes)
// | template version (uvarint) | opened (varint, Unix seconds) | created (varint,
// Unix nanoseconds) | created by (uvarint length, bytes) | item count (uvarint) |
// item IDs (16 bytes each). Binary, since the IDs are most of it.
func (s *checklistSkeleton) encode() []byte {
	b := make([]byte, 0, 64+len(s.TemplateID)+len(s.CreatedBy)+16*len(s.Items))
	b = append(b, skeletonFormat)
	b = binary.AppendUvarint(b, uint64(len(s.TemplateID)))
	b = append(b, s.TemplateID...)
	b = binary.AppendUvarint(b, uint64(s.TemplateVersion))
	b = binary.AppendVarint(b, s.Opened.Unix())
	b = binary.AppendVarint(b, s.Created.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(s.CreatedBy)))
	b = append(b, s.CreatedBy...)
	b = binary.AppendUvarint(b, uint64(len(s.Items)))
	for _, id := range s.Items {
		b = append(b, id[:]...)
	}
	return b
}

// errSkeleton is what every malformed skeleton decodes to.
var errSkeleton = fmt.Errorf("checklist skeleton: %w", ErrIntegrity)

// decodeSkeleton reads an encoded skeleton. Anything out of its bounds, or bytes
// left over, is ErrIntegrity; it never panics.
func decodeSkeleton(b []byte) (*checklistSkeleton, error) {
	if len(b) == 0 || b[0] != skeletonFormat {
		return nil, errSkeleton
	}
	b = b[1:]
	uvarint := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	varint := func() (int64, bool) {
		v, n := binary.Varint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	text := func() (string, bool) {
		n, ok := uvarint()
		if !ok || n > maxSkeletonText || n > uint64(len(b)) {
			return "", false
		}
		s := string(b[:n])
		b = b[n:]
		return s, utf8.ValidString(s)
	}
	var s checklistSkeleton
	var ok bool
	if s.TemplateID, ok = text(); !ok || s.TemplateID == "" {
		return nil, errSkeleton
	}
	v, ok := uvarint()
	if !ok || v < 1 || v > maxTemplateVersion {
		return nil, errSkeleton
	}
	s.TemplateVersion = int(v)
	opened, ok := varint()
	if !ok {
		return nil, errSkeleton
	}
	s.Opened = time.Unix(opened, 0).UTC()
	created, ok := varint()
	if !ok {
		return nil, errSkeleton
	}
	s.Created = time.Unix(0, created).UTC()
	if s.CreatedBy, ok = text(); !ok {
		return nil, errSkeleton
	}
	n, ok := uvarint()
	if !ok || n > MaxTemplateItems || uint64(len(b)) != 16*n {
		return nil, errSkeleton
	}
	s.Items = make([]ID, n)
	for i := range s.Items {
		copy(s.Items[i][:], b[16*i:])
	}
	return &s, nil
}

// readSkeleton reads a case's skeleton; found is false for a case written before
// skeletons (or a received case, whose items are all records).
func readSkeleton(t Tx, c ID) (s *checklistSkeleton, found bool, err error) {
	b, err := t.Get(skeletonKey(c))
	if isNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	s, err = decodeSkeleton(b)
	clear(b)
	return s, err == nil, err
}

// defaultItem is template item i as a case's checklist starts with it.
func defaultItem(ti TemplateItem, i int, id ID, opened, created time.Time) ChecklistItem {
	it := ChecklistItem{
		ID: id, TemplateItem: ti.ID, Phase: ti.Phase, Position: i,
		Title: ti.Title, Guidance: ti.Guidance, Owner: ti.Owner, Status: ItemOpen,
		Added: created, Updated: created,
	}
	if ti.DueDays != nil {
		it.Due = opened.AddDate(0, 0, *ti.DueDays)
	}
	return it
}

// defaults are the items the skeleton stands for, in template order, from its
// template version (stored in the vault or built in; versions never change).
func (s *checklistSkeleton) defaults(t Tx) ([]ChecklistItem, error) {
	tpl, err := loadTemplate(t, s.TemplateID, s.TemplateVersion)
	if isNotFound(err) || err == nil && len(tpl.Items) != len(s.Items) {
		// The version a case started from is never deleted or changed: a skeleton
		// that does not fit it is damage.
		return nil, fmt.Errorf("checklist skeleton's template: %w", ErrIntegrity)
	}
	if err != nil {
		return nil, err
	}
	out := make([]ChecklistItem, len(s.Items))
	for i, ti := range tpl.Items {
		out[i] = defaultItem(ti, i, s.Items[i], s.Opened, s.Created)
	}
	return out, nil
}

// checklistItems is a case's checklist: the skeleton's default items overlaid by
// the item records (changed items and the agency's own), in checklist order. It is
// the one merge every reader of a checklist goes through.
func checklistItems(t Tx, c ID) ([]ChecklistItem, error) {
	var items []ChecklistItem
	at := map[ID]int{}
	s, found, err := readSkeleton(t, c)
	if err != nil {
		return nil, err
	}
	if found {
		if items, err = s.defaults(t); err != nil {
			return nil, err
		}
		for i := range items {
			at[items[i].ID] = i
		}
	}
	err = scanJSON(t, RecChecklist, c, func(k Key, it *ChecklistItem) error {
		if i, ok := at[k.ID]; ok {
			items[i] = *it
		} else {
			items = append(items, *it)
		}
		return nil
	})
	sortChecklist(items)
	return items, err
}

// checklistItem reads one item of a case by its ID: its record, or (an item nobody
// changed yet) its default from the skeleton. ErrNotFound when the case has none.
func checklistItem(t Tx, c, item ID) (ChecklistItem, error) {
	var it ChecklistItem
	err := getJSON(t, checklistKey(c, item), &it)
	if !isNotFound(err) {
		return it, err
	}
	def, ok, err := skeletonDefault(t, c, item)
	if err != nil {
		return it, err
	}
	if !ok {
		return it, fmt.Errorf("checklist item: %w", ErrNotFound)
	}
	return def, nil
}

// skeletonDefault is an item's default from its case's skeleton; ok is false when
// the case has no skeleton or the skeleton no such item.
func skeletonDefault(t Tx, c, item ID) (ChecklistItem, bool, error) {
	s, found, err := readSkeleton(t, c)
	if err != nil || !found {
		return ChecklistItem{}, false, err
	}
	i := -1
	for j, id := range s.Items {
		if id == item {
			i = j
			break
		}
	}
	if i < 0 {
		return ChecklistItem{}, false, nil
	}
	defs, err := s.defaults(t)
	if err != nil {
		return ChecklistItem{}, false, err
	}
	return defs[i], true, nil
}

// expandSkeletons lets the derivers see a checklist made in this change as the
// items it stands for. For each skeleton written anew (a new case, an import, the
// seed), every default item without a record of its own is added to the change as
// a virtual write: the derivers count it, put it on the task list and read its
// report facts exactly as when every item was a record. Virtual writes are never
// stored, and the state digest skips them.
func expandSkeletons(c *Change) error {
	if c.quietChecklist {
		return nil
	}
	n := len(c.writes)
	for _, w := range c.writes[:n] {
		if w.Key.Type != RecChecklistBase || w.Deleted || w.hadSum || w.virtual {
			continue
		}
		if _, gone := c.shred[w.Key.Case]; gone {
			continue
		}
		s, err := decodeSkeleton(w.New)
		if err != nil {
			return err
		}
		if c.skeletons == nil {
			c.skeletons = map[ID]*checklistSkeleton{}
		}
		c.skeletons[w.Key.Case] = s
		defs, err := s.defaults(c.Tx)
		if err != nil {
			return err
		}
		for i := range defs {
			k := checklistKey(w.Key.Case, defs[i].ID)
			if _, written := c.byKey[k]; written {
				continue
			}
			c.writes = append(c.writes, &write{Key: k, item: &defs[i], virtual: true})
		}
	}
	return nil
}

// defaultAsOld gives the first write of an item record that only had its default
// (an untouched item of a case with a skeleton) that default as its old value, so
// the derivers move counts and tasks from it as from a record.
func defaultAsOld(c *Change, w *write) error {
	if w.Key.Type != RecChecklist || w.hadOld {
		return nil
	}
	def, ok, err := skeletonDefault(c.Tx, w.Key.Case, w.Key.ID)
	if err != nil || !ok {
		return err
	}
	b, err := json.Marshal(&def)
	if err != nil {
		return fmt.Errorf("%w: encoding: %v", ErrStore, err)
	}
	w.Old, w.hadOld, w.oldDefault = b, true, true
	return nil
}

// itemsEqual reports whether two items read the same: equal in their stored form.
func itemsEqual(a, b *ChecklistItem) bool {
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}
