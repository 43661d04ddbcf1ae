package ui

import (
	"runtime"
	"testing"
)

// TestReserveProcForUI: one processor more for the UI thread, and a GOMAXPROCS the
// user set is left as it is.
func TestReserveProcForUI(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)

	t.Setenv("GOMAXPROCS", "")
	ReserveProcForUI()
	if got := runtime.GOMAXPROCS(0); got != prev+1 {
		t.Errorf("GOMAXPROCS %d after the reservation, want %d", got, prev+1)
	}
	runtime.GOMAXPROCS(prev)

	t.Setenv("GOMAXPROCS", "1")
	ReserveProcForUI()
	if got := runtime.GOMAXPROCS(0); got != prev {
		t.Errorf("GOMAXPROCS %d with the user's GOMAXPROCS set, want it left at %d", got, prev)
	}
}
