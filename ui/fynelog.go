package ui

import (
	"bytes"
	"io"
	"sync"
)

// WithoutFyneNoise wraps the log output (main.go installs it) so that one report
// Fyne 2.7.1 makes at every file dialog does not reach standard error:
//
//	Fyne error:  Getting favorite locations
//	  Cause: ...
//	  At: .../fyne/v2/dialog/file.go:396
//
// Its cause is in Fyne, not on the user's computer: getFavoriteLocations
// (dialog/file.go) looks up Desktop, Documents, Downloads, Music, Pictures and
// Videos (with xdg-user-dir where installed, which answers "the home folder" for
// a folder the account does not define), and its loop checks err where it means
// err1, so one such folder that is missing or undefined (a new account, a kiosk,
// a server) makes the whole lookup report an error, although the dialog works and
// simply leaves that folder out. The file dialog offers no way around the lookup, so the
// app drops exactly that report (the three lines Fyne's LogError writes) and lets
// every other line through unchanged.
func WithoutFyneNoise(w io.Writer) io.Writer { return &fyneNoiseFilter{w: w} }

type fyneNoiseFilter struct {
	mu       sync.Mutex
	w        io.Writer
	dropping bool // inside the favorite-locations report
}

// Write receives one log line per call (the log package writes each entry whole).
func (f *fyneNoiseFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case bytes.Contains(p, []byte("Fyne error:  Getting favorite locations")):
		f.dropping = true
		return len(p), nil
	case f.dropping && (bytes.Contains(p, []byte("  Cause: ")) || bytes.Contains(p, []byte("  At: "))):
		return len(p), nil
	}
	f.dropping = false
	return f.w.Write(p)
}
