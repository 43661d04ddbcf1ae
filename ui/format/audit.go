package format

import (
	"strconv"
	"strings"

	"casenotes/app"
)

// AuditDetails is what an audit entry says beyond its action, case and outcome, in
// one short line: the reason code, an export's profile, format, recipient and
// counts, a hash (shortened) and the item's id. Entries hold ids and fixed words
// only, never typed text, so nothing here can carry a name.
func AuditDetails(e app.AuditEntry) string {
	var parts []string
	if e.Reason != "" {
		parts = append(parts, "reason "+e.Reason)
	}
	if e.Profile != "" {
		parts = append(parts, "profile "+e.Profile)
	}
	if e.Format != "" {
		parts = append(parts, "format "+e.Format)
	}
	if e.Recipient != "" {
		parts = append(parts, "to "+e.Recipient)
	}
	if e.Included != 0 || e.Withheld != 0 {
		parts = append(parts, strconv.Itoa(e.Included)+" included, "+strconv.Itoa(e.Withheld)+" withheld")
	}
	if e.Hash != "" {
		h := e.Hash
		if len(h) > 16 {
			h = h[:16] + "…"
		}
		parts = append(parts, "SHA-256 "+h)
	}
	if !e.Object.IsZero() {
		parts = append(parts, "item "+e.Object.String())
	}
	return strings.Join(parts, "; ")
}

// actionTitles are the audit actions as the desktop app names them. The command
// line shows and takes the codes themselves (app.AuditActions).
var actionTitles = map[string]string{
	app.ActVaultCreated:      "Vault created",
	app.ActAuditStarted:      "Audit trail started",
	app.ActUnlock:            "Unlocked",
	app.ActUnlockRecovery:    "Unlocked with the recovery key",
	app.ActUnlockFailed:      "Wrong passphrase",
	app.ActRecoveryFailed:    "Wrong recovery key",
	app.ActLockout:           "Locked out",
	app.ActLock:              "Locked",
	app.ActLockIdle:          "Locked when idle",
	app.ActCaseCreated:       "Case created",
	app.ActCaseOpened:        "Case opened",
	app.ActCaseEdited:        "Case edited",
	app.ActCaseStatus:        "Case status changed",
	app.ActCaseDeleted:       "Case deleted",
	app.ActVictimEdited:      "Victim profile edited",
	app.ActIdentitySet:       "Legal identity recorded",
	app.ActIdentityRevealed:  "Legal identity revealed",
	app.ActNoteCreated:       "Note draft created",
	app.ActNoteEdited:        "Note draft edited",
	app.ActNoteFinalized:     "Note finalized",
	app.ActAddendum:          "Addendum added",
	app.ActNoteDeleted:       "Note draft deleted",
	app.ActChecklistChanged:  "Checklist changed",
	app.ActReleaseAdded:      "Release added",
	app.ActReleaseRevoked:    "Release revoked",
	app.ActReferralAdded:     "Referral added",
	app.ActReferralChanged:   "Referral changed",
	app.ActTimelineAdded:     "Timeline event added",
	app.ActTimelineDeleted:   "Timeline event deleted",
	app.ActAttachmentAdded:   "Attachment added",
	app.ActAttachmentOpened:  "Attachment opened",
	app.ActAttachmentSaved:   "Attachment saved out",
	app.ActAttachmentDeleted: "Attachment deleted",
	app.ActEvidenceAdded:     "Evidence reference added",
	app.ActExport:            "Exported",
	app.ActExportSaved:       "Export saved",
	app.ActBundleVerified:    "Bundle verified",
	app.ActBundleImported:    "Bundle imported",
	app.ActCaseFileImported:  "Case file imported",
	app.ActSeed:              "Demo cases written",
	app.ActBackup:            "Backup made",
	app.ActRestored:          "Restored from a backup",
	app.ActPassphraseChanged: "Passphrase changed",
	app.ActRekey:             "Every key changed",
	app.ActSettingsChanged:   "Settings changed",
	app.ActIntegrityFailure:  "Damage found",
	app.ActMigration:         "Vault updated",
	app.ActEdit:              "Edited",
}

// ActionTitle is an audit action as people read it ("Note finalized"); an action
// this version does not know shows as its code.
func ActionTitle(action string) string {
	if t, ok := actionTitles[action]; ok {
		return t
	}
	return action
}

// ActionByTitle is the action whose title is t, or "".
func ActionByTitle(t string) string {
	for a, title := range actionTitles {
		if title == t {
			return a
		}
	}
	return ""
}
