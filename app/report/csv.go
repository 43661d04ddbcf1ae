// Package report writes a de-identified program report (app.Report) as a PDF with
// its charts and tables, or as CSV with one row per figure, for MDT boards and
// grant reporting. It receives a report whose small cells are already suppressed
// in app: it prints what it is given and cannot print a hidden value.
package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"casenotes/app"
)

// CSVFormat names the CSV's layout; readers check it before the columns.
const CSVFormat = "casenotes-report/v1"

// CSVColumns are the CSV's columns, in order. They are stable: new columns are only
// ever added at the end (docs/report.md).
var CSVColumns = []string{"format", "period", "period_start", "period_end", "table", "row", "column", "label",
	"unit", "status", "value", "display", "min_cell", "filter"}

// WriteCSV writes one row per figure of the report.
func WriteCSV(w io.Writer, rep *app.Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	p := rep.Period
	for _, t := range rep.Tables {
		for _, r := range t.Rows {
			for j, c := range r.Cells {
				col := t.Columns[j]
				label := r.Label
				if len(t.Columns) > 1 {
					label += ": " + col.Label
				}
				rec := []string{CSVFormat, p.Label, p.From.Format("2006-01-02"), p.Last().Format("2006-01-02"),
					t.Key, r.Key, col.Key, label, string(c.Unit), string(c.Status), csvValue(c),
					c.Text(rep.MinCell), fmt.Sprint(rep.MinCell), rep.Filter.String()}
				for i := range rec {
					if i != 10 { // value: a number
						rec[i] = cellText(rec[i])
					}
				}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvValue is a shown cell's number (dollars with two decimals), else "".
func csvValue(c app.ReportCell) string {
	if !c.Shown() {
		return ""
	}
	if c.Unit == app.UnitDollars {
		return fmt.Sprintf("%d.%02d", c.Value/100, c.Value%100)
	}
	return fmt.Sprint(c.Value)
}

// cellText keeps a spreadsheet from reading a field as a formula: a category typed
// by a user ("=1+1", "@x") is prefixed with an apostrophe.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
