package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/report"
)

// reportsView is the program report: de-identified statistics over a month, a
// quarter, a year or a grant's period, with the charts a unit commander shows an
// MDT board (bars by phase and partner, cases opened and closed per month, time
// to services), each with its numbers beside it, and the rest of the figures as
// tables. Three pickers narrow it to the cases of one person, one partner or one
// indicator, as `casenotes report --assigned --partner --indicator` does. The
// report is counted off the UI goroutine; what it shows has already been
// suppressed in app, so the screen cannot show a small count.
type reportsView struct {
	s       *Shell
	records *app.Records
	kind    *widget.Select
	period  *widget.Select
	grantTo *widget.Select
	// The filter's pickers; the first choice of each keeps every case.
	assigned, partner, indicator *widget.Select
	body                         *fyne.Container
	msg                          *widget.Label
	// periods maps the period picker's words to periods.
	periods map[string]app.ReportPeriod
	rep     *app.Report
	loading int // the number of the latest load; older results are dropped
}

// Kinds of period the picker offers.
const (
	reportYear    = "Year"
	reportQuarter = "Quarter"
	reportMonth   = "Month"
	reportGrant   = "Grant period"
)

// reportEveryone is the assigned-to picker's choice that keeps every case; the
// partner and indicator pickers start with allPartners and allTags.
const reportEveryone = "Everyone"

func newReportsView(s *Shell) *reportsView { return &reportsView{s: s, records: s.records} }

func (v *reportsView) object() fyne.CanvasObject {
	v.msg = errorLabel()
	v.body = container.NewVBox()
	v.period = widget.NewSelect(nil, func(string) { v.load() })
	v.grantTo = widget.NewSelect(nil, func(string) { v.load() })
	v.kind = widget.NewSelect([]string{reportYear, reportQuarter, reportMonth, reportGrant}, func(string) { v.fillPeriods() })
	v.assigned, v.partner, v.indicator = v.filterPicker(reportEveryone), v.filterPicker(allPartners), v.filterPicker(allTags)
	savePDF := widget.NewButton("Save PDF…", func() { v.save("pdf") })
	saveCSV := widget.NewButton("Save CSV…", func() { v.save("csv") })
	// The period's full title is long ("2026-Q3 (Jul 1, 2026 to Sep 30, 2026)"):
	// its choice gets the room to show it whole.
	picker := container.NewHBox(fieldLabel("Period"), v.kind, container.New(widthLayout{330}, v.period),
		v.grantTo, layout.NewSpacer(), savePDF, saveCSV)
	labeled := func(label string, s *widget.Select) fyne.CanvasObject {
		return container.NewBorder(nil, nil, fieldLabel(label), nil, s)
	}
	filters := container.NewGridWithColumns(3,
		labeled("Assigned to", v.assigned), labeled("Partner", v.partner), labeled("Indicator", v.indicator))
	top := container.NewVBox(heading("Reports"),
		quiet(fmt.Sprintf("The program report for the MDT board and grant reports: aggregates only, with no case number, "+
			"alias or name. Counts under %d read \"fewer than %d\"; medians and totals over fewer than %d cases are withheld.",
			app.DefaultMinCell, app.DefaultMinCell, app.MinCasesForStatistic)),
		picker, filters, v.msg, widget.NewSeparator())
	v.loadChoices()
	v.kind.SetSelected(reportQuarter)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(v.body))
}

// filterPicker is a filter's picker offering only its first choice, all, until
// loadChoices adds the vault's.
func (v *reportsView) filterPicker(all string) *widget.Select {
	s := widget.NewSelect([]string{all}, nil)
	s.Selected = all
	s.OnChanged = func(string) { v.load() }
	return s
}

// loadChoices reads off the UI goroutine what the filter's pickers offer: the
// people cases are assigned to, the partners referrals name and the indicators.
// If they cannot be read the pickers keep only their first choice; the report,
// read from the same vault, then says why.
func (v *reportsView) loadChoices() {
	records := v.records
	var c app.ReportChoices
	var err error
	v.s.runInBackground(func() { c, err = records.ReportChoices() }, func() {
		if v.s.records != records || err != nil {
			return
		}
		for _, p := range []struct {
			s    *widget.Select
			opts []string
		}{{v.assigned, c.Assigned}, {v.partner, c.Partners}, {v.indicator, c.Indicators}} {
			p.s.SetOptions(append([]string{p.s.Options[0]}, p.opts...))
		}
	})
}

