package export

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"casenotes/app"
)

// Importing a bundle: verify it completely, check who signed it, then hand the case
// to app (Records.ImportReceived), which adds it read-only (a partner's export) or as
// an ordinary case (a transfer).

// SignerCheck is how a bundle's signer is accepted.
type SignerCheck struct {
	// Expected is a fingerprint the user gave (--signer) or confirmed on screen.
	Expected string
	// Directory checks the signer against the vault's partner directory: a revoked
	// key fails; an unknown one needs Expected.
	Directory *app.Records
}

// ErrUnknownSigner: the signer is in no directory entry and no fingerprint was
// confirmed for it. It matches app.ErrIntegrity: nothing from the bundle is used.
var ErrUnknownSigner = &VerifyError{What: "it was signed by a key that is not in your partner directory"}

// CheckSignerWith applies a SignerCheck: a revoked key in the directory always
// fails; an expected fingerprint must match; without one, the directory must know
// the key. It returns the directory entry when there is one.
func (b *Bundle) CheckSignerWith(c SignerCheck) (app.DirectoryEntry, bool, error) {
	var entry app.DirectoryEntry
	var known bool
	if c.Directory != nil {
		var err error
		entry, known, err = c.Directory.PartnerBySigner(b.SignerFingerprint)
		if err != nil {
			return entry, false, err
		}
		if known && entry.IsRevoked() {
			return entry, false, &VerifyError{What: fmt.Sprintf("it was signed by the key of %s, revoked on %s (%s)",
				entry.Name(), entry.Revoked.Format("Jan 2, 2006"), entry.RevokedReason)}
		}
	}
	if c.Expected != "" {
		return entry, known, b.CheckSigner(c.Expected)
	}
	if c.Directory != nil && !known {
		return entry, false, ErrUnknownSigner
	}
	return entry, known, nil
}

// keepForImport keeps the export document and the attachments.
func keepForImport(path string) bool {
	return strings.HasSuffix(path, ".json") || strings.HasPrefix(path, "attachments/")
}

// ImportResult says what an import did and from whom.
type ImportResult struct {
	app.ReceivedResult
	Bundle *Bundle
	Doc    *Document
}

// ImportBundle verifies a bundle, checks its signer and adds its case to the vault.
// No case data is written unless every check passes; a bundle that fails a check
// leaves one audit entry (bundle-verified, failed, with the file's hash).
func ImportBundle(r *app.Records, src io.Reader, ids ReadOptions, signer SignerCheck) (ImportResult, error) {
	ids.Keep = keepForImport
	h := sha256.New()
	// A bundle that fails its check is an event of the audit trail (one the
	// import's own entry does not cover), with the hash of the file as received.
	refused := func(err error) (ImportResult, error) {
		var ve *VerifyError
		if errors.As(err, &ve) || errors.Is(err, app.ErrIntegrity) { // not a key left out
			_, _ = io.Copy(h, src)
			_ = r.LogBundleVerified(hex.EncodeToString(h.Sum(nil)), false)
		}
		return ImportResult{}, err
	}
	b, err := ReadBundle(io.TeeReader(src, h), ids)
	if err != nil {
		return refused(err)
	}
	if _, _, err := b.CheckSignerWith(signer); errors.Is(err, ErrUnknownSigner) {
		return ImportResult{}, err // not a failure: the user is asked to confirm the signer
	} else if err != nil {
		return refused(err)
	}
	docPath := b.DocumentPath()
	doc, err := ReadJSON(b.Files[docPath])
	if docPath == "" || err != nil {
		return refused(failf("it holds no readable export document"))
	}
	if doc.ExportID != b.Manifest.ExportID || doc.Profile != b.Manifest.Profile || doc.Case.Number != b.Manifest.CaseNumber {
		return refused(failf("the export document does not match the signed manifest"))
	}
	rc, err := receivedCase(doc, b)
	if err != nil {
		return ImportResult{}, err
	}
	rc.Origin.BundleSHA256 = hex.EncodeToString(h.Sum(nil))
	res, err := r.ImportReceived(rc)
	if err != nil {
		return ImportResult{}, err
	}
	return ImportResult{ReceivedResult: res, Bundle: b, Doc: doc}, nil
}

