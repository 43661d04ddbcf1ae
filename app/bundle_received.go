package app

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Cases that arrive in a verified bundle (app/export reads and checks the bundle;
// this file only writes what it found). Two kinds:
//
//   - Received: a partner's export. It is added read-only, marked with its origin,
//     signer and export time, under the sender's case number, which is kept apart
//     from local numbers. A newer bundle of the same case (same sender's case id)
//     updates it: the case data, checklist, releases, referrals and timeline take the
//     newer state, notes and addenda received before stay, and every bundle is kept
//     in the case's received history.
//   - Transfer: a whole case handed to a colleague or to the user's new laptop. It
//     becomes an ordinary, editable case with its history and a final note saying
//     where it came from.

// RecReceived holds a case's received history: one record per case that came in a
// bundle (key: the local case, ID = the local case).
const RecReceived RecordType = 0x30

// ReceivedKind says how a bundle's case joins the vault.
type ReceivedKind string

// Received kinds.
const (
	ReceivedCopy     ReceivedKind = "received"
	ReceivedTransfer ReceivedKind = "transfer"
)

// BundleOrigin is where a bundle came from, as its verified manifest says.
type BundleOrigin struct {
	ExportID          ID        `json:"export_id"`
	Exported          time.Time `json:"exported"`
	Profile           string    `json:"profile"`
	ExporterName      string    `json:"exporter_name"`
	ExporterRole      string    `json:"exporter_role,omitempty"`
	ExporterAgency    string    `json:"exporter_agency,omitempty"`
	SignerFingerprint string    `json:"signer_fingerprint"`
	BundleSHA256      string    `json:"bundle_sha256"`
	SourceCase        ID        `json:"source_case"`
	SourceNumber      string    `json:"source_number"`
	Imported          time.Time `json:"imported,omitzero"`
	ImportedBy        string    `json:"imported_by,omitempty"`
}

// From names the sender: "Det. Alvarez, Demo County Police".
func (o BundleOrigin) From() string {
	if o.ExporterAgency != "" {
		return o.ExporterName + ", " + o.ExporterAgency
	}
	return o.ExporterName
}

// ReceivedHistory is a received case's record of every bundle that built it.
type ReceivedHistory struct {
	Kind    ReceivedKind   `json:"kind"`
	Bundles []BundleOrigin `json:"bundles"` // oldest first
}

// Latest is the bundle the case reflects now.
func (h ReceivedHistory) Latest() BundleOrigin {
	if len(h.Bundles) == 0 {
		return BundleOrigin{}
	}
	return h.Bundles[len(h.Bundles)-1]
}

// ReceivedAttachment is an attachment carried in a bundle, with its bytes (checked
// against the manifest's SHA-256 before it gets here).
type ReceivedAttachment struct {
	Attachment
	Content []byte
}

// ReceivedCase is a case as a verified bundle carries it.
type ReceivedCase struct {
	Kind        ReceivedKind
	Origin      BundleOrigin
	Case        Case
	Victim      Victim
	Identity    *Identity
	Notes       []Note // final notes only, each with its addenda
	Checklist   []ChecklistItem
	Releases    []Release
	Referrals   []Referral
	Timeline    []TimelineEvent
	Evidence    []EvidenceReference
	Attachments []ReceivedAttachment
	Reveals     []Reveal
	// Practice holds the MDT practice's records the bundle carried (issue 14).
	Practice ReceivedPractice
}

// ReceivedResult says what an import did.
type ReceivedResult struct {
	Case    ID
	Number  string
	Updated bool // a newer bundle of a case received before
	Notes   int  // notes added by this bundle
}

func receivedKey(c ID) Key { return Key{Type: RecReceived, Case: c, ID: c} }

// ErrBundleNotNewer: the bundle is the one already imported, or older.
var ErrBundleNotNewer = fmt.Errorf("%w: this bundle, or a newer one of the same case, was already imported", ErrExists)

// check validates what a bundle carries before anything is written. The bundle is
// signed, but it may come from another version or a careless sender: each field is
// held to the rules a local record is.
func (rc *ReceivedCase) check() error {
	c := &rc.Case
	if err := ValidCaseNumber(c.Number); err != nil {
		return err
	}
	c.Title = strings.TrimSpace(c.Title)
	if c.Title == "" {
		c.Title = "Case " + c.Number
	}
	if err := checkText("title", c.Title, maxTitle, true); err != nil {
		return err
	}
	if !c.Status.valid() {
		c.Status = CaseOpen
	}
	if err := rc.Victim.normalise(); err != nil {
		return err
	}
	if rc.Identity != nil {
		if err := rc.Identity.normalise(); err != nil {
			return err
		}
	}
	if err := checkCaseNotes(noteRecords(rc.Notes)); err != nil {
		return err
	}
	for i := range rc.Notes {
		n := &rc.Notes[i]
		if _, err := ParseNoteKind(string(n.Kind)); err != nil {
			return err
		}
		if _, err := ParseSensitivity(string(n.Sensitivity)); err != nil {
			return err
		}
		if err := checkBody("note text", n.Body, maxNoteBody, false); err != nil {
			return err
		}
		if !n.Final() || n.ID.IsZero() {
			return Invalid("note", "in the bundle is not final: drafts never leave a vault")
		}
		for _, a := range n.Addenda {
			if err := checkBody("addendum text", a.Body, maxNoteBody, false); err != nil {
				return err
			}
		}
	}
	// A bundle from an older version may name partners the older way: store them in
	// today's words (a partner this build does not know stays as sent).
	for i := range rc.Checklist {
		if p, ok := renamedPartner(rc.Checklist[i].Owner); ok {
			rc.Checklist[i].Owner = p
		}
	}
	for i := range rc.Releases {
		if p, ok := renamedPartner(rc.Releases[i].Recipient.Category); ok {
			rc.Releases[i].Recipient.Category = p
		}
	}
	for _, at := range rc.Attachments {
		if len(at.Content) > MaxAttachmentSize {
			return tooLarge()
		}
	}
	return nil
}

// ImportReceived adds or updates a case from a verified bundle. For a received copy
// it finds an earlier import of the same sender's case and updates it when this
// bundle is newer; a transfer always makes a new, editable case, whose number must
// be free.
func (r *Records) ImportReceived(rc ReceivedCase) (ReceivedResult, error) {
	if rc.Kind != ReceivedCopy && rc.Kind != ReceivedTransfer {
		return ReceivedResult{}, Invalid("bundle", "is neither a received case nor a transfer")
	}
	if err := rc.check(); err != nil {
		return ReceivedResult{}, err
	}
	importMu.Lock()
	defer importMu.Unlock()
	if err := r.cleanStaleImport(); err != nil {
		return ReceivedResult{}, err
	}
	var res ReceivedResult
	var fresh bool
	// The import's entry names the case it made or updated and the bundle's hash.
	// A new case with attachments is a bulk write: its case, each attachment, and
	// the end of its pending marker are commits of their own, the last logged as
	// a second bundle-imported entry with the reason "attachments-complete".
	ev := AuditEvent{Action: ActBundleImported, Hash: rc.Origin.BundleSHA256, Profile: rc.Origin.Profile, Reason: string(rc.Kind)}
	// A case of many notes is a bulk write too: its first transaction takes notes
	// up to importTxBudget, and the rest go in transactions of their own, each
	// logged as a part of the import (reason "part").
	staged := noteRecords(rc.Notes) > receivedAtOnce
	pending := len(rc.Attachments) > 0 || staged
	budget := 0
	if staged {
		budget = importTxBudget
	}
	var rest receivedRest
	err := r.update(func(t Tx) error {
		now := r.now()
		rc.Origin.Imported, rc.Origin.ImportedBy = now, r.who(t)
		existing, hist, err := findReceived(t, rc)
		if err != nil {
			return err
		}
		if existing.IsZero() {
			fresh = true
			rest, err = r.writeNewReceived(t, &rc, now, &res, pending, budget)
		} else {
			rest, err = r.updateReceived(t, existing, hist, &rc, now, &res, budget)
		}
		ev.Case = res.Case
		logEvent(t, ev)
		return err
	})
	if err != nil {
		return ReceivedResult{}, err
	}
	err = r.writeReceivedRest(ev, res.Case, rc.Notes, &rest, &res)
	// Attachments go in after the case, each in transactions of its own (they can be
	// large); a new case stays hidden behind the pending marker until they are in.
	if err == nil {
		err = r.addReceivedAttachments(res.Case, rc.Attachments)
	}
	if fresh && pending {
		if err != nil {
			_ = r.cleanStaleImport()
			return ReceivedResult{}, err
		}
		ev.Reason = "attachments-complete"
		if len(rc.Attachments) == 0 {
			ev.Reason = "notes-complete"
		}
		err = r.updateEv(ev, func(t Tx) error { return t.Delete(pendingKey) })
		if err != nil {
			_ = r.cleanStaleImport()
			return ReceivedResult{}, err
		}
	}
	return res, err
}

// findReceived looks for a received copy of the same sender's case. A transfer never
// matches: it always makes a case of its own.
func findReceived(t Tx, rc ReceivedCase) (ID, ReceivedHistory, error) {
	var found ID
	var hist ReceivedHistory
	if rc.Kind != ReceivedCopy {
		return found, hist, nil
	}
	err := scanJSON(t, RecReceived, ID{}, func(k Key, h *ReceivedHistory) error {
		if h.Kind == ReceivedCopy && h.Latest().SourceCase == rc.Origin.SourceCase {
			found, hist = k.Case, *h
			return ErrStopScan
		}
		return nil
	})
	return found, hist, err
}

// receivedAtOnce is how many notes and addenda a received case may bring for all of
// it to go in one transaction. A store takes MaxTxBytes: at once, a case of 5,000
// short notes (300 characters) was more than that.
const receivedAtOnce = 1000

// noteRecords counts notes and their addenda.
func noteRecords(notes []Note) int {
	n := len(notes)
	for i := range notes {
		n += len(notes[i].Addenda)
	}
	return n
}

// receivedRest is what the first transaction of a received case left for the
// next: the note to go on from, the notes and addenda the case had before, and,
// for an update, the history to write once all the notes are in.
type receivedRest struct {
	next int
	have map[ID]bool
	hist *ReceivedHistory
}

// writeReceivedRest writes the notes the first transaction left, in transactions
// of up to importTxBudget. An update's history names the new bundle only in the
// last: an update cut short is taken again from the same bundle, and the notes
// already in are not written twice.
func (r *Records) writeReceivedRest(ev AuditEvent, id ID, notes []Note, rest *receivedRest, res *ReceivedResult) error {
	ev.Reason = "part"
	for batch := 1; rest.next < len(notes); batch++ {
		var added, next int
		err := r.updateEv(ev, func(t Tx) (err error) {
			if importBatchHook != nil {
				if err := importBatchHook(batch); err != nil {
					return err
				}
			}
			added, next, err = writeReceivedNotes(t, id, notes, rest.have, rest.next, importTxBudget)
			if err == nil && next == len(notes) && rest.hist != nil {
				err = putJSON(t, receivedKey(id), rest.hist)
			}
			return err
		})
		if err != nil {
			return err
		}
		rest.next = next
		res.Notes += added
	}
	return nil
}

// writeNewReceived writes a new case from the bundle, behind a pending marker when
// its attachments or part of its notes are still to come; with a budget, its
// notes only until the change holds that much (writeReceivedNotes).
func (r *Records) writeNewReceived(t Tx, rc *ReceivedCase, now time.Time, res *ReceivedResult, pending bool, budget int) (receivedRest, error) {
	c := rc.Case
	c.ID = NewID()
	c.Created, c.CreatedBy, c.Updated = now, r.who(t), now
	if rc.Kind == ReceivedCopy {
		c.ReadOnly, c.Origin = true, rc.Origin.From()
	} else {
		c.ReadOnly, c.Origin = false, ""
		if err := numberFree(t, c.Number, ID{}); err != nil {
			return receivedRest{}, err
		}
	}
	if pending {
		if err := putJSON(t, pendingKey, &pendingImport{Started: now, Cases: []ID{c.ID}, Numbers: []string{c.Number}}); err != nil {
			return receivedRest{}, err
		}
	}
	if err := t.NewCase(c.ID); err != nil {
		return receivedRest{}, err
	}
	if err := putCase(t, &c); err != nil {
		return receivedRest{}, err
	}
	if err := r.writeReceivedState(t, c.ID, rc); err != nil {
		return receivedRest{}, err
	}
	added, next, err := writeReceivedNotes(t, c.ID, rc.Notes, nil, 0, budget)
	if err != nil {
		return receivedRest{}, err
	}
	if rc.Kind == ReceivedTransfer {
		if err := r.writeTransferNote(t, c.ID, rc.Origin, now); err != nil {
			return receivedRest{}, err
		}
	}
	hist := ReceivedHistory{Kind: rc.Kind, Bundles: []BundleOrigin{rc.Origin}}
	if err := putJSON(t, receivedKey(c.ID), &hist); err != nil {
		return receivedRest{}, err
	}
	*res = ReceivedResult{Case: c.ID, Number: c.Number, Notes: added}
	return receivedRest{next: next}, nil
}

// updateReceived brings a received case up to a newer bundle; with a budget, its
// notes only until the change holds that much (writeReceivedNotes), the history
// then left for the last of the transactions that write the rest.
func (r *Records) updateReceived(t Tx, id ID, hist ReceivedHistory, rc *ReceivedCase, now time.Time, res *ReceivedResult, budget int) (receivedRest, error) {
	last := hist.Latest()
	if last.ExportID == rc.Origin.ExportID || !rc.Origin.Exported.After(last.Exported) {
		return receivedRest{}, ErrBundleNotNewer
	}
	old, err := getCase(t, id)
	if err != nil {
		return receivedRest{}, err
	}
	c := rc.Case
	c.ID, c.Created, c.CreatedBy, c.Updated = id, old.Created, old.CreatedBy, now
	c.ReadOnly, c.Origin = true, rc.Origin.From()
	if err := putCase(t, &c); err != nil {
		return receivedRest{}, err
	}
	// The mutable parts take the newer bundle's state.
	for _, typ := range append([]RecordType{RecChecklist, RecRelease, RecReferral, RecTimeline, RecReveal}, receivedPracticeTypes...) {
		if err := deleteAll(t, typ, id); err != nil {
			return receivedRest{}, err
		}
	}
	if err := deleteEvidenceRefs(t, id); err != nil {
		return receivedRest{}, err
	}
	if err := t.Delete(identityKey(id)); err != nil {
		return receivedRest{}, err
	}
	if err := r.writeReceivedState(t, id, rc); err != nil {
		return receivedRest{}, err
	}
	// Notes never change once final: the ones received before stay, new ones and new
	// addenda join them.
	have := map[ID]bool{}
	err = t.ScanKeys(RecNote, id, func(k Key) error { have[k.ID] = true; return nil })
	if err != nil {
		return receivedRest{}, err
	}
	err = t.ScanKeys(RecAddendum, id, func(k Key) error { have[k.ID] = true; return nil })
	if err != nil {
		return receivedRest{}, err
	}
	added, next, err := writeReceivedNotes(t, id, rc.Notes, have, 0, budget)
	if err != nil {
		return receivedRest{}, err
	}
	hist.Bundles = append(hist.Bundles, rc.Origin)
	rest := receivedRest{next: next, have: have, hist: &hist}
	if next == len(rc.Notes) {
		if err := putJSON(t, receivedKey(id), &hist); err != nil {
			return receivedRest{}, err
		}
		rest.hist = nil
	}
	// Attachments received before stay; only new ones are added.
	err = t.ScanKeys(RecAttachment, id, func(k Key) error { have[k.ID] = true; return nil })
	if err != nil {
		return receivedRest{}, err
	}
	rc.Attachments = slices.DeleteFunc(rc.Attachments, func(a ReceivedAttachment) bool { return have[a.ID] })
	*res = ReceivedResult{Case: id, Number: c.Number, Updated: true, Notes: added}
	return rest, nil
}

// writeReceivedState writes the parts of a case that a newer bundle replaces.
func (r *Records) writeReceivedState(t Tx, id ID, rc *ReceivedCase) error {
	if err := putJSON(t, victimKey(id), &rc.Victim); err != nil {
		return err
	}
	if rc.Identity != nil && !rc.Identity.empty() {
		if err := putJSON(t, identityKey(id), rc.Identity); err != nil {
			return err
		}
	}
	for _, it := range rc.Checklist {
		if it.ID.IsZero() {
			it.ID = NewID()
		}
		if err := putJSON(t, checklistKey(id, it.ID), &it); err != nil {
			return err
		}
	}
	for _, rel := range rc.Releases {
		rel.Case = id
		if rel.ID.IsZero() {
			rel.ID = NewID()
		}
		if err := putJSON(t, Key{Type: RecRelease, Case: id, Order: nextOrder(rel.Created), ID: rel.ID}, &rel); err != nil {
			return err
		}
	}
	for _, ref := range rc.Referrals {
		ref.Case = id
		if ref.ID.IsZero() {
			ref.ID = NewID()
		}
		if err := putJSON(t, referralKey(id, ref.ID), &ref); err != nil {
			return err
		}
	}
	for _, ev := range rc.Timeline {
		ev.Case = id
		if ev.ID.IsZero() {
			ev.ID = NewID()
		}
		if err := checkDate("event date", ev.Date); err != nil {
			return err
		}
		if err := putJSON(t, timelineKey(id, ev.Date, ev.ID), &ev); err != nil {
			return err
		}
	}
	for _, ev := range rc.Evidence {
		if ev.ID.IsZero() {
			ev.ID = NewID()
		}
		if err := putJSON(t, evidenceKey(id, ev.ID), &ev); err != nil {
			return err
		}
	}
	for i, rv := range rc.Reveals {
		if err := putJSON(t, Key{Type: RecReveal, Case: id, Order: uint64(i), ID: NewID()}, &rv); err != nil {
			return err
		}
	}
	return r.writeReceivedPractice(t, id, &rc.Practice)
}

// writeReceivedNotes writes the notes and addenda not in have, in the order they
// were written, from notes[from] on. With a budget it stops before a note once the
// change holds that much (Change.full), having written at least one. It returns
// how many notes it added and the note to go on from (len(notes) once all are in).
func writeReceivedNotes(t Tx, id ID, notes []Note, have map[ID]bool, from, budget int) (added, next int, err error) {
	for i := from; i < len(notes); i++ {
		if stagedFull(t, i, from, budget) {
			return added, i, nil
		}
		n := notes[i]
		addenda := n.Addenda
		n.Addenda, n.Case = nil, id
		if !have[n.ID] {
			if err := putJSON(t, Key{Type: RecNote, Case: id, Order: nextOrder(n.Created), ID: n.ID}, &n); err != nil {
				return 0, 0, err
			}
			added++
		}
		for _, a := range addenda {
			if a.ID.IsZero() || have[a.ID] {
				continue
			}
			a.Note = n.ID
			if err := putJSON(t, Key{Type: RecAddendum, Case: id, Order: nextOrder(a.Created), ID: a.ID}, &a); err != nil {
				return 0, 0, err
			}
		}
	}
	return added, len(notes), nil
}

// writeTransferNote adds the final note that says where a transferred case came from.
func (r *Records) writeTransferNote(t Tx, id ID, o BundleOrigin, now time.Time) error {
	body := fmt.Sprintf("Case transferred from %s. Exported %s UTC (export %s), signed by the key with fingerprint %s; imported %s UTC.",
		o.From(), o.Exported.UTC().Format("2006-01-02 15:04"), o.ExportID, o.SignerFingerprint, now.Format("2006-01-02 15:04"))
	who := r.who(t)
	if who == "" {
		who = "Casenotes"
	}
	n := Note{ID: NewID(), Case: id, Kind: NoteOther, Body: body, Author: who, Sensitivity: SensitivityStandard,
		Created: now, Updated: now, Finalised: now, FinalisedBy: who}
	return putJSON(t, Key{Type: RecNote, Case: id, Order: nextOrder(now), ID: n.ID}, &n)
}

// addReceivedAttachments stores the bundle's attachments in the case, keeping their
// names, times and authors.
func (r *Records) addReceivedAttachments(id ID, list []ReceivedAttachment) error {
	for i := range list {
		a := &list[i]
		kind := a.Kind
		if !slices.Contains(AttachmentKinds, kind) {
			kind = AttachmentOther
		}
		if _, err := r.addAttachment(id, a.Name, bytes.NewReader(a.Content), int64(len(a.Content)), kind, &a.Attachment); err != nil {
			return err
		}
	}
	return nil
}

// deleteAll deletes every record of a type in a case.
func deleteAll(t Tx, typ RecordType, id ID) error {
	var keys []Key
	if err := t.ScanKeys(typ, id, func(k Key) error { keys = append(keys, k); return nil }); err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// deleteEvidenceRefs deletes a case's evidence references (attachments stay).
func deleteEvidenceRefs(t Tx, id ID) error {
	var keys []Key
	err := t.ScanKeys(RecAttachment, id, func(k Key) error {
		if k.Order == evidenceOrder {
			keys = append(keys, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// ReceivedHistory returns how a case came in by bundle; ok is false for a case
// made here.
func (r *Records) ReceivedHistory(id ID) (ReceivedHistory, bool, error) {
	var h ReceivedHistory
	err := r.view(func(t Tx) error { return getJSON(t, receivedKey(id), &h) })
	if isNotFound(err) {
		return h, false, nil
	}
	return h, err == nil, err
}
