package app

import (
	"math"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A bulk load bounds the heap while it runs and gives the process its own limit
// back afterwards; a lower limit the user set is never raised.
func TestBulkMemoryLimitIsRestored(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)

	debug.SetMemoryLimit(math.MaxInt64) // no limit, the default
	restore := boundBulkMemory()
	during := debug.SetMemoryLimit(-1)
	if during == math.MaxInt64 || during < bulkFloor {
		t.Errorf("limit during a bulk load = %d, want what is held plus %d, at least %d", during, bulkHeadroom, bulkFloor)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit after the bulk load = %d, want it back at no limit", got)
	}

	debug.SetMemoryLimit(64 << 20) // GOMEMLIMIT=64MiB
	restore = boundBulkMemory()
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("a lower limit the user set became %d during the bulk load", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("a lower limit the user set became %d after the bulk load", got)
	}
}

// releaseCounter is a store that counts how often its mapped pages are handed back.
type releaseCounter struct {
	Store
	mu    sync.Mutex
	calls int
}

func (r *releaseCounter) ReleaseMappedPages() { r.mu.Lock(); r.calls++; r.mu.Unlock() }
func (r *releaseCounter) count() int          { r.mu.Lock(); defer r.mu.Unlock(); return r.calls }

// A bulk load hands back the store's mapped pages while it runs, though no
// transaction of it ends (Badger holding its writes back while compactions map
// tables), once more when it ends, and never after.
func TestBulkLoadHandsBackPagesWhileItWaits(t *testing.T) {
	store := &releaseCounter{}
	p := &commitPath{store: store}
	end := p.loading()
	deadline := time.Now().Add(30 * time.Second)
	for store.count() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := store.count(); n < 2 {
		end()
		t.Fatalf("the pages were handed back %d times in 30 s of a load with no transaction; want them handed back every %v", n, pageReleaseEvery)
	}
	before := store.count()
	end()
	after := store.count()
	if after == before {
		t.Error("ending the load did not hand the pages back")
	}
	time.Sleep(3 * pageReleaseEvery)
	if n := store.count(); n != after {
		t.Errorf("%d more hand-backs after the load ended", n-after)
	}
}

// meteredCounter is a releaseCounter that also says how much is mapped from files.
type meteredCounter struct {
	releaseCounter
	mapped atomic.Uint64
}

func (m *meteredCounter) MappedResident() (uint64, bool) { return m.mapped.Load(), true }

// Where the store says how much is mapped, a bulk load hands the pages back only
// once more than mappedSlack has been mapped since it began.
func TestBulkLoadHandsBackPagesPastTheSlack(t *testing.T) {
	store := &meteredCounter{}
	store.mapped.Store(100 << 20)
	p := &commitPath{store: store}
	end := p.loading()
	defer func() {
		if end != nil {
			end()
		}
	}()
	atStart := store.count() // the load starts from a clean slate
	store.mapped.Store(100<<20 + mappedSlack - 1)
	time.Sleep(4 * pageReleaseEvery)
	if n := store.count() - atStart; n != 0 {
		t.Fatalf("handed back %d times with less than the slack mapped; want none", n)
	}
	store.mapped.Store(100<<20 + mappedSlack)
	deadline := time.Now().Add(30 * time.Second)
	for store.count() == atStart && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if store.count() == atStart {
		t.Fatal("not handed back in 30 s with the slack mapped")
	}
	end()
	end = nil
}
