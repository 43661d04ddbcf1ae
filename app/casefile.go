package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// The case file format (docs/case-format.md): one JSON document holding whole cases,
// for moving records in from another system and for demo data that a person wrote.
const (
	CaseFileFormat = "casenotes-case/v1"
	// MaxCaseFile bounds the size of a case file read into memory.
	MaxCaseFile = 64 << 20
	// MaxFileCases bounds the number of cases in one file.
	MaxFileCases = 100_000
)

// CaseFile is a parsed case file.
type CaseFile struct {
	Format string     `json:"format"`
	Cases  []FileCase `json:"cases"`
}

// FileCase is one case of a case file. Dates are "YYYY-MM-DD"; times are RFC 3339.
type FileCase struct {
	Number       string     `json:"number"`
	Title        string     `json:"title"`
	Status       string     `json:"status,omitempty"` // default "open"
	ClosedReason string     `json:"closed_reason,omitempty"`
	Jurisdiction string     `json:"jurisdiction,omitempty"`
	Opened       string     `json:"opened,omitempty"` // default: the day of import
	Closed       string     `json:"closed,omitempty"`
	Assigned     []string   `json:"assigned,omitempty"`
	Tags         []string   `json:"tags,omitempty"`
	ReceivedFrom string     `json:"received_from,omitempty"` // set: the case is a partner's, read-only here
	Victim       FileVictim `json:"victim"`
	Identity     *Identity  `json:"identity,omitempty"`
	Notes        []FileNote `json:"notes,omitempty"`
	Checklist    []FileItem `json:"checklist,omitempty"`
	Releases     []FileRel  `json:"releases,omitempty"`
	Referrals    []FileRef  `json:"referrals,omitempty"`
	Timeline     []FileEvt  `json:"timeline,omitempty"`
}

// FileVictim is the victim profile in a case file (alias first).
type FileVictim struct {
	Alias             string         `json:"alias"`
	Age               int            `json:"age,omitempty"`
	AgeBand           string         `json:"age_band,omitempty"`
	Gender            string         `json:"gender,omitempty"`
	Languages         []string       `json:"languages,omitempty"`
	InterpreterNeeded bool           `json:"interpreter_needed,omitempty"`
	GuardianType      string         `json:"guardian_type,omitempty"`
	PlacementType     string         `json:"placement_type,omitempty"`
	Screening         *FileScreening `json:"screening,omitempty"`
}

// FileScreening is a screening result in a case file.
type FileScreening struct {
	Tool     string `json:"tool"`
	Version  string `json:"version,omitempty"`
	Date     string `json:"date"`
	Screener string `json:"screener"`
	Concern  string `json:"concern"`
}

// FileNote is a note in a case file.
type FileNote struct {
	Kind        string         `json:"kind"`
	Body        string         `json:"body"`
	Author      string         `json:"author"`
	CreatedAt   string         `json:"created_at"`
	Sensitivity string         `json:"sensitivity,omitempty"` // default "standard"
	Final       bool           `json:"final,omitempty"`
	FinalisedAt string         `json:"finalised_at,omitempty"` // default: created_at
	Addenda     []FileAddendum `json:"addenda,omitempty"`      // final notes only
}

// FileAddendum is an addendum to a final note in a case file.
type FileAddendum struct {
	Body      string `json:"body"`
	Author    string `json:"author"`
	CreatedAt string `json:"created_at"`
}

// FileItem is the state of a checklist item in a case file: either an item of the
// vault's default template, named by its template item id, or (with phase, title
// and owner instead) an item of the agency's own.
type FileItem struct {
	Item        string `json:"item,omitempty"`
	Phase       string `json:"phase,omitempty"`
	Title       string `json:"title,omitempty"`
	Owner       string `json:"owner,omitempty"`
	Status      string `json:"status,omitempty"` // default "open"
	Reason      string `json:"reason,omitempty"` // required for not-applicable
	Due         string `json:"due,omitempty"`
	CompletedBy string `json:"completed_by,omitempty"`
	CompletedAt string `json:"completed_at,omitempty"`
	Notes       string `json:"notes,omitempty"`
}

// FileRel is a release of information in a case file.
type FileRel struct {
	Scope         []string  `json:"scope"`
	Recipient     Recipient `json:"recipient"`
	Signed        string    `json:"signed"`
	Expires       string    `json:"expires"`
	Revoked       string    `json:"revoked,omitempty"`
	RevokedReason string    `json:"revoked_reason,omitempty"`
}