func parseDay(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// receivedCase maps an export document to the case app writes.
func receivedCase(d *Document, b *Bundle) (app.ReceivedCase, error) {
	kind := app.ReceivedCopy
	if d.Profile == Transfer.Name {
		kind = app.ReceivedTransfer
	}
	m := b.Manifest
	rc := app.ReceivedCase{
		Kind: kind,
		Origin: app.BundleOrigin{ExportID: m.ExportID, Exported: m.Created, Profile: m.Profile,
			ExporterName: m.Exporter.Name, ExporterRole: m.Exporter.Role, ExporterAgency: m.Exporter.Agency,
			SignerFingerprint: b.SignerFingerprint, SourceCase: d.Case.ID, SourceNumber: d.Case.Number},
		Case: app.Case{Number: d.Case.Number, Title: d.Case.Title, Status: app.CaseStatus(d.Case.Status),
			ClosedReason: d.Case.ClosedReason, Jurisdiction: d.Case.Jurisdiction, Opened: parseDay(d.Case.Opened),
			Closed: parseDay(d.Case.Closed), Assigned: d.Case.Team, Tags: d.Case.Indicators,
			TemplateID: d.Case.TemplateID, TemplateVersion: d.Case.TemplateVersion},
	}
	if v := d.Victim; v != nil {
		rc.Victim = app.Victim{Alias: v.Alias, Age: v.Age, AgeBand: v.AgeBand, Gender: v.Gender, Languages: v.Languages,
			InterpreterNeeded: v.InterpreterNeeded, GuardianType: v.GuardianType, PlacementType: v.PlacementType}
		if s := v.Screening; s != nil {
			rc.Victim.Screening = &app.Screening{Tool: s.Tool, Version: s.Version, Date: parseDay(s.Date), Screener: s.Screener, Concern: s.Concern}
		}
	} else {
		rc.Victim = app.Victim{Alias: "(no alias in the bundle)"}
	}
	if id := d.Identity; id != nil {
		rc.Identity = &app.Identity{LegalName: id.LegalName, DateOfBirth: id.DateOfBirth, School: id.School,
			Addresses: id.Addresses, ContactNumbers: id.ContactNumbers}
	}
	for _, n := range d.Notes {
		note := app.Note{ID: n.ID, Kind: app.NoteKind(n.Kind), Body: n.Text, Author: n.Author,
			Sensitivity: app.Sensitivity(n.Sensitivity), Created: n.Created, Updated: n.Finalized,
			Finalised: n.Finalized, FinalisedBy: n.FinalizedBy}
		if c := n.Contact; c != nil && n.Kind == string(app.NoteContact) {
			note.Contact = &app.ContactDetails{Present: c.Present, Language: c.Language, Interpreter: c.Interpreter,
				Setting: c.Setting, DurationMinutes: c.DurationMinutes}
		}
		for _, a := range n.Addenda {
			note.Addenda = append(note.Addenda, app.Addendum{ID: a.ID, Note: n.ID, Body: a.Text, Author: a.Author, Created: a.Created})
		}
		rc.Notes = append(rc.Notes, note)
	}
	for _, ph := range d.Checklist {
		for _, it := range ph.Items {
			rc.Checklist = append(rc.Checklist, app.ChecklistItem{ID: it.ID, TemplateItem: it.TemplateItem, Custom: it.Custom,
				Phase: app.Phase(ph.Phase), Position: it.Position, Title: it.Title, Guidance: it.Guidance,
				Owner: app.Partner(it.Owner), Status: app.ItemStatus(it.Status), Reason: it.Reason, Due: parseDay(it.Due),
				CompletedBy: it.CompletedBy, CompletedAt: it.CompletedAt, Notes: it.Notes, Added: d.Created, Updated: d.Created})
		}
	}
	for _, r := range d.Releases {
		rel := app.Release{ID: r.ID, Recipient: r.Recipient.app(), Signed: parseDay(r.Signed), Expires: parseDay(r.Expires),
			Revoked: parseDay(r.Revoked), RevokedReason: r.RevokedReason, RevokedBy: r.RevokedBy, Created: r.Created, CreatedBy: r.CreatedBy,
			Signer: &app.ReleaseSigner{Kind: app.SignerNotRecorded}}
		if s := r.Signer; s != nil {
			rel.Signer = &app.ReleaseSigner{Kind: app.SignerKind(s.Kind), Name: s.Name, Relationship: s.Relationship, Person: s.Person}
		}
		for _, k := range r.Scope {
			rel.Scope = append(rel.Scope, app.InfoKind(k))
		}
		rc.Releases = append(rc.Releases, rel)
	}
	for _, s := range d.Services {
		ref := app.Referral{ID: s.ID, Service: app.ServiceType(s.Service), Partner: s.Partner, Status: app.ReferralStatus(s.Status),
			Due: parseDay(s.Due), Created: s.Created, By: s.By}
		for _, h := range s.History {
			ref.History = append(ref.History, app.StatusChange{Status: app.ReferralStatus(h.Status), At: h.At, By: h.By})
		}
		rc.Referrals = append(rc.Referrals, ref)
	}
	for _, e := range d.Chronology {
		rc.Timeline = append(rc.Timeline, app.TimelineEvent{ID: e.ID, Kind: app.EventKind(e.Kind), Date: e.Date, Source: e.Source,
			Description: e.Description, Created: e.Created, By: e.By})
	}
	if ev := d.Evidence; ev != nil {
		for _, r := range ev.References {
			rc.Evidence = append(rc.Evidence, app.EvidenceReference{ID: r.ID, System: r.System, ReferenceID: r.ReferenceID,
				Description: r.Description, Added: r.Added, AddedBy: r.AddedBy})
		}
		for _, a := range ev.Attachments {
			if a.File == "" {
				continue
			}
			content, ok := b.Files[a.File]
			sum := sha256.Sum256(content)
			if !ok || hex.EncodeToString(sum[:]) != a.SHA256 {
				return rc, failf("attachment %s does not match the export document", a.File)
			}
			rc.Attachments = append(rc.Attachments, app.ReceivedAttachment{Attachment: app.Attachment{ID: a.ID, Name: a.Name,
				Kind: a.Kind, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, Added: a.Added, AddedBy: a.AddedBy},
				Content: content})
		}
	}
	for _, rv := range d.Reveals {
		rc.Reveals = append(rc.Reveals, app.Reveal{At: rv.At, By: rv.By, Reason: rv.Reason})
	}
	rc.Practice = receivedPractice(d)
	return rc, nil
}
