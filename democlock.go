//go:build casenotes_democlock

package main

import (
	"log"
	"os"
	"time"

	"casenotes/ui"
)

// demoClock, in binaries built for screenshots only (make screenshots builds one
// with the casenotes_democlock tag), starts the desktop app's clock at
// CASENOTES_NOW (RFC 3339), the same fixed day the demo vault was seeded for, so
// every screenshot shows the same dates. Release builds have no such switch:
// record times are evidence.
func demoClock() ui.Clock {
	v := os.Getenv("CASENOTES_NOW")
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		log.Fatalf("CASENOTES_NOW %q is not an RFC 3339 time", v)
	}
	return ui.ClockFrom(t)
}
