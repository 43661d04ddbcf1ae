package app

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestParseReportPeriod(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in       string
		kind     PeriodKind
		from, to time.Time
		label    string
	}{
		{"2026", PeriodYear, d(2026, 1, 1), d(2027, 1, 1), "2026"},
		{"2026-Q3", PeriodQuarter, d(2026, 7, 1), d(2026, 10, 1), "2026-Q3"},
		{" 2026-q4 ", PeriodQuarter, d(2026, 10, 1), d(2027, 1, 1), "2026-Q4"},
		{"2026-11", PeriodMonth, d(2026, 11, 1), d(2026, 12, 1), "2026-11"},
		{"2026-12", PeriodMonth, d(2026, 12, 1), d(2027, 1, 1), "2026-12"},
	} {
		p, err := ParseReportPeriod(tc.in)
		if err != nil || p.Kind != tc.kind || !p.From.Equal(tc.from) || !p.To.Equal(tc.to) || p.Label != tc.label {
			t.Errorf("%q: %+v %v", tc.in, p, err)
		}
	}
	for _, bad := range []string{"", "26", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-1", "2026-11-01",
		"2026-06-01:2026-06-15", "abcd", "2026-Qx", "1800"} {
		if _, err := ParseReportPeriod(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func TestGrantReportPeriod(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	p, err := GrantReportPeriod(d(2025, 10, 1), d(2026, 9, 30))
	if err != nil || !p.To.Equal(d(2026, 10, 1)) || p.Label != "2025-10 to 2026-09" || len(p.Months()) != 12 {
		t.Fatalf("%+v %v", p, err)
	}
	for _, tc := range [][2]time.Time{
		{d(2026, 1, 2), d(2026, 6, 30)},  // not the first of a month
		{d(2026, 1, 1), d(2026, 6, 29)},  // not the last day of a month
		{d(2026, 1, 1), d(2026, 2, 28)},  // two months
		{d(2026, 1, 1), d(2029, 12, 31)}, // four years
		{d(2026, 6, 1), d(2026, 1, 31)},  // backwards
		{{}, d(2026, 1, 31)},
	} {
		if _, err := GrantReportPeriod(tc[0], tc[1]); err == nil {
			t.Errorf("%v to %v was accepted", tc[0], tc[1])
		}
	}
}

func FuzzParseReportPeriod(f *testing.F) {
	for _, s := range []string{"2026", "2026-Q3", "2026-11", "2026-Q", "-", "9999-99", "2026-\x00\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseReportPeriod(s)
		if err != nil {
			if p != (ReportPeriod{}) {
				t.Fatalf("%q: a refused period came back set", s)
			}
			return
		}
		if !p.To.After(p.From) || p.From.Day() != 1 || p.To.Day() != 1 || p.From.Hour() != 0 {
			t.Fatalf("%q: %+v is not whole months", s, p)
		}
		if q, err := ParseReportPeriod(p.Label); err != nil || q != p {
			t.Fatalf("%q: the label %q does not read back: %+v %v", s, p.Label, q, err)
		}
	})
}

// rawTable is a table of counts with a total row, and a total column when
// totalCol, for the suppression tests.
func rawTable(cells [][]int64, totalCol bool) ReportTable {
	t := ReportTable{Key: "t", totalCol: totalCol}
	ncol := len(cells[0])
	if totalCol {
		ncol++
	}
	for j := range ncol {
		t.Columns = append(t.Columns, ReportColumn{Key: string(rune('a' + j))})
	}
	for i, r := range cells {
		row := ReportRow{Key: string(rune('A' + i))}
		var sum int64
		for _, v := range r {
			row.Cells = append(row.Cells, ReportCell{Value: v, Status: CellShown, Unit: UnitCount})
			sum += v
		}
		if totalCol {
			row.Cells = append(row.Cells, ReportCell{Value: sum, Status: CellShown, Unit: UnitCount})
		}
		t.Rows = append(t.Rows, row)
	}
	t.Rows = append(t.Rows, totalRow("total", t.Rows))
	return t
}

func statuses(t ReportTable) string {
	var b strings.Builder
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			switch c.Status {
			case CellShown:
				b.WriteByte('.')
			case CellSmall:
				b.WriteByte('s')
			case CellComplement:
				b.WriteByte('c')
			}
		}
		b.WriteByte('/')
	}
	return b.String()
}

