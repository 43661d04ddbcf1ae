package report

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"casenotes/app"
)

// A category a user typed is one cell of a table; in the CSV it must never read as
// a spreadsheet formula, and a hidden cell has no value.
func TestWriteCSV(t *testing.T) {
	p, _ := app.ParseReportPeriod("2026-11")
	rep := &app.Report{Period: p, MinCell: 5, Generated: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Tables: []app.ReportTable{{Key: "youth_language", Title: "Youth", Columns: []app.ReportColumn{{Key: "count", Label: "Youth"}},
			Rows: []app.ReportRow{
				{Key: "=cmd", Label: "=HYPERLINK(\"x\")", Cells: []app.ReportCell{{Value: 12, Status: app.CellShown, Unit: app.UnitCount}}},
				{Key: "other", Label: "Another language", Cells: []app.ReportCell{{Status: app.CellSmall, Unit: app.UnitCount}}},
				{Key: "money", Label: "Restitution", Cells: []app.ReportCell{{Value: 150_050, Status: app.CellShown, Unit: app.UnitDollars}}},
			}}}}
	var b bytes.Buffer
	if err := WriteCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if rows[1][5] != "'=cmd" || rows[1][7] != "'=HYPERLINK(\"x\")" || rows[1][10] != "12" {
		t.Errorf("row %q", rows[1])
	}
	if rows[2][9] != "fewer-than" || rows[2][10] != "" || rows[2][11] != "fewer than 5" {
		t.Errorf("row %q", rows[2])
	}
	if rows[3][10] != "1500.50" || rows[3][11] != "$1,500.50" || rows[3][2] != "2026-11-01" || rows[3][3] != "2026-11-30" {
		t.Errorf("row %q", rows[3])
	}
}

// ChartOf draws no bar for a hidden cell and scales bars to the longest.
func TestChartOf(t *testing.T) {
	tab := app.ReportTable{Chart: app.ChartBars, Columns: []app.ReportColumn{{Key: "count", Label: "Youth"}},
		Rows: []app.ReportRow{
			{Label: "A", Cells: []app.ReportCell{{Value: 20, Status: app.CellShown, Unit: app.UnitCount}}},
			{Label: "B", Cells: []app.ReportCell{{Value: 10, Status: app.CellShown, Unit: app.UnitCount}}},
			{Label: "C", Cells: []app.ReportCell{{Status: app.CellSmall, Unit: app.UnitCount}}},
			{Label: "Total", Total: true, Cells: []app.ReportCell{{Value: 33, Status: app.CellShown, Unit: app.UnitCount}}},
		}}
	c := ChartOf(tab, 5)
	if len(c.Rows) != 3 || c.Rows[0].Bars[0].Fraction != 1 || c.Rows[1].Bars[0].Fraction != 0.5 ||
		c.Rows[2].Bars[0].Fraction != 0 || c.Rows[2].Bars[0].Text != "fewer than 5" || c.Rows[2].Bars[0].Shown {
		t.Errorf("%+v", c)
	}
}
