// Command bench measures Casenotes' search on a seeded vault, and SQLite FTS5 on the
// same text, for `make bench` and docs/PERFORMANCE.md. It is its own module so that
// the product never depends on SQLite.
//
//	bench -vault DIR -passphrase-file F -out DIR prepare    the query set, from the corpus
//	bench ... ours        unlock, case list, index build, memory, note saves
//	bench ... compare     our index, SQLite FTS5 (modernc.org/sqlite) and the persisted
//	                      design's prototype on the same text, the same queries
//	                      interleaved (each query run by the three in turn)
//	bench -out DIR table  one table of everything, with our time / SQLite's per class
//
// and, for the scale table of issue 12 (.ci/bench-scale.sh):
//
//	bench -vault SEEDED ... casefiles   the seeded vault's cases and notes as case files
//	bench -vault FRESH ... import       those files imported one after another, each timed
//	bench -out DIR sqlite-load          the same files loaded into SQLite with FTS5, each timed
//	bench -vault SEEDED -cases N -out DIR scale-table   issue 12's table, every row
//
// The ours step is a process of its own, so its memory figures hold our engine
// alone.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

func main() {
	vault := flag.String("vault", "", "the seeded vault")
	passFile := flag.String("passphrase-file", "", "its passphrase")
	out := flag.String("out", "bench-results", "folder for the results")
	runs := flag.Int("runs", 40, "times each query is run")
	cases := flag.Int("cases", 10000, "cases seeded (the scale table's size)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: bench -vault DIR -passphrase-file F -out DIR prepare|ours|compare|table|casefiles|import|sqlite-load|scale-table")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		fail(err)
	}
	cfg := config{vault: *vault, passFile: *passFile, out: *out, runs: *runs, cases: *cases}
	var err error
	switch flag.Arg(0) {
	case "prepare":
		err = prepare(cfg)
	case "ours":
		err = ours(cfg)
	case "compare":
		err = compare(cfg)
	case "table":
		err = table(cfg)
	case "casefiles":
		err = caseFiles(cfg)
	case "import":
		err = importFiles(cfg)
	case "sqlite-load":
		err = sqliteLoad(cfg)
	case "scale-table":
		err = scaleTable(cfg)
	default:
		err = fmt.Errorf("unknown step %q", flag.Arg(0))
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

type config struct {
	vault, passFile, out string
	runs, cases          int
}

// unlock opens the vault (the passphrase KDF included) and times it.
func (c config) unlock() (*app.Session, *app.Records, time.Duration, error) {
	pass, err := os.ReadFile(c.passFile)
	if err != nil {
		return nil, nil, 0, err
	}
	if n := len(pass); n > 0 && pass[n-1] == '\n' {
		pass = pass[:n-1]
	}
	start := time.Now()
	s, err := app.NewVaults(&storage.Disk{}).Unlock(c.vault, pass)
	if err != nil {
		return nil, nil, 0, err
	}
	took := time.Since(start)
	r, err := s.Records("")
	if err != nil {
		return nil, nil, 0, err
	}
	return s, r, took, nil
}

// docs reads every searchable record the index would hold (never another
// author's draft), for the query set and the peer.
func docs(r *app.Records) ([]app.SearchRecord, error) {
	viewer, err := r.Viewer()
	if err != nil {
		return nil, err
	}
	var out []app.SearchRecord
	err = r.ScanSearchable(nil, func(k app.Key, v []byte) error {
		rec, ok, err := app.SearchableOf(k, v)
		if err != nil || !ok {
			return nil
		}
		if rec.Source == app.SourceNote && rec.Draft && rec.Author != viewer {
			return nil
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}

// prepare writes the query set.
func prepare(c config) error {
	s, r, _, err := c.unlock()
	if err != nil {
		return err
	}
	defer s.Lock()
	all, err := docs(r)
	if err != nil {
		return err
	}
	var latest time.Time
	for _, d := range all {
		if d.Date.After(latest) {
			latest = d.Date
		}
	}
	qs := classes(all, latest)
	return writeJSON(filepath.Join(c.out, "queries.json"), qs)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// latencies are one class's timings.
type latencies []time.Duration

func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := append(latencies(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p * float64(len(s)-1))
	return s[i]
}

// classResult is one engine's figures for a query class.
type classResult struct {
	Name string        `json:"name"`
	P50  time.Duration `json:"p50"`
	P99  time.Duration `json:"p99"`
	Runs int           `json:"runs"`
	Hits int           `json:"hits"` // hits of the first query, a sanity check
}
