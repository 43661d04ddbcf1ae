package app

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What a case led to: people by pseudonymous reference, charges against them and
// their dispositions, sentences, restitution and forfeiture, the child-welfare
// outcome and the outcome of each service. People are never recorded by their
// details: a reference ("Suspect A") and their relationship to the youth, so lists,
// exports and minutes cannot leak who they are.

// PersonRoles are what a person is to the case. Suspects and buyers are alleged
// offenders: a release they sign is refused.
var PersonRoles = []string{"suspect", "buyer", "witness", "other"}

// Relationships are what a person is to the youth.
var Relationships = []string{"parent", "step-parent", "guardian", "sibling", "other relative", "intimate partner",
	"friend or peer", "acquaintance", "online contact", "stranger", "unknown"}

// Person is someone in a case, by pseudonymous reference only.
type Person struct {
	ID           ID        `json:"id"`
	Case         ID        `json:"case"`
	Reference    string    `json:"reference"` // "Suspect A", "Buyer 2": never a name
	Role         string    `json:"role"`
	Relationship string    `json:"relationship"`
	Created      time.Time `json:"created"`
	By           string    `json:"by,omitempty"`
	Updated      time.Time `json:"updated,omitzero"`
}

// AllegedOffender reports whether the person is a suspect or a buyer.
func (p Person) AllegedOffender() bool { return p.Role == "suspect" || p.Role == "buyer" }

// PersonInput is a person as a user records them.
type PersonInput struct {
	Reference    string
	Role         string
	Relationship string
}

// maxPersonReference keeps a pseudonymous reference short: it is a label, not a
// description.
const maxPersonReference = 40

func (in *PersonInput) normalise() error {
	in.Reference = strings.TrimSpace(in.Reference)
	if err := checkText("pseudonymous reference", in.Reference, maxPersonReference, true); err != nil {
		return err
	}
	if err := checkChoice("role", in.Role, PersonRoles); err != nil {
		return err
	}
	if in.Relationship == "" {
		in.Relationship = "unknown"
	}
	return checkChoice("relationship to the youth", in.Relationship, Relationships)
}

func personKey(c, id ID) Key { return Key{Type: RecPerson, Case: c, ID: id} }

// referenceFree refuses a reference another person of the case (not self) uses.
func referenceFree(t Tx, caseID, self ID, reference string) error {
	return scanJSON(t, RecPerson, caseID, func(_ Key, p *Person) error {
		if p.ID != self && strings.EqualFold(p.Reference, reference) {
			return &FieldError{Field: "pseudonymous reference", Reason: "is already used by another person in this case", Err: ErrExists}
		}
		return nil
	})
}

// AddPerson records a person by pseudonymous reference.
func (r *Records) AddPerson(caseID ID, in PersonInput) (Person, error) {
	if err := in.normalise(); err != nil {
		return Person{}, err
	}
	var out Person
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if err := referenceFree(t, caseID, ID{}, in.Reference); err != nil {
			return err
		}
		out = Person{ID: NewID(), Case: caseID, Reference: in.Reference, Role: in.Role, Relationship: in.Relationship,
			Created: r.now(), By: r.who(t)}
		return putJSON(t, personKey(caseID, out.ID), &out)
	})
	return out, err
}

// UpdatePerson changes a person's reference, role or relationship. Recording a
// person who signed a release as a suspect or buyer makes exports stop relying on
// that release.
func (r *Records) UpdatePerson(caseID, id ID, in PersonInput) (Person, error) {
	if err := in.normalise(); err != nil {
		return Person{}, err
	}
	var out Person
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var p Person
		if err := getJSON(t, personKey(caseID, id), &p); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("person: %w", ErrNotFound)
			}
			return err
		}
		if err := referenceFree(t, caseID, id, in.Reference); err != nil {
			return err
		}
		p.Reference, p.Role, p.Relationship, p.Updated = in.Reference, in.Role, in.Relationship, r.now()
		out = p
		return putJSON(t, personKey(caseID, id), &p)
	})
	return out, err
}

