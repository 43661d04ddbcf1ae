package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The leaders' program report (issue 15): de-identified statistics over a
// reporting period, for supervisors, MDT boards and grant reports. Report reads
// the vault's records, counts them and applies the de-identification rules
// (report_suppress.go) before anything leaves this package: a Report holds only
// aggregates, and a cell that may not be shown carries no value at all, so no
// screen, PDF or CSV can print what was suppressed. docs/report.md defines every
// figure and says what the rules do not protect against.

// PeriodKind is the kind of a reporting period.
type PeriodKind string

// Reporting periods. Only whole calendar periods and a grant's period are offered:
// arbitrary overlapping ranges would let their differences single a youth out.
const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodYear    PeriodKind = "year"
	PeriodGrant   PeriodKind = "grant"
)

// ReportPeriod is a reporting period: the days from From up to, not including,
// To (both UTC midnights).
type ReportPeriod struct {
	Kind  PeriodKind
	Label string // "2026", "2026-Q3", "2026-11", "2025-10 to 2026-09"
	From  time.Time
	To    time.Time
}

// Limits of a grant's period: whole months, from three months to three years.
const (
	minGrantMonths = 3
	maxGrantMonths = 36
)

// ParseReportPeriod reads a period as people write it: "2026" (a year), "2026-Q3"
// (a quarter), "2026-11" (a month).
func ParseReportPeriod(s string) (ReportPeriod, error) {
	s = strings.TrimSpace(s)
	bad := Invalid("period", "is not a year (2026), a quarter (2026-Q3) or a month (2026-11)")
	year, rest, hasRest := strings.Cut(s, "-")
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 || y < 1990 || y > 2200 {
		return ReportPeriod{}, bad
	}
	switch {
	case !hasRest:
		from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return ReportPeriod{Kind: PeriodYear, Label: year, From: from, To: from.AddDate(1, 0, 0)}, nil
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q'):
		q := int(rest[1] - '0')
		if q < 1 || q > 4 {
			return ReportPeriod{}, bad
		}
		from := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		return ReportPeriod{Kind: PeriodQuarter, Label: fmt.Sprintf("%d-Q%d", y, q), From: from, To: from.AddDate(0, 3, 0)}, nil
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return ReportPeriod{}, bad
		}
		from := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		return ReportPeriod{Kind: PeriodMonth, Label: from.Format("2006-01"), From: from, To: from.AddDate(0, 1, 0)}, nil
	}
	return ReportPeriod{}, bad
}

// GrantReportPeriod is a grant's fixed period, from its first day to its last day
// (inclusive). It must run in whole calendar months, from the first of a month to
// the last day of a month, three months to three years long: a grant period is
// set by the funder, and whole months keep it from being moved a few days at a
// time to isolate one youth's case.
func GrantReportPeriod(first, last time.Time) (ReportPeriod, error) {
	first, last = dateOnly(first), dateOnly(last)
	to := last.AddDate(0, 0, 1)
	switch {
	case first.IsZero() || last.IsZero():
		return ReportPeriod{}, Invalid("grant period", "needs both its first and its last day")
	case checkDate("grant period", first) != nil || checkDate("grant period", last) != nil:
		return ReportPeriod{}, Invalid("grant period", "is not a plausible period")
	case !to.After(first):
		return ReportPeriod{}, Invalid("grant period", "ends before it starts")
	case first.Day() != 1 || to.Day() != 1:
		return ReportPeriod{}, Invalid("grant period", "must run in whole months, from the first day of a month to the last day of a month")
	}
	months := (to.Year()-first.Year())*12 + int(to.Month()-first.Month())
	if months < minGrantMonths || months > maxGrantMonths {
		return ReportPeriod{}, Invalid("grant period", fmt.Sprintf("must be %d to %d months long", minGrantMonths, maxGrantMonths))
	}
	label := first.Format("2006-01") + " to " + last.Format("2006-01")
	return ReportPeriod{Kind: PeriodGrant, Label: label, From: first, To: to}, nil
}

