package app

import (
	"math"
	"runtime/debug"
	"testing"
)

// A bulk load bounds the heap while it runs and gives the process its own limit
// back afterwards; a lower limit the user set is never raised.
func TestBulkMemoryLimitIsRestored(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)

	debug.SetMemoryLimit(math.MaxInt64) // no limit, the default
	restore := boundBulkMemory()
	during := debug.SetMemoryLimit(-1)
	if during == math.MaxInt64 || during < bulkHeadroom {
		t.Errorf("limit during a bulk load = %d, want what is held plus %d", during, bulkHeadroom)
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
