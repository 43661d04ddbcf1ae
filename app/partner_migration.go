package app

import "bytes"

// migratePartnerVocabulary moves stored records to the one partner vocabulary
// (issue 8, item 16): release recipients and directory entries named their partner
// category with names of their own ("probation", "medical", "mental-health",
// "national-resource"), checklist owners with the checklist's. The first batch
// rewrites the directory (vault level, a few hundred entries at most); then it walks
// the case index in batches, rewriting each release and checklist item that uses an
// older name. Only records that change are written, so a vault with nothing to
// rename costs reads only, and a batch run again finds nothing left to do.
//
// The checklist counts on the case index entries need nothing: Partners only grew
// at the end, and an entry written before holds fewer groups, which read as zero
// (ChecklistCounts.UnmarshalJSON). An item whose owner is renamed goes through the
// commit path, whose deriver moves its count from the old name (not counted: it was
// not in Partners) to the new one, and its task index entry with it.
func migratePartnerVocabulary(c *Change, cursor []byte) ([]byte, bool, error) {
	if cursor == nil {
		if err := renameDirectoryPartners(c); err != nil {
			return nil, false, err
		}
		return partnerCursorCases, false, nil
	}
	if bytes.Equal(cursor, partnerCursorCases) {
		cursor = nil
	}
	next, done, err := casesAfter(c, cursor, partnerBatch, func(id ID) error {
		return renameCasePartners(c, id)
	})
	if err != nil {
		return nil, false, err
	}
	if next == nil {
		next = partnerCursorCases // no cases at all
	}
	return next, done, nil
}

// partnerBatch is how many cases one batch reads (each case's releases and its
// checklist, about a hundred records).
const partnerBatch = 200

// partnerCursorCases marks that the directory is done and the cases come next.
var partnerCursorCases = []byte("cases")

// renamedPartner returns the current name of an older partner name; ok is false
// when p needs no change (current, or unknown to this build: left as it is).
func renamedPartner(p Partner) (Partner, bool) {
	if p.Known() {
		return p, false
	}
	q, ok := legacyPartners[string(p)]
	return q, ok
}

func renameDirectoryPartners(c *Change) error {
	var keys []Key
	var entries []DirectoryEntry
	err := scanJSON(c, RecDirectory, ID{}, func(k Key, e *DirectoryEntry) error {
		if p, ok := renamedPartner(e.Category); ok {
			e.Category = p
			keys, entries = append(keys, k), append(entries, *e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range keys {
		if err := putJSON(c, keys[i], &entries[i]); err != nil {
			return err
		}
	}
	return nil
}

// renameCasePartners rewrites one case's releases and checklist items that use an
// older partner name. Records are collected first and written after the scans.
func renameCasePartners(c *Change, id ID) error {
	var relKeys []Key
	var rels []Release
	err := scanJSON(c, RecRelease, id, func(k Key, rel *Release) error {
		if p, ok := renamedPartner(rel.Recipient.Category); ok {
			rel.Recipient.Category = p
			relKeys, rels = append(relKeys, k), append(rels, *rel)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var itemKeys []Key
	var items []ChecklistItem
	err = scanJSON(c, RecChecklist, id, func(k Key, it *ChecklistItem) error {
		if p, ok := renamedPartner(it.Owner); ok {
			it.Owner = p
			itemKeys, items = append(itemKeys, k), append(items, *it)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range relKeys {
		if err := putJSON(c, relKeys[i], &rels[i]); err != nil {
			return err
		}
	}
	for i := range itemKeys {
		if err := putJSON(c, itemKeys[i], &items[i]); err != nil {
			return err
		}
	}
	return nil
}
