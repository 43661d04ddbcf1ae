package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// scaleTable prints issue 12's table at the size the script ran (every row), from
// what the script's steps left in the results folder:
//
//	seed.time        /usr/bin/time -v of `casenotes seed` (peak resident memory)
//	seed.rss         the largest RssAnon and RssFile sampled during the seed
//	stall.txt        BenchmarkUIStall (ui/stall_bench_test.go), real KDF
//	dashboard.txt    BenchmarkDashboard10k (app/progress_bench_test.go)
//	import.json      the import step; sqlite-load.json the sqlite-load step
//
// and the seeded vault's size on disk (-vault).
func scaleTable(c config) error {
	var imp, sq loadResult
	if err := readJSON(filepath.Join(c.out, "import.json"), &imp); err != nil {
		return fmt.Errorf("run the import step first: %w", err)
	}
	if err := readJSON(filepath.Join(c.out, "sqlite-load.json"), &sq); err != nil {
		return fmt.Errorf("run the sqlite-load step first: %w", err)
	}
	seed := readText(filepath.Join(c.out, "seed.time"))
	stall := readText(filepath.Join(c.out, "stall.txt"))
	dash := readText(filepath.Join(c.out, "dashboard.txt"))
	vault := diskUsage(c.vault)

	w := os.Stdout
	fmt.Fprintf(w, "\nScale (issue 12) at %s cases, %s UTC, load average %s at the end.\n\n",
		thousands(c.cases), time.Now().UTC().Format("2006-01-02 15:04"), loadAverage())
	fmt.Fprintln(w, "| Measure | Result | Target |")
	fmt.Fprintln(w, "|---|---|---|")

	stallCases := metric(stall, "BenchmarkUIStall", "cases")
	fmt.Fprintf(w, "| UI frozen after unlock: longest UI stall, unlock to Tasks (%s cases, 2 notes each) | %s; by step: %s | under 50 ms |\n",
		thousands(int(stallCases)), msOrMissing(metric(stall, "BenchmarkUIStall", "max-stall-ms")), byStep(stall))
	if walks := eachWalk(stall); walks != "" {
		fmt.Fprintf(w, "| The same, each walk: its longest stall (step; how late its tick was posted), and their median | %s; median %s | - |\n",
			walks, msOrMissing(metric(stall, "BenchmarkUIStall", "median-walk-stall-ms")))
	}
	unlock, toDash := metric(stall, "BenchmarkUIStall", "unlock-ms"), metric(stall, "BenchmarkUIStall", "dashboard-ms")
	if unlock > 0 && toDash > 0 {
		rest := secs(toDash - unlock)
		if toDash < unlock {
			rest = "nothing measurable (the unlock alone took longer this time)"
		}
		fmt.Fprintf(w, "| Enter to dashboard drawn (real KDF) | %s: unlock (KDF, store open) %s + %s | KDF + 0.3 s |\n",
			secs(toDash), secs(unlock), rest)
	} else {
		fmt.Fprintln(w, "| Enter to dashboard drawn (real KDF) | not measured (see stall.txt) | KDF + 0.3 s |")
	}
	if closed := metric(stall, "BenchmarkUIStall", "closed-ms"); closed > 0 {
		fmt.Fprintf(w, "| Lock: the UI goroutine held by Lock / its longest stall until the store closed / Lock to the store closed (in the background) | %s / %s / %s | under 50 ms |\n",
			msOrMissing(metric(stall, "BenchmarkUIStall", "lock-ms")), msOrMissing(metric(stall, "BenchmarkUIStall", "lock-stall-ms")), secs(closed))
	}
	dashNs := metric(dash, "BenchmarkDashboard10k/totals", "ns/op")
	fmt.Fprintf(w, "| Dashboard queries, in-process (%s open cases) | %s | under 50 ms |\n",
		thousands(int(metric(dash, "BenchmarkDashboard10k/totals", "open-cases"))), msOrMissing(dashNs/1e6))

	peak := timeField(seed, "Maximum resident set size (kbytes)")
	rss := readText(filepath.Join(c.out, "seed.rss"))
	fmt.Fprintf(w, "| Peak memory while seeding %s cases x 25 notes: resident (largest anonymous / largest mapped store files, sampled) | %s (%s / %s; %s wall, %s CPU) | under 500 MB |\n",
		thousands(c.cases), mbKB(peak), mbKB(timeField(rss, "RssAnon")), mbKB(timeField(rss, "RssFile")),
		timeField(seed, "Elapsed (wall clock) time (h:mm:ss or m:ss)"), cpu(seed))
	fmt.Fprintf(w, "| Vault size (25 notes a case), seeded / the same cases imported, against the case and note fields in SQLite with FTS5 | %s / %s vs %s (%.2fx / %.2fx) | within 1.5x |\n",
		mb(uint64(vault)), mb(uint64(imp.Bytes)), mb(uint64(sq.Bytes)),
		float64(vault)/float64(max(sq.Bytes, 1)), float64(imp.Bytes)/float64(max(sq.Bytes, 1)))
	fmt.Fprintf(w, "| Import of %s notes (%s cases, %d files) vs loading the same into SQLite FTS5 (SQLite %s) | %s vs %s (%.1fx) | at most 1.5x |\n",
		thousands(imp.Notes), thousands(imp.Cases), len(imp.Files), sq.Version, human(imp.total()), human(sq.total()),
		ratio(imp.total(), sq.total()))
	fmt.Fprintf(w, "| Each file as fast as the first: import, file by file (last / first) | %s (%.2fx) | 1x |\n",
		durations(imp.Files), ratio(last(imp.Files), first(imp.Files)))
	fmt.Fprintf(w, "| The same for SQLite, file by file (last / first) | %s (%.2fx) | - |\n",
		durations(sq.Files), ratio(last(sq.Files), first(sq.Files)))
	fmt.Fprintf(w, "| Peak memory of the import process / SQLite's | %s / %s | under 500 MB |\n", mb(imp.PeakRSS), mb(sq.PeakRSS))
	return nil
}

