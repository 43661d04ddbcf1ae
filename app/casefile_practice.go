package app

// The MDT practice's records in a case file (issue 14; docs/case-format.md): review
// interval and legal hold, references, hearings, the victim-notification log, people
// by pseudonymous reference, charges, outcomes and links to other cases. Every field
// is optional, so files written before still read the same.

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// FileHold is a legal hold in a case file.
type FileHold struct {
	Reason string `json:"reason"`
	Placed string `json:"placed,omitempty"` // date; default: the day of import
}

// FileSigner is who signed a release; person names one of the case's people by
// pseudonymous reference.
type FileSigner struct {
	Kind         string `json:"kind"`
	Name         string `json:"name,omitempty"`
	Relationship string `json:"relationship,omitempty"`
	Person       string `json:"person,omitempty"`
}

// FileReference is a reference number or report in a case file.
type FileReference struct {
	Kind         string `json:"kind"`
	Number       string `json:"number,omitempty"`
	Agency       string `json:"agency,omitempty"`
	ReportedAt   string `json:"reported_at,omitempty"` // time
	IntakeWorker string `json:"intake_worker,omitempty"`
	Screening    string `json:"screening,omitempty"`
	MissingSince string `json:"missing_since,omitempty"` // time
	TipSource    string `json:"tip_source,omitempty"`
}

// FileHearing is a court date in a case file.
type FileHearing struct {
	At      string `json:"at"` // time
	Court   string `json:"court"`
	Type    string `json:"type"`
	Outcome string `json:"outcome,omitempty"`
}

// FileNotification is an entry of the victim-notification log in a case file.
type FileNotification struct {
	At          string       `json:"at"` // time
	To          string       `json:"to"`
	Method      string       `json:"method"`
	Summary     string       `json:"summary"`
	Language    string       `json:"language,omitempty"`
	Interpreter *Interpreter `json:"interpreter,omitempty"`
	By          string       `json:"by,omitempty"`
}

// FilePerson is a person by pseudonymous reference in a case file.
type FilePerson struct {
	Reference    string `json:"reference"`
	Role         string `json:"role"`
	Relationship string `json:"relationship,omitempty"`
}

// FileCharge is a charge in a case file; against names a person by reference;
// amounts are dollars as text ("1500.00").
type FileCharge struct {
	Statute         string `json:"statute"`
	Counts          int    `json:"counts,omitempty"` // default 1
	Against         string `json:"against"`
	Filed           string `json:"filed,omitempty"`
	Disposition     string `json:"disposition,omitempty"`
	DispositionDate string `json:"disposition_date,omitempty"`
	Sentence        string `json:"sentence,omitempty"`
	Restitution     string `json:"restitution,omitempty"`
	Forfeiture      string `json:"forfeiture,omitempty"`
}

// FileOutcome is the child-welfare outcome and services outcomes in a case file.
type FileOutcome struct {
	ChildWelfare     string              `json:"child_welfare,omitempty"`
	ChildWelfareDate string              `json:"child_welfare_date,omitempty"`
	Services         []FileServiceResult `json:"services,omitempty"`
}

// FileServiceResult is how one service turned out.
type FileServiceResult struct {
	Service string `json:"service"`
	Result  string `json:"result"`
	Date    string `json:"date,omitempty"`
}

// FileLink links the case to another case, in the same file or already in the
// vault, by number. It is recorded in this case only.
type FileLink struct {
	Number   string `json:"number"`
	Relation string `json:"relation"`
}

// importPractice is a case's validated practice records.
type importPractice struct {
	interval      int
	hold          *LegalHold
	holdPlaced    time.Time
	references    []Reference
	hearings      []Hearing
	notifications []Notification
	people        []Person
	charges       []Charge
	outcome       *CaseOutcome
	links         []FileLink
}

func (ip *importPractice) empty() bool {
	return ip.interval == 0 && ip.hold == nil && len(ip.references) == 0 && len(ip.hearings) == 0 &&
		len(ip.notifications) == 0 && len(ip.people) == 0 && len(ip.charges) == 0 && ip.outcome == nil && len(ip.links) == 0
}

// optTime parses an optional time.
func optTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseTime(field, s)
}

