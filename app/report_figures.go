package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The figures of a report, table by table, in the order docs/report.md defines
// them. Each builder counts raw values; deidentify (report_suppress.go) then
// decides what may be shown.

// Report counts the vault's cases for a period and applies the de-identification
// rules. The result holds aggregates only.
func (r *Records) Report(opt ReportOptions) (*Report, error) {
	rep, err := r.countReport(opt)
	if err != nil {
		return nil, err
	}
	for i := range rep.Tables {
		deidentify(&rep.Tables[i], rep.MinCell)
	}
	return rep, nil
}

// countReport reads and counts, before de-identification.
func (r *Records) countReport(opt ReportOptions) (*Report, error) {
	k := opt.MinCell
	if k == 0 {
		k = DefaultMinCell
	}
	if k < LowestMinCell || k > 100 {
		return nil, Invalid("smallest count shown", fmt.Sprintf("must be between %d and 100", LowestMinCell))
	}
	p := opt.Period
	if p.From.IsZero() || !p.To.After(p.From) {
		return nil, Invalid("period", "is not set: choose a month, a quarter, a year or a grant's period")
	}
	rep := &Report{Period: p, Filter: opt.Filter, MinCell: k, Generated: r.now()}
	err := r.view(func(t Tx) error {
		var prof Profile
		if err := getJSON(t, profileKey, &prof); err != nil && !isNotFound(err) {
			return err
		}
		rep.Agency, rep.GeneratedBy = prof.Agency, prof.DisplayName
		if r.User != "" {
			rep.GeneratedBy = r.User
		}
		d, err := readReport(t, p, opt.Filter)
		if err != nil {
			return err
		}
		rep.Tables = buildTables(d, p, k)
		rep.NoCases = len(d.cases) == 0
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func buildTables(d *reportData, p ReportPeriod, k int) []ReportTable {
	var cohort []*reportCase // youth identified: cases opened in the period
	for _, c := range d.cases {
		if p.Contains(c.opened) {
			cohort = append(cohort, c)
		}
	}
	return []ReportTable{
		casesTable(d, p),
		casesByMonth(d, p),
		youthTable("youth_age_band", "Youth identified by age band", "age band at intake",
			cohort, d, k, func(v reportVictim) string { return v.ageBand }, AgeBands, "Age not recorded", ""),
		youthTable("youth_gender", "Youth identified by gender", "gender as the young person describes it",
			cohort, d, k, func(v reportVictim) string { return v.gender }, nil, "Gender not recorded", "Another description"),
		youthTable("youth_language", "Youth identified by first language", "first language listed",
			cohort, d, k, func(v reportVictim) string { return v.language }, nil, "Language not recorded", "Another language"),
		recoveriesTable(d, p),
		timeToServices(cohort, d),
		referralsTable(d, p),
		checklistTable(d, p, true),
		checklistTable(d, p, false),
		mandatedReports(d, p),
		ncmecReports(d, p),
		chargesTable(d, p),
		dispositionsTable(d, p),
		moneyTable(d, p),
		childWelfareTable(d, p),
	}
}

// count is a shown count cell; deidentify hides it if it must.
func count(n int) ReportCell { return ReportCell{Value: int64(n), Status: CellShown, Unit: UnitCount} }

func withheld(u Unit) ReportCell { return ReportCell{Status: CellWithheld, Unit: u} }

func oneColumn(label string) []ReportColumn { return []ReportColumn{{Key: "count", Label: label}} }

func row(key, label string, cells ...ReportCell) ReportRow {
	return ReportRow{Key: key, Label: label, Cells: cells}
}

// totalRow adds up the count cells of rows, column by column.
func totalRow(label string, rows []ReportRow) ReportRow {
	tot := ReportRow{Key: "total", Label: label, Total: true}
	for _, r := range rows {
		for j, c := range r.Cells {
			if j >= len(tot.Cells) {
				tot.Cells = append(tot.Cells, count(0))
			}
			tot.Cells[j].Value += c.Value
		}
	}
	return tot
}

func casesTable(d *reportData, p ReportPeriod) ReportTable {
	active, received := 0, 0
	for _, c := range d.cases {
		if !c.active(p) {
			continue
		}
		active++
		if c.received {
			received++
		}
	}
	return ReportTable{Key: "cases", Title: "Cases", Columns: oneColumn("Cases"), Rows: []ReportRow{
		row("active", "Cases active in the period", count(active)),
		row("received", "Cases received from partners, of those active", count(received)),
	}}
}

func casesByMonth(d *reportData, p ReportPeriod) ReportTable {
	months := p.Months()
	rows := make([]ReportRow, len(months))
	for i, m := range months {
		rows[i] = row(m.Format("2006-01"), m.Format("Jan 2006"), count(0), count(0))
	}
	at := func(t time.Time) int {
		if !p.Contains(t) {
			return -1
		}
		return (t.Year()-p.From.Year())*12 + int(t.Month()-p.From.Month())
	}
	for _, c := range d.cases {
		if i := at(c.opened); i >= 0 {
			rows[i].Cells[0].Value++
		}
		if c.status == CaseClosed {
			if i := at(c.closed); i >= 0 {
				rows[i].Cells[1].Value++
			}
		}
	}
	rows = append(rows, totalRow("Total in the period", rows))
	return ReportTable{Key: "cases_by_month", Title: "Cases opened and closed by month",
		Columns: []ReportColumn{{Key: "opened", Label: "Opened"}, {Key: "closed", Label: "Closed"}},
		Rows:    rows, Chart: ChartMonthly}
}

// youthTable counts the youth identified in the period by one value of their
// profile. With a fixed list (age bands) every value has its row; otherwise a
// value gets a row of its own only when at least k youth share it, and the rest
// are added up under other, so a rare value is never named.
func youthTable(key, title, what string, cohort []*reportCase, d *reportData, k int,
	value func(reportVictim) string, fixed []string, missing, other string) ReportTable {
	counts := map[string]int{}
	for _, c := range cohort {
		counts[value(d.victims[c.id])]++
	}
	var rows []ReportRow
	if fixed != nil {
		for _, v := range fixed {
			rows = append(rows, row(slug(v), v, count(counts[v])))
			delete(counts, v)
		}
	} else {
		var named []string
		for v, n := range counts {
			if v != "" && n >= k {
				named = append(named, v)
			}
		}
		slices.SortFunc(named, func(a, b string) int {
			return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b))
		})
		rest := 0
		for v, n := range counts {
			if v != "" && n < k {
				rest += n
			}
		}
		for _, v := range named {
			rows = append(rows, row(slug(v), capitalize(v), count(counts[v])))
		}
		rows = append(rows, row("other", other, count(rest)))
	}
	rows = append(rows, row("not_recorded", missing, count(counts[""])))
	rows = append(rows, totalRow("Youth identified", rows))
	return ReportTable{Key: key, Title: title, Note: "Youth of the cases opened in the period, by " + what + ".",
		Columns: oneColumn("Youth"), Rows: rows, Chart: ChartBars}
}

// slug is a value as a stable row key: "15-17" -> "15-17", "18 or older" -> "18_or_older".
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '_'
	}, s)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func recoveriesTable(d *reportData, p ReportPeriod) ReportTable {
	var recoveries, recovered, missing, wentMissing int
	for _, evs := range d.events {
		rec, mis := 0, 0
		for _, ev := range evs {
			if !p.Contains(ev.Date) {
				continue
			}
			if ev.Kind == "recovery" {
				rec++
			} else {
				mis++
			}
		}
		recoveries += rec
		missing += mis
		if rec > 0 {
			recovered++
		}
		if mis > 0 {
			wentMissing++
		}
	}
	return ReportTable{Key: "recoveries", Title: "Recoveries and missing episodes", Columns: oneColumn("Number"),
		Rows: []ReportRow{
			row("recoveries", "Recoveries", count(recoveries)),
			row("youth_recovered", "Youth recovered", count(recovered)),
			row("missing_episodes", "Missing episodes", count(missing)),
			row("youth_missing", "Youth with a missing episode", count(wentMissing)),
		}}
}

