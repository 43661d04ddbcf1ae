package report

import "casenotes/app"

// Chart is a table of a report as bars, the same for the PDF and the Reports
// screen: one row per table row (totals left out, they are in the numbers), one
// bar per series, each with the number it stands for.
type Chart struct {
	Series []string // the columns drawn, in order
	Rows   []ChartRow
}

// ChartRow is one labelled group of bars.
type ChartRow struct {
	Label string
	Bars  []Bar
}

// Bar is one bar: its length as a fraction of the longest bar of the chart (0
// when the value is hidden) and the text printed beside it ("12", "fewer than 5",
// "withheld", "40%", "7 days").
type Bar struct {
	Fraction float64
	Text     string
	Shown    bool
}

// ChartOf lays out a table's chart: which columns a kind of chart draws, and each
// bar against the longest. A hidden cell draws no bar, only its words.
func ChartOf(t app.ReportTable, minCell int) Chart {
	cols := []int{0}
	switch t.Chart {
	case app.ChartMonthly:
		cols = []int{0, 1}
	case app.ChartProgress:
		cols = []int{len(t.Columns) - 1}
	case app.ChartDuration:
		cols = []int{1, 2}
	case app.ChartBars:
		if len(t.Columns) > 1 {
			cols = []int{len(t.Columns) - 1} // a two-way table: its row totals
		}
	}
	var c Chart
	for _, i := range cols {
		if i < len(t.Columns) {
			c.Series = append(c.Series, t.Columns[i].Label)
		}
	}
	var most int64
	if t.Chart == app.ChartProgress {
		most = 100
	}
	for _, r := range t.Rows {
		for _, i := range cols {
			if !r.Total && i < len(r.Cells) && r.Cells[i].Shown() {
				most = max(most, r.Cells[i].Value)
			}
		}
	}
	for _, r := range t.Rows {
		if r.Total {
			continue
		}
		row := ChartRow{Label: r.Label}
		for _, i := range cols {
			if i >= len(r.Cells) {
				continue
			}
			cell := r.Cells[i]
			b := Bar{Text: cell.Text(minCell), Shown: cell.Shown()}
			if most > 0 && cell.Shown() {
				b.Fraction = float64(cell.Value) / float64(most)
			}
			row.Bars = append(row.Bars, b)
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}