// FileRef is a referral in a case file.
type FileRef struct {
	Service  string `json:"service"`
	Partner  string `json:"partner"`
	Status   string `json:"status,omitempty"` // default "referred"
	Due      string `json:"due,omitempty"`
	Referred string `json:"referred,omitempty"` // date; default: the day of import
}

// FileEvt is a timeline event in a case file.
type FileEvt struct {
	Kind        string `json:"kind"`
	Date        string `json:"date"` // a date, or an RFC 3339 time
	Source      string `json:"source,omitempty"`
	Description string `json:"description"`
}

// ImportSummary counts what an import stored.
type ImportSummary struct {
	Cases, Notes, Addenda, ChecklistItems, Releases, Referrals, Events int
	// Staged is set when the file was too large for one transaction and was written
	// in steps behind a pending marker (see docs/case-format.md).
	Staged bool
}

// String is the one-line summary the command line prints.
func (s ImportSummary) String() string {
	return fmt.Sprintf("Imported %d case(s): %d note(s), %d addend(a), %d checklist item state(s), %d release(s), %d referral(s), %d timeline event(s).",
		s.Cases, s.Notes, s.Addenda, s.ChecklistItems, s.Releases, s.Referrals, s.Events)
}

// ParseCaseFile reads and validates a case file without a vault: the format, every
// field of every case, and case numbers repeated within the file. Errors name the
// case (by position and number) and the field, never a note's text or a name.
func ParseCaseFile(r io.Reader) (*CaseFile, error) {
	f, _, err := parseCaseFile(r)
	return f, err
}

func parseCaseFile(r io.Reader) (*CaseFile, []*importCase, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxCaseFile+1))
	if err != nil {
		return nil, nil, Invalid("case file", "could not be read")
	}
	if len(b) > MaxCaseFile {
		return nil, nil, Invalid("case file", fmt.Sprintf("is larger than %d MiB", MaxCaseFile>>20))
	}
	var head struct {
		Format any `json:"format"`
	}
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&head); err != nil {
		return nil, nil, Invalid("case file", jsonTrouble(err))
	}
	if head.Format != CaseFileFormat {
		return nil, nil, Invalid("format", fmt.Sprintf("is not %q: this is not a Casenotes case file, or it is from an unsupported version", CaseFileFormat))
	}
	f := new(CaseFile)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return nil, nil, Invalid("case file", jsonTrouble(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, Invalid("case file", "has data after the end of the document")
	}
	if len(f.Cases) == 0 {
		return nil, nil, Invalid("cases", "are missing: the file holds no case")
	}
	if len(f.Cases) > MaxFileCases {
		return nil, nil, Invalid("cases", fmt.Sprintf("are more than %d in one file", MaxFileCases))
	}
	cases := make([]*importCase, len(f.Cases))
	for i := range f.Cases {
		ic, err := prepareCase(i+1, &f.Cases[i])
		if err != nil {
			return nil, nil, err
		}
		for _, prev := range cases[:i] {
			if sameNumber(prev.c.Number, ic.c.Number) {
				return nil, nil, within(ic.label, &FieldError{Field: "case number",
					Reason: fmt.Sprintf("is also used by case %d in this file", prev.index), Err: ErrExists})
			}
		}
		cases[i] = ic
	}
	return f, cases, nil
}

// jsonTrouble describes a JSON decoding error by position or field name, never by
// the value found.
func jsonTrouble(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("is not valid JSON (at byte %d)", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("has the wrong type of value for %s (expected %s)", te.Field, te.Type)
		}
		return fmt.Sprintf("has the wrong type of value at byte %d", te.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "ends too early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if len(name) > 40 {
			name = name[:40] + "…\""
		}
		return "has an unknown field " + name
	default:
		return "is not a valid case file"
	}
}

// within puts a location ("case 2 (\"2026-TF-0413\"): note 3") in front of a
// field error, keeping its sentinel.
func within(where string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Field: where + ": " + fe.Field, Reason: fe.Reason, Err: fe.Err}
	}
	return fmt.Errorf("%s: %w", where, err)
}

