package search

import "time"

// SetMaxPause sets the longest wait of a build for the foreground, for a test,
// and returns the call that puts the old one back.
func SetMaxPause(d time.Duration) (restore func()) {
	old := maxPause
	maxPause = d
	return func() { maxPause = old }
}
