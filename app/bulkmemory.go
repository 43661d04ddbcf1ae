package app

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
)

// bulkHeadroom is how much the Go heap may grow over what is live when a bulk
// load starts (seed, import, migrations) before the collector works harder.
//
// A bulk load writes hundreds of megabytes through Badger, whose memtable
// flushes and compactions allocate large, short-lived buffers. With the
// collector's default pacing (the heap may double before a collection) those
// spikes doubled the process's peak: seeding 3,000 cases peaked at 790 MB
// resident with a live heap under 300 MB. A soft limit of the live heap plus
// this headroom keeps the peak near what is live. With 256 MiB of headroom the
// 3,000-case seed still peaked at 754 MB (519 MB anonymous); 64 MiB, with
// storage's two memtables instead of three, brought it to 575 MB (337 MB
// anonymous) for about the same CPU (docs/PERFORMANCE.md, "Scale").
// It is a soft limit: when more is truly live, the collector's own cap on its
// CPU share keeps the load going.
const bulkHeadroom = 64 << 20

// boundBulkMemory sets the soft memory limit for a bulk load and returns the
// function that restores the one before. A limit the user or the process set
// lower (GOMEMLIMIT) is kept.
func boundBulkMemory() (restore func()) {
	// The limit counts all the memory the Go runtime holds from the system, not
	// only the heap: start from what it holds now, less what it has returned.
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	var held uint64
	if sample[0].Value.Kind() == metrics.KindUint64 && sample[1].Value.Kind() == metrics.KindUint64 {
		held = sample[0].Value.Uint64() - min(sample[1].Value.Uint64(), sample[0].Value.Uint64())
	}
	limit := int64(min(held+bulkHeadroom, math.MaxInt64))
	prev := debug.SetMemoryLimit(-1)
	if prev <= limit {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}
