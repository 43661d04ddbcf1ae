package app

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Paging a filtered audit listing (the Activity screens). AuditEntries reads the
// whole log for every filtered page; a screen that pages through one case's
// activity instead finds the matching entries once (AuditSeqs) and then reads only
// the entries of the page it shows (AuditRows), as an unfiltered page does.

// AuditSeqs lists the sequence numbers of the entries matching f, newest first.
// Entries are encoded canonically (encoding/json of AuditEntry; the MAC is over that
// encoding), so an entry that cannot match the case or action asked for is skipped
// by its bytes before it is decoded.
func (r *Records) AuditSeqs(f AuditFilter) ([]uint64, error) {
	var want [][]byte
	if !f.Case.IsZero() {
		want = append(want, []byte(`"case":"`+f.Case.String()+`"`))
	}
	if f.Action != "" {
		a, err := json.Marshal(f.Action)
		if err != nil {
			return nil, err
		}
		want = append(want, append([]byte(`"action":`), a...))
	}
	var seqs []uint64
	err := r.view(func(t Tx) error {
		return t.Scan(RecAudit, ID{}, func(k Key, b []byte) error {
			for _, w := range want {
				if !bytes.Contains(b, w) {
					return nil
				}
			}
			var e AuditEntry
			if err := json.Unmarshal(b, &e); err != nil {
				return fmt.Errorf("audit entry %d unreadable: %w", k.Order, ErrIntegrity)
			}
			if f.match(&e) {
				seqs = append(seqs, e.Seq)
			}
			return nil
		})
	})
	for i, j := 0, len(seqs)-1; i < j; i, j = i+1, j-1 {
		seqs[i], seqs[j] = seqs[j], seqs[i]
	}
	return seqs, err
}

// AuditRows reads the entries with these sequence numbers, in that order, each with
// the number of the case it concerns.
func (r *Records) AuditRows(seqs []uint64) ([]AuditRow, error) {
	rows := make([]AuditRow, 0, len(seqs))
	err := r.view(func(t Tx) error {
		numbers := caseNumbers(t)
		for _, seq := range seqs {
			var e AuditEntry
			if err := getJSON(t, auditEntryKey(seq), &e); err != nil {
				return err
			}
			rows = append(rows, AuditRow{AuditEntry: e, CaseNumber: numbers(e.Case)})
		}
		return nil
	})
	return rows, err
}