// preparePractice validates the practice records of a case file entry. signers are
// the releases' signer person references, resolved against the case's people.
func (ic *importCase) preparePractice(fc *FileCase, signers []string) error {
	p := &ic.practice
	if fc.ReviewIntervalDays < 0 || fc.ReviewIntervalDays > maxReviewInterval {
		return Invalid("review_interval_days", fmt.Sprintf("must be between 1 and %d days", maxReviewInterval))
	}
	p.interval = fc.ReviewIntervalDays
	if h := fc.LegalHold; h != nil {
		reason := strings.TrimSpace(h.Reason)
		if err := checkText("legal_hold reason", reason, maxTitle, true); err != nil {
			return err
		}
		placed, err := optDate("legal_hold placed", h.Placed)
		if err != nil {
			return err
		}
		p.hold, p.holdPlaced = &LegalHold{Reason: reason}, placed
	}
	byRef := map[string]*Person{}
	for i, fp := range fc.People {
		in := PersonInput(fp)
		if err := in.normalise(); err != nil {
			return within(fmt.Sprintf("person %d", i+1), err)
		}
		key := strings.ToLower(in.Reference)
		if byRef[key] != nil {
			return within(fmt.Sprintf("person %d", i+1), &FieldError{Field: "reference", Reason: "is also used by another person of this case", Err: ErrExists})
		}
		p.people = append(p.people, Person{ID: NewID(), Reference: in.Reference, Role: in.Role, Relationship: in.Relationship})
		byRef[key] = &p.people[len(p.people)-1]
	}
	for i, ref := range signers {
		if ref == "" {
			continue
		}
		where := fmt.Sprintf("release %d", i+1)
		person := byRef[strings.ToLower(strings.TrimSpace(ref))]
		if person == nil {
			return within(where, Invalid("signer person", "is not the reference of a person of this case"))
		}
		if person.AllegedOffender() {
			return within(where, Invalid("signer", "is recorded in this case as an alleged offender: a release must be signed by the youth or a non-offending parent or guardian"))
		}
		ic.releases[i].Signer.Person = person.ID
	}
	for i, fr := range fc.References {
		where := fmt.Sprintf("reference %d", i+1)
		in := ReferenceInput{Kind: ReferenceKind(fr.Kind), Number: fr.Number, Agency: fr.Agency, IntakeWorker: fr.IntakeWorker,
			Screening: fr.Screening, TipSource: fr.TipSource}
		var err error
		if in.ReportedAt, err = optTime("reported_at", fr.ReportedAt); err != nil {
			return within(where, err)
		}
		if in.MissingSince, err = optTime("missing_since", fr.MissingSince); err != nil {
			return within(where, err)
		}
		if err := in.normalise(); err != nil {
			return within(where, err)
		}
		p.references = append(p.references, Reference{ID: NewID(), Kind: in.Kind, Number: in.Number, Agency: in.Agency,
			ReportedAt: in.ReportedAt, IntakeWorker: in.IntakeWorker, Screening: in.Screening, MissingSince: in.MissingSince,
			TipSource: in.TipSource})
	}
	for i, fh := range fc.Hearings {
		where := fmt.Sprintf("hearing %d", i+1)
		in := HearingInput{Court: fh.Court, Type: fh.Type}
		var err error
		if in.At, err = parseTime("at", fh.At); err != nil {
			return within(where, err)
		}
		if err := in.normalise(); err != nil {
			return within(where, err)
		}
		h := Hearing{ID: NewID(), At: in.At, Court: in.Court, Type: in.Type, Outcome: strings.TrimSpace(fh.Outcome)}
		if err := checkText("outcome", h.Outcome, maxSummary, false); err != nil {
			return within(where, err)
		}
		p.hearings = append(p.hearings, h)
	}
	for i, fn := range fc.Notifications {
		where := fmt.Sprintf("notification %d", i+1)
		in := NotificationInput{To: fn.To, Method: fn.Method, Summary: fn.Summary, Language: fn.Language, Interpreter: fn.Interpreter}
		var err error
		if in.At, err = parseTime("at", fn.At); err != nil {
			return within(where, err)
		}
		if err := in.normalise(); err != nil {
			return within(where, err)
		}
		by := strings.TrimSpace(fn.By)
		if err := checkText("by", by, 80, false); err != nil {
			return within(where, err)
		}
		p.notifications = append(p.notifications, Notification{ID: NewID(), At: in.At, To: in.To, Method: in.Method,
			Summary: in.Summary, Language: in.Language, Interpreter: in.Interpreter, By: by})
	}
	for i, fch := range fc.Charges {
		where := fmt.Sprintf("charge %d", i+1)
		person := byRef[strings.ToLower(strings.TrimSpace(fch.Against))]
		if person == nil {
			return within(where, Invalid("against", "is not the reference of a person of this case"))
		}
		if !person.AllegedOffender() {
			return within(where, Invalid("against", "names a "+person.Role+": a charge is against a suspect or buyer"))
		}
		in := ChargeInput{Statute: fch.Statute, Counts: fch.Counts, Against: person.ID, Disposition: fch.Disposition, Sentence: fch.Sentence}
		if in.Counts == 0 {
			in.Counts = 1
		}
		var err error
		if in.Filed, err = optDate("filed", fch.Filed); err != nil {
			return within(where, err)
		}
		if in.DispositionDate, err = optDate("disposition_date", fch.DispositionDate); err != nil {
			return within(where, err)
		}
		if in.Restitution, err = ParseDollars("restitution", fch.Restitution); err != nil {
			return within(where, err)
		}
		if in.Forfeiture, err = ParseDollars("forfeiture", fch.Forfeiture); err != nil {
			return within(where, err)
		}
		if err := in.normalise(); err != nil {
			return within(where, err)
		}
		p.charges = append(p.charges, Charge{ID: NewID(), Statute: in.Statute, Counts: in.Counts, Against: in.Against,
			Filed: in.Filed, Disposition: in.Disposition, DispositionDate: in.DispositionDate, Sentence: in.Sentence,
			Restitution: in.Restitution, Forfeiture: in.Forfeiture})
	}
	if fo := fc.Outcome; fo != nil {
		o := &CaseOutcome{}
		if fo.ChildWelfare != "" {
			if err := checkChoice("outcome child_welfare", fo.ChildWelfare, ChildWelfareOutcomes); err != nil {
				return err
			}
			o.ChildWelfare = fo.ChildWelfare
		}
		var err error
		if o.ChildWelfareDate, err = optDate("outcome child_welfare_date", fo.ChildWelfareDate); err != nil {
			return err
		}
		for i, fs := range fo.Services {
			where := fmt.Sprintf("outcome service %d", i+1)
			so := ServiceOutcome{Service: ServiceType(fs.Service), Result: fs.Result}
			if !slices.Contains(ServiceTypes, so.Service) {
				return within(where, Invalid("service", quoteShort(fs.Service)+"is not a service type"))
			}
			if slices.ContainsFunc(o.Services, func(s ServiceOutcome) bool { return s.Service == so.Service }) {
				return within(where, Invalid("service", "is given twice"))
			}
			if err := checkChoice("result", so.Result, ServiceResults); err != nil {
				return within(where, err)
			}
			if so.Date, err = optDate("date", fs.Date); err != nil {
				return within(where, err)
			}
			o.Services = append(o.Services, so)
		}
		p.outcome = o
	}
	for i, fl := range fc.Links {
		where := fmt.Sprintf("link %d", i+1)
		fl.Number = strings.TrimSpace(fl.Number)
		if err := ValidCaseNumber(fl.Number); err != nil {
			return within(where, err)
		}
		if sameNumber(fl.Number, fc.Number) {
			return within(where, Invalid("number", "is this case"))
		}
		if err := checkChoice("relation", fl.Relation, LinkRelations); err != nil {
			return within(where, err)
		}
		p.links = append(p.links, fl)
	}
	return nil
}

