package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"casenotes/app/search"
)

// compareResult is the compare step: the three engines on the same queries, each
// query run by all three in turn (the order rotating), so that the shared
// machine's load falls on all of them alike.
type compareResult struct {
	Ours      []classResult   `json:"ours"`
	SQLite    []classResult   `json:"sqlite"`
	Persisted []classResult   `json:"persisted"`
	Peer      peerResult      `json:"peer"`
	Persist   persistedResult `json:"persist"`
	Runs      int             `json:"runs"`
	LoadStart string          `json:"load_start"`
	LoadEnd   string          `json:"load_end"`
}

func compare(c config) error {
	var qs []queryClass
	if err := readJSON(filepath.Join(c.out, "queries.json"), &qs); err != nil {
		return fmt.Errorf("run the prepare step first: %w", err)
	}
	res := compareResult{Runs: c.runs, LoadStart: loadAverage()}
	s, r, _, err := c.unlock()
	if err != nil {
		return err
	}
	defer s.Lock()
	all, err := docs(r)
	if err != nil {
		return err
	}
	ix, err := search.Open(r)
	if err != nil {
		return err
	}
	if err := ix.Wait(context.Background()); err != nil {
		return err
	}
	db, peer, cleanPeer, err := peerSetup(c, all)
	if cleanPeer != nil {
		defer cleanPeer()
	}
	if err != nil {
		return err
	}
	res.Peer = peer
	proto, persist, cleanProto, err := persistedSetup(c, all)
	if cleanProto != nil {
		defer cleanProto()
	}
	if err != nil {
		return err
	}
	res.Persist = persist
	all = nil
	runtime.GC()

	engines := []func(q benchQuery) (int, error){
		func(q benchQuery) (int, error) {
			out, err := ix.Search(ourQuery(q))
			return out.Total, err
		},
		func(q benchQuery) (int, error) {
			match, where, args := fts5Query(q)
			return runPeerQuery(db, match, where, args)
		},
		proto.search,
	}
	for _, cl := range qs {
		var lat [3]latencies
		hits := [3]int{-1, -1, -1}
		for run := range c.runs {
			for qi, q := range cl.Queries {
				for k := range engines {
					e := (k + run + qi) % len(engines)
					t0 := time.Now()
					n, err := engines[e](q)
					lat[e] = append(lat[e], time.Since(t0))
					if err != nil {
						return fmt.Errorf("%s: %w", q.Text, err)
					}
					if hits[e] < 0 {
						hits[e] = n
					}
				}
			}
		}
		out := []*[]classResult{&res.Ours, &res.SQLite, &res.Persisted}
		for e := range engines {
			*out[e] = append(*out[e], classResult{Name: cl.Name, P50: lat[e].pct(0.5), P99: lat[e].pct(0.99), Runs: len(lat[e]), Hits: hits[e]})
		}
	}
	res.LoadEnd = loadAverage()
	return writeJSON(filepath.Join(c.out, "compare.json"), res)
}
