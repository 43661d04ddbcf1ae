package app

import (
	"slices"
	"time"
)

// What a case led to: its people by pseudonymous reference (people.go), the
// charges against them with their dispositions, sentences, restitution and
// forfeiture (charges.go), and here the child-welfare outcome and the outcome of
// each service. Links between cases of the vault are in caselinks.go.

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
