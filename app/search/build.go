package search

import (
	"runtime"
	"runtime/debug"
	"sync"

	"casenotes/app"
)

// The build reads every searchable record in one snapshot and indexes it. Reading
// (the store unseals each record) runs in one goroutine, decoding and tokenizing
// in one per core, and the index takes the tokenized records one at a time; the
// index is published only when complete, with the commits heard meanwhile applied
// in order on top.

// batchSize is how many records travel between the build's goroutines at once.
const batchSize = 256

type rawRecord struct {
	k app.Key
	v []byte
}

func (ix *Index) build() {
	x := ix.x
	stopped := func() bool { return ix.stop.Load() }
	raw := make(chan []rawRecord, 8)
	analyzed := make(chan []analysis, 8)
	var scanErr error
	go func() {
		defer close(raw)
		batch := make([]rawRecord, 0, batchSize)
		var lastCase app.ID
		scanErr = ix.r.ScanSearchable(stopped, func(k app.Key, v []byte) error {
			switch k.Type {
			case app.RecCaseIndex:
				ix.cases.Add(1)
			case app.RecNote:
				if k.Case != lastCase {
					lastCase = k.Case
					ix.done.Add(1)
				}
			}
			batch = append(batch, rawRecord{k, v})
			if len(batch) == batchSize {
				raw <- batch
				batch = make([]rawRecord, 0, batchSize)
			}
			return nil
		})
		if len(batch) > 0 {
			raw <- batch
		}
	}()
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			z := newTokenizer()
			for batch := range raw {
				if stopped() {
					continue // drain, so the reader can finish
				}
				out := make([]analysis, 0, len(batch))
				for _, r := range batch {
					rec, ok, err := app.SearchableOf(r.k, r.v)
					if err != nil || !ok {
						// A damaged record is left out here; `casenotes check`
						// is what reports damage.
						continue
					}
					out = append(out, analyze(z, rec, nil))
				}
				analyzed <- out
			}
		}()
	}
	go func() {
		wg.Wait()
		close(analyzed)
	}()
	var scratch termScratch
	for batch := range analyzed {
		if stopped() {
			continue
		}
		x.mu.Lock()
		if !x.dropped {
			for i := range batch {
				x.put(&batch[i], &scratch)
			}
		}
		x.mu.Unlock()
	}
	ix.finish(x, scanErr)
}

// finish publishes a built index: addenda take their notes' kind and privilege
// (the two may have been indexed in either order), the sorted term list is made,
// and the commits heard meanwhile are applied.
func (ix *Index) finish(x *index, scanErr error) {
	defer close(ix.readyCh)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return
	}
	if scanErr != nil {
		ix.err = scanErr
		return
	}
	x.mu.Lock()
	for d := range x.docs {
		dc := &x.docs[d]
		if dc.source != app.SourceAddendum {
			continue
		}
		if n, ok := x.notes[dc.note]; ok {
			dc.kind, dc.sensitivity = x.docs[n].kind, x.docs[n].sensitivity
		}
	}
	x.sortTerms()
	x.mu.Unlock()
	for _, ev := range ix.pending {
		ix.apply(ev)
	}
	ix.pending = nil
	ix.ready = true
	// The build's garbage (decoded records, batches) goes back to the system now,
	// not at the collector's leisure.
	go debug.FreeOSMemory()
}
