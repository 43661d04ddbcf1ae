// Package search is full-text search across every case of an unlocked vault.
//
// The index lives in memory only (docs/search.md says why, with the figures): it is
// built in the background after unlock from one read snapshot, kept in step with
// every commit through the commit path's observer, and dropped when the vault locks,
// its text wiped and its memory returned to the system. Nothing of it is written to
// disk. The legal identity is never read; drafts of other authors are never
// indexed; an advocate-privileged note is found, but its hit has no snippet.
package search

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"casenotes/app"
)

// ErrBuilding is returned by Search while the index is still being built after
// unlock (Progress says how far it is; Wait waits for it).
var ErrBuilding = errors.New("the search index is still being built")

// Index is the search of one unlocked vault.
type Index struct {
	r  *app.Records
	fg *Foreground // the build gives way to it; nil: never

	mu      sync.Mutex
	x       *index
	ready   bool
	closed  bool
	pending []app.CommitEvent // commits heard while building, applied in order after
	err     error             // why the build failed
	scratch termScratch       // for commits applied after the build

	readyCh chan struct{}
	stop    atomic.Bool
	done    atomic.Int64 // cases scanned, for progress
	cases   atomic.Int64

	removeObserver func()
	removeLockHook func()
	released       chan struct{}
}

// Open starts building the index of the vault r belongs to and returns at once.
// The index follows every commit from now on and drops itself when the vault
// locks. The person searching is r's author (their own drafts are found).
func Open(r *app.Records) (*Index, error) { return OpenBehind(r, nil) }

// OpenBehind is Open with a build that gives way to fg: it waits while fg is held
// (a screen of the desktop app being read and drawn). A nil fg never holds.
func OpenBehind(r *app.Records, fg *Foreground) (*Index, error) {
	viewer, err := r.Viewer()
	if err != nil {
		return nil, err
	}
	ix := &Index{r: r, fg: fg, x: newIndex(viewer), readyCh: make(chan struct{}), released: make(chan struct{})}
	// The observer comes first: a commit made while the snapshot is read is heard
	// and applied after it (applying one the snapshot already holds is harmless:
	// a record is replaced by its key).
	ix.removeObserver = r.Observe(ix.observe)
	ix.removeLockHook = r.OnLock(ix.Close)
	if err := r.Open(); err != nil { // locked before the hooks were in place
		ix.Close()
		return nil, err
	}
	go ix.build()
	return ix, nil
}

// Wait waits until the index is ready, the vault locks (app.ErrLocked) or ctx ends.
func (ix *Index) Wait(ctx context.Context) error {
	select {
	case <-ix.readyCh:
	case <-ctx.Done():
		return ctx.Err()
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	switch {
	case ix.closed:
		return app.ErrLocked
	case ix.err != nil:
		return ix.err
	}
	return nil
}

// Progress reports how far the build is: cases read of all cases, and whether
// the index is ready.
func (ix *Index) Progress() (done, total int, ready bool) {
	ix.mu.Lock()
	ready = ix.ready
	ix.mu.Unlock()
	return int(ix.done.Load()), int(ix.cases.Load()), ready
}

// Search runs a query. A locked vault answers app.ErrLocked, never an old result;
// a query that does not parse answers app.ErrInvalid with a sentence.
func (ix *Index) Search(q Query) (Results, error) {
	if err := ix.r.Open(); err != nil {
		return Results{}, err
	}
	clauses, err := parse(q.Text)
	if err != nil {
		return Results{}, err
	}
	ix.mu.Lock()
	x, ready, closed, berr := ix.x, ix.ready, ix.closed, ix.err
	ix.mu.Unlock()
	switch {
	case closed:
		return Results{}, app.ErrLocked
	case berr != nil:
		return Results{}, berr
	case !ready:
		return Results{}, ErrBuilding
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.dropped { // by a lock since the check above
		return Results{}, app.ErrLocked
	}
	return x.run(clauses, &q), nil
}

// Close drops the index: every text wiped, every reference let go, and the memory
// returned to the system once the build (if any) has stopped. The vault's lock
// calls it; calling it again does nothing.
func (ix *Index) Close() {
	ix.stop.Store(true)
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return
	}
	ix.closed = true
	x := ix.x
	ix.pending = nil
	ix.scratch = termScratch{}
	wasReady := ix.ready
	ix.mu.Unlock()
	if ix.removeObserver != nil {
		ix.removeObserver()
	}
	if ix.removeLockHook != nil {
		ix.removeLockHook()
	}
	x.mu.Lock()
	x.drop()
	x.mu.Unlock()
	go func() {
		if !wasReady {
			<-ix.readyCh // the build stops at its next record
		}
		app.ReturnFreeMemory()
		close(ix.released)
	}()
}

// Released is closed once a closed index's memory has been handed back to the
// system.
func (ix *Index) Released() <-chan struct{} { return ix.released }

// drop wipes what the index holds (the text, the words of the dictionary, the
// cases' numbers and aliases all live in its own chunks) and lets every structure
// go.
func (x *index) drop() {
	x.text.drop()
	x.words.drop()
	x.docs = docTable{}
	x.dead, x.byKey, x.notes, x.terms, x.posts, x.sorted = nil, nil, nil, nil, nil, nil
	x.cases, x.caseOf, x.strs, x.strOf = nil, nil, nil, nil
	x.live, x.total, x.viewer = 0, 0, ""
	x.dropped = true
}

// observe hears one commit: while building it is kept for later, after that it is
// applied at once (the commit path waits for it, so the next search sees it).
func (ix *Index) observe(ev app.CommitEvent) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return
	}
	if !ix.ready {
		ix.pending = append(ix.pending, copyEvent(ev))
		return
	}
	ix.apply(ev)
}

// copyEvent keeps the searchable writes of a commit: the observer may not keep
// the event's slices.
func copyEvent(ev app.CommitEvent) app.CommitEvent {
	out := app.CommitEvent{Shredded: append([]app.ID(nil), ev.Shredded...)}
	for _, w := range ev.Writes {
		if app.Searchable(w.Key.Type) {
			w.Value = append([]byte(nil), w.Value...)
			out.Writes = append(out.Writes, w)
		}
	}
	return out
}

// apply brings the index up to date with one commit. The caller holds ix.mu.
func (ix *Index) apply(ev app.CommitEvent) {
	x := ix.x
	z := newTokenizer()
	var analyses []analysis
	var removed []app.Key
	for _, w := range ev.Writes {
		if !app.Searchable(w.Key.Type) {
			continue
		}
		if w.Deleted {
			removed = append(removed, w.Key)
			continue
		}
		rec, ok, err := app.SearchableOf(w.Key, w.Value)
		if err != nil || !ok {
			removed = append(removed, w.Key) // no text any more (or unreadable): not found
			continue
		}
		analyses = append(analyses, analyze(z, rec, nil))
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, k := range removed {
		x.remove(k)
	}
	for i := range analyses {
		x.put(&analyses[i], &ix.scratch)
	}
	for _, c := range ev.Shredded {
		x.shred(c)
	}
	if len(ix.scratch.added) > 0 {
		x.addSorted(ix.scratch.added)
		ix.scratch.added = ix.scratch.added[:0]
	}
}

// Size is the number of records the index holds (0 until it is ready).
func (ix *Index) Size() int {
	ix.mu.Lock()
	x, ready := ix.x, ix.ready
	ix.mu.Unlock()
	if !ready {
		return 0
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}
