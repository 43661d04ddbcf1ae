package app

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// Shared task entries for a case's untouched checklist items (issue 12).
//
// A new case's checklist is its template's items, and some forty of them are open
// and dated: one index entry each was most of what an import wrote. The items
// nobody has changed yet (no RecChecklist record: checklist_skeleton.go) that fall
// due the same day share one entry instead (the core template's 37 dated items fall
// on 9 days), keyed like a single entry by that due date, so the index still lists
// in due order and a listing still reads only what it shows:
//
//	Key{RecTask, zero, Order: due (Unix seconds), ID: compactTaskID(case, due)} -> compactTasks
//
// It names the template version (for each item's title and owner), the due date,
// and each item's template position and ID. A listing expands it into the tasks the
// items would have had one entry each. An item leaves it when it is first changed
// (it gets a record, and an entry of its own while open and dated): its default due
// date says which entry it is in. The entry goes with its last item, and when the
// case closes or is shredded.
type compactTasks struct {
	Case            ID
	TemplateID      string
	TemplateVersion int
	Due             time.Time
	Items           []compactItem
}

// compactItem is one untouched, open item of a shared entry.
type compactItem struct {
	Position int // in the template version's items
	ID       ID
}

// compactTaskFormat is the first byte of a shared entry; a single item's entry
// starts with taskFormat (1), so one byte tells them apart.
const compactTaskFormat = 2

// compactTaskID is the index ID of a case's shared entry for one due date: a hash of
// the case's random ID and the date under its own label, so it meets no item's
// taskID.
func compactTaskID(c ID, due time.Time) ID {
	h := sha256.New()
	h.Write([]byte("casenotes/v1 untouched checklist tasks\x00"))
	h.Write(c[:])
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(due.Unix())))
	var id ID
	copy(id[:], h.Sum(nil))
	return id
}

// compactKey is where a case's shared entry for a due date is.
func compactKey(c ID, due time.Time) Key {
	return Key{Type: RecTask, Order: dueOrder(due), ID: compactTaskID(c, due)}
}

// encode is the entry's record: format(1)=2 | case(16) | template id (uvarint
// length, bytes) | template version (uvarint) | due (varint, Unix seconds) | item
// count (uvarint) | per item: position (uvarint), ID (16).
func (ct *compactTasks) encode() []byte {
	b := make([]byte, 0, 48+len(ct.TemplateID)+18*len(ct.Items))
	b = append(b, compactTaskFormat)
	b = append(b, ct.Case[:]...)
	b = binary.AppendUvarint(b, uint64(len(ct.TemplateID)))
	b = append(b, ct.TemplateID...)
	b = binary.AppendUvarint(b, uint64(ct.TemplateVersion))
	b = binary.AppendVarint(b, ct.Due.Unix())
	b = binary.AppendUvarint(b, uint64(len(ct.Items)))
	for _, it := range ct.Items {
		b = binary.AppendUvarint(b, uint64(it.Position))
		b = append(b, it.ID[:]...)
	}
	return b
}

var errCompactTasks = fmt.Errorf("task entry: %w", ErrIntegrity)

