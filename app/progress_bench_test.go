package app_test

import (
	"context"
	"crypto/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// The 10,000-case benchmarks share one seeded vault (seeding takes tens of
// seconds), made on first use only, so a plain `go test` never builds it.
// BENCH_SCALE=50k seeds 50,000 cases instead (the regional task force);
// any "<N>k" seeds N thousand (1k to try the scale script quickly).
var benchCases = func() int {
	if n, err := strconv.Atoi(strings.TrimSuffix(os.Getenv("BENCH_SCALE"), "k")); err == nil && n > 0 {
		return n * 1000
	}
	return 10_000
}()

var bench10k struct {
	once sync.Once
	dir  string
	r    *app.Records
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench10k.r != nil {
		bench10k.r.Store().Close()
	}
	if bench10k.dir != "" {
		os.RemoveAll(bench10k.dir)
	}
	os.Exit(code)
}

// vault10k is the shared vault of 10,000 seeded demo cases (five notes each).
func vault10k(b *testing.B) *app.Records {
	b.Helper()
	bench10k.once.Do(func() {
		key := make([]byte, 32)
		rand.Read(key)
		// CASENOTES_BENCH_10K names a folder to keep the vault in between runs
		// (demo data only, under a fixed key); by default it is temporary.
		dir, keep := os.LookupEnv("CASENOTES_BENCH_10K")
		if keep {
			clear(key)
		} else {
			var err error
			if dir, err = os.MkdirTemp("", "casenotes-bench-10k-"); err != nil {
				bench10k.err = err
				return
			}
			bench10k.dir = dir
		}
		s, err := storage.Open(dir, app.StoreKeys{AtRest: key, Records: key}, storage.Options{})
		if err != nil {
			bench10k.err = err
			return
		}
		r := app.NewRecords(s, "Demo Detective Alvarez")
		bench10k.r = r
		if list, err := r.ListCases(app.CaseFilter{}); err != nil || len(list) >= benchCases {
			bench10k.err = err
			return
		}
		bench10k.err = r.Seed(context.Background(), benchCases, 5, nil)
	})
	if bench10k.err != nil {
		b.Fatal(bench10k.err)
	}
	return bench10k.r
}

func BenchmarkListCases10k(b *testing.B) {
	r := vault10k(b)
	inds, err := r.Indicators()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		f    app.CaseFilter
	}{
		{"all", app.CaseFilter{}},
		{"open", app.CaseFilter{Status: app.CaseOpen}},
		{"partner", app.CaseFilter{Partner: app.PartnerVictimServices}},
		{"tag", app.CaseFilter{Tag: inds[0]}},
		{"overdue", app.CaseFilter{Overdue: true}},
		{"partner+tag+overdue", app.CaseFilter{Partner: app.PartnerLawEnforcement, Tag: inds[0], Overdue: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				list, err := r.ListCases(bc.f)
				if err != nil {
					b.Fatal(err)
				}
				n = len(list)
			}
			b.ReportMetric(float64(n), "cases")
		})
	}
}

func BenchmarkTeamProgress10k(b *testing.B) {
	r := vault10k(b)
	for _, bc := range []struct {
		name string
		f    app.CaseFilter
	}{
		{"open", app.CaseFilter{}},
		{"partner", app.CaseFilter{Partner: app.PartnerVictimServices}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var p app.ChecklistProgress
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if p, err = r.TeamProgress(bc.f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Cases), "cases")
		})
	}
}

// BenchmarkDashboard10k is what the dashboard reads after unlock: the vault totals
// and its eight rows ("totals"), against what it read before the totals existed:
// every open case's list entry, every task and the team progress ("scan").
func BenchmarkDashboard10k(b *testing.B) {
	r := vault10k(b)
	now := time.Now()
	b.Run("totals", func(b *testing.B) {
		var d app.Dashboard
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if d, err = r.Dashboard(now, 14, 8); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(d.OpenCases), "open-cases")
	})
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.ListCases(app.CaseFilter{Status: app.CaseOpen}); err != nil {
				b.Fatal(err)
			}
			if _, err := r.UpcomingAndOverdue(now, 14*24*time.Hour); err != nil {
				b.Fatal(err)
			}
			if _, err := r.TeamProgress(app.CaseFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
