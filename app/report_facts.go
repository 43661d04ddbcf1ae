package app

import (
	"bytes"
	"encoding/json"
	"time"
)

// Report facts: the one date the program report needs from a case's checklist (when
// "Call an advocate for the child" was done), kept by the commit path in its own
// small record, so a report over 10,000 cases reads one record a case instead of
// some seventy checklist items (docs/PERFORMANCE.md). A case whose checklist was
// written before this record existed has none; the report then reads that case's
// checklist, so older vaults give the same figures, only more slowly.

// RecReportFacts is a case's report facts (one per case; issue 15's range 0x60-0x6F).
const RecReportFacts RecordType = 0x60

// reportFacts is the stored record. It holds a date and no text.
type reportFacts struct {
	// AdvocateCalled is when the advocate item was marked done; zero while it is not.
	AdvocateCalled time.Time `json:"advocate_called,omitzero"`
}

func reportFactsKey(c ID) Key { return Key{Type: RecReportFacts, Case: c, ID: c} }

// advocateMarker finds the advocate item among checklist records without decoding
// each one.
var advocateMarker = []byte(`"` + advocateItem + `"`)

// advocateItemDone decodes a checklist record that may be the advocate item: ok is
// false for any other item; at is its completion, zero while it is not done.
func advocateItemDone(b []byte) (at time.Time, ok bool, err error) {
	if !bytes.Contains(b, advocateMarker) {
		return time.Time{}, false, nil
	}
	var it struct {
		TemplateItem string     `json:"template_item"`
		Status       ItemStatus `json:"status"`
		CompletedAt  time.Time  `json:"completed_at"`
	}
	if err := json.Unmarshal(b, &it); err != nil {
		return time.Time{}, false, unreadable(RecChecklist)
	}
	if it.TemplateItem != advocateItem {
		return time.Time{}, false, nil
	}
	if it.Status == ItemDone {
		at = it.CompletedAt.UTC()
	}
	return at, true, nil
}

// deriveReportFacts writes a case's report facts whenever a change writes its
// advocate item (when the checklist is made, and at every change of the item).
func deriveReportFacts(c *Change) error {
	for _, w := range c.writes {
		if w.Key.Type != RecChecklist || w.Deleted {
			continue
		}
		if _, gone := c.shred[w.Key.Case]; gone {
			continue
		}
		var at time.Time
		var ok bool
		var err error
		if w.virtual {
			// An untouched item of a new checklist: its template default, decoded.
			if ok = w.item.TemplateItem == advocateItem; ok && w.item.Status == ItemDone {
				at = w.item.CompletedAt.UTC()
			}
		} else if at, ok, err = advocateItemDone(w.New); err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := putJSON(c, reportFactsKey(w.Key.Case), &reportFacts{AdvocateCalled: at}); err != nil {
			return err
		}
	}
	return nil
}

// migrateReportFacts writes the report facts of every case that has an advocate
// item but no report facts yet (cases written before they existed), a batch of
// cases at a time, so a report over an older vault is as fast as over a new one.
func migrateReportFacts(c *Change, cursor []byte) ([]byte, bool, error) {
	return casesAfter(c, cursor, reportFactsBatch, func(id ID) error {
		b, err := c.Tx.Get(reportFactsKey(id))
		clear(b)
		if err == nil || !isNotFound(err) {
			return err // kept already (or unreadable: the check names it)
		}
		var facts *reportFacts
		err = c.Tx.Scan(RecChecklist, id, func(_ Key, b []byte) error {
			defer clear(b)
			at, ok, err := advocateItemDone(b)
			if err != nil || !ok {
				return err
			}
			facts = &reportFacts{AdvocateCalled: at}
			return ErrStopScan
		})
		if err != nil {
			return err
		}
		if facts == nil {
			// A sparse checklist's advocate item may have no record: untouched,
			// so not done.
			if facts, err = untouchedAdvocate(c, id); err != nil || facts == nil {
				return err
			}
		}
		return putJSON(c, reportFactsKey(id), facts)
	})
}

// untouchedAdvocate is the report facts of a case whose skeleton has the advocate
// item without a record (not done); nil when it has no such item.
func untouchedAdvocate(t Tx, id ID) (*reportFacts, error) {
	s, found, err := readSkeleton(t, id)
	if err != nil || !found {
		return nil, err
	}
	defs, err := s.defaults(t)
	if err != nil {
		return nil, err
	}
	for _, it := range defs {
		if it.TemplateItem == advocateItem {
			return &reportFacts{}, nil
		}
	}
	return nil, nil
}

// reportFactsBatch is how many cases one batch of the migration visits: a case's
// checklist is some seventy small records, and it writes one tiny record.
const reportFactsBatch = 200
