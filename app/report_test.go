package app_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

// The hand-built vault of the report tests. Reporting period: 2026-Q1.
//
//	case  opened      age gender     language  notes
//	J1    2026-01-10  15  female     English   recovered Jan 10; advocate day 0; therapy referral in progress day 2
//	J2    2026-01-10  16  female     English   recovered Jan 12; advocate day 0; therapy referral completed day 3; closed Feb 20
//	J3    2026-01-10  17  female     Spanish   recovered Jan 15, missing Feb 1, recovered Feb 3; advocate day 1
//	J4    2026-01-10  15  male       English   advocate day 1; closed Mar 5
//	J5    2026-01-10  16  female     English   advocate day 2
//	J6    2026-01-10  13  male       English   advocate day 3
//	F1    2026-02-10  14  female     English   advocate day 0; therapy referral completed day 7
//	F2    2026-02-10  12  female     Spanish   advocate day 1; legal referral in progress day 30
//	F3    2026-02-10  16  male       English   advocate day 5
//	F4    2026-02-10  17  female     English   advocate day 10
//	M1    2026-03-01  11  nonbinary  Tagalog   the only youth under 12 and the only Tagalog speaker
//	M2    2026-03-01  -   -          -         nothing recorded about the youth
//	D1    2025-12-01  16  female     English   still open: active, not identified in the period
//	X1    2025-11-01  15  female     English   closed 2025-12-15: not active
var (
	rpJan = time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	rpFeb = time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
	rpMar = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
)

type rpCase struct {
	number   string
	opened   time.Time
	age      int
	gender   string
	language string
	assigned string
	advocate int // days to the advocate item's completion; -1: not done
}

// rpServiceDays is when each case's referral moves on, in days after it was made.
var rpServiceDays = map[string]int{"J1": 2, "J2": 3, "J3": 2, "F1": 7, "F2": 30, "D1": 2}

var rpCases = []rpCase{
	{"J1", rpJan, 15, "female", "English", "Det. Alvarez", 0},
	{"J2", rpJan, 16, "Female", "English", "Det. Alvarez", 0},
	{"J3", rpJan, 17, "female", "Spanish", "Det. Alvarez", 1},
	{"J4", rpJan, 15, "male", "english", "Det. Alvarez", 1},
	{"J5", rpJan, 16, "female", "English", "Det. Alvarez", 2},
	{"J6", rpJan, 13, "male", "English", "Det. Alvarez", 3},
	{"F1", rpFeb, 14, "female", "English", "Adv. Kim", 0},
	{"F2", rpFeb, 12, "female", "Spanish", "Adv. Kim", 1},
	{"F3", rpFeb, 16, "male", "English", "Adv. Kim", 5},
	{"F4", rpFeb, 17, "female", "English", "Adv. Kim", 10},
	{"M1", rpMar, 11, "nonbinary", "Tagalog", "Adv. Kim", -1},
	{"M2", rpMar, 0, "", "", "Adv. Kim", -1},
	{"D1", time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC), 16, "female", "English", "Det. Alvarez", -1},
	{"X1", time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC), 15, "female", "English", "Det. Alvarez", -1},
}

// rpAt runs fn with the vault's clock at t.
func rpAt(r *app.Records, t time.Time, fn func()) {
	old := r.Now
	r.Now = func() time.Time { return t }
	fn()
	r.Now = old
}

// rpMust returns v, or stops the test (by a panic the test reports) on err: the
// calls it wraps build the fixture, which the tests cannot do without.
func rpMust[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("building the report fixture: %v", err))
	}
	return v
}