// Contains reports whether t falls on a day of the period.
func (p ReportPeriod) Contains(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	t = t.UTC()
	return !t.Before(p.From) && t.Before(p.To)
}

// Last is the period's last day.
func (p ReportPeriod) Last() time.Time { return p.To.AddDate(0, 0, -1) }

// Months lists the first day of each calendar month of the period.
func (p ReportPeriod) Months() []time.Time {
	var out []time.Time
	for m := p.From; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// Title is the period in words: "2026-Q3 (Jul 1, 2026 to Sep 30, 2026)".
func (p ReportPeriod) Title() string {
	return fmt.Sprintf("%s (%s to %s)", p.Label, p.From.Format("Jan 2, 2006"), p.Last().Format("Jan 2, 2006"))
}

// ReportFilter narrows the cases a report counts. Empty fields match every case.
type ReportFilter struct {
	// Assigned keeps the cases a person is assigned to (letter case ignored).
	Assigned string
	// Partner keeps the cases with a referral to that partner organization.
	Partner string
	// Indicator keeps the cases tagged with that indicator.
	Indicator string
}

// Empty reports whether the filter keeps every case.
func (f ReportFilter) Empty() bool { return f.Assigned == "" && f.Partner == "" && f.Indicator == "" }

// String describes the filter in words, "" when it keeps every case.
func (f ReportFilter) String() string {
	var parts []string
	if f.Assigned != "" {
		parts = append(parts, "assigned to "+f.Assigned)
	}
	if f.Partner != "" {
		parts = append(parts, "referred to "+f.Partner)
	}
	if f.Indicator != "" {
		parts = append(parts, "indicator "+f.Indicator)
	}
	return strings.Join(parts, "; ")
}

// De-identification thresholds.
const (
	// DefaultMinCell is the smallest count a report shows; smaller ones read
	// "fewer than 5".
	DefaultMinCell = 5
	// LowestMinCell is the lowest the threshold may be set: a cell of 1 or 2 can
	// point to one child.
	LowestMinCell = 3
	// MinCasesForStatistic is how many cases a median, a percentile, a percentage
	// or a money total needs before it is shown.
	MinCasesForStatistic = 10
)

// ReportOptions says what a report covers.
type ReportOptions struct {
	Period ReportPeriod
	Filter ReportFilter
	// MinCell is the small-cell threshold; zero means DefaultMinCell. Below
	// LowestMinCell is refused.
	MinCell int
}

// Unit is what a report cell measures.
type Unit string

// Units.
const (
	UnitCount   Unit = "count"
	UnitDays    Unit = "days"
	UnitDollars Unit = "dollars" // Value in cents
	UnitPercent Unit = "percent" // Value in whole percent
)

// CellStatus says whether a cell is shown and, if not, why.
type CellStatus string

// Cell statuses.
const (
	CellShown CellStatus = "shown"
	// CellSmall: a count from 1 to MinCell-1.
	CellSmall CellStatus = "fewer-than"
	// CellComplement: hidden because, with its line's total, it would reveal a
	// small cell.
	CellComplement CellStatus = "suppressed"
	// CellWithheld: a statistic over fewer than MinCasesForStatistic cases.
	CellWithheld CellStatus = "withheld"
)

// ReportCell is one figure. Value is zero unless the cell is shown.
type ReportCell struct {
	Value  int64      `json:"value"`
	Status CellStatus `json:"status"`
	Unit   Unit       `json:"unit"`
}

// Shown reports whether the cell's value may be read.
func (c ReportCell) Shown() bool { return c.Status == CellShown }

// Text is the cell as a reader sees it: "12", "fewer than 5", "suppressed",
// "withheld", "$1,500.00", "40%", "7 days".
func (c ReportCell) Text(minCell int) string {
	switch c.Status {
	case CellSmall:
		return fmt.Sprintf("fewer than %d", minCell)
	case CellComplement:
		return "suppressed"
	case CellWithheld:
		return "withheld"
	}
	switch c.Unit {
	case UnitDollars:
		return Cents(c.Value).String()
	case UnitPercent:
		return strconv.FormatInt(c.Value, 10) + "%"
	case UnitDays:
		if c.Value == 1 {
			return "1 day"
		}
		return strconv.FormatInt(c.Value, 10) + " days"
	}
	return strconv.FormatInt(c.Value, 10)
}

// ReportColumn is a column of a report table.
type ReportColumn struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// ReportRow is a row of a report table; a total row adds up the rows above it.
type ReportRow struct {
	Key   string       `json:"key"`
	Label string       `json:"label"`
	Cells []ReportCell `json:"cells"`
	Total bool         `json:"total,omitempty"`
}

// ChartKind says how a screen or PDF may draw a table.
type ChartKind string

// Charts.
const (
	ChartNone     ChartKind = ""
	ChartBars     ChartKind = "bars"      // one bar per row, from the first column
	ChartMonthly  ChartKind = "monthly"   // one group of bars per month row, one bar per column
	ChartProgress ChartKind = "progress"  // a percentage bar per row, from the last column
	ChartDuration ChartKind = "durations" // median and 90th percentile bars per row
)

// ReportTable is one table of figures with its definition's key in docs/report.md.
type ReportTable struct {
	Key     string         `json:"key"`
	Title   string         `json:"title"`
	Note    string         `json:"note,omitempty"`
	Columns []ReportColumn `json:"columns"`
	Rows    []ReportRow    `json:"rows"`
	Chart   ChartKind      `json:"chart,omitempty"`
	// totalCol: the last column adds up the others (and a row marked Total adds up
	// the rows above it), so complementary suppression applies along those lines.
	totalCol bool
	// items: the counts are checklist items, not youth or cases, and are not
	// small-cell suppressed (the table is withheld as a whole under
	// MinCasesForStatistic cases instead).
	items bool
}

// Report is a de-identified program report: aggregates only, suppressed and
// withheld cells carrying no value.
type Report struct {
	Agency      string
	GeneratedBy string
	Generated   time.Time
	Period      ReportPeriod
	Filter      ReportFilter
	MinCell     int
	Tables      []ReportTable
	// NoCases: the vault holds no case the filter keeps (or none at all), so every
	// figure is zero. A zero is shown anyway; a screen says so in words instead.
	NoCases bool
}

// Table returns the table with the key, or nil.
func (rep *Report) Table(key string) *ReportTable {
	for i := range rep.Tables {
		if rep.Tables[i].Key == key {
			return &rep.Tables[i]
		}
	}
	return nil
}

// Empty reports whether every figure is zero: each cell shows 0 or is a statistic
// withheld, as it always is over no case. A hidden count ("fewer than 5",
// "suppressed") stands for a line that is not all zeros, so a report with one is
// not empty.
func (rep *Report) Empty() bool {
	for _, t := range rep.Tables {
		for _, r := range t.Rows {
			for _, c := range r.Cells {
				if c.Status != CellWithheld && (!c.Shown() || c.Value != 0) {
					return false
				}
			}
		}
	}
	return true
}

// Cell returns the cell at a row and column key of a table; ok is false when there
// is none.
func (rep *Report) Cell(table, row, col string) (ReportCell, bool) {
	t := rep.Table(table)
	if t == nil {
		return ReportCell{}, false
	}
	ci := -1
	for i, c := range t.Columns {
		if c.Key == col {
			ci = i
		}
	}
	for _, r := range t.Rows {
		if r.Key == row && ci >= 0 && ci < len(r.Cells) {
			return r.Cells[ci], true
		}
	}
	return ReportCell{}, false
}

// NoIdentifyingInformation is the statement every report output carries.
const NoIdentifyingInformation = "This report contains no identifying information: aggregates only, small counts suppressed."
