package app

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Reading the audit trail: for supervisors and auditors (`casenotes audit list`,
// `audit export`) and the app's Activity screens. Entries hold ids only; the case
// number shown beside an entry comes from the case index, or from a deleted case's
// tombstone.

// AuditFilter narrows a listing. Empty fields match every entry.
type AuditFilter struct {
	Case   ID     // entries about this case
	User   string // entries by this user (letter case ignored)
	Action string // entries of this action
	Since  time.Time
	Until  time.Time // exclusive
}

func (f AuditFilter) match(e *AuditEntry) bool {
	switch {
	case !f.Case.IsZero() && e.Case != f.Case:
		return false
	case f.User != "" && !strings.EqualFold(e.User, f.User):
		return false
	case f.Action != "" && e.Action != f.Action:
		return false
	case !f.Since.IsZero() && e.Time.Before(f.Since):
		return false
	case !f.Until.IsZero() && !e.Time.Before(f.Until):
		return false
	}
	return true
}

// AuditRow is an entry with the case number it concerns, for people.
type AuditRow struct {
	AuditEntry
	CaseNumber string `json:"case_number,omitempty"`
}

// AuditPage is one page of a listing, newest first.
type AuditPage struct {
	Rows []AuditRow
	// Total is how many entries the log holds; Matching how many match the filter
	// (counted only for a filtered listing; -1 when not counted).
	Total    uint64
	Matching int
}

// AuditEntries lists the entries matching f, newest first, skipping offset of them
// and returning at most limit. An unfiltered page reads only its own entries, so
// paging through 100,000 entries stays fast; a filtered one reads the log once.
func (r *Records) AuditEntries(f AuditFilter, offset, limit int) (AuditPage, error) {
	var page AuditPage
	page.Matching = -1
	if limit <= 0 {
		limit = 100
	}
	err := r.view(func(t Tx) error {
		st, err := readAuditState(t)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		page.Total = st.Size
		numbers := caseNumbers(t)
		add := func(e *AuditEntry) {
			page.Rows = append(page.Rows, AuditRow{AuditEntry: *e, CaseNumber: numbers(e.Case)})
		}
		if f == (AuditFilter{}) {
			for seq := int64(st.Size) - 1 - int64(offset); seq >= 0 && len(page.Rows) < limit; seq-- {
				var e AuditEntry
				if err := getJSON(t, auditEntryKey(uint64(seq)), &e); err != nil {
					return err
				}
				add(&e)
			}
			return nil
		}
		var all []AuditEntry
		err = scanJSON(t, RecAudit, ID{}, func(_ Key, e *AuditEntry) error {
			if f.match(e) {
				all = append(all, *e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		page.Matching = len(all)
		for i := len(all) - 1 - offset; i >= 0 && len(page.Rows) < limit; i-- {
			add(&all[i])
		}
		return nil
	})
	return page, err
}

// caseNumbers returns a lookup of case numbers by id: the case index, then the
// tombstones of deleted cases (read once, at the first case not in the index).
func caseNumbers(t Tx) func(ID) string {
	cache := map[ID]string{}
	var deleted map[ID]string
	return func(id ID) string {
		if id.IsZero() {
			return ""
		}
		if n, ok := cache[id]; ok {
			return n
		}
		var s CaseSummary
		n := ""
		if getSummary(t, id, &s) == nil {
			n = s.Number
		} else {
			if deleted == nil {
				deleted = map[ID]string{}
				scanJSON(t, RecTombstone, ID{}, func(_ Key, ts *Tombstone) error {
					deleted[ts.Case] = ts.Number + " (deleted)"
					return nil
				})
			}
			n = deleted[id]
		}
		cache[id] = n
		return n
	}
}

// CaseIDByNumber finds a case by number for the audit trail, including a deleted
// case through its tombstone.
func (r *Records) CaseIDByNumber(number string) (ID, error) {
	if c, err := r.CaseByNumber(number); err == nil {
		return c.ID, nil
	} else if !isNotFound(err) {
		return ID{}, err
	}
	var found ID
	err := r.view(func(t Tx) error {
		return scanJSON(t, RecTombstone, ID{}, func(_ Key, ts *Tombstone) error {
			if sameNumber(ts.Number, number) {
				found = ts.Case
				return ErrStopScan
			}
			return nil
		})
	})
	if err == nil && found.IsZero() {
		err = fmt.Errorf("case number: %w", ErrNotFound)
	}
	return found, err
}

// LogBundleVerified records a bundle checked with this vault (its file's SHA-256 and
// whether it verified).
func (r *Records) LogBundleVerified(sha256hex string, ok bool) error {
	ev := AuditEvent{Action: ActBundleVerified, Hash: sha256hex}
	if !ok {
		ev.Outcome = OutcomeFailed
	}
	return r.logOnly(ev)
}

// auditCSVHeader are the columns of the CSV export, in order (stable names).
var auditCSVHeader = []string{"seq", "time_utc", "user", "action", "case_id", "case_number", "object_id",
	"outcome", "reason", "profile", "format", "recipient", "included", "withheld", "hash", "state_counter"}

// WriteAuditCSV writes every entry matching f, oldest first, as CSV for supervisors.
func (r *Records) WriteAuditCSV(w io.Writer, f AuditFilter) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(auditCSVHeader); err != nil {
		return 0, err
	}
	n := 0
	err := r.view(func(t Tx) error {
		numbers := caseNumbers(t)
		return scanJSON(t, RecAudit, ID{}, func(_ Key, e *AuditEntry) error {
			if !f.match(e) {
				return nil
			}
			n++
			id := func(x ID) string {
				if x.IsZero() {
					return ""
				}
				return x.String()
			}
			return cw.Write([]string{strconv.FormatUint(e.Seq, 10), e.Time.UTC().Format(time.RFC3339Nano), e.User, e.Action,
				id(e.Case), numbers(e.Case), id(e.Object), e.Outcome, e.Reason, e.Profile, e.Format, e.Recipient,
				strconv.Itoa(e.Included), strconv.Itoa(e.Withheld), e.Hash, strconv.FormatUint(e.Counter, 10)})
		})
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return n, err
}

// MarshalAuditRows encodes rows as JSON lines for `audit list --json`.
func MarshalAuditRows(rows []AuditRow) ([]byte, error) {
	var b strings.Builder
	for _, r := range rows {
		j, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return []byte(b.String()), nil
}

// AuditActions lists every action the log records, for filters.
var AuditActions = []string{ActVaultCreated, ActAuditStarted, ActUnlock, ActUnlockRecovery, ActUnlockFailed,
	ActRecoveryFailed, ActLockout, ActLock, ActLockIdle, ActCaseCreated, ActCaseOpened, ActCaseEdited, ActCaseStatus,
	ActCaseDeleted, ActVictimEdited, ActIdentitySet, ActIdentityRevealed, ActNoteCreated, ActNoteEdited,
	ActNoteFinalized, ActAddendum, ActNoteDeleted, ActChecklistChanged, ActReleaseAdded, ActReleaseRevoked,
	ActReferralAdded, ActReferralChanged, ActTimelineAdded, ActTimelineDeleted, ActAttachmentAdded,
	ActAttachmentOpened, ActAttachmentSaved, ActAttachmentDeleted, ActEvidenceAdded, ActExport, ActExportSaved,
	ActBundleVerified, ActBundleImported, ActCaseFileImported, ActSeed, ActBackup, ActRestored,
	ActPassphraseChanged, ActRekey, ActSettingsChanged, ActIntegrityFailure, ActMigration, ActEdit}
