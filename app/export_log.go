package app

import (
	"strings"
	"time"
)

// The per-case export log: one record each time a case leaves the vault, so the
// case itself says what was shared, with whom, when and in which form (the audit
// trail records the same act for auditors; this log is what the team reads).

// RecExportLog holds a case's export records, ordered by time.
const RecExportLog RecordType = 0x1F

// ExportRecord is one export of a case. It names the recipient and the file's hash,
// never what the export contained.
type ExportRecord struct {
	ExportID  ID        `json:"export_id"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	Profile   string    `json:"profile"`
	Format    string    `json:"format"`
	Recipient string    `json:"recipient"`
	SHA256    string    `json:"sha256"`
	Signer    string    `json:"signer,omitempty"`
	Withheld  int       `json:"withheld"`
	// For the audit trail, which never holds a typed name: how the export was
	// sealed (an age recipient key, "passphrase", or the recipient's partner
	// category), and how many notes went out.
	RecipientKey string `json:"recipient_key,omitempty"`
	Included     int    `json:"included,omitempty"`
}

// RecordExport adds an export to the case's log, after the file was written.
func (r *Records) RecordExport(caseID ID, e ExportRecord) error {
	e.Profile, e.Format, e.Recipient = strings.TrimSpace(e.Profile), strings.TrimSpace(e.Format), strings.TrimSpace(e.Recipient)
	if err := checkText("recipient", e.Recipient, maxTitle, false); err != nil {
		return err
	}
	action := ActExport
	if e.Format == "bundle" {
		action = ActExportSaved // the bundle's own entry was logged as it was signed
	}
	ev := AuditEvent{Action: action, Case: caseID, Object: e.ExportID, Profile: e.Profile, Format: e.Format,
		Recipient: e.RecipientKey, Included: e.Included, Withheld: e.Withheld, Hash: e.SHA256}
	err := r.updateEv(ev, func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if e.At.IsZero() {
			e.At = r.now()
		}
		if e.By == "" {
			e.By = r.who(t)
		}
		return putJSON(t, Key{Type: RecExportLog, Case: caseID, Order: nextOrder(e.At), ID: e.ExportID}, &e)
	})
	if err != nil {
		return err
	}
	// What left the machine and the header's anchor agree (anchor.go).
	return r.path.anchorNow()
}

// Exports lists a case's exports, oldest first.
func (r *Records) Exports(caseID ID) ([]ExportRecord, error) {
	var out []ExportRecord
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecExportLog, caseID, func(_ Key, e *ExportRecord) error {
			out = append(out, *e)
			return nil
		})
	})
	return out, err
}