// rpVault builds the vault of the table above; the aliases and numbers carry a
// marker the output tests look for.
func rpVault(t *testing.T) (*app.Records, map[string]app.Case) {
	t.Helper()
	r := newTestRecords(t)
	r.Now = func() time.Time { return time.Date(2026, 4, 15, 12, 0, 0, 0, time.UTC) }
	rpMust(r.SaveProfile(app.Profile{DisplayName: "Sgt. Reyes", Role: app.RoleSupervisor, Agency: "Demo County Task Force"}))
	cases := map[string]app.Case{}
	for _, c := range rpCases {
		v := app.Victim{Alias: "Alias-" + c.number, Age: c.age, Gender: c.gender}
		if c.language != "" {
			v.Languages = []string{c.language}
		}
		in := app.CaseInput{Number: "2026-RP-" + c.number, Title: "Case " + c.number, Opened: c.opened, Assigned: []string{c.assigned}}
		if c.number == "M1" {
			in.Tags = []string{"advertised online by others"}
		}
		rpAt(r, c.opened, func() { cases[c.number] = rpMust(r.CreateCase(in, v)) })
		if c.advocate >= 0 {
			id := cases[c.number].ID
			items := rpMust(r.Checklist(id))
			for _, it := range items {
				if it.TemplateItem == "initial.advocate-called" {
					rpAt(r, c.opened.AddDate(0, 0, c.advocate), func() { rpMust(r.SetItemStatus(id, it.ID, app.ItemDone, "")) })
				}
			}
		}
	}
	id := func(n string) app.ID { return cases[n].ID }
	referral := func(n string, s app.ServiceType, partner string, steps ...app.ReferralStatus) {
		c := cases[n]
		at := c.Opened.Add(9 * time.Hour)
		var ref app.Referral
		rpAt(r, at, func() { ref = rpMust(r.AddReferral(c.ID, app.ReferralInput{Service: s, Partner: partner})) })
		for _, st := range steps {
			when := at.AddDate(0, 0, rpServiceDays[n])
			rpAt(r, when, func() { rpMust(r.SetReferralStatus(c.ID, ref.ID, st)) })
		}
	}
	referral("J1", "therapy", "Demo Therapy Clinic", app.ReferralInProgress)
	referral("J2", "therapy", "Demo Therapy Clinic", app.ReferralCompleted)
	referral("J3", "housing-placement", "Demo Youth Shelter", app.ReferralDeclined)
	referral("J4", "advocacy", "Demo Advocacy Center")
	referral("F1", "therapy", "demo therapy clinic", app.ReferralCompleted)
	referral("F2", "legal", "Demo Legal Aid", app.ReferralInProgress, app.ReferralClosed)
	referral("D1", "therapy", "Demo Therapy Clinic", app.ReferralCompleted) // made in December

	event := func(n string, kind app.EventKind, d time.Time) {
		rpMust(r.AddTimelineEvent(id(n), app.TimelineInput{Kind: kind, Date: d, Description: "Event of " + n}))
	}
	event("J1", "recovery", time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
	event("J2", "recovery", time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC))
	event("J3", "recovery", time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC))
	event("J3", "missing-episode", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	event("J3", "recovery", time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC))
	event("D1", "missing-episode", time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC))
	event("J4", "placement-change", time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC))

	ref := func(n string, in app.ReferenceInput) { rpMust(r.AddReference(id(n), in)) }
	ref("J1", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: time.Date(2026, 1, 10, 14, 0, 0, 0, time.UTC), Screening: "screened-in"})
	ref("J2", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: time.Date(2026, 1, 13, 9, 0, 0, 0, time.UTC), Screening: "screened-out"})
	ref("J3", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: time.Date(2026, 1, 16, 9, 0, 0, 0, time.UTC)})
	ref("D1", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: time.Date(2025, 12, 2, 9, 0, 0, 0, time.UTC), Screening: "screened-in"})
	ref("J3", app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC), ReportedAt: time.Date(2026, 2, 1, 20, 0, 0, 0, time.UTC)})
	ref("J5", app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: time.Date(2026, 2, 5, 8, 0, 0, 0, time.UTC), ReportedAt: time.Date(2026, 2, 7, 8, 0, 0, 0, time.UTC)})
	ref("J6", app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)})
	ref("J6", app.ReferenceInput{Kind: app.RefTip, TipSource: "hotline", Number: "TIP-RP-1", ReportedAt: time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)})

	a := rpMust(r.AddPerson(id("J1"), app.PersonInput{Reference: "Suspect A", Role: "suspect"}))
	b1 := rpMust(r.AddPerson(id("J2"), app.PersonInput{Reference: "Buyer 1", Role: "buyer"}))
	b := rpMust(r.AddPerson(id("J3"), app.PersonInput{Reference: "Suspect B", Role: "suspect"}))
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	rpMust(r.AddCharge(id("J1"), app.ChargeInput{Statute: "Demo Code 1", Counts: 2, Against: a.ID, Filed: day(1, 20),
		Disposition: "convicted", DispositionDate: day(3, 10), Sentence: "Eight years", Restitution: 100_000, Forfeiture: 500_000}))
	rpMust(r.AddCharge(id("J1"), app.ChargeInput{Statute: "Demo Code 2", Counts: 1, Against: a.ID, Filed: day(1, 20),
		Disposition: "dismissed", DispositionDate: day(3, 10)}))
	rpMust(r.AddCharge(id("J2"), app.ChargeInput{Statute: "Demo Code 3", Counts: 1, Against: b1.ID, Filed: day(2, 1)}))
	rpMust(r.AddCharge(id("J3"), app.ChargeInput{Statute: "Demo Code 1", Counts: 1, Against: b.ID,
		Filed: time.Date(2025, 12, 20, 0, 0, 0, 0, time.UTC), Disposition: "pleaded-guilty", DispositionDate: day(2, 15), Restitution: 25_000}))

	rpMust(r.SetChildWelfareOutcome(id("J1"), "foster-care", day(2, 1)))
	rpMust(r.SetChildWelfareOutcome(id("J2"), "reunified", day(3, 15)))
	rpMust(r.SetChildWelfareOutcome(id("J3"), "foster-care", time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)))

	rpAt(r, day(2, 20).Add(10*time.Hour), func() { rpMust(r.SetCaseStatus(id("J2"), app.CaseClosed, "Services completed")) })
	rpAt(r, day(3, 5).Add(10*time.Hour), func() { rpMust(r.SetCaseStatus(id("J4"), app.CaseClosed, "Moved out of state")) })
	rpAt(r, time.Date(2025, 12, 15, 10, 0, 0, 0, time.UTC), func() {
		rpMust(r.SetCaseStatus(id("X1"), app.CaseClosed, "Services completed"))
	})
	return r, cases
}

