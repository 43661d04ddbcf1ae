package app

import (
	"math"
	"runtime"
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

// bulkFloor is the least the limit is: room for what a load itself keeps live
// (Badger's memtables, its table builders' buffers and caches: 170 MB in a
// 3,000-case seed), so that a small load does not spend its time collecting,
// within the 500 MB a load may take in all (the program's own pages and the
// store's mapped files are the rest). At 50,000 cases more than that is live at
// the seed's high (about 440 MB: two compactions' table builders), and the
// collector's own cap on its CPU share keeps the load going (docs/PERFORMANCE.md,
// "The seed's peak").
const bulkFloor = 320 << 20

// boundBulkMemory sets the soft memory limit for a bulk load and returns the
// function that restores the one before. A limit the user or the process set
// lower (GOMEMLIMIT) is kept.
func boundBulkMemory() (restore func()) {
	// The limit counts all the memory the Go runtime holds from the system, not
	// only the heap: start from what it holds now, less what it has returned and
	// what is free to return, after a collection. Garbage and free pages counted
	// in, the passphrase's key derivation (256 MiB, just before a seed) raised the
	// limit by as much, and the load filled that room instead of the runtime
	// handing it back: a 3,000-case seed peaked at 415 MB with 172 MB of heap live.
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"}, {Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(sample)
	var held uint64
	if sample[0].Value.Kind() == metrics.KindUint64 && sample[1].Value.Kind() == metrics.KindUint64 &&
		sample[2].Value.Kind() == metrics.KindUint64 {
		total, unused := sample[0].Value.Uint64(), sample[1].Value.Uint64()+sample[2].Value.Uint64()
		held = total - min(unused, total)
	}
	limit := int64(min(max(held+bulkHeadroom, bulkFloor), math.MaxInt64))
	prev := debug.SetMemoryLimit(-1)
	if prev <= limit {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}