// importCase is a validated case ready to write.
type importCase struct {
	index     int
	label     string
	c         Case
	v         Victim
	identity  *Identity
	notes     []Note // with Addenda
	items     []importItem
	releases  []Release
	referrals []Referral
	events    []TimelineEvent
	size      int // estimated bytes stored
}

type importItem struct {
	ChecklistItem
	label string
}

func parseDate(field, s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Invalid(field, "is not a date (YYYY-MM-DD)")
	}
	return d, checkDate(field, d)
}

func parseTime(field, s string) (time.Time, error) {
	d, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, Invalid(field, "is not a time (RFC 3339, such as 2026-03-02T14:05:00Z)")
	}
	return d.UTC(), checkDate(field, d)
}

// optDate parses an optional date.
func optDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseDate(field, s)
}

// prepareCase validates one case of a file, everything that can be checked without
// a vault.
func prepareCase(index int, fc *FileCase) (*importCase, error) {
	ic := &importCase{index: index, label: fmt.Sprintf("case %d", index)}
	if err := ValidCaseNumber(fc.Number); err != nil {
		return nil, within(ic.label, err)
	}
	ic.label = fmt.Sprintf("case %d (%q)", index, fc.Number)
	if err := ic.prepare(fc); err != nil {
		return nil, within(ic.label, err)
	}
	b, _ := json.Marshal(fc)
	ic.size = 2*len(b) + 4096
	return ic, nil
}

func (ic *importCase) prepare(fc *FileCase) error {
	in, err := CaseInput{Number: fc.Number, Title: fc.Title, Jurisdiction: fc.Jurisdiction,
		Assigned: fc.Assigned, Tags: fc.Tags}.normalise()
	if err != nil {
		return err
	}
	c := Case{ID: NewID(), Number: in.Number, Title: in.Title, Status: CaseOpen,
		Jurisdiction: in.Jurisdiction, Assigned: in.Assigned, Tags: in.Tags}
	if c.Opened, err = optDate("opened", fc.Opened); err != nil {
		return err
	}
	if fc.Status != "" {
		c.Status = CaseStatus(fc.Status)
		if !c.Status.valid() {
			return Invalid("status", quoteShort(fc.Status)+"is not open, inactive or closed")
		}
	}
	if c.Closed, err = optDate("closed", fc.Closed); err != nil {
		return err
	}
	c.ClosedReason = strings.TrimSpace(fc.ClosedReason)
	if c.Status == CaseClosed {
		if err := checkText("closing reason", c.ClosedReason, maxTitle, true); err != nil {
			return err
		}
	} else if c.ClosedReason != "" || !c.Closed.IsZero() {
		return Invalid("closed", "is set but the case is not closed")
	}
	if !c.Closed.IsZero() && !c.Opened.IsZero() && c.Closed.Before(c.Opened) {
		return Invalid("closed", "is before the case was opened")
	}
	if fc.ReceivedFrom != "" {
		c.Origin = strings.TrimSpace(fc.ReceivedFrom)
		if err := checkText("received from", c.Origin, maxShortText, true); err != nil {
			return err
		}
		c.ReadOnly = true
	}
	ic.c = c

	fv := fc.Victim
	ic.v = Victim{Alias: fv.Alias, Age: fv.Age, AgeBand: fv.AgeBand, Gender: fv.Gender,
		Languages: fv.Languages, InterpreterNeeded: fv.InterpreterNeeded,
		GuardianType: fv.GuardianType, PlacementType: fv.PlacementType}
	if s := fv.Screening; s != nil {
		d, err := parseDate("screening date", s.Date)
		if err != nil {
			return within("victim", err)
		}
		ic.v.Screening = &Screening{Tool: s.Tool, Version: s.Version, Date: d, Screener: s.Screener, Concern: s.Concern}
	}
	if err := ic.v.normalise(); err != nil {
		return within("victim", err)
	}
	if fc.Identity != nil {
		id := *fc.Identity
		if err := id.normalise(); err != nil {
			return within("identity", err)
		}
		if !id.empty() {
			ic.identity = &id
		}
	}
	for i := range fc.Notes {
		n, err := prepareNote(&fc.Notes[i])
		if err != nil {
			return within(fmt.Sprintf("note %d", i+1), err)
		}
		ic.notes = append(ic.notes, n)
	}
	seen := map[string]int{}
	for i := range fc.Checklist {
		it, err := prepareItem(&fc.Checklist[i])
		where := fmt.Sprintf("checklist item %d", i+1)
		if err != nil {
			return within(where, err)
		}
		if it.TemplateItem != "" {
			if j, dup := seen[it.TemplateItem]; dup {
				return within(where, Invalid("item", fmt.Sprintf("is also given by checklist item %d", j)))
			}
			seen[it.TemplateItem] = i + 1
		}
		ic.items = append(ic.items, importItem{ChecklistItem: it, label: where})
	}
	for i := range fc.Releases {
		rel, err := prepareRelease(&fc.Releases[i])
		if err != nil {
			return within(fmt.Sprintf("release %d", i+1), err)
		}
		ic.releases = append(ic.releases, rel)
	}
	for i := range fc.Referrals {
		ref, err := prepareReferral(&fc.Referrals[i])
		if err != nil {
			return within(fmt.Sprintf("referral %d", i+1), err)
		}
		ic.referrals = append(ic.referrals, ref)
	}
	for i := range fc.Timeline {
		e := &fc.Timeline[i]
		in := TimelineInput{Kind: EventKind(e.Kind), Source: e.Source, Description: e.Description}
		var err error
		if len(e.Date) == len(time.DateOnly) {
			in.Date, err = parseDate("event date", e.Date)
		} else {
			in.Date, err = parseTime("event date", e.Date)
		}
		if err == nil {
			err = in.normalise()
		}
		if err != nil {
			return within(fmt.Sprintf("timeline event %d", i+1), err)
		}
		ic.events = append(ic.events, TimelineEvent{ID: NewID(), Kind: in.Kind, Date: in.Date,
			Source: in.Source, Description: in.Description})
	}
	return nil
}