func rpQ1(t *testing.T) app.ReportPeriod {
	t.Helper()
	return rpMust(app.ParseReportPeriod("2026-Q1"))
}

// rpGrid is a table as "row.column=text" lines, for comparing with a listing.
func rpGrid(rep *app.Report, key string) map[string]string {
	out := map[string]string{}
	tab := rep.Table(key)
	if tab == nil {
		return nil
	}
	for _, row := range tab.Rows {
		for j, c := range row.Cells {
			out[row.Key+"."+tab.Columns[j].Key] = c.Text(rep.MinCell)
		}
	}
	return out
}

func rpExpect(t *testing.T, rep *app.Report, key string, want map[string]string) {
	t.Helper()
	got := rpGrid(rep, key)
	if got == nil {
		t.Fatalf("table %s missing", key)
	}
	for cell, w := range want {
		if got[cell] != w {
			t.Errorf("%s %s = %q, want %q", key, cell, got[cell], w)
		}
	}
	for cell := range got {
		if _, ok := want[cell]; !ok {
			t.Errorf("%s %s = %q is not in the expectation", key, cell, got[cell])
		}
	}
}

// TestReportFigures checks every figure's count on the hand-built vault, before
// de-identification (the answers are worked out from the table above rpVault).
func TestReportFigures(t *testing.T) {
	r, cases := rpVault(t)
	rep := rpMust(r.ReportCounts(app.ReportOptions{Period: rpQ1(t)}))
	if rep.Agency != "Demo County Task Force" || rep.GeneratedBy != "Det. Alvarez" || rep.MinCell != 5 {
		t.Errorf("header: %q %q %d", rep.Agency, rep.GeneratedBy, rep.MinCell)
	}
	rpExpect(t, rep, "cases", map[string]string{"active.count": "13", "received.count": "0"})
	rpExpect(t, rep, "cases_by_month", map[string]string{
		"2026-01.opened": "6", "2026-01.closed": "0",
		"2026-02.opened": "4", "2026-02.closed": "1",
		"2026-03.opened": "2", "2026-03.closed": "1",
		"total.opened": "12", "total.closed": "2",
	})
	rpExpect(t, rep, "youth_age_band", map[string]string{"under_12.count": "1", "12-14.count": "3", "15-17.count": "7",
		"18_or_older.count": "0", "not_recorded.count": "1", "total.count": "12"})
	// Only values shared by at least five youth are named.
	rpExpect(t, rep, "youth_gender", map[string]string{"female.count": "7", "other.count": "4", "not_recorded.count": "1", "total.count": "12"})
	rpExpect(t, rep, "youth_language", map[string]string{"english.count": "8", "other.count": "3", "not_recorded.count": "1", "total.count": "12"})
	rpExpect(t, rep, "recoveries", map[string]string{"recoveries.count": "4", "youth_recovered.count": "3",
		"missing_episodes.count": "1", "youth_missing.count": "1"})
	// Advocate days 0,0,0,1,1,1,2,3,5,10: nearest-rank median the 5th (1), 90th
	// percentile the 9th (5). First service for four youth only: withheld.
	rpExpect(t, rep, "time_to_services", map[string]string{
		"advocate_contact.youth": "10", "advocate_contact.median": "1 day", "advocate_contact.p90": "5 days",
		"first_service.youth": "4", "first_service.median": "withheld", "first_service.p90": "withheld",
	})
	ref := map[string]string{}
	for _, s := range app.ServiceTypes {
		for _, col := range []string{"open", "completed", "declined", "closed", "total"} {
			ref[string(s)+"."+col] = "0"
		}
	}
	for k, v := range map[string]string{
		"therapy.open": "1", "therapy.completed": "2", "therapy.total": "3",
		"housing-placement.declined": "1", "housing-placement.total": "1",
		"advocacy.open": "1", "advocacy.total": "1",
		"legal.closed": "1", "legal.total": "1",
		"total.open": "2", "total.completed": "2", "total.declined": "1", "total.closed": "1", "total.total": "6",
	} {
		ref[k] = v
	}
	rpExpect(t, rep, "referrals", ref)
	rpExpect(t, rep, "mandated_reports", map[string]string{"pending.count": "1", "screened-in.count": "1",
		"screened-out.count": "1", "total.count": "3"})
	rpExpect(t, rep, "ncmec_reports", map[string]string{"within_24_hours.count": "1", "later.count": "1",
		"not_made.count": "1", "total.count": "3"})
	rpExpect(t, rep, "charges", map[string]string{"people_charged.count": "2", "charges_filed.count": "3",
		"people_convicted.count": "2", "sentences.count": "1"})
	rpExpect(t, rep, "dispositions", map[string]string{"declined.count": "0", "dismissed.count": "1", "diverted.count": "0",
		"pleaded-guilty.count": "1", "convicted.count": "1", "acquitted.count": "0", "other.count": "0", "total.count": "3"})
	// Two cases with a conviction: the money totals are withheld.
	rpExpect(t, rep, "restitution_forfeiture", map[string]string{"cases.amount": "2", "restitution.amount": "withheld",
		"forfeiture.amount": "withheld"})
	cw := map[string]string{}
	for _, o := range app.ChildWelfareOutcomes {
		cw[o+".count"] = "0"
	}
	cw["foster-care.count"], cw["reunified.count"], cw["total.count"] = "1", "1", "2"
	rpExpect(t, rep, "child_welfare_outcomes", cw)

	// Checklist: 13 active cases, each with the whole template; the advocate item
	// done in ten of them.
	items := rpMust(r.Checklist(cases["J1"].ID))
	perPhase, perPartner := map[app.Phase]int{}, map[app.Partner]int{}
	for _, it := range items {
		perPhase[it.Phase]++
		perPartner[it.Owner]++
	}
	for _, ph := range app.Phases {
		done := 0
		if ph == app.PhaseInitialResponse {
			done = 10
		}
		total := 13 * perPhase[ph]
		c, _ := rep.Cell("checklist_by_phase", string(ph), "done")
		o, _ := rep.Cell("checklist_by_phase", string(ph), "open")
		pct, _ := rep.Cell("checklist_by_phase", string(ph), "percent_resolved")
		if c.Value != int64(done) || o.Value != int64(total-done) || pct.Value != int64(done*100/total) {
			t.Errorf("phase %s: done %v open %v pct %v, want %d %d %d", ph, c, o, pct, done, total-done, done*100/total)
		}
	}
	vs, _ := rep.Cell("checklist_by_partner", string(app.PartnerVictimServices), "done")
	if vs.Value != 10 {
		t.Errorf("victim services done = %v, want 10", vs)
	}
}

