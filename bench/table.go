package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// table prints one Markdown table of the run: the design targets, then the search
// classes with SQLite's figures and our time divided by SQLite's, then the
// persisted design's figures beside ours.
func table(c config) error {
	var o oursResult
	if err := readJSON(filepath.Join(c.out, "ours.json"), &o); err != nil {
		return fmt.Errorf("run the ours step first: %w", err)
	}
	var cmp compareResult
	haveCmp := readJSON(filepath.Join(c.out, "compare.json"), &cmp) == nil
	p, ps := cmp.Peer, cmp.Persist
	w := os.Stdout
	fmt.Fprintf(w, "\nSearch benchmark, %s UTC, %d cases, %s searchable records (notes of other authors' drafts left out), "+
		"%d cores, load average %s at the start.\n\n", o.When.Format("2006-01-02 15:04"), o.Cases, thousands(o.Docs), o.Procs, o.Load)
	fmt.Fprintln(w, "| Measure | Result | Target |")
	fmt.Fprintln(w, "|---|---|---|")
	fmt.Fprintf(w, "| Unlock (passphrase KDF and opening the store) | %s | - |\n", human(o.Unlock))
	fmt.Fprintf(w, "| Unlock to a usable case list (%s cases) | %s | KDF + 1.5 s |\n", thousands(o.Cases), human(o.Unlock+o.CaseList))
	fmt.Fprintf(w, "| Case list again (first page shown) | %s | - |\n", human(o.FirstPage))
	fmt.Fprintf(w, "| Search index ready after unlock (in the background) | %s (%s of CPU) | within 10 s |\n", human(o.Build), human(o.BuildCPU))
	fmt.Fprintf(w, "| Note save, no index / index following it (end to end, synced; fsync noise) | %s / %s (%.2fx) | within 1.5x |\n",
		human(o.SaveWithout), human(o.SaveWith), ratio(o.SaveWith, o.SaveWithout))
	if ns := observeNs(filepath.Join(c.out, "observe.txt")); ns > 0 {
		fmt.Fprintf(w, "| What the index adds to a save (the observer, BenchmarkObserveNoteSave) | %s (%.3fx of the save without it) | within 1.5x |\n",
			human(time.Duration(ns)), 1+float64(ns)/float64(o.SaveWithout))
	}
	for _, m := range []struct {
		name string
		p    memPoint
	}{{"after unlock and the case list", o.RSSUnlocked}, {"with the index ready", o.RSSIndexed},
		{"after every query", o.RSSSearched}, {"after the lock", o.RSSLocked}} {
		target := "-"
		if m.name != "after the lock" {
			target = "under 500 MB"
		}
		fmt.Fprintf(w, "| Resident memory %s: all (heap and caches / mapped store files) | %s (%s / %s) | %s |\n",
			m.name, mb(m.p.RSS), mb(m.p.Anon), mb(m.p.File), target)
	}
	fmt.Fprintf(w, "| Vault size on disk | %s | - |\n", mb(uint64(o.VaultBytes)))
	if !haveCmp {
		return nil
	}
	fmt.Fprintf(w, "\nQueries: each query of a class (8 per class, 24 rare words) run %d times by each engine in turn, in one process, "+
		"the best 20 hits with snippets; load average %s at the start, %s at the end. SQLite FTS5 %s "+
		"(modernc.org/sqlite): %s to load and optimize, %s on disk.\n\n",
		cmp.Runs, cmp.LoadStart, cmp.LoadEnd, p.Version, human(p.Load), mb(uint64(p.DBBytes)))
	fmt.Fprintln(w, "| Query class | Ours p50 | Ours p99 | SQLite p50 | SQLite p99 | Ours / SQLite (p50) | Persisted design p50 / p99 | Matches |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for i, cl := range cmp.Ours {
		sq, pd := cmp.SQLite[i], cmp.Persisted[i]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %.2f | %s / %s | %s |\n", cl.Name, human(cl.P50), human(cl.P99),
			human(sq.P50), human(sq.P99), ratio(cl.P50, sq.P50), human(pd.P50), human(pd.P99), thousands(cl.Hits))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| The persisted design (keyed-token postings in the store) | Result |")
	fmt.Fprintln(w, "|---|---|")
	fmt.Fprintf(w, "| Indexing the vault once (a migration) | %s |\n", human(ps.Migrate))
	fmt.Fprintf(w, "| Vault growth (the index records alone, %s records) | %s |\n", thousands(ps.Records), mb(uint64(ps.IndexBytes)))
	fmt.Fprintf(w, "| Ready after unlock (the document table read) | %s |\n", human(ps.Ready))
	fmt.Fprintf(w, "| Note save alone / with its delta record (interleaved) | %s / %s (%.2fx) |\n", human(ps.SaveNote), human(ps.SaveIndexed), ratio(ps.SaveIndexed, ps.SaveNote))
	return nil
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func human(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.0f µs", float64(d)/1e3)
	}
}

func mb(b uint64) string { return fmt.Sprintf("%d MB", b/1_000_000) }

func thousands(n int) string {
	s := fmt.Sprint(n)
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, parts...), ",")
}

// observeNs reads BenchmarkObserveNoteSave's ns/op from go test's output.
func observeNs(path string) float64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		for i := 1; i < len(f); i++ {
			if f[i] == "ns/op" && strings.HasPrefix(f[0], "BenchmarkObserveNoteSave") {
				v, _ := strconv.ParseFloat(f[i-1], 64)
				return v
			}
		}
	}
	return 0
}
