package app_test

import (
	"fmt"
	"testing"
	"time"

	"casenotes/app"
)

// BenchmarkReport10k counts the program report over the shared vault of 10,000
// seeded cases (opened over the year before today): the year, which reads every
// youth's profile and checklist, and the latest quarter.
func BenchmarkReport10k(b *testing.B) {
	r := vault10k(b)
	now := time.Now().UTC()
	q := (int(now.Month())-1)/3 + 1
	for _, period := range []string{fmt.Sprint(now.Year()), fmt.Sprintf("%d-Q%d", now.Year(), q)} {
		p, err := app.ParseReportPeriod(period)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(period, func(b *testing.B) {
			b.ReportAllocs()
			var youth int64
			for b.Loop() {
				rep, err := r.Report(app.ReportOptions{Period: p})
				if err != nil {
					b.Fatal(err)
				}
				c, _ := rep.Cell("youth_age_band", "total", "count")
				youth = c.Value
			}
			b.ReportMetric(float64(youth), "youth")
		})
	}
}
