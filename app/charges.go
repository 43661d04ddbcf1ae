package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
	return r.saveCharge(caseID, ID{}, in)
}

// UpdateCharge records a charge's disposition, sentence and amounts as the case
// moves on.
func (r *Records) UpdateCharge(caseID, id ID, in ChargeInput) (Charge, error) {
	return r.saveCharge(caseID, id, in)
}

// saveCharge adds (id zero) or changes a charge; it is always against an alleged
// offender of the case.
func (r *Records) saveCharge(caseID, id ID, in ChargeInput) (Charge, error) {
	if err := in.normalise(); err != nil {
		return Charge{}, err
	}
	return saveInCase(r, caseID, id, "charge", chargeKey,
		func(t Tx) error { return chargeable(t, caseID, in.Against) },
		func(c *Charge) {
			c.Statute, c.Counts, c.Against, c.Filed = in.Statute, in.Counts, in.Against, in.Filed
			c.Disposition, c.DispositionDate, c.Sentence = in.Disposition, in.DispositionDate, in.Sentence
			c.Restitution, c.Forfeiture = in.Restitution, in.Forfeiture
		},
		func(c *Charge, id ID, t Tx) { c.ID, c.Case, c.Created, c.By = id, caseID, r.now(), r.who(t) },
		func(c *Charge) { c.Updated = r.now() })
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