// filter is the filter the pickers name; a picker's first choice keeps every case.
func (v *reportsView) filter() app.ReportFilter {
	chosen := func(s *widget.Select) string {
		if s.SelectedIndex() <= 0 {
			return ""
		}
		return s.Selected
	}
	return app.ReportFilter{Assigned: chosen(v.assigned), Partner: chosen(v.partner), Indicator: chosen(v.indicator)}
}

// fillPeriods offers the periods of the chosen kind, newest first, and picks the
// latest that has ended (a report of a period still running is offered too).
func (v *reportsView) fillPeriods() {
	now := v.s.clock.Now().UTC()
	v.periods = map[string]app.ReportPeriod{}
	var opts []string
	add := func(s string) {
		if p, err := app.ParseReportPeriod(s); err == nil {
			v.periods[p.Title()] = p
			opts = append(opts, p.Title())
		}
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	kind := v.kind.Selected
	switch kind {
	case reportYear:
		for y := now.Year(); y > now.Year()-6; y-- {
			add(fmt.Sprint(y))
		}
	case reportQuarter:
		q := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
		for i := range 12 {
			d := q.AddDate(0, -3*i, 0)
			add(fmt.Sprintf("%d-Q%d", d.Year(), (int(d.Month())+2)/3))
		}
	default: // months, and a grant period's first and last months
		for i := range 36 {
			add(month.AddDate(0, -i, 0).Format("2006-01"))
		}
	}
	v.grantTo.Hidden = kind != reportGrant
	if kind == reportGrant {
		// The grant picker offers months by their labels: from (period) and to.
		months := make([]string, 0, len(opts))
		for _, o := range opts {
			months = append(months, v.periods[o].Label)
		}
		v.period.PlaceHolder, v.grantTo.PlaceHolder = "first month", "last month"
		v.period.SetOptions(months)
		v.grantTo.SetOptions(months)
		v.grantTo.Selected = months[0]
		v.period.SetSelected(months[min(11, len(months)-1)])
		v.grantTo.Refresh()
		return
	}
	v.period.PlaceHolder = "period"
	v.period.SetOptions(opts)
	pick := 0
	if len(opts) > 1 && kind != reportYear {
		pick = 1 // the last whole quarter or month
	}
	v.period.SetSelected(opts[pick])
}

// chosen is the period the picker names.
func (v *reportsView) chosen() (app.ReportPeriod, error) {
	if v.kind.Selected != reportGrant {
		p, ok := v.periods[v.period.Selected]
		if !ok {
			return p, app.Invalid("period", "is not chosen: choose a year, a quarter or a month")
		}
		return p, nil
	}
	first, err1 := time.Parse("2006-01", v.period.Selected)
	last, err2 := time.Parse("2006-01", v.grantTo.Selected)
	if err1 != nil || err2 != nil {
		return app.ReportPeriod{}, app.Invalid("grant period", "needs its first and last month")
	}
	return app.GrantReportPeriod(first, last.AddDate(0, 1, -1))
}

// load counts the report for the chosen period and filter off the UI goroutine
// and shows it. Until it shows, the report shown before cannot be saved.
func (v *reportsView) load() {
	p, err := v.chosen()
	if err != nil {
		say(v.msg, app.Sentence(err))
		return
	}
	say(v.msg, "")
	v.loading++
	v.rep = nil
	n, records, f := v.loading, v.records, v.filter()
	counting := "Counting " + p.Label
	if !f.Empty() {
		counting += " (only cases: " + f.String() + ")"
	}
	v.body.Objects = []fyne.CanvasObject{container.NewHBox(widget.NewActivity(), quietLine(counting+"…"))}
	if a, ok := v.body.Objects[0].(*fyne.Container).Objects[0].(*widget.Activity); ok {
		a.Start()
	}
	v.body.Refresh()
	var rep *app.Report
	v.s.runInBackground(func() { rep, err = records.Report(app.ReportOptions{Period: p, Filter: f}) }, func() {
		if v.s.records != records || n != v.loading {
			return // locked meanwhile, or another period or filter was chosen
		}
		if err != nil {
			v.rep = nil
			v.body.Objects = []fyne.CanvasObject{failed("The report could not be counted", err)}
			v.body.Refresh()
			return
		}
		v.rep = rep
		v.show()
	})
}

// show lays out the report: its period and filter, the key figures, the four
// charts, then every table. A filtered report of zeros (the filter keeps no case,
// or none of its cases was active in the period) is one sentence instead.
func (v *reportsView) show() {
	rep := v.rep
	title := subheading(rep.Period.Title())
	title.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{title}
	if !rep.Filter.Empty() {
		// Named under the title, so a screenshot of a filtered report cannot pass
		// for the whole program's (the PDF and CSV print it too).
		only := widget.NewLabelWithStyle("Only cases: "+rep.Filter.String()+".", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		only.Wrapping = fyne.TextWrapWord
		objs = append(objs, only)
		none := ""
		switch {
		case rep.NoCases:
			none = "No case in this vault matches this filter, so there is nothing to count."
		case rep.Empty():
			none = "None of the cases this filter keeps was active in this period, so there is nothing to count."
		}
		if none != "" {
			v.body.Objects = append(objs, paragraph(none))
			v.body.Refresh()
			return
		}
	}
	objs = append(objs, v.headline())
	charts := []string{"cases_by_month", "checklist_by_phase", "checklist_by_partner", "time_to_services"}
	grid := container.NewGridWithColumns(2)
	for _, key := range charts {
		if t := rep.Table(key); t != nil {
			grid.Add(reportCard(t.Title, t.Note, newBarChart(report.ChartOf(*t, rep.MinCell))))
		}
	}
	objs = append(objs, grid)
	for _, t := range rep.Tables {
		if t.Key == "cases_by_month" || t.Key == "checklist_by_phase" || t.Key == "checklist_by_partner" {
			continue
		}
		objs = append(objs, reportCard(t.Title, t.Note, reportGrid(t, rep.MinCell)))
	}
	who := rep.GeneratedBy
	if rep.Agency != "" {
		who += ", " + rep.Agency
	}
	objs = append(objs, quiet(fmt.Sprintf("%s %s Counted for %s on %s.", app.NoIdentifyingInformation,
		"Every figure is defined in docs/report.md.", who, rep.Generated.Local().Format("January 2, 2006 3:04 PM"))))
	v.body.Objects = objs
	v.body.Refresh()
}

// headline is the row of key figures: cases active, opened, closed, youth
// recovered, referrals made.
func (v *reportsView) headline() fyne.CanvasObject {
	rep := v.rep
	figure := func(table, row, col, label string) fyne.CanvasObject {
		c, _ := rep.Cell(table, row, col)
		n := widget.NewLabelWithStyle(c.Text(rep.MinCell), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		n.SizeName = theme.SizeNameSubHeadingText
		return container.NewVBox(n, quietLine(label))
	}
	return container.NewGridWithColumns(5,
		figure("cases", "active", "count", "cases active"),
		figure("cases_by_month", "total", "opened", "cases opened"),
		figure("cases_by_month", "total", "closed", "cases closed"),
		figure("recoveries", "youth_recovered", "count", "youth recovered"),
		figure("referrals", "total", "total", "referrals made"),
	)
}

// reportCard is a titled block of the report.
func reportCard(title, note string, content fyne.CanvasObject) fyne.CanvasObject {
	box := container.NewVBox(subheading(title))
	if note != "" {
		box.Add(quiet(note))
	}
	box.Add(content)
	return container.NewPadded(box)
}

// reportGrid is a table's numbers: labels on the left, one column per figure.
func reportGrid(t app.ReportTable, minCell int) fyne.CanvasObject {
	g := container.NewGridWithColumns(len(t.Columns) + 1)
	g.Add(widget.NewLabel(""))
	for _, c := range t.Columns {
		g.Add(widget.NewLabelWithStyle(c.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	for _, r := range t.Rows {
		style := fyne.TextStyle{Bold: r.Total}
		g.Add(widget.NewLabelWithStyle(r.Label, fyne.TextAlignLeading, style))
		for _, c := range r.Cells {
			l := widget.NewLabelWithStyle(c.Text(minCell), fyne.TextAlignTrailing, style)
			if !c.Shown() {
				l.Importance = widget.LowImportance
			}
			g.Add(l)
		}
	}
	return g
}

// save writes the report shown as a PDF or CSV file in a folder the user picks.
func (v *reportsView) save(format string) {
	if v.rep == nil {
		say(v.msg, "The report is still being counted. Save it once it shows.")
		return
	}
	v.s.saveReport(v.rep, format)
}
