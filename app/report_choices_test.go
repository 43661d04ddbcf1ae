package app_test

import (
	"slices"
	"testing"

	"casenotes/app"
)

// TestReportChoices: the filter's choices are the people cases are assigned to and
// the partners referrals name, each once whatever its letter case, and the
// indicator list; each person and partner offered keeps at least one case; a
// filter that keeps none, or only cases with nothing in the period, says so.
func TestReportChoices(t *testing.T) {
	r, cases := rpVault(t)
	// A referral to a directory entry names the entry ("Ana Ruiz at Demo Youth
	// Shelter"); an entry no referral names is not offered: it would match no case.
	ana := rpMust(r.AddPartner(app.PartnerInput{Organization: "Demo Youth Shelter", Person: "Ana Ruiz", Category: app.PartnerVictimServices}))
	rpMust(r.AddPartner(app.PartnerInput{Organization: "Demo County Probation", Category: app.PartnerProbation}))
	rpMust(r.AddReferral(cases["F3"].ID, app.ReferralInput{Service: "housing-placement", PartnerID: ana.ID}))
	// A second spelling of a person already on a case is the same person.
	rpMust(r.UpdateCase(cases["M2"].ID, app.CaseInput{Number: cases["M2"].Number, Title: cases["M2"].Title,
		Opened: cases["M2"].Opened, Assigned: []string{"adv. kim", "  Sgt. Reyes "}}))

	c := rpMust(r.ReportChoices())
	if want := []string{"Adv. Kim", "Det. Alvarez", "Sgt. Reyes"}; !slices.Equal(c.Assigned, want) {
		t.Errorf("assigned %q, want %q", c.Assigned, want)
	}
	want := []string{"Ana Ruiz at Demo Youth Shelter", "Demo Advocacy Center", "Demo Legal Aid", "Demo Therapy Clinic", "Demo Youth Shelter"}
	if !slices.Equal(c.Partners, want) {
		t.Errorf("partners %q, want %q", c.Partners, want)
	}
	if list := rpMust(r.Indicators()); !slices.Equal(c.Indicators, list) {
		t.Errorf("indicators %q, want the vault's list %q", c.Indicators, list)
	}

	p := rpQ1(t)
	for _, f := range []app.ReportFilter{{Assigned: c.Assigned[0]}, {Assigned: c.Assigned[2]}, {Partner: c.Partners[0]}, {Partner: c.Partners[3]}} {
		if rep := rpMust(r.Report(app.ReportOptions{Period: p, Filter: f})); rep.NoCases {
			t.Errorf("%s: offered, but the report says no case matches", f)
		}
	}
	if rep := rpMust(r.Report(app.ReportOptions{Period: p})); rep.NoCases || rep.Empty() {
		t.Error("the unfiltered report says no case matches, or has only zeros")
	}
	// An indicator of the list that no case carries keeps no case.
	rep := rpMust(r.Report(app.ReportOptions{Period: p, Filter: app.ReportFilter{Indicator: "unstable housing"}}))
	if !rep.NoCases || !rep.Empty() {
		t.Errorf("a filter that keeps no case: no cases %v, empty %v; want both", rep.NoCases, rep.Empty())
	}
	// A filter whose cases were not active in the period: every figure is zero.
	jan := rpMust(app.ParseReportPeriod("2025-01"))
	rep = rpMust(r.Report(app.ReportOptions{Period: jan, Filter: app.ReportFilter{Assigned: "Det. Alvarez"}}))
	if rep.NoCases || !rep.Empty() {
		t.Errorf("Det. Alvarez in January 2025: no cases %v, empty %v; want only empty", rep.NoCases, rep.Empty())
	}
	// One youth's case is "fewer than 5", not nothing.
	rep = rpMust(r.Report(app.ReportOptions{Period: p, Filter: app.ReportFilter{Indicator: "advertised online by others"}}))
	if rep.NoCases || rep.Empty() {
		t.Errorf("one case in the period: no cases %v, empty %v; want neither", rep.NoCases, rep.Empty())
	}

	// A tag on a case that was taken off the list is offered after the list.
	if err := r.SetIndicators([]string{"missing from care", "unstable housing"}); err != nil {
		t.Fatal(err)
	}
	c = rpMust(r.ReportChoices())
	if want := []string{"missing from care", "unstable housing", "advertised online by others"}; !slices.Equal(c.Indicators, want) {
		t.Errorf("indicators %q, want %q", c.Indicators, want)
	}
}
