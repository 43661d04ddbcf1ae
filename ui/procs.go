package ui

import (
	"os"
	"runtime"
)

// ReserveProcForUI lets the Go runtime run one more goroutine at once than it would
// by itself (GOMAXPROCS one above the processors it chose), unless the user set
// GOMAXPROCS. The desktop app calls it before it opens the window.
//
// The UI goroutine is locked to the main thread (the windowing system asks for it),
// so when background work (Badger's compactions and close, the memory release after
// lock, a search index's build) keeps every one of the runtime's processors busy, a
// frame or a click waits until the runtime preempts one of them and hands its
// processor over. With one processor more, the main thread is one more thread for
// the operating system, which shares the cores among all of them in slices of a few
// milliseconds. At 10,000 cases, the stall benchmark alternated six times a side on
// a quiet two-core machine: the longest stall while the lock's close runs, median
// 71 -> 36 ms; the longest stall of the walk from unlock to Tasks, 36 -> 25 ms
// (docs/PERFORMANCE.md, "Scale").
func ReserveProcForUI() {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
}