func prepareNote(fn *FileNote) (Note, error) {
	kind, err := ParseNoteKind(fn.Kind)
	if err != nil {
		return Note{}, err
	}
	sens := SensitivityStandard
	if fn.Sensitivity != "" {
		if sens, err = ParseSensitivity(fn.Sensitivity); err != nil {
			return Note{}, err
		}
	}
	if err := checkBody("body", fn.Body, maxNoteBody, fn.Final); err != nil {
		return Note{}, err
	}
	author := strings.TrimSpace(fn.Author)
	if err := checkText("author", author, 80, true); err != nil {
		return Note{}, err
	}
	created, err := parseTime("created_at", fn.CreatedAt)
	if err != nil {
		return Note{}, err
	}
	n := Note{ID: NewID(), Kind: kind, Body: fn.Body, Author: author, Sensitivity: sens,
		Created: created, Updated: created}
	if !fn.Final {
		if fn.FinalisedAt != "" {
			return Note{}, Invalid("finalised_at", "is set but the note is not final")
		}
		if len(fn.Addenda) > 0 {
			return Note{}, Invalid("addenda", "belong only to final notes")
		}
		return n, nil
	}
	n.Finalised, n.FinalisedBy = created, author
	if fn.FinalisedAt != "" {
		if n.Finalised, err = parseTime("finalised_at", fn.FinalisedAt); err != nil {
			return Note{}, err
		}
		if n.Finalised.Before(created) {
			return Note{}, Invalid("finalised_at", "is before the note was created")
		}
	}
	n.Updated = n.Finalised
	for i := range fn.Addenda {
		fa := &fn.Addenda[i]
		where := fmt.Sprintf("addendum %d", i+1)
		if err := checkBody("body", fa.Body, maxNoteBody, true); err != nil {
			return Note{}, within(where, err)
		}
		a := Addendum{ID: NewID(), Note: n.ID, Body: fa.Body, Author: strings.TrimSpace(fa.Author)}
		if err := checkText("author", a.Author, 80, true); err != nil {
			return Note{}, within(where, err)
		}
		if a.Created, err = parseTime("created_at", fa.CreatedAt); err != nil {
			return Note{}, within(where, err)
		}
		if a.Created.Before(n.Finalised) {
			return Note{}, within(where, Invalid("created_at", "is before the note was finalised"))
		}
		n.Addenda = append(n.Addenda, a)
	}
	return n, nil
}

