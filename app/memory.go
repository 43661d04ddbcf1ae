package app

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// What a locked session leaves in memory: Go cannot zero strings or the key
// copies inside the standard library, so after lock the freed memory is
// overwritten and handed back (docs/SECURITY.md; the memory tests check it).

// ReleaseMemory is releaseMemory for the desktop app, which calls it again once its
// screens have let go of what they showed, and once more after Fyne's own caches of
// rendered text have expired (about a minute). It overwrites the stack of the
// goroutine that calls it: the app runs it off the UI goroutine (it takes hundreds
// of milliseconds in a large vault's session) and calls ScrubStack on the UI
// goroutine itself.
func ReleaseMemory() { releaseMemory() }

// ScrubStack overwrites the unused part of the calling goroutine's stack.
func ScrubStack() { scrubStack() }

// releaseMemory collects what the closed session left (decrypted records, key
// schedules, hash states, caches), overwrites the memory it freed, and returns free
// pages to the operating system. Go does not clear freed memory until it reuses it,
// and the standard library's hashes and ciphers keep copies of their keys in state
// nobody can zero; so, once the collector has freed them, the freed slots of each
// size class are taken again by zero-filled allocations (Go clears a slot when it
// hands it out), then dropped and returned.
//
// (Returning the free pages before the refill as well, so that no span is carved
// from pages that still hold old records, was tried: the lock's stall at 50,000
// cases, at load 6-7, went from about 30 ms to 42-214 ms; docs/PERFORMANCE.md,
// "Scale".)
func releaseMemory() {
	releasing.Lock()
	defer releasing.Unlock()
	scrubStack()
	for range 2 {
		refillFreed()
	}
	debug.FreeOSMemory()
}

// ReturnFreeMemory collects garbage and returns the free pages to the operating
// system at once (what a closed search index held, say), one release at a time.
//
// Returning pages runs without pause inside the runtime: 400 ms for what a
// 50,000-case search index freed, in one trace on a loaded machine. A stop of the
// world asked for meanwhile (a collection, another release's reading of the heap)
// waits for it, and every goroutine already stopped waits with it, the UI
// goroutine among them: two releases at once after a lock kept the unlock screen
// from answering for 258 ms (docs/PERFORMANCE.md, "Scale"). So releases take
// turns.
func ReturnFreeMemory() {
	releasing.Lock()
	defer releasing.Unlock()
	runtime.GC()
	debug.FreeOSMemory()
}

// CollectGarbage runs a collection, taking its turn with the releases: a
// collection's stop of the world asked for while a release returns pages would
// hold every goroutine, the UI's too, until the return ends (ReturnFreeMemory).
func CollectGarbage() {
	releasing.Lock()
	defer releasing.Unlock()
	runtime.GC()
}

// releasing lets one release or requested collection run at a time
// (releaseMemory, ReturnFreeMemory, CollectGarbage).
var releasing sync.Mutex

// scrubStack overwrites the unused part of the calling goroutine's stack, where the
// frames of key derivations and unsealing left copies.
//
//go:noinline
func scrubStack() {
	var buf [32 << 10]byte
	for i := range buf {
		buf[i] = 0
	}
	runtime.KeepAlive(&buf)
}

// refillFreed takes the freed slots of every size class again with zeroed memory,
// then drops them. For each class it allocates a span's worth at a time until the
// heap has to grow for it: from then on the class has no freed slot left.
//
// Each processor (P) keeps a span of each size class it allocates from in its own
// cache; the slots of a span another processor holds are not handed to this
// goroutine. runtime.ReadMemStats gives every cached span back, but it stops the
// world, and called after every batch (thousands of times a release) it kept the
// UI goroutine from running for tens of milliseconds at a time while the lock's
// close ran in the background (docs/PERFORMANCE.md, "Scale"). So the batches read
// the heap's growth from runtime/metrics, which stops nothing, and once a class
// looks full the caches are given back, once, and the class is filled again until
// a batch is fresh: a span another processor took meanwhile (the UI goroutine
// allocates while this runs, and this goroutine can move between processors) is
// refilled then. Reading only the metrics, without that second fill, left spans in
// other processors' caches with their freed slots (docs/SECURITY.md).
func refillFreed() {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms) // for the size classes; it also empties every processor's cache
	inuse := newHeapInUse()
	var hold [][]byte
	for _, c := range ms.BySize {
		if c.Size == 0 {
			continue
		}
		size := uint64(c.Size)
		batch := max(8192/size, 1) * 4
		fresh := func() bool { // one batch, and whether all of it took fresh memory
			before := inuse.read()
			for range batch {
				hold = append(hold, make([]byte, size))
			}
			after := inuse.read() // a collection meanwhile can shrink the heap
			return after > before && after-before >= batch*size
		}
		untilFresh := func() {
			for range 4096 { // at most 128 MiB for the largest class
				if fresh() {
					return
				}
			}
		}
		untilFresh()
		var flush runtime.MemStats
		runtime.ReadMemStats(&flush) // every processor's cached spans go back to be handed out
		untilFresh()                 // the first batches take them, this goroutine's own among them
	}
	runtime.KeepAlive(hold)
	hold = nil
	runtime.GC()
}

// heapInUse reads the bytes of the heap's spans in use (MemStats.HeapInuse: the
// objects' memory and what their spans hold unused) without stopping the world.
type heapInUse []metrics.Sample

func newHeapInUse() heapInUse {
	return heapInUse{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
}

func (h heapInUse) read() uint64 {
	metrics.Read(h)
	var n uint64
	for _, s := range h {
		if s.Value.Kind() == metrics.KindUint64 {
			n += s.Value.Uint64()
		}
	}
	return n
}
