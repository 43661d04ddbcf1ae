package search

import (
	"sync"
	"sync/atomic"
	"time"
)

// Foreground is interactive work the index build gives way to. The build starts
// at unlock and, on a two-core laptop, its reader and its indexer keep both cores
// busy for seconds; a screen's own read and the UI goroutine drawing it then wait
// behind them, and the window freezes (issue 12, the UI stall). A desktop app
// holds its Foreground while a screen reads and draws; the build waits between
// two records meanwhile and goes on when nothing holds it.
//
// A build is never stopped for good by it: when the foreground stays held longer
// than maxPause, the build runs for runFor before it waits again, so an app kept
// busy without a pause still gets its index (more slowly).
type Foreground struct {
	held atomic.Int32 // how many holds are in force: read on every record

	mu   sync.Mutex
	busy chan struct{} // closed when the last hold is released
}

// maxPause is the longest the build waits for the foreground at once, and runFor
// how long it then runs before it waits again. A variable for the tests only.
var maxPause = 3 * time.Second

const runFor = 200 * time.Millisecond

// pausing, when set (by tests only), is called each time a build goroutine starts
// to wait for the foreground.
var pausing func()

// stopPoll is how often a waiting build checks whether it was stopped (a lock):
// a locked vault's build must end at once, not after the pause.
const stopPoll = 20 * time.Millisecond

// NewForeground returns a foreground nothing holds.
func NewForeground() *Foreground { return &Foreground{} }

// Hold marks interactive work in progress until release is called. Holds may
// overlap; the build waits until all are released. Calling release more than
// once does nothing. A nil Foreground holds nothing.
func (f *Foreground) Hold() (release func()) {
	if f == nil {
		return func() {}
	}
	f.mu.Lock()
	if f.held.Add(1) == 1 {
		f.busy = make(chan struct{})
	}
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			if f.held.Add(-1) == 0 {
				close(f.busy)
				f.busy = nil
			}
			f.mu.Unlock()
		})
	}
}

// pacer is one build goroutine's way of giving way to a foreground.
type pacer struct {
	f        *Foreground // nil: never waits
	stop     func() bool
	runUntil time.Time // after a full pause, the build runs until then
}

// wait returns at once when nothing holds the foreground; otherwise when the
// last hold is released, the build is stopped, or maxPause has passed.
func (p *pacer) wait() {
	if p.f == nil || p.f.held.Load() == 0 {
		return
	}
	now := time.Now()
	if now.Before(p.runUntil) {
		return
	}
	deadline := now.Add(maxPause)
	if pausing != nil {
		pausing()
	}
	for !p.stop() {
		p.f.mu.Lock()
		busy := p.f.busy
		p.f.mu.Unlock()
		if busy == nil {
			return
		}
		left := time.Until(deadline)
		if left <= 0 {
			p.runUntil = time.Now().Add(runFor)
			return
		}
		t := time.NewTimer(min(left, stopPoll))
		select {
		case <-busy:
			t.Stop()
			return
		case <-t.C:
		}
	}
}