// People returns the case's people in the order of their references.
func (r *Records) People(caseID ID) ([]Person, error) {
	var out []Person
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		var err error
		out, err = readPeople(t, caseID)
		return err
	})
	return out, err
}

func readPeople(t Tx, caseID ID) ([]Person, error) {
	var out []Person
	err := scanJSON(t, RecPerson, caseID, func(_ Key, v *Person) error {
		out = append(out, *v)
		return nil
	})
	slices.SortStableFunc(out, func(a, b Person) int {
		return strings.Compare(strings.ToLower(a.Reference), strings.ToLower(b.Reference))
	})
	return out, err
}

// Dispositions of a charge.
var Dispositions = []string{"pending", "declined", "dismissed", "diverted", "pleaded-guilty", "convicted", "acquitted", "other"}

// Cents is an amount of money in US cents, so sums are exact.
type Cents int64

// String is the amount as dollars: "$1,500.00".
func (c Cents) String() string {
	neg := c < 0
	if neg {
		c = -c
	}
	d := strconv.FormatInt(int64(c)/100, 10)
	for i := len(d) - 3; i > 0; i -= 3 {
		d = d[:i] + "," + d[i:]
	}
	s := fmt.Sprintf("$%s.%02d", d, int64(c)%100)
	if neg {
		s = "-" + s
	}
	return s
}

// maxAmount bounds restitution and forfeiture amounts ($10 billion).
const maxAmount = Cents(1_000_000_000_000)

// ParseDollars reads an amount typed as dollars ("1500", "1,500.00", "$1,500.5");
// an empty string is zero.
func ParseDollars(field, s string) (Cents, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, nil
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	bad := Invalid(field, "is not an amount in dollars (such as 1500.00)")
	if whole == "" || len(whole) > 11 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, bad
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, bad
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	var f int64
	if hasFrac {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	c := Cents(w*100 + f)
	if c > maxAmount {
		return 0, Invalid(field, "is larger than "+maxAmount.String())
	}
	return c, nil
}

// Charge is one charge against a person of the case, with its disposition.
type Charge struct {
	ID              ID        `json:"id"`
	Case            ID        `json:"case"`
	Statute         string    `json:"statute"`
	Counts          int       `json:"counts"`
	Against         ID        `json:"against"` // a Person of the case
	Filed           time.Time `json:"filed,omitzero"`
	Disposition     string    `json:"disposition"`
	DispositionDate time.Time `json:"disposition_date,omitzero"`
	Sentence        string    `json:"sentence,omitempty"`
	Restitution     Cents     `json:"restitution,omitempty"`
	Forfeiture      Cents     `json:"forfeiture,omitempty"`
	Created         time.Time `json:"created"`
	By              string    `json:"by,omitempty"`
	Updated         time.Time `json:"updated,omitzero"`
}

// ChargeInput is a charge as a user records or updates it.
type ChargeInput struct {
	Statute         string
	Counts          int
	Against         ID
	Filed           time.Time
	Disposition     string
	DispositionDate time.Time
	Sentence        string
	Restitution     Cents
	Forfeiture      Cents
}

func (in *ChargeInput) normalise() error {
	in.Statute, in.Sentence = strings.TrimSpace(in.Statute), strings.TrimSpace(in.Sentence)
	if err := checkText("statute", in.Statute, 80, true); err != nil {
		return err
	}
	if in.Counts < 1 || in.Counts > 999 {
		return Invalid("counts", "must be between 1 and 999")
	}
	if in.Against.IsZero() {
		return Invalid("charged person", "is required: choose the person by pseudonymous reference")
	}
	if in.Disposition == "" {
		in.Disposition = "pending"
	}
	if err := checkChoice("disposition", in.Disposition, Dispositions); err != nil {
		return err
	}
	for _, d := range []struct {
		field string
		t     *time.Time
	}{{"filed", &in.Filed}, {"disposition date", &in.DispositionDate}} {
		if !d.t.IsZero() {
			if err := checkDate(d.field, *d.t); err != nil {
				return err
			}
			*d.t = dateOnly(*d.t)
		}
	}
	if in.Disposition == "pending" && !in.DispositionDate.IsZero() {
		return Invalid("disposition date", "is set but the charge is still pending")
	}
	if !in.Filed.IsZero() && !in.DispositionDate.IsZero() && in.DispositionDate.Before(in.Filed) {
		return Invalid("disposition date", "is before the charge was filed")
	}
	if err := checkText("sentence", in.Sentence, maxSummary, false); err != nil {
		return err
	}
	if in.Sentence != "" && in.Disposition != "pleaded-guilty" && in.Disposition != "convicted" {
		return Invalid("sentence", "is only for a charge that ended in a plea or a conviction")
	}
	for _, a := range []struct {
		field string
		c     Cents
	}{{"restitution", in.Restitution}, {"forfeiture", in.Forfeiture}} {
		if a.c < 0 || a.c > maxAmount {
			return Invalid(a.field, "must be between $0 and "+maxAmount.String())
		}
	}
	return nil
}

func chargeKey(c, id ID) Key { return Key{Type: RecCharge, Case: c, ID: id} }

// chargeable checks that the charged person is an alleged offender of the case.
func chargeable(t Tx, caseID, person ID) error {
	var p Person
	if err := getJSON(t, personKey(caseID, person), &p); err != nil {
		if isNotFound(err) {
			return Invalid("charged person", "is not a person of this case")
		}
		return err
	}
	if !p.AllegedOffender() {
		return Invalid("charged person", "is recorded as a "+p.Role+": record them as a suspect or buyer first")
	}
	return nil
}

// AddCharge records a charge against a suspect or buyer of the case.
func (r *Records) AddCharge(caseID ID, in ChargeInput) (Charge, error) {
	if err := in.normalise(); err != nil {
		return Charge{}, err
	}
	var out Charge
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if err := chargeable(t, caseID, in.Against); err != nil {
			return err
		}
		out = Charge{ID: NewID(), Case: caseID, Statute: in.Statute, Counts: in.Counts, Against: in.Against,
			Filed: in.Filed, Disposition: in.Disposition, DispositionDate: in.DispositionDate, Sentence: in.Sentence,
			Restitution: in.Restitution, Forfeiture: in.Forfeiture, Created: r.now(), By: r.who(t)}
		return putJSON(t, chargeKey(caseID, out.ID), &out)
	})
	return out, err
}

