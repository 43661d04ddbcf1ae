package ui

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the CPU time the calling OS thread has used. The stall
// benchmark's UI goroutine is locked to its thread (as Fyne's driver locks its
// main loop), so the difference over one piece of UI work is that work's own CPU,
// whatever else the machine runs.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
