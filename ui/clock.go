package ui

import (
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// Clock is the time source of the screens. The idle lock, the lockout countdown and
// the clipboard clearing read it, so tests can move time forward without sleeping.
// Callbacks always run on the UI goroutine.
type Clock interface {
	Now() time.Time
	// Every calls f about every d until stop is called.
	Every(d time.Duration, f func()) (stop func())
	// After calls f once after d, unless stop is called first.
	After(d time.Duration, f func()) (stop func())
}

// systemClock is the wall clock; its callbacks reach the UI goroutine through fyne.Do.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Every(d time.Duration, f func()) func() {
	t := time.NewTicker(d)
	done := make(chan struct{})
	var stopped atomic.Bool
	go func() {
		for {
			select {
			case <-t.C:
				fyne.Do(func() {
					if !stopped.Load() {
						f()
					}
				})
			case <-done:
				t.Stop()
				return
			}
		}
	}()
	return func() {
		if stopped.CompareAndSwap(false, true) {
			close(done)
		}
	}
}

func (systemClock) After(d time.Duration, f func()) func() {
	var stopped atomic.Bool
	t := time.AfterFunc(d, func() {
		fyne.Do(func() {
			if !stopped.Load() {
				f()
			}
		})
	})
	return func() {
		stopped.Store(true)
		t.Stop()
	}
}

// ClockFrom is a clock that reads start at the moment it is made and then runs
// with the wall clock. Screenshots use it (built with the casenotes_democlock tag
// only) so that a demo vault seeded for a fixed day looks the same on any day.
func ClockFrom(start time.Time) Clock { return shiftedClock{offset: time.Until(start)} }

// shiftedClock is the wall clock moved by a fixed offset.
type shiftedClock struct {
	systemClock
	offset time.Duration
}

func (c shiftedClock) Now() time.Time { return time.Now().Add(c.offset) }

// UseClock makes the app read the time from c (before Start): the screens, and the
// record service once the vault is open.
func (s *Shell) UseClock(c Clock) { s.clock = c }