// TestReportFilters: a filter narrows every figure to the cases it keeps.
func TestReportFilters(t *testing.T) {
	r, _ := rpVault(t)
	for _, tc := range []struct {
		f                      app.ReportFilter
		active, opened, closed string
		referrals              string
	}{
		{app.ReportFilter{Assigned: "adv. kim"}, "6", "6", "0", "2"},
		{app.ReportFilter{Partner: "DEMO THERAPY CLINIC"}, "4", "3", "1", "3"},
		{app.ReportFilter{Indicator: "advertised online by others"}, "1", "1", "0", "0"},
		{app.ReportFilter{Assigned: "Det. Alvarez", Partner: "Demo Youth Shelter"}, "1", "1", "0", "1"},
	} {
		rep := rpMust(r.ReportCounts(app.ReportOptions{Period: rpQ1(t), Filter: tc.f}))
		g, m, ref := rpGrid(rep, "cases"), rpGrid(rep, "cases_by_month"), rpGrid(rep, "referrals")
		if g["active.count"] != tc.active || m["total.opened"] != tc.opened || m["total.closed"] != tc.closed || ref["total.total"] != tc.referrals {
			t.Errorf("%s: active %s opened %s closed %s referrals %s, want %s %s %s %s", tc.f, g["active.count"], m["total.opened"],
				m["total.closed"], ref["total.total"], tc.active, tc.opened, tc.closed, tc.referrals)
		}
	}
}