// UpdateCharge records a charge's disposition, sentence and amounts as the case
// moves on.
func (r *Records) UpdateCharge(caseID, id ID, in ChargeInput) (Charge, error) {
	if err := in.normalise(); err != nil {
		return Charge{}, err
	}
	var out Charge
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var c Charge
		if err := getJSON(t, chargeKey(caseID, id), &c); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("charge: %w", ErrNotFound)
			}
			return err
		}
		if err := chargeable(t, caseID, in.Against); err != nil {
			return err
		}
		c.Statute, c.Counts, c.Against, c.Filed = in.Statute, in.Counts, in.Against, in.Filed
		c.Disposition, c.DispositionDate, c.Sentence = in.Disposition, in.DispositionDate, in.Sentence
		c.Restitution, c.Forfeiture, c.Updated = in.Restitution, in.Forfeiture, r.now()
		out = c
		return putJSON(t, chargeKey(caseID, id), &c)
	})
	return out, err
}

// Input is the charge as an input, for changing part of it.
func (c Charge) Input() ChargeInput {
	return ChargeInput{Statute: c.Statute, Counts: c.Counts, Against: c.Against, Filed: c.Filed,
		Disposition: c.Disposition, DispositionDate: c.DispositionDate, Sentence: c.Sentence,
		Restitution: c.Restitution, Forfeiture: c.Forfeiture}
}

