package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"casenotes/app"
)

// Screens read the vault off the UI goroutine: a store read can take long in a
// large vault (or behind a busy disk), and the UI goroutine must keep drawing and
// hearing keys meanwhile. A screen draws a quiet placeholder at once, readOff runs
// the read in the background, and the result is applied with fyne.Do, only if the
// screen it was read for is still the one on show.

// loadSlot is one place on screen whose content is read from the vault: the main
// view's content area, the case beside the list, a tab's list. Each read started
// for it supersedes the one before, so a slow read that finishes after the user
// moved on (Cases, then Tasks at once) never overwrites the newer screen. Touched
// on the UI goroutine only.
type loadSlot struct{ gen uint64 }

// begin starts a new read for the slot and returns the check that it is still the
// newest: false once another read began.
func (l *loadSlot) begin() func() bool {
	l.gen++
	gen := l.gen
	return func() bool { return l.gen == gen }
}

// readOff runs read with the vault's records service off the UI goroutine, then
// apply with its result on the UI goroutine, unless the vault locked (or another
// vault unlocked) meanwhile or current says the screen moved on (nil: it cannot).
// read must not touch widgets; apply must not read the store.
func readOff[T any](s *Shell, current func() bool, read func(r *app.Records) (T, error), apply func(T, error)) {
	records := s.records
	if records == nil {
		return
	}
	var v T
	var err error
	// The search index build waits from here until the screen has been drawn.
	release := s.foreground.Hold()
	s.runInBackground(func() { v, err = read(records) }, func() {
		defer time.AfterFunc(drawSettle, release)
		if s.records != records || (current != nil && !current()) {
			return
		}
		apply(v, err)
	})
}

// drawSettle is how long the search index build still waits after a screen's
// result is applied: the driver lays the new widgets out and paints them on the
// UI goroutine in the frames that follow.
const drawSettle = 200 * time.Millisecond

// showRead puts what a read built in box, in place of its placeholder: laid out,
// and the canvas told to draw it, but not refreshed widget by widget as
// box.Refresh would do. A widget made a moment ago already shows its state, and a
// refresh lays out every text in it again: a truncating label shapes its whole
// text twice per refresh, which was a third of the UI goroutine's time on the
// dashboard at 10,000 cases (docs/PERFORMANCE.md, the UI stall).
func showRead(box *fyne.Container, obj fyne.CanvasObject) {
	box.Objects = []fyne.CanvasObject{obj}
	if box.Layout != nil {
		box.Layout.Layout(box.Objects, box.Size())
	}
	canvas.Refresh(box)
}

// loadingText is the placeholder a screen shows while its read runs: quiet, and
// gone as soon as the read is done.
const loadingText = "Loading…"

// loading is a placeholder for a screen or a list being read.
func loading() fyne.CanvasObject { return quiet(loadingText) }
