package search

import "time"

// SetMaxPause sets the longest wait of a build for the foreground, for a test,
// and returns the call that puts the old one back.
func SetMaxPause(d time.Duration) (restore func()) {
	old := maxPause
	maxPause = d
	return func() { maxPause = old }
}

// OnPause calls f each time a build goroutine starts to wait for the foreground,
// for a test, and returns the call that stops it.
func OnPause(f func()) (restore func()) {
	pausing = f
	return func() { pausing = nil }
}