// Charges returns a case's charges, oldest first.
func (r *Records) Charges(caseID ID) ([]Charge, error) {
	var out []Charge
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecCharge, caseID, func(_ Key, v *Charge) error {
			out = append(out, *v)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Charge) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		if c := a.Filed.Compare(b.Filed); c != 0 {
			return c
		}
		return strings.Compare(a.Statute, b.Statute)
	})
	return out, err
}

// ChildWelfareOutcomes are where child welfare's involvement ended.
var ChildWelfareOutcomes = []string{"not-involved", "remained-home-with-safety-plan", "kinship-placement",
	"foster-care", "group-or-residential-care", "reunified", "adoption-or-guardianship", "independent-living",
	"case-closed", "other"}

// ServiceResults are how a service turned out.
var ServiceResults = []string{"engaged", "completed", "declined", "not-available", "waitlisted"}

// CaseOutcome is the child-welfare outcome and the outcome of each service.
type CaseOutcome struct {
	ChildWelfare     string           `json:"child_welfare,omitempty"`
	ChildWelfareDate time.Time        `json:"child_welfare_date,omitzero"`
	Services         []ServiceOutcome `json:"services,omitempty"`
	Updated          time.Time        `json:"updated,omitzero"`
	By               string           `json:"by,omitempty"`
}

// ServiceOutcome is how one service turned out.
type ServiceOutcome struct {
	Service ServiceType `json:"service"`
	Result  string      `json:"result"`
	Date    time.Time   `json:"date,omitzero"`
}

func outcomeKey(c ID) Key { return Key{Type: RecOutcome, Case: c, ID: c} }

// Outcome returns a case's outcomes; an empty one when none is recorded.
func (r *Records) Outcome(caseID ID) (CaseOutcome, error) {
	var o CaseOutcome
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		err := getJSON(t, outcomeKey(caseID), &o)
		if isNotFound(err) {
			return nil
		}
		return err
	})
	return o, err
}

func (r *Records) changeOutcome(caseID ID, fn func(o *CaseOutcome) error) (CaseOutcome, error) {
	var out CaseOutcome
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var o CaseOutcome
		if err := getJSON(t, outcomeKey(caseID), &o); err != nil && !isNotFound(err) {
			return err
		}
		if err := fn(&o); err != nil {
			return err
		}
		o.Updated, o.By = r.now(), r.who(t)
		out = o
		return putJSON(t, outcomeKey(caseID), &o)
	})
	return out, err
}

// SetChildWelfareOutcome records where child welfare's involvement ended, and when.
func (r *Records) SetChildWelfareOutcome(caseID ID, outcome string, date time.Time) (CaseOutcome, error) {
	if err := checkChoice("child-welfare outcome", outcome, ChildWelfareOutcomes); err != nil {
		return CaseOutcome{}, err
	}
	if !date.IsZero() {
		if err := checkDate("outcome date", date); err != nil {
			return CaseOutcome{}, err
		}
		date = dateOnly(date)
	}
	return r.changeOutcome(caseID, func(o *CaseOutcome) error {
		o.ChildWelfare, o.ChildWelfareDate = outcome, date
		return nil
	})
}

// SetServiceOutcome records how a service turned out, replacing an earlier result
// for the same service.
func (r *Records) SetServiceOutcome(caseID ID, so ServiceOutcome) (CaseOutcome, error) {
	if !slices.Contains(ServiceTypes, so.Service) {
		return CaseOutcome{}, Invalid("service", quoteShort(string(so.Service))+"is not a service type")
	}
	if err := checkChoice("service result", so.Result, ServiceResults); err != nil {
		return CaseOutcome{}, err
	}
	if !so.Date.IsZero() {
		if err := checkDate("result date", so.Date); err != nil {
			return CaseOutcome{}, err
		}
		so.Date = dateOnly(so.Date)
	}
	return r.changeOutcome(caseID, func(o *CaseOutcome) error {
		i := slices.IndexFunc(o.Services, func(s ServiceOutcome) bool { return s.Service == so.Service })
		if i >= 0 {
			o.Services[i] = so
		} else {
			o.Services = append(o.Services, so)
		}
		return nil
	})
}