func TestDeidentifyTables(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cells    [][]int64
		totalCol bool
		want     string
	}{
		{"nothing small", [][]int64{{5}, {9}}, false, "./././"},
		{"one small: its smallest neighbor goes", [][]int64{{1}, {9}, {6}}, false, "s/./c/./"},
		{"two small adding up to under k", [][]int64{{1}, {1}, {9}, {7}}, false, "s/s/./c/./"},
		{"two small adding up to k", [][]int64{{2}, {3}, {9}}, false, "s/s/././"},
		{"small total: the whole line", [][]int64{{0}, {1}, {2}}, false, "c/s/s/s/"},
		{"zeros are never complements", [][]int64{{0}, {3}, {0}, {8}}, false, "./s/./c/./"},
		{"the one other non-zero cell", [][]int64{{0}, {2}, {5}}, false, "./s/c/./"},
		{"two-way", [][]int64{{1, 6, 8}, {7, 9, 9}}, true, "sc../cc../..../"},
	} {
		tab := rawTable(tc.cells, tc.totalCol)
		deidentify(&tab, 5)
		if got := statuses(tab); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// FuzzDeidentify: whatever the counts, every line that adds up ends with no
// hidden cell, or with at least two hidden cells whose true values add up to k or
// more, or hidden whole; and no hidden cell keeps its value.
func FuzzDeidentify(f *testing.F) {
	f.Add(uint64(1), uint8(4), uint8(3), uint8(5), true)
	f.Add(uint64(7), uint8(9), uint8(1), uint8(3), false)
	f.Fuzz(func(t *testing.T, seed uint64, rows, cols, k uint8, totalCol bool) {
		nr, nc, kk := 1+int(rows%12), 1+int(cols%6), 3+int(k%8)
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		cells := make([][]int64, nr)
		for i := range cells {
			for range nc {
				v := int64(0)
				if rng.IntN(3) > 0 {
					v = int64(rng.IntN(3 * kk))
				}
				cells[i] = append(cells[i], v)
			}
		}
		tab := rawTable(cells, totalCol)
		truth := rawTable(cells, totalCol)
		deidentify(&tab, kk)
		for _, line := range additiveLines(&tab) {
			last := line[len(line)-1]
			if tab.Rows[last.row].Cells[last.col].Status != CellShown {
				for _, ref := range line {
					if tab.Rows[ref.row].Cells[ref.col].Shown() {
						t.Fatalf("a line with a hidden total shows a cell: %s", statuses(tab))
					}
				}
				continue
			}
			hidden, sum := 0, int64(0)
			for _, ref := range line[:len(line)-1] {
				if !tab.Rows[ref.row].Cells[ref.col].Shown() {
					hidden++
					sum += truth.Rows[ref.row].Cells[ref.col].Value
				}
			}
			if hidden == 1 || (hidden > 1 && sum < int64(kk)) {
				t.Fatalf("k=%d: a line gives a hidden cell away: %s %v", kk, statuses(tab), cells)
			}
		}
		for i, r := range tab.Rows {
			for j, c := range r.Cells {
				if !c.Shown() && c.Value != 0 {
					t.Fatalf("hidden cell %d,%d kept %d", i, j, c.Value)
				}
				v := truth.Rows[i].Cells[j].Value
				if c.Shown() && v > 0 && v < int64(kk) {
					t.Fatalf("small cell %d,%d shown", i, j)
				}
			}
		}
	})
}

// TestMoneyTable: restitution and forfeiture show from ten cases with a plea or
// conviction in the period, and add up only those charges.
func TestMoneyTable(t *testing.T) {
	p, _ := ParseReportPeriod("2026")
	in := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	out := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	d := &reportData{charges: map[ID][]Charge{}}
	for i := range 10 {
		id := ID{byte(i + 1)}
		d.charges[id] = []Charge{
			{Disposition: "convicted", DispositionDate: in, Restitution: 10_000, Forfeiture: 1},
			{Disposition: "dismissed", DispositionDate: in, Restitution: 99_999},
			{Disposition: "convicted", DispositionDate: out, Restitution: 99_999},
		}
		if i < 9 {
			tab := moneyTable(d, p)
			if tab.Rows[1].Cells[0].Status != CellWithheld {
				t.Fatalf("%d cases: restitution shown", i+1)
			}
		}
	}
	tab := moneyTable(d, p)
	if c := tab.Rows[0].Cells[0]; c.Value != 10 {
		t.Errorf("cases %v", c)
	}
	if c := tab.Rows[1].Cells[0]; !c.Shown() || c.Text(5) != "$1,000.00" {
		t.Errorf("restitution %v %q", c, c.Text(5))
	}
	if c := tab.Rows[2].Cells[0]; !c.Shown() || c.Text(5) != "$0.10" {
		t.Errorf("forfeiture %v %q", c, c.Text(5))
	}
}

func TestPercentile(t *testing.T) {
	v := []int64{0, 0, 0, 1, 1, 1, 2, 3, 5, 10}
	for _, tc := range []struct{ p, want int }{{50, 1}, {90, 5}, {100, 10}, {1, 0}} {
		if got := percentile(v, tc.p); got != int64(tc.want) {
			t.Errorf("p%d = %d, want %d", tc.p, got, tc.want)
		}
	}
}
