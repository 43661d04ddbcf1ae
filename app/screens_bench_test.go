package app_test

import (
	"testing"
	"time"

	"casenotes/app"
)

// The screens' background reads on the shared 10,000-case vault (issue 12): the
// dashboard's court dates, and the case list's overdue counts (before, the whole
// overdue task list with each case's label; now OverdueByCase, in
// BenchmarkCaseListOverdue10k/counts).
func BenchmarkHearingsDue10k(b *testing.B) {
	r := vault10k(b)
	now := time.Now()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		tasks, err := r.HearingsDue(now, 30*24*time.Hour, 8)
		if err != nil {
			b.Fatal(err)
		}
		n = len(tasks)
	}
	b.ReportMetric(float64(n), "hearings")
}

func BenchmarkCaseListOverdue10k(b *testing.B) {
	r := vault10k(b)
	now := time.Now()
	b.Run("tasks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.UpcomingAndOverdue(now, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("counts", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.OverdueByCase(now); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The case list's whole read, as ui/cases.go makes it.
func BenchmarkCaseListRead10k(b *testing.B) {
	r := vault10k(b)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.ListCases(app.CaseFilter{}); err != nil {
			b.Fatal(err)
		}
		if _, err := r.OverdueByCase(now); err != nil {
			b.Fatal(err)
		}
	}
}