func prepareItem(fi *FileItem) (ChecklistItem, error) {
	it := ChecklistItem{ID: NewID(), Status: ItemOpen}
	if fi.Item != "" {
		if fi.Phase != "" || fi.Title != "" || fi.Owner != "" {
			return it, Invalid("item", "names a template item, so phase, title and owner must be left out")
		}
		if !itemIDPattern.MatchString(fi.Item) {
			return it, Invalid("item", "is not a template item id")
		}
		it.TemplateItem = fi.Item
	} else {
		it.Custom, it.Phase, it.Owner, it.Title = true, Phase(fi.Phase), Partner(fi.Owner), strings.TrimSpace(fi.Title)
		switch {
		case it.Phase.Rank() < 0:
			return it, Invalid("phase", quoteShort(fi.Phase)+"is not one of the nine checklist phases")
		case !it.Owner.Known():
			return it, Invalid("owner", quoteShort(fi.Owner)+"is not one of the MDT partners")
		case !plainText(it.Title, MaxItemTitle, false):
			return it, Invalid("title", fmt.Sprintf("must be 1 to %d characters on one line", MaxItemTitle))
		}
	}
	if fi.Status != "" {
		it.Status = ItemStatus(fi.Status)
		if !it.Status.valid() {
			return it, Invalid("status", quoteShort(fi.Status)+"is not open, done or not-applicable")
		}
	}
	it.Reason = strings.TrimSpace(fi.Reason)
	switch it.Status {
	case ItemNotApplicable:
		if it.Reason == "" {
			return it, Invalid("reason", "is required when an item does not apply")
		}
		if err := checkText("reason", it.Reason, MaxItemReason, true); err != nil {
			return it, err
		}
	default:
		if it.Reason != "" {
			return it, Invalid("reason", "is only for items that do not apply")
		}
	}
	var err error
	if it.Due, err = optDate("due", fi.Due); err != nil {
		return it, err
	}
	it.CompletedBy = strings.TrimSpace(fi.CompletedBy)
	if err := checkText("completed_by", it.CompletedBy, 80, false); err != nil {
		return it, err
	}
	if fi.CompletedAt != "" {
		if it.CompletedAt, err = parseTime("completed_at", fi.CompletedAt); err != nil {
			return it, err
		}
	}
	if it.Status == ItemOpen && (it.CompletedBy != "" || !it.CompletedAt.IsZero()) {
		return it, Invalid("completed_by", "is set but the item is open")
	}
	if err := checkBody("notes", fi.Notes, MaxItemNotes*4, false); err != nil {
		return it, err
	}
	it.Notes = fi.Notes
	return it, nil
}

func prepareRelease(fr *FileRel) (Release, error) {
	in := ReleaseInput{Recipient: fr.Recipient}
	for _, k := range fr.Scope {
		in.Scope = append(in.Scope, InfoKind(k))
	}
	var err error
	if in.Signed, err = parseDate("signed", fr.Signed); err != nil {
		return Release{}, err
	}
	if in.Expires, err = parseDate("expires", fr.Expires); err != nil {
		return Release{}, err
	}
	if err := in.normalise(); err != nil {
		return Release{}, err
	}
	rel := Release{ID: NewID(), Scope: in.Scope, Recipient: in.Recipient, Signed: in.Signed, Expires: in.Expires}
	if fr.Revoked == "" {
		if fr.RevokedReason != "" {
			return Release{}, Invalid("revoked_reason", "is set but the release is not revoked")
		}
		return rel, nil
	}
	if rel.Revoked, err = parseDate("revoked", fr.Revoked); err != nil {
		return Release{}, err
	}
	if rel.Revoked.Before(rel.Signed) {
		return Release{}, Invalid("revoked", "is before the release was signed")
	}
	rel.RevokedReason = strings.TrimSpace(fr.RevokedReason)
	if err := checkText("revoked_reason", rel.RevokedReason, maxTitle, true); err != nil {
		return Release{}, err
	}
	return rel, nil
}

func prepareReferral(fr *FileRef) (Referral, error) {
	in := ReferralInput{Service: ServiceType(fr.Service), Partner: fr.Partner}
	var err error
	if in.Due, err = optDate("due", fr.Due); err != nil {
		return Referral{}, err
	}
	if err := in.normalise(); err != nil {
		return Referral{}, err
	}
	ref := Referral{ID: NewID(), Service: in.Service, Partner: in.Partner, Status: ReferralReferred, Due: in.Due}
	if fr.Status != "" {
		if ref.Status, err = parseReferralStatus(fr.Status); err != nil {
			return Referral{}, err
		}
	}
	if ref.Created, err = optDate("referred", fr.Referred); err != nil {
		return Referral{}, err
	}
	return ref, nil
}

