//go:build !casenotes_democlock

package main

import "casenotes/ui"

// demoClock is nil in every build but the screenshot one (see democlock.go): the
// app always runs on the real clock.
func demoClock() ui.Clock { return nil }
