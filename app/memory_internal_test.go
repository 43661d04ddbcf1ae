package app

import (
	"runtime"
	"runtime/metrics"
	"testing"
)

// stopsOtherThanGC counts the times the runtime has stopped the world for
// something other than the collector (runtime.ReadMemStats, for one).
func stopsOtherThanGC(t *testing.T) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/sched/pauses/total/other:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		t.Skip("this Go runtime does not count its stops of the world")
	}
	var n uint64
	for _, c := range s[0].Value.Float64Histogram().Counts {
		n += c
	}
	return n
}

// TestReleaseMemoryRarelyStopsTheWorld: the release after a lock runs in the
// background while the unlock screen answers the user; each stop of the world
// also stops the UI goroutine. Reading the heap's size with runtime.ReadMemStats
// after every batch stopped it thousands of times a release; the release now
// stops it once a size class in each of its two rounds, to give back the spans
// other processors hold.
func TestReleaseMemoryRarelyStopsTheWorld(t *testing.T) {
	// Garbage of many sizes, so that refilling has freed slots to take.
	for i := range 200_000 {
		garbageSink = make([]byte, 8+i%2000)
	}
	garbageSink = nil
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	classes := 0
	for _, c := range ms.BySize {
		if c.Size > 0 {
			classes++
		}
	}
	before := stopsOtherThanGC(t)
	releaseMemory()
	stops := stopsOtherThanGC(t) - before
	t.Logf("the release stopped the world %d times besides collections (%d size classes)", stops, classes)
	if limit := uint64(2*classes + 10); stops > limit {
		t.Errorf("the release stopped the world %d times besides collections; want at most %d (once a size class a round)", stops, limit)
	}
}

// garbageSink keeps the compiler from leaving out the test's garbage.
var garbageSink []byte