// importMu keeps imports in this process one at a time: a second import would take
// the first one's pending marker for a stale one.
var importMu sync.Mutex

// importTxBudget is the estimated size of the records one import transaction may
// write; a larger file is imported in stages. Badger refuses a transaction above
// about 15% of its memtable (about 4.8 MB here).
var importTxBudget = 2 << 20

// importBatchHook, set only by tests, runs at the start of each staged batch's
// transaction, so a test can make one fail.
var importBatchHook func(batch int) error

// checklistEstimate is the stored size of one checklist item and its task entry.
const checklistEstimate = 900

// ImportCaseFile imports a case file all or nothing. Everything is validated before
// anything is written: the format, every field, case numbers against each other and
// against the vault, tags against the indicator list, checklist items against the
// default template. One bad case gives one error naming the case and the field, and
// nothing is stored.
//
// A file that fits in one transaction is written in one. A larger one is staged: a
// vault-level pending marker listing the new cases is written first, then the cases
// in several transactions, and the marker is removed last. Until then the case list
// hides them; if the import fails, or the process dies, the next import (or
// CleanStaleImport) shreds what the marker lists.
func (r *Records) ImportCaseFile(rd io.Reader) (ImportSummary, error) {
	importMu.Lock()
	defer importMu.Unlock()
	_, cases, err := parseCaseFile(rd)
	if err != nil {
		return ImportSummary{}, err
	}
	if err := r.cleanStaleImport(); err != nil {
		return ImportSummary{}, err
	}
	var tplItems int
	err = r.store.View(func(t Tx) error {
		tpl, err := checkImport(t, cases)
		tplItems = len(tpl.Items)
		return err
	})
	if err != nil {
		return ImportSummary{}, err
	}
	batches := planBatches(cases, tplItems)
	now := r.now()
	var sum ImportSummary
	if len(batches) == 1 {
		err = r.store.Update(func(t Tx) error {
			tpl, err := checkImport(t, cases)
			if err != nil {
				return err
			}
			sum = ImportSummary{}
			for _, ic := range cases {
				if err := r.writeImported(t, ic, tpl, now, &sum); err != nil {
					return err
				}
			}
			return nil
		})
		return sum, err
	}
	sum.Staged = true
	marker := pendingImport{Started: now}
	for _, ic := range cases {
		marker.Cases = append(marker.Cases, ic.c.ID)
		marker.Numbers = append(marker.Numbers, ic.c.Number)
	}
	var tpl Template
	err = r.store.Update(func(t Tx) error {
		var err error
		if tpl, err = checkImport(t, cases); err != nil {
			return err
		}
		return putJSON(t, pendingKey, &marker)
	})
	if err != nil {
		return ImportSummary{}, err
	}
	for i, batch := range batches {
		err = r.store.Update(func(t Tx) error {
			if importBatchHook != nil {
				if err := importBatchHook(i); err != nil {
					return err
				}
			}
			for _, ic := range batch {
				if err := r.writeImported(t, ic, tpl, now, &sum); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			// Undo now if possible; otherwise the marker stays for the next import.
			_ = r.cleanStaleImport()
			return ImportSummary{}, err
		}
	}
	err = r.store.Update(func(t Tx) error { return t.Delete(pendingKey) })
	if err != nil {
		_ = r.cleanStaleImport()
		return ImportSummary{}, err
	}
	return sum, nil
}

// planBatches groups cases into transactions within the budget.
func planBatches(cases []*importCase, tplItems int) [][]*importCase {
	var out [][]*importCase
	var cur []*importCase
	size := 0
	for _, ic := range cases {
		n := ic.size + (tplItems+len(ic.items))*checklistEstimate
		if len(cur) > 0 && size+n > importTxBudget {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, ic)
		size += n
	}
	return append(out, cur)
}

// checkImport checks the cases against the vault: tags, case numbers and checklist
// template items. It returns the default template the cases will start from.
func checkImport(t Tx, cases []*importCase) (Template, error) {
	inds, err := indicators(t)
	if err != nil {
		return Template{}, err
	}
	tpl, err := defaultTemplate(t)
	if err != nil {
		return Template{}, err
	}
	inTemplate := map[string]bool{}
	for _, ti := range tpl.Items {
		inTemplate[ti.ID] = true
	}
	var taken []string
	err = scanJSON(t, RecCaseIndex, ID{}, func(_ Key, s *CaseSummary) error {
		taken = append(taken, s.Number)
		return nil
	})
	if err != nil {
		return Template{}, err
	}
	for _, ic := range cases {
		if err := checkTags(ic.c.Tags, inds); err != nil {
			return Template{}, within(ic.label, err)
		}
		if slices.ContainsFunc(taken, func(n string) bool { return sameNumber(n, ic.c.Number) }) {
			return Template{}, within(ic.label, &FieldError{Field: "case number",
				Reason: "is already used by a case in this vault", Err: ErrExists})
		}
		for _, it := range ic.items {
			if it.TemplateItem != "" && !inTemplate[it.TemplateItem] {
				return Template{}, within(ic.label+": "+it.label,
					Invalid("item", fmt.Sprintf("is not an item of the checklist template %q version %d", tpl.ID, tpl.Version)))
			}
		}
	}
	return tpl, nil
}

// writeImported writes one validated case and everything in it.
func (r *Records) writeImported(t Tx, ic *importCase, tpl Template, now time.Time, sum *ImportSummary) error {
	c := ic.c
	if c.Opened.IsZero() {
		c.Opened = dateOnly(now)
	}
	c.Created, c.CreatedBy, c.Updated = now, r.who(t), now
	if err := t.NewCase(c.ID); err != nil {
		return err
	}
	if err := putJSON(t, caseKey(c.ID), &c); err != nil {
		return err
	}
	if err := putJSON(t, victimKey(c.ID), &ic.v); err != nil {
		return err
	}
	if ic.identity != nil {
		if err := putJSON(t, identityKey(c.ID), ic.identity); err != nil {
			return err
		}
	}
	if err := writeChecklist(t, &c, tpl, now); err != nil {
		return err
	}
	if err := r.applyItems(t, &c, ic.items, now); err != nil {
		return err
	}
	sum.ChecklistItems += len(ic.items)
	if err := r.putCase(t, &c, ic.v.Alias); err != nil {
		return err
	}
	used := map[uint64]bool{}
	order := func(at time.Time) uint64 {
		o := uint64(at.UnixNano())
		for used[o] {
			o++
		}
		used[o] = true
		return o
	}
	for _, n := range ic.notes {
		n.Case = c.ID
		addenda := n.Addenda
		n.Addenda = nil
		if err := putJSON(t, Key{Type: RecNote, Case: c.ID, Order: order(n.Created), ID: n.ID}, &n); err != nil {
			return err
		}
		for _, a := range addenda {
			if err := putJSON(t, Key{Type: RecAddendum, Case: c.ID, Order: order(a.Created), ID: a.ID}, &a); err != nil {
				return err
			}
		}
		sum.Notes++
		sum.Addenda += len(addenda)
	}
	for _, rel := range ic.releases {
		rel.Case, rel.Created, rel.CreatedBy = c.ID, now, r.who(t)
		if !rel.Revoked.IsZero() {
			rel.RevokedBy = r.who(t)
		}
		if err := putJSON(t, Key{Type: RecRelease, Case: c.ID, Order: order(rel.Signed), ID: rel.ID}, &rel); err != nil {
			return err
		}
		sum.Releases++
	}
	for _, ref := range ic.referrals {
		ref.Case, ref.By = c.ID, r.who(t)
		if ref.Created.IsZero() {
			ref.Created = now
		}
		ref.History = []StatusChange{{Status: ReferralReferred, At: ref.Created, By: r.who(t)}}
		if ref.Status != ReferralReferred {
			ref.History = append(ref.History, StatusChange{Status: ref.Status, At: now, By: r.who(t)})
		}
		if err := putJSON(t, referralKey(c.ID, ref.ID), &ref); err != nil {
			return err
		}
		if ref.Status.Open() && !ref.Due.IsZero() {
			if err := writeTask(t, ref.task()); err != nil {
				return err
			}
		}
		sum.Referrals++
	}
	for _, ev := range ic.events {
		ev.Case, ev.Created, ev.By = c.ID, now, r.who(t)
		if err := putJSON(t, Key{Type: RecTimeline, Case: c.ID, Order: order(ev.Date), ID: ev.ID}, &ev); err != nil {
			return err
		}
		sum.Events++
	}
	sum.Cases++
	return nil
}

// applyItems sets the states of template items and adds the agency's own items.
func (r *Records) applyItems(t Tx, c *Case, items []importItem, now time.Time) error {
	if len(items) == 0 {
		return nil
	}
	existing, err := checklistItems(t, c.ID)
	if err != nil {
		return err
	}
	byTemplate := map[string]*ChecklistItem{}
	nextPos := map[Phase]int{}
	for i := range existing {
		it := &existing[i]
		byTemplate[it.TemplateItem] = it
		nextPos[it.Phase] = max(nextPos[it.Phase], it.Position+1)
	}
	for _, in := range items {
		var it *ChecklistItem
		if in.Custom {
			it = &ChecklistItem{ID: in.ID, Custom: true, Phase: in.Phase, Position: nextPos[in.Phase],
				Title: in.Title, Owner: in.Owner, Added: now, AddedBy: r.who(t)}
			nextPos[in.Phase]++
		} else if it = byTemplate[in.TemplateItem]; it == nil {
			return within(in.label, Invalid("item", "is not in the case's checklist"))
		}
		it.Status, it.Reason, it.Notes = in.Status, in.Reason, in.Notes
		if !in.Due.IsZero() {
			it.Due = in.Due
		}
		if it.Status != ItemOpen {
			it.CompletedBy, it.CompletedAt = in.CompletedBy, in.CompletedAt
			if it.CompletedBy == "" {
				it.CompletedBy = r.who(t)
			}
			if it.CompletedAt.IsZero() {
				it.CompletedAt = now
			}
		}
		it.Updated, it.UpdatedBy = now, r.who(t)
		if err := putJSON(t, checklistKey(c.ID, it.ID), it); err != nil {
			return err
		}
		if err := syncItemTask(t, c.ID, it); err != nil {
			return err
		}
	}
	return nil
}

// pendingImport is the marker of a staged import: the cases it is writing.
type pendingImport struct {
	Started time.Time `json:"started"`
	Cases   []ID      `json:"cases"`
	Numbers []string  `json:"numbers"`
}

var pendingKey = Key{Type: RecPending}

func readPending(t Tx) (*pendingImport, error) {
	p := new(pendingImport)
	err := getJSON(t, pendingKey, p)
	if isNotFound(err) {
		return nil, nil
	}
	return p, err
}

// pendingCases are the cases of a staged import still in progress: lists hide them.
func pendingCases(t Tx) (map[ID]bool, error) {
	p, err := readPending(t)
	if p == nil || err != nil {
		return nil, err
	}
	m := make(map[ID]bool, len(p.Cases))
	for _, c := range p.Cases {
		m[c] = true
	}
	return m, nil
}

// numberPending reports whether a staged import in progress holds the number.
func numberPending(t Tx, number string) (bool, error) {
	p, err := readPending(t)
	if p == nil || err != nil {
		return false, err
	}
	return slices.ContainsFunc(p.Numbers, func(n string) bool { return sameNumber(n, number) }), nil
}

// CleanStaleImport removes what an interrupted staged import left behind: every
// case its pending marker lists is shredded, then the marker is deleted. It does
// nothing when no import is pending.
func (r *Records) CleanStaleImport() error {
	importMu.Lock()
	defer importMu.Unlock()
	return r.cleanStaleImport()
}

func (r *Records) cleanStaleImport() error {
	var p *pendingImport
	err := r.store.View(func(t Tx) (err error) {
		p, err = readPending(t)
		return err
	})
	if err != nil || p == nil {
		return err
	}
	// One case per transaction: a case's records can be many.
	for _, c := range p.Cases {
		err := r.store.Update(func(t Tx) error {
			if err := clearCaseTasks(t, c); err != nil {
				return err
			}
			if err := t.Delete(caseIndexKey(c)); err != nil {
				return err
			}
			return t.ShredCase(c)
		})
		if err != nil {
			return err
		}
	}
	return r.store.Update(func(t Tx) error { return t.Delete(pendingKey) })
}