// TestReportSuppression checks the de-identified report at the lowest threshold
// (3), cell by cell.
func TestReportSuppression(t *testing.T) {
	r, _ := rpVault(t)
	rep := rpMust(r.Report(app.ReportOptions{Period: rpQ1(t), MinCell: 3}))
	rpExpect(t, rep, "cases_by_month", map[string]string{
		// March's 2 is small; February's 4 goes with it, or 12-6-2... would give it.
		"2026-01.opened": "6", "2026-02.opened": "suppressed", "2026-03.opened": "fewer than 3", "total.opened": "12",
		// Two closed in all: the whole column goes, January's zero included.
		"2026-01.closed": "suppressed", "2026-02.closed": "fewer than 3", "2026-03.closed": "fewer than 3", "total.closed": "fewer than 3",
	})
	// Under 12 and not recorded are 1 each: together under 3, so 12-14 goes too.
	rpExpect(t, rep, "youth_age_band", map[string]string{"under_12.count": "fewer than 3", "12-14.count": "suppressed",
		"15-17.count": "7", "18_or_older.count": "0", "not_recorded.count": "fewer than 3", "total.count": "12"})
	rpExpect(t, rep, "youth_gender", map[string]string{"female.count": "7", "male.count": "suppressed",
		"other.count": "fewer than 3", "not_recorded.count": "fewer than 3", "total.count": "12"})
	rpExpect(t, rep, "youth_language", map[string]string{"english.count": "8", "other.count": "suppressed",
		"not_recorded.count": "fewer than 3", "total.count": "12"})
	rpExpect(t, rep, "ncmec_reports", map[string]string{"within_24_hours.count": "fewer than 3", "later.count": "fewer than 3",
		"not_made.count": "fewer than 3", "total.count": "3"})
	for _, tab := range rep.Tables {
		for _, row := range tab.Rows {
			for _, c := range row.Cells {
				if !c.Shown() && c.Value != 0 {
					t.Fatalf("%s %s: a hidden cell carries its value %d", tab.Key, row.Key, c.Value)
				}
			}
		}
	}
}