// days is the number of whole days from a to b, never negative.
func days(a, b time.Time) int64 {
	n := int64(dateOnly(b.UTC()).Sub(dateOnly(a.UTC())).Hours() / 24)
	return max(n, 0)
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []int64, pct int) int64 {
	rank := (pct*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

func durationRow(key, label string, vals []int64) ReportRow {
	slices.Sort(vals)
	r := row(key, label, count(len(vals)), withheld(UnitDays), withheld(UnitDays))
	if len(vals) >= MinCasesForStatistic {
		r.Cells[1] = ReportCell{Value: percentile(vals, 50), Status: CellShown, Unit: UnitDays}
		r.Cells[2] = ReportCell{Value: percentile(vals, 90), Status: CellShown, Unit: UnitDays}
	}
	return r
}

func timeToServices(cohort []*reportCase, d *reportData) ReportTable {
	var advocate, service []int64
	for _, c := range cohort {
		if at, ok := d.advocate[c.id]; ok {
			advocate = append(advocate, days(c.opened, at))
		}
		var first time.Time
		for _, r := range d.referrals[c.id] {
			if !r.firstService.IsZero() && (first.IsZero() || r.firstService.Before(first)) {
				first = r.firstService
			}
		}
		if !first.IsZero() {
			service = append(service, days(c.opened, first))
		}
	}
	return ReportTable{Key: "time_to_services", Title: "Time from identification to services",
		Note:    fmt.Sprintf("Days from the case's opening, for youth identified in the period; the median and 90th percentile are withheld under %d youth.", MinCasesForStatistic),
		Columns: []ReportColumn{{Key: "youth", Label: "Youth"}, {Key: "median", Label: "Median"}, {Key: "p90", Label: "90th percentile"}},
		Rows: []ReportRow{
			durationRow("advocate_contact", "First advocate contact", advocate),
			durationRow("first_service", "First service", service),
		}, Chart: ChartDuration}
}

// referralOutcomes are the columns of the referrals table: where each referral made
// in the period stands now.
var referralOutcomes = []struct {
	key, label string
	match      func(ReferralStatus) bool
}{
	{"open", "Open", ReferralStatus.Open},
	{"completed", "Completed", func(s ReferralStatus) bool { return s == ReferralCompleted }},
	{"declined", "Declined", func(s ReferralStatus) bool { return s == ReferralDeclined }},
	{"closed", "Closed", func(s ReferralStatus) bool { return s == ReferralClosed }},
}

func referralsTable(d *reportData, p ReportPeriod) ReportTable {
	cols := make([]ReportColumn, 0, len(referralOutcomes)+1)
	for _, o := range referralOutcomes {
		cols = append(cols, ReportColumn{Key: o.key, Label: o.label})
	}
	cols = append(cols, ReportColumn{Key: "total", Label: "Total"})
	rows := make([]ReportRow, len(ServiceTypes))
	for i, s := range ServiceTypes {
		rows[i] = ReportRow{Key: string(s), Label: serviceTitle(s)}
		for range cols {
			rows[i].Cells = append(rows[i].Cells, count(0))
		}
	}
	for _, refs := range d.referrals {
		for _, r := range refs {
			i := slices.Index(ServiceTypes, r.service)
			if i < 0 || !p.Contains(r.created) {
				continue
			}
			for j, o := range referralOutcomes {
				if o.match(r.status) {
					rows[i].Cells[j].Value++
				}
			}
			rows[i].Cells[len(cols)-1].Value++
		}
	}
	rows = append(rows, totalRow("All services", rows))
	return ReportTable{Key: "referrals", Title: "Referrals made in the period, by service and where they stand",
		Columns: cols, Rows: rows, Chart: ChartBars, totalCol: true}
}

func serviceTitle(s ServiceType) string {
	if s == "housing-placement" {
		return "Housing or placement"
	}
	return capitalize(string(s))
}

// checklistTable adds up the checklist counts of the cases active in the period,
// by phase or by partner, as they stand when the report is made.
func checklistTable(d *reportData, p ReportPeriod, byPhase bool) ReportTable {
	labels := make([]ReportRow, 0, len(Partners))
	offset := 0
	if byPhase {
		for _, ph := range Phases {
			labels = append(labels, ReportRow{Key: string(ph), Label: ph.Title()})
		}
	} else {
		offset = len(Phases)
		for _, pa := range Partners {
			labels = append(labels, ReportRow{Key: string(pa), Label: pa.Title()})
		}
	}
	sums := make([]ProgressCount, len(labels))
	cases := 0
	for _, c := range d.cases {
		if !c.active(p) || c.checklist == nil {
			continue
		}
		cases++
		for i := range sums {
			if offset+i < len(c.checklist.n) {
				n := c.checklist.n[offset+i]
				sums[i].Done += n.Done
				sums[i].NotApplicable += n.NotApplicable
				sums[i].Total += n.Total
			}
		}
	}
	cols := []ReportColumn{{Key: "done", Label: "Done"}, {Key: "not_applicable", Label: "Not applicable"},
		{Key: "open", Label: "Open"}, {Key: "percent_resolved", Label: "Resolved"}}
	for i, s := range sums {
		r := &labels[i]
		if cases < MinCasesForStatistic {
			r.Cells = []ReportCell{withheld(UnitCount), withheld(UnitCount), withheld(UnitCount), withheld(UnitPercent)}
			continue
		}
		pct := withheld(UnitPercent)
		if s.Total > 0 {
			pct = ReportCell{Value: int64(s.Resolved() * 100 / s.Total), Status: CellShown, Unit: UnitPercent}
		}
		// Items, not youth: these counts are not small-cell suppressed (docs/report.md).
		r.Cells = []ReportCell{{Value: int64(s.Done), Status: CellShown, Unit: UnitCount},
			{Value: int64(s.NotApplicable), Status: CellShown, Unit: UnitCount},
			{Value: int64(s.Open()), Status: CellShown, Unit: UnitCount}, pct}
	}
	t := ReportTable{Key: "checklist_by_partner", Title: "Checklist completion by partner", Columns: cols, Rows: labels, Chart: ChartProgress, items: true}
	if byPhase {
		t.Key, t.Title = "checklist_by_phase", "Checklist completion by phase"
	}
	t.Note = fmt.Sprintf("Checklist items of the cases active in the period, as they stand when the report is made; withheld under %d cases.", MinCasesForStatistic)
	return t
}

func mandatedReports(d *reportData, p ReportPeriod) ReportTable {
	rows := make([]ReportRow, len(ScreeningDecisions))
	for i, s := range ScreeningDecisions {
		rows[i] = row(s, capitalize(strings.ReplaceAll(s, "-", " ")), count(0))
	}
	for _, refs := range d.refs {
		for _, ref := range refs {
			if ref.Kind != RefChildWelfare || !p.Contains(ref.ReportedAt) {
				continue
			}
			if i := slices.Index(ScreeningDecisions, ref.Screening); i >= 0 {
				rows[i].Cells[0].Value++
			}
		}
	}
	rows = append(rows, totalRow("Mandated reports made", rows))
	return ReportTable{Key: "mandated_reports", Title: "Mandated reports to child welfare made in the period, by screening decision",
		Columns: oneColumn("Reports"), Rows: rows}
}

func ncmecReports(d *reportData, p ReportPeriod) ReportTable {
	var onTime, late, notMade int
	for _, refs := range d.refs {
		for _, ref := range refs {
			if ref.Kind != RefNCMEC || !p.Contains(ref.MissingSince) {
				continue
			}
			switch {
			case ref.ReportedAt.IsZero():
				notMade++
			case ref.ReportedAt.Sub(ref.MissingSince) <= NCMECReportWindow:
				onTime++
			default:
				late++
			}
		}
	}
	rows := []ReportRow{
		row("within_24_hours", "Made within 24 hours", count(onTime)),
		row("later", "Made later", count(late)),
		row("not_made", "Not recorded as made", count(notMade)),
	}
	rows = append(rows, totalRow("Children missing from care", rows))
	return ReportTable{Key: "ncmec_reports", Title: "NCMEC reports of children missing from care, for episodes that began in the period",
		Columns: oneColumn("Reports"), Rows: rows}
}

func isConviction(disposition string) bool {
	return disposition == "pleaded-guilty" || disposition == "convicted"
}

func chargesTable(d *reportData, p ReportPeriod) ReportTable {
	charged, convicted := map[[2]ID]bool{}, map[[2]ID]bool{}
	var filed, sentences int
	for c, chs := range d.charges {
		for _, ch := range chs {
			if p.Contains(ch.Filed) {
				filed++
				charged[[2]ID{c, ch.Against}] = true
			}
			if p.Contains(ch.DispositionDate) && isConviction(ch.Disposition) {
				convicted[[2]ID{c, ch.Against}] = true
				if ch.Sentence != "" {
					sentences++
				}
			}
		}
	}
	return ReportTable{Key: "charges", Title: "Charges, convictions and sentences", Columns: oneColumn("Number"),
		Rows: []ReportRow{
			row("people_charged", "People charged", count(len(charged))),
			row("charges_filed", "Charges filed", count(filed)),
			row("people_convicted", "People convicted (plea or verdict)", count(len(convicted))),
			row("sentences", "Sentences recorded", count(sentences)),
		}}
}

func dispositionsTable(d *reportData, p ReportPeriod) ReportTable {
	var rows []ReportRow
	for _, disp := range Dispositions {
		if disp != "pending" {
			rows = append(rows, row(disp, capitalize(strings.ReplaceAll(disp, "-", " ")), count(0)))
		}
	}
	for _, chs := range d.charges {
		for _, ch := range chs {
			if !p.Contains(ch.DispositionDate) {
				continue
			}
			for i := range rows {
				if rows[i].Key == ch.Disposition {
					rows[i].Cells[0].Value++
				}
			}
		}
	}
	rows = append(rows, totalRow("Charges disposed", rows))
	return ReportTable{Key: "dispositions", Title: "Charges disposed in the period, by disposition", Columns: oneColumn("Charges"), Rows: rows}
}

func moneyTable(d *reportData, p ReportPeriod) ReportTable {
	var restitution, forfeiture Cents
	cases := 0
	for _, chs := range d.charges {
		counted := false
		for _, ch := range chs {
			if p.Contains(ch.DispositionDate) && isConviction(ch.Disposition) {
				restitution += ch.Restitution
				forfeiture += ch.Forfeiture
				counted = true
			}
		}
		if counted {
			cases++
		}
	}
	money := func(c Cents) ReportCell {
		if cases < MinCasesForStatistic {
			return withheld(UnitDollars)
		}
		return ReportCell{Value: int64(c), Status: CellShown, Unit: UnitDollars}
	}
	return ReportTable{Key: "restitution_forfeiture", Title: "Restitution and forfeiture ordered",
		Note:    fmt.Sprintf("On charges ending in a plea or conviction in the period; withheld under %d cases.", MinCasesForStatistic),
		Columns: []ReportColumn{{Key: "amount", Label: "Amount"}},
		Rows: []ReportRow{
			row("cases", "Cases with a plea or conviction", count(cases)),
			row("restitution", "Restitution ordered", money(restitution)),
			row("forfeiture", "Assets forfeited", money(forfeiture)),
		}}
}

func childWelfareTable(d *reportData, p ReportPeriod) ReportTable {
	rows := make([]ReportRow, len(ChildWelfareOutcomes))
	for i, o := range ChildWelfareOutcomes {
		rows[i] = row(o, capitalize(strings.ReplaceAll(o, "-", " ")), count(0))
	}
	for _, o := range d.outcomes {
		if !p.Contains(o.ChildWelfareDate) {
			continue
		}
		if i := slices.Index(ChildWelfareOutcomes, o.ChildWelfare); i >= 0 {
			rows[i].Cells[0].Value++
		}
	}
	rows = append(rows, totalRow("Outcomes recorded", rows))
	return ReportTable{Key: "child_welfare_outcomes", Title: "Child-welfare outcomes recorded in the period",
		Columns: oneColumn("Youth"), Rows: rows}
}