// LinkRelations are how two cases of the vault relate.
var LinkRelations = []string{"co-victim", "same-suspect", "related"}

// CaseLink links a case to another case of the vault. AddCaseLink writes it in both
// cases, under the same ID.
type CaseLink struct {
	ID       ID        `json:"id"`
	Case     ID        `json:"case"`
	Linked   ID        `json:"linked"`
	Relation string    `json:"relation"`
	Created  time.Time `json:"created"`
	By       string    `json:"by,omitempty"`
}

// LinkedCase is a link with the other case's number and alias, read from the case
// list, or Gone when that case was deleted since.
type LinkedCase struct {
	CaseLink
	Number string `json:"number,omitempty"`
	Alias  string `json:"alias,omitempty"`
	Gone   bool   `json:"gone,omitempty"`
}

func caseLinkKey(c, id ID) Key { return Key{Type: RecCaseLink, Case: c, ID: id} }

// AddCaseLink links a case to another case of the vault, found by its number, in
// both cases at once.
func (r *Records) AddCaseLink(caseID ID, number, relation string) (CaseLink, error) {
	number = strings.TrimSpace(number)
	if err := ValidCaseNumber(number); err != nil {
		return CaseLink{}, err
	}
	if err := checkChoice("relation", relation, LinkRelations); err != nil {
		return CaseLink{}, err
	}
	other, err := r.CaseByNumber(number)
	if err != nil {
		if isNotFound(err) {
			return CaseLink{}, Invalid("linked case", "is not a case number of this vault")
		}
		return CaseLink{}, err
	}
	var out CaseLink
	err = r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if other.ID == caseID {
			return Invalid("linked case", "is this case")
		}
		if _, err := writableCase(t, other.ID); err != nil {
			if errors.Is(err, ErrReadOnly) {
				return Invalid("linked case", "is a received case, which is read-only: link it from your own case file instead")
			}
			return err
		}
		dup := false
		err := scanJSON(t, RecCaseLink, caseID, func(_ Key, l *CaseLink) error {
			if l.Linked == other.ID {
				dup = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		if dup {
			return &FieldError{Field: "linked case", Reason: "is already linked to this case", Err: ErrExists}
		}
		now, who := r.now(), r.who(t)
		out = CaseLink{ID: NewID(), Case: caseID, Linked: other.ID, Relation: relation, Created: now, By: who}
		back := CaseLink{ID: out.ID, Case: other.ID, Linked: caseID, Relation: relation, Created: now, By: who}
		if err := putJSON(t, caseLinkKey(caseID, out.ID), &out); err != nil {
			return err
		}
		return putJSON(t, caseLinkKey(other.ID, out.ID), &back)
	})
	return out, err
}

// RemoveCaseLink removes a link from both cases (from this one alone when the other
// case is gone).
func (r *Records) RemoveCaseLink(caseID, linkID ID) error {
	return r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var l CaseLink
		if err := getJSON(t, caseLinkKey(caseID, linkID), &l); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("link: %w", ErrNotFound)
			}
			return err
		}
		if err := t.Delete(caseLinkKey(caseID, linkID)); err != nil {
			return err
		}
		if _, err := getCase(t, l.Linked); err == nil {
			return t.Delete(caseLinkKey(l.Linked, linkID))
		}
		return nil
	})
}

// CaseLinks returns a case's links with the other cases' numbers and aliases, by
// case number.
func (r *Records) CaseLinks(caseID ID) ([]LinkedCase, error) {
	var out []LinkedCase
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecCaseLink, caseID, func(_ Key, l *CaseLink) error {
			lc := LinkedCase{CaseLink: *l}
			var s CaseSummary
			if err := getJSON(t, caseIndexKey(l.Linked), &s); err != nil {
				if !isNotFound(err) {
					return err
				}
				lc.Gone = true
			} else {
				lc.Number, lc.Alias = s.Number, s.Alias
			}
			out = append(out, lc)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b LinkedCase) int { return strings.Compare(a.Number, b.Number) })
	return out, err
}