// prepareSigner reads a release's signer from a case file: absent, the release is
// recorded as "signer not recorded". It returns the person reference to resolve.
func prepareSigner(fs *FileSigner) (*ReleaseSigner, string, error) {
	if fs == nil {
		return &ReleaseSigner{Kind: SignerNotRecorded}, "", nil
	}
	s := &ReleaseSigner{Kind: SignerKind(fs.Kind), Name: fs.Name, Relationship: fs.Relationship}
	if s.Kind == SignerNotRecorded {
		return s, "", nil
	}
	if err := s.normalise(); err != nil {
		return nil, "", err
	}
	ref := strings.TrimSpace(fs.Person)
	if ref != "" && s.Kind == SignerYouth {
		return nil, "", Invalid("signer", "is the youth, who is not one of the case's people")
	}
	return s, ref, nil
}

// resolveLinks finds each link's case among the file's cases and the vault's own
// (received cases excluded).
func resolveLinks(t Tx, cases []*importCase) (map[string]ID, error) {
	byNumber := map[string]ID{}
	if !slices.ContainsFunc(cases, func(ic *importCase) bool { return len(ic.practice.links) > 0 }) {
		// No case links another: the vault's cases are not needed. A staged import
		// calls this once per batch, and reading every case of a large vault each
		// time made each file of a series slower than the one before (issue 12).
		return byNumber, nil
	}
	err := scanSummaries(t, func(s *CaseSummary) error {
		if !s.ReadOnly {
			byNumber[strings.ToUpper(s.Number)] = s.ID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ic := range cases {
		byNumber[strings.ToUpper(ic.c.Number)] = ic.c.ID
	}
	for _, ic := range cases {
		for i, l := range ic.practice.links {
			if _, ok := byNumber[strings.ToUpper(l.Number)]; !ok {
				return nil, within(fmt.Sprintf("%s: link %d", ic.label, i+1), Invalid("number", "is not a case in this file or in the vault"))
			}
		}
	}
	return byNumber, nil
}

// writePractice writes a case's practice records.
func (r *Records) writePractice(t Tx, c *Case, p *importPractice, links map[string]ID, now time.Time, sum *ImportSummary) error {
	if p.empty() {
		return nil
	}
	who := r.who(t)
	if p.interval > 0 || p.hold != nil {
		cp := CasePractice{ReviewIntervalDays: p.interval}
		if p.hold != nil {
			h := *p.hold
			h.Placed, h.PlacedBy = p.holdPlaced, who
			if h.Placed.IsZero() {
				h.Placed = now
			}
			cp.Hold = &h
		}
		if err := putJSON(t, casePracticeKey(c.ID), &cp); err != nil {
			return err
		}
	}
	for _, v := range p.people {
		v.Case, v.Created, v.By = c.ID, now, who
		if err := putJSON(t, personKey(c.ID, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.references {
		v.Case, v.Created, v.By = c.ID, now, who
		if err := putJSON(t, referenceKey(c.ID, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.hearings {
		v.Case, v.Created, v.By = c.ID, now, who
		if v.Outcome != "" {
			v.OutcomeAt, v.OutcomeBy = now, who
		}
		if err := putJSON(t, hearingKey(c.ID, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.notifications {
		v.Case, v.Created = c.ID, now
		if v.By == "" {
			v.By = who
		}
		if err := putJSON(t, notificationKey(c.ID, v.At, v.ID), &v); err != nil {
			return err
		}
	}
	for _, v := range p.charges {
		v.Case, v.Created, v.By = c.ID, now, who
		if err := putJSON(t, chargeKey(c.ID, v.ID), &v); err != nil {
			return err
		}
	}
	if p.outcome != nil {
		o := *p.outcome
		o.Updated, o.By = now, who
		if err := putJSON(t, outcomeKey(c.ID), &o); err != nil {
			return err
		}
	}
	for _, l := range p.links {
		cl := CaseLink{ID: NewID(), Case: c.ID, Linked: links[strings.ToUpper(l.Number)], Relation: l.Relation, Created: now, By: who}
		if err := putJSON(t, caseLinkKey(c.ID, cl.ID), &cl); err != nil {
			return err
		}
	}
	sum.References += len(p.references)
	sum.Hearings += len(p.hearings)
	sum.Notifications += len(p.notifications)
	sum.People += len(p.people)
	sum.Charges += len(p.charges)
	sum.Links += len(p.links)
	return nil
}
