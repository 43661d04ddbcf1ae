package app

// Reading and checking a case file before anything is written: the format, every
// field of every case, and case numbers repeated within the file.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ParseCaseFile reads and validates a case file without a vault: the format, every
// field of every case, and case numbers repeated within the file. Errors name the
// case (by position and number) and the field, never a note's text or a name.
func ParseCaseFile(r io.Reader) (*CaseFile, error) {
	f, _, err := parseCaseFile(r)
	return f, err
}

func parseCaseFile(r io.Reader) (*CaseFile, []*importCase, error) {
	// The file is decoded as it is read (casefile_stream.go), and read to its end
	// whatever decoding finds, so that a read error, then the size, rank above
	// what is wrong inside.
	s := newCaseFileStream(r)
	d := s.decode()
	if s.readErr != nil {
		return nil, nil, Invalid("case file", "could not be read")
	}
	if s.read > MaxCaseFile {
		return nil, nil, Invalid("case file", fmt.Sprintf("is larger than %d MiB", MaxCaseFile>>20))
	}
	// A file that does not decode is first checked for its format, if it is one
	// object, so a file of another kind or of a newer version is named as such
	// rather than by the first field this version does not know.
	f := d.f
	if d.err != nil {
		if d.headOK {
			if _, ferr := ReadableFormat(d.headFormat, CaseFileFormatID, "a Casenotes case file"); ferr != nil {
				return nil, nil, ferr
			}
		}
		return nil, nil, Invalid("case file", jsonTrouble(d.err))
	}
	if _, err := ReadableFormat(f.Format, CaseFileFormatID, "a Casenotes case file"); err != nil {
		return nil, nil, err
	}
	if d.trailing {
		return nil, nil, Invalid("case file", "has data after the end of the document")
	}
	if len(f.Cases) == 0 {
		return nil, nil, Invalid("cases", "are missing: the file holds no case")
	}
	if len(f.Cases) > MaxFileCases {
		return nil, nil, Invalid("cases", fmt.Sprintf("are more than %d in one file", MaxFileCases))
	}
	cases := make([]*importCase, len(f.Cases))
	// Each number is looked up among those before it by its folded form: comparing
	// it with every earlier case made a 100,000-case file's check quadratic.
	seen := make(map[string]*importCase, len(f.Cases))
	// The cases are measured for fitsOneTx only until they pass the budget of one
	// transaction (counted without the template's items, which only add to it):
	// past that the file is staged whatever the rest hold. Measuring every case
	// (a json.Marshal each) was an eighth of a large file's parse.
	measured := 0
	for i := range f.Cases {
		ic, err := prepareCase(i+1, &f.Cases[i])
		if err != nil {
			return nil, nil, err
		}
		if measured <= importTxBudget {
			ic.size = caseSizeEstimate(&f.Cases[i])
			measured += ic.size + len(ic.items)*checklistEstimate
		}
		fold := foldNumber(ic.c.Number)
		if prev, ok := seen[fold]; ok {
			return nil, nil, within(ic.label, &FieldError{Field: "case number",
				Reason: fmt.Sprintf("is also used by case %d in this file", prev.index), Err: ErrExists})
		}
		seen[fold] = ic
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
		// The name is text from the file, which could be anything: it is not
		// echoed. docs/case-format.md lists the fields a case file may hold.
		return "has a field that is not part of the case file format (see docs/case-format.md)"
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
	practice  importPractice // issue 14: casefile_practice.go
	size      int            // estimated bytes stored; 0 past the budget of one transaction (parseCaseFile)
	// written is the case as its import's first transaction stored it, and order
	// its keys' orders, for a case written across several (writeImported).
	written Case
	order   *importOrders
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
	return ic, nil
}

// caseSizeEstimate is what fitsOneTx counts for a case besides its checklist: at
// least what its records take stored.
func caseSizeEstimate(fc *FileCase) int {
	b, _ := json.Marshal(fc)
	return 2*len(b) + 4096
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
	// Sized once: grown note by note, the notes of a 2,000-case file took 19 MB
	// more of arrays (BenchmarkParseCaseFile).
	records := len(fc.Notes)
	for i := range fc.Notes {
		records += len(fc.Notes[i].Addenda)
	}
	if err := checkCaseNotes(records); err != nil {
		return err
	}
	ic.notes = make([]Note, 0, len(fc.Notes))
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
	var signers []string
	for i := range fc.Releases {
		rel, signer, err := prepareRelease(&fc.Releases[i])
		if err != nil {
			return within(fmt.Sprintf("release %d", i+1), err)
		}
		ic.releases = append(ic.releases, rel)
		signers = append(signers, signer)
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
	return ic.preparePractice(fc, signers)
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
	if n.Contact, err = checkContact(kind, fn.Contact); err != nil {
		return Note{}, err
	}
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
			return Note{}, within(where, Invalid("created_at", "is before the note was finalized"))
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
		owner, known := ParsePartner(fi.Owner)
		it.Custom, it.Phase, it.Owner, it.Title = true, Phase(fi.Phase), owner, strings.TrimSpace(fi.Title)
		switch {
		case it.Phase.Rank() < 0:
			return it, Invalid("phase", quoteShort(fi.Phase)+"is not one of the nine checklist phases")
		case !known:
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

// prepareRelease reads a release; the signer's person reference (if any) is returned
// to be resolved against the case's people.
func prepareRelease(fr *FileRel) (Release, string, error) {
	in := ReleaseInput{Recipient: fr.Recipient}
	for _, k := range fr.Scope {
		in.Scope = append(in.Scope, InfoKind(k))
	}
	var err error
	if in.Signed, err = parseDate("signed", fr.Signed); err != nil {
		return Release{}, "", err
	}
	if in.Expires, err = parseDate("expires", fr.Expires); err != nil {
		return Release{}, "", err
	}
	if err := in.normaliseTerms(); err != nil {
		return Release{}, "", err
	}
	signer, person, err := prepareSigner(fr.Signer)
	if err != nil {
		return Release{}, "", err
	}
	rel := Release{ID: NewID(), Scope: in.Scope, Recipient: in.Recipient, Signed: in.Signed, Expires: in.Expires,
		Signer: signer}
	if fr.Revoked == "" {
		if fr.RevokedReason != "" {
			return Release{}, "", Invalid("revoked_reason", "is set but the release is not revoked")
		}
		return rel, person, nil
	}
	if rel.Revoked, err = parseDate("revoked", fr.Revoked); err != nil {
		return Release{}, "", err
	}
	if rel.Revoked.Before(rel.Signed) {
		return Release{}, "", Invalid("revoked", "is before the release was signed")
	}
	rel.RevokedReason = strings.TrimSpace(fr.RevokedReason)
	if err := checkText("revoked_reason", rel.RevokedReason, maxTitle, true); err != nil {
		return Release{}, "", err
	}
	return rel, person, nil
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