// decodeCompactTasks reads a shared entry. Anything out of bounds, or bytes left
// over, is ErrIntegrity; it never panics.
func decodeCompactTasks(b []byte) (*compactTasks, error) {
	if len(b) < 1+16 || b[0] != compactTaskFormat {
		return nil, errCompactTasks
	}
	var ct compactTasks
	copy(ct.Case[:], b[1:17])
	b = b[17:]
	uvarint := func(max uint64) (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > max {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	n, ok := uvarint(maxSkeletonText)
	if !ok || n == 0 || n > uint64(len(b)) || !utf8.Valid(b[:n]) {
		return nil, errCompactTasks
	}
	ct.TemplateID, b = string(b[:n]), b[n:]
	v, ok := uvarint(maxTemplateVersion)
	if !ok || v < 1 {
		return nil, errCompactTasks
	}
	ct.TemplateVersion = int(v)
	due, m := binary.Varint(b)
	if m <= 0 {
		return nil, errCompactTasks
	}
	b = b[m:]
	ct.Due = time.Unix(due, 0).UTC()
	count, ok := uvarint(MaxTemplateItems)
	if !ok || count == 0 {
		return nil, errCompactTasks
	}
	ct.Items = make([]compactItem, 0, count)
	for range count {
		pos, ok := uvarint(MaxTemplateItems - 1)
		if !ok || len(b) < 16 {
			return nil, errCompactTasks
		}
		it := compactItem{Position: int(pos)}
		copy(it.ID[:], b[:16])
		b = b[16:]
		ct.Items = append(ct.Items, it)
	}
	if len(b) != 0 {
		return nil, errCompactTasks
	}
	return &ct, nil
}

// isCompactTasks reports whether a task index value is a compact entry.
func isCompactTasks(b []byte) bool { return len(b) > 0 && b[0] == compactTaskFormat }

// compactOf is the shared entries of a case's untouched items: those of defaults
// (the skeleton's items as it gives them, in template order) that are open and
// dated and have no record (hasRecord), one entry for each due date, in due order.
func compactOf(c ID, s *checklistSkeleton, defaults []ChecklistItem, hasRecord func(ID) bool) []*compactTasks {
	var out []*compactTasks
	for i := range defaults {
		it := &defaults[i]
		if it.Status != ItemOpen || it.Due.IsZero() || hasRecord(it.ID) {
			continue
		}
		out = addShared(out, c, s, it)
	}
	slices.SortFunc(out, func(a, b *compactTasks) int { return a.Due.Compare(b.Due) })
	return out
}

// addShared puts an untouched item (its default: Position is its template position)
// in the entry of its due date among entries, making that entry if there is none.
func addShared(entries []*compactTasks, c ID, s *checklistSkeleton, it *ChecklistItem) []*compactTasks {
	due := it.Due.UTC()
	for _, ct := range entries {
		if ct.Due.Equal(due) {
			ct.Items = append(ct.Items, compactItem{Position: it.Position, ID: it.ID})
			return entries
		}
	}
	return append(entries, &compactTasks{Case: c, TemplateID: s.TemplateID, TemplateVersion: s.TemplateVersion,
		Due: due, Items: []compactItem{{Position: it.Position, ID: it.ID}}})
}

// dueDays are the due dates of a case's shared entries: its skeleton's open, dated
// defaults' (whether or not an entry is there now).
func dueDays(defaults []ChecklistItem) []time.Time {
	var out []time.Time
	for i := range defaults {
		if it := &defaults[i]; it.Status == ItemOpen && !it.Due.IsZero() && !slices.ContainsFunc(out, it.Due.Equal) {
			out = append(out, it.Due.UTC())
		}
	}
	return out
}

// templateTitles expands shared entries into tasks: it looks each template
// version up once per listing.
type templateTitles struct {
	t    Tx
	seen map[templateVersion]*Template
}

// templateVersion names one version of a template.
type templateVersion struct {
	id      string
	version int
}

// expand is the single entries a task index value stands for: itself, or a shared
// entry's items.
func (tt *templateTitles) expand(b []byte) ([]taskEntry, error) {
	if !isCompactTasks(b) {
		e, err := decodeTask(b)
		return []taskEntry{e}, err
	}
	ct, err := decodeCompactTasks(b)
	if err != nil {
		return nil, err
	}
	return tt.entries(ct)
}

// entries are the single entries a shared entry stands for, in its item order.
func (tt *templateTitles) entries(ct *compactTasks) ([]taskEntry, error) {
	key := templateVersion{ct.TemplateID, ct.TemplateVersion}
	tpl, ok := tt.seen[key]
	if !ok {
		t, err := loadTemplate(tt.t, ct.TemplateID, ct.TemplateVersion)
		if isNotFound(err) {
			return nil, fmt.Errorf("task entry's template: %w", ErrIntegrity)
		}
		if err != nil {
			return nil, err
		}
		if tt.seen == nil {
			tt.seen = map[templateVersion]*Template{}
		}
		tpl = &t
		tt.seen[key] = tpl
	}
	out := make([]taskEntry, len(ct.Items))
	for i, it := range ct.Items {
		if it.Position >= len(tpl.Items) {
			return nil, fmt.Errorf("task entry's template: %w", ErrIntegrity)
		}
		ti := &tpl.Items[it.Position]
		out[i] = taskEntry{Case: ct.Case, Item: it.ID, Kind: TaskChecklist, Due: ct.Due,
			Title: ti.Title, Partner: string(ti.Owner)}
	}
	return out, nil
}

// eachTaskDueBefore calls fn with the case, kind and due date of each task in the
// task index due before the key order limit, in due order (eachTaskDue of each
// entry): what the overdue counts and checks read.
func eachTaskDueBefore(t Tx, limit uint64, fn func(c ID, kind string, due time.Time)) error {
	return t.Scan(RecTask, ID{}, func(k Key, b []byte) error {
		if k.Order == legacyTaskPointerOrder || k.Order >= limit {
			return ErrStopScan
		}
		return eachTaskDue(b, fn)
	})
}

// eachTaskDue calls fn with the case, kind and due date of each task a task index
// value stands for: one for a single entry, each item of a shared entry. It needs
// no template: what counts and overdue checks read.
func eachTaskDue(b []byte, fn func(c ID, kind string, due time.Time)) error {
	if !isCompactTasks(b) {
		var e taskEntry
		if _, _, err := readTask(b, &e); err != nil {
			return err
		}
		fn(e.Case, e.Kind, e.Due)
		return nil
	}
	ct, err := decodeCompactTasks(b)
	if err != nil {
		return err
	}
	for range ct.Items {
		fn(ct.Case, TaskChecklist, ct.Due)
	}
	return nil
}