// TestReportCannotSingleOutAYouth: M1 is the only youth under 12 and the only
// Tagalog speaker. Neither the full report nor one narrowed by a filter that
// keeps only M1's case shows a count of one, names the language, or carries a
// case number, an alias or a date of a single event.
func TestReportCannotSingleOutAYouth(t *testing.T) {
	r, _ := rpVault(t)
	for _, f := range []app.ReportFilter{{}, {Indicator: "advertised online by others"}, {Assigned: "Adv. Kim"}} {
		for _, period := range []string{"2026-Q1", "2026-03", "2026"} {
			p := rpMust(app.ParseReportPeriod(period))
			rep := rpMust(r.Report(app.ReportOptions{Period: p, Filter: f}))
			text := rpText(rep)
			for _, leak := range []string{"Tagalog", "tagalog", "nonbinary", "2026-RP-", "Alias-", "Event of"} {
				if strings.Contains(text, leak) {
					t.Errorf("%s %s: the report holds %q", period, f, leak)
				}
			}
			if c, _ := rep.Cell("youth_age_band", "under_12", "count"); c.Shown() && c.Value > 0 {
				t.Errorf("%s %s: the under-12 cell shows %d", period, f, c.Value)
			}
			for _, tab := range rep.Tables {
				for _, row := range tab.Rows {
					for _, c := range row.Cells {
						if c.Shown() && c.Unit == app.UnitCount && c.Value > 0 && c.Value < 5 && !strings.HasPrefix(tab.Key, "checklist") {
							t.Errorf("%s %s: %s %s shows %d", period, f, tab.Key, row.Key, c.Value)
						}
					}
				}
			}
		}
	}
	// With the indicator filter only M1 is counted: every youth figure is hidden.
	rep := rpMust(r.Report(app.ReportOptions{Period: rpQ1(t), Filter: app.ReportFilter{Indicator: "advertised online by others"}}))
	for _, key := range []string{"youth_age_band", "youth_gender", "youth_language"} {
		for _, row := range rep.Table(key).Rows {
			if row.Cells[0].Shown() {
				t.Errorf("%s %s is shown (%d) for a single youth", key, row.Key, row.Cells[0].Value)
			}
		}
	}
}

// rpText is every label and cell text of a report.
func rpText(rep *app.Report) string {
	var b strings.Builder
	fmt.Fprintln(&b, rep.Agency, rep.Period.Title(), rep.Filter)
	for _, tab := range rep.Tables {
		fmt.Fprintln(&b, tab.Title, tab.Note)
		for _, row := range tab.Rows {
			b.WriteString(row.Label)
			for _, c := range row.Cells {
				b.WriteString(" " + c.Text(rep.MinCell))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestReportMinCellBounds(t *testing.T) {
	r, _ := rpVault(t)
	for _, k := range []int{1, 2, -1, 101} {
		if _, err := r.Report(app.ReportOptions{Period: rpQ1(t), MinCell: k}); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("threshold %d: %v, want a refusal", k, err)
		}
	}
	if _, err := r.Report(app.ReportOptions{}); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("no period: %v, want a refusal", err)
	}
}

// TestReportFactsAndOlderVaults: every case gets its report facts from the commit
// path, and a vault written before they existed (none kept) gives the same report,
// read from the checklists.
func TestReportFactsAndOlderVaults(t *testing.T) {
	r, _ := rpVault(t)
	if n, err := app.ReportFactsCount(r); err != nil || n != len(rpCases) {
		t.Fatalf("%d report facts records, want one a case (%d): %v", n, len(rpCases), err)
	}
	for _, period := range []string{"2026-Q1", "2026-02", "2026"} { // per case, and one scan
		p := rpMust(app.ParseReportPeriod(period))
		with := rpMust(r.ReportCounts(app.ReportOptions{Period: p}))
		if err := app.DropReportFacts(r); err != nil {
			t.Fatal(err)
		}
		without := rpMust(r.ReportCounts(app.ReportOptions{Period: p}))
		if a, b := rpText(with), rpText(without); a != b {
			t.Errorf("%s: the report differs without report facts:\n%s\n---\n%s", period, a, b)
		}
		if g := rpGrid(without, "time_to_services"); period == "2026-Q1" && g["advocate_contact.youth"] != "10" {
			t.Errorf("without report facts: %v", g)
		}
		// The migration of older vaults writes them again, from the checklists.
		if err := app.RunReportFactsMigration(r); err != nil {
			t.Fatal(err)
		}
		if n, _ := app.ReportFactsCount(r); n != len(rpCases) {
			t.Fatalf("after the migration: %d report facts records, want %d", n, len(rpCases))
		}
		if again := rpMust(r.ReportCounts(app.ReportOptions{Period: p})); rpText(again) != rpText(with) {
			t.Errorf("%s: the report differs after the migration", period)
		}
	}
}
