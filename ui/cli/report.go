package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"casenotes/app"
	"casenotes/app/export"
	program "casenotes/app/report"
)

// runReport writes the de-identified program report: `casenotes report --period
// 2026|2026-Q3|2026-11 | --from D --to D --format pdf|csv --out F [--assigned NAME]
// [--partner NAME] [--indicator TAG] [--min-cell N] [--page-size letter|a4]`.
func runReport(e *Env, g *globals, args []string) error {
	fs := newFlagSet("report", e)
	period := fs.String("period", "", "a year (2026), a quarter (2026-Q3) or a month (2026-11)")
	from := fs.String("from", "", "a grant period's first day, YYYY-MM-DD (with --to)")
	to := fs.String("to", "", "a grant period's last day, YYYY-MM-DD (with --from)")
	format := fs.String("format", "pdf", "pdf or csv")
	out := fs.String("out", "", "file to write")
	assigned := fs.String("assigned", "", "only cases this person is assigned to")
	partner := fs.String("partner", "", "only cases with a referral to this partner")
	indicator := fs.String("indicator", "", "only cases tagged with this indicator")
	minCell := fs.Int("min-cell", app.DefaultMinCell, "the smallest count shown (at least 3)")
	pageSize := fs.String("page-size", "letter", "letter or a4 (PDF)")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	p, err := reportPeriod(*period, *from, *to)
	if err != nil {
		return err
	}
	if err := checkChoice("report", "--format", *format, "pdf", "csv"); err != nil {
		return err
	}
	a4, err := a4Page("report", *pageSize)
	if err != nil {
		return err
	}
	size := program.Letter
	if a4 {
		size = program.A4
	}
	if *minCell < app.LowestMinCell {
		return usagef("report: --min-cell is at least %d: smaller counts can point to one child", app.LowestMinCell)
	}
	if *out == "" {
		return usagef("report: --out FILE is required")
	}
	if err := checkNewFile("report", *out); err != nil {
		return err
	}
	s, r, err := openSession(e, g)
	if err != nil {
		return err
	}
	defer s.Lock()
	rep, err := r.Report(app.ReportOptions{Period: p, MinCell: *minCell,
		Filter: app.ReportFilter{Assigned: *assigned, Partner: *partner, Indicator: *indicator}})
	if err != nil {
		return err
	}
	err = export.WriteFile(*out, func(f *os.File) error {
		if *format == "csv" {
			return program.WriteCSV(f, rep)
		}
		return program.WritePDF(f, rep, size)
	})
	if err != nil {
		if errors.Is(err, export.ErrDestination) {
			return &sentenceError{"The report could not be written there (a missing folder or no permission); nothing was written. Choose another place."}
		}
		return err
	}
	fmt.Fprintf(e.Stdout, "Wrote %s: the program report for %s, de-identified (counts under %d suppressed).\n",
		*out, p.Title(), rep.MinCell)
	return nil
}

// reportPeriod reads --period, or --from and --to for a grant's period.
func reportPeriod(period, from, to string) (app.ReportPeriod, error) {
	switch {
	case period != "" && (from != "" || to != ""):
		return app.ReportPeriod{}, usagef("report: give --period, or --from and --to for a grant's period, not both")
	case period != "":
		p, err := app.ParseReportPeriod(period)
		if err != nil {
			return p, usagef("report: --period is a year (2026), a quarter (2026-Q3) or a month (2026-11)")
		}
		return p, nil
	case from == "" && to == "":
		return app.ReportPeriod{}, usagef("report: --period (2026, 2026-Q3, 2026-11) or --from and --to is required")
	case from == "" || to == "":
		return app.ReportPeriod{}, usagef("report: a grant's period needs both --from and --to")
	}
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return app.ReportPeriod{}, usagef("report: --from and --to are dates, YYYY-MM-DD")
	}
	p, err := app.GrantReportPeriod(f, t)
	if err != nil {
		return p, usagef("report: %s", app.Sentence(err))
	}
	return p, nil
}