func readText(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// metric is the value before unit on the result line of the named benchmark in
// go test output (the name matched up to its -GOMAXPROCS suffix); 0 when absent.
func metric(out, bench, unit string) float64 {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || (f[0] != bench && !strings.HasPrefix(f[0], bench+"-")) {
			continue
		}
		for i := 2; i < len(f); i++ {
			if f[i] == unit {
				v, _ := strconv.ParseFloat(f[i-1], 64)
				return v
			}
		}
	}
	return 0
}

var (
	stepRE = regexp.MustCompile(`longest stall by step: map\[([^\]]*)\]`)
	pairRE = regexp.MustCompile(`([a-z ]+):([0-9.]+[µmn]?s)`)
	walkRE = regexp.MustCompile(`each walk's longest stall: ([^\n]*)`)
)

// eachWalk is the benchmark's line of each walk's longest stall, or "".
func eachWalk(out string) string {
	m := walkRE.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		return ""
	}
	return strings.TrimSpace(m[len(m)-1][1])
}

// byStep is the stall benchmark's per-step figures ("case list 437 ms, ...").
func byStep(out string) string {
	m := stepRE.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		return "-"
	}
	var parts []string
	for _, p := range pairRE.FindAllStringSubmatch(m[len(m)-1][1], -1) {
		d, err := time.ParseDuration(p[2])
		if err != nil {
			continue
		}
		parts = append(parts, strings.TrimSpace(p[1])+" "+human(d.Round(time.Millisecond)))
	}
	return strings.Join(parts, ", ")
}

// timeField is a field of /usr/bin/time -v's report.
func timeField(out, name string) string {
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func cpu(out string) string {
	u, _ := strconv.ParseFloat(timeField(out, "User time (seconds)"), 64)
	s, _ := strconv.ParseFloat(timeField(out, "System time (seconds)"), 64)
	return fmt.Sprintf("%.0f s", u+s)
}

func mbKB(kb string) string {
	v, err := strconv.ParseUint(kb, 10, 64)
	if err != nil {
		return "not measured"
	}
	return mb(v << 10)
}

func msOrMissing(ms float64) string {
	if ms <= 0 {
		return "not measured"
	}
	return human(time.Duration(ms * 1e6))
}

func secs(ms float64) string { return fmt.Sprintf("%.2f s", ms/1000) }

func durations(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.1f", d.Seconds()))
	}
	return strings.Join(parts, " / ") + " s"
}

func first(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[0]
}

func last(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[len(ds)-1]
}

// diskUsage is what `du` counts for dir: the blocks its files take, so a sparse,
// preallocated file (an open store's value log) counts what is written.
func diskUsage(dir string) int64 {
	var n int64
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			n += st.Blocks * 512
		} else {
			n += fi.Size()
		}
		return nil
	})
	return n
}
