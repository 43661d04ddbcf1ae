package search

import (
	"cmp"
	"runtime"
	"sync"
	"sync/atomic"

	"casenotes/app"
)

// The build reads every searchable record and indexes it. The cases' list
// entries come first (one small record a case: the progress counts cases); then
// the vault is read in parts, each part the records of the cases whose identifiers
// start with a range of byte values, one goroutine a core taking parts in turn:
// each reads its part in a snapshot of its own, unseals, decodes and tokenizes it
// (the bulk of the work: one goroutine reading the whole vault, as the first
// version did, left the other cores idle). The index takes the tokenized records
// one batch at a time; it is published only when complete, with the commits heard
// meanwhile (the observer is in place before the first snapshot) applied in order
// on top.

// batchSize is how many records travel from a reader to the index at once.
const batchSize = 256

// parts is how many parts the vault is read in: enough that cores finishing at
// different times wait little for each other.
const parts = 32

// releaseEvery is how many parts are read between two hand-backs of the store's
// mapped pages.
const releaseEvery = 4

func (ix *Index) build() {
	x := ix.x
	stopped := func() bool { return ix.stop.Load() }
	// Each goroutine of the build waits for the foreground (a screen being read
	// and drawn) between two records, through the stop check every scan makes.
	paced := func() func() bool {
		p := &pacer{f: ix.fg, stop: stopped}
		return func() bool {
			p.wait()
			return stopped()
		}
	}
	var perByte [256]int64 // cases by the first byte of their identifier
	var cases []analysis
	z := newTokenizer()
	scanErr := ix.r.ScanSearchableCases(paced(), func(k app.Key, v []byte) error {
		rec, ok, err := app.SearchableOf(k, v)
		if err != nil || !ok {
			return nil // left out; `casenotes check` reports damage
		}
		perByte[rec.Case[0]]++
		ix.cases.Add(1)
		cases = append(cases, analyze(z, rec, nil))
		return nil
	})
	if scanErr != nil || stopped() {
		ix.finish(x, scanErr)
		return
	}
	casesPaced := paced()
	if casesPaced() { // locked while waiting
		ix.finish(x, nil)
		return
	}
	var scratch termScratch
	x.mu.Lock()
	if !x.dropped { // the vault locked meanwhile
		for i := range cases {
			x.put(&cases[i], &scratch)
		}
	}
	x.mu.Unlock()
	cases = nil

	todo := make(chan [2]byte, parts)
	for i := range parts {
		todo <- [2]byte{byte(i * 256 / parts), byte((i+1)*256/parts - 1)}
	}
	close(todo)
	analyzed := make(chan []analysis, 8)
	var (
		wg        sync.WaitGroup
		errMu     sync.Mutex
		partErr   error
		partsDone atomic.Int64
	)
	// One reader fewer than there are cores (at least one): with this goroutine
	// putting what they read into the index, a reader on every core left the UI
	// goroutine waiting behind three busy ones on a two-core laptop. (Cores, not
	// GOMAXPROCS: the desktop app runs one processor more than it has cores, for
	// its UI thread; ui.ReserveProcForUI.)
	for range max(1, min(runtime.GOMAXPROCS(0), runtime.NumCPU())-1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			z := newTokenizer()
			readerPaced := paced()
			for p := range todo {
				if stopped() {
					continue
				}
				batch := make([]analysis, 0, batchSize)
				err := ix.r.ScanSearchablePart(p[0], p[1], readerPaced, func(k app.Key, v []byte) error {
					rec, ok, err := app.SearchableOf(k, v)
					if err != nil || !ok {
						return nil // left out; `casenotes check` reports damage
					}
					batch = append(batch, analyze(z, rec, nil))
					if len(batch) == batchSize {
						analyzed <- batch
						batch = make([]analysis, 0, batchSize)
					}
					return nil
				})
				if len(batch) > 0 {
					analyzed <- batch
				}
				if err != nil {
					errMu.Lock()
					partErr = cmp.Or(partErr, err)
					errMu.Unlock()
					continue
				}
				var n int64
				for b := int(p[0]); b <= int(p[1]); b++ {
					n += perByte[b]
				}
				ix.done.Add(n)
				// What the parts mapped of the store's files goes back every few
				// parts, so the build's resident memory stays near the index's own
				// (each release walks every table map: about 20 ms).
				if partsDone.Add(1)%releaseEvery == 0 {
					ix.r.ReleaseReadPages()
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		ix.r.ReleaseReadPages()
		close(analyzed)
	}()
	indexerPaced := paced()
	for batch := range analyzed {
		if indexerPaced() {
			continue // drain, so the readers can finish
		}
		x.mu.Lock()
		if !x.dropped {
			for i := range batch {
				x.put(&batch[i], &scratch)
			}
		}
		x.mu.Unlock()
	}
	indexerPaced() // the sorting and the clean-up that finish the build are work too
	ix.finish(x, partErr)
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
	for d := range uint32(x.docs.len()) {
		dc := x.docs.at(d)
		if dc.source != app.SourceAddendum {
			continue
		}
		if n, ok := x.notes[dc.note]; ok {
			dc.kind, dc.sensitivity = x.docs.at(n).kind, x.docs.at(n).sensitivity
		}
	}
	x.sortTerms()
	x.mu.Unlock()
	for _, ev := range ix.pending {
		ix.apply(ev)
	}
	ix.pending = nil
	ix.ready = true
	// The build's garbage (decoded records, batches) is collected now, not at the
	// collector's leisure; the runtime's scavenger hands its pages back to the
	// system a little at a time. (Not debug.FreeOSMemory: returning them all at
	// once runs without pause, hundreds of milliseconds at 50,000 cases, and a
	// collection the UI goroutine's drawing asks for meanwhile waits for it with
	// the UI goroutine stopped; the collection takes its turn with the releases.)
	go app.CollectGarbage()
}
