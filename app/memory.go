package app

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
func releaseMemory() {
	scrubStack()
	for range 2 {
		refillFreed()
	}
	debug.FreeOSMemory()
}

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
// The heap's growth is read from runtime/metrics, not runtime.ReadMemStats, which
// stops the world: called after every batch, thousands of times a release, it
// kept the UI goroutine from running for tens of milliseconds at a time while the
// lock's close ran in the background (docs/PERFORMANCE.md, "Scale").
func refillFreed() {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms) // once, for the size classes
	inuse := newHeapInUse()
	var hold [][]byte
	for _, c := range ms.BySize {
		if c.Size == 0 {
			continue
		}
		size := uint64(c.Size)
		batch := max(8192/size, 1) * 4
		for range 4096 { // at most 4096 batches a class (128 MiB for the largest)
			before := inuse.read()
			for range batch {
				hold = append(hold, make([]byte, size))
			}
			if inuse.read()-before >= batch*size {
				break // every object of this batch took fresh memory
			}
		}
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
