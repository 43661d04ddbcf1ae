package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// Preferences kept by fyne.Preferences, which is plain JSON on disk: only how the
// window looks and behaves, never a secret, a name or anything from a case.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefTheme        = "appearance.theme"      // themeSystem, themeLight or themeDark
	prefTextScale    = "appearance.text_scale" // 1.0 is the theme's own size
	prefAutoLock     = "protection.auto_lock_minutes"
)

// Theme choices.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// Auto-lock bounds, in minutes: locked after ten idle minutes unless the user
// chooses otherwise, never later than thirty.
const (
	defaultAutoLock = 10
	minAutoLock     = 1
	maxAutoLock     = 30
)

// textScales are the text sizes offered in Settings, smallest first.
var textScales = []struct {
	label string
	scale float64
}{
	{"Small", 0.9},
	{"Normal", 1.0},
	{"Large", 1.15},
	{"Larger", 1.3},
}

// prefs reads and writes the preferences above with their defaults and bounds.
type prefs struct{ p fyne.Preferences }

func (p prefs) windowSize() (fyne.Size, bool) {
	w := p.p.FloatWithFallback(prefWindowWidth, 0)
	h := p.p.FloatWithFallback(prefWindowHeight, 0)
	if w < 400 || h < 300 || w > 10000 || h > 10000 {
		return fyne.Size{}, false
	}
	return fyne.NewSize(float32(w), float32(h)), true
}

func (p prefs) setWindowSize(s fyne.Size) {
	p.p.SetFloat(prefWindowWidth, float64(s.Width))
	p.p.SetFloat(prefWindowHeight, float64(s.Height))
}

func (p prefs) theme() string {
	switch t := p.p.StringWithFallback(prefTheme, themeSystem); t {
	case themeLight, themeDark:
		return t
	default:
		return themeSystem
	}
}

func (p prefs) setTheme(t string) { p.p.SetString(prefTheme, t) }

func (p prefs) textScale() float64 {
	s := p.p.FloatWithFallback(prefTextScale, 1)
	for _, ts := range textScales {
		if ts.scale == s {
			return s
		}
	}
	return 1
}

func (p prefs) setTextScale(s float64) { p.p.SetFloat(prefTextScale, s) }

func (p prefs) autoLock() time.Duration {
	m := p.p.IntWithFallback(prefAutoLock, defaultAutoLock)
	m = max(minAutoLock, min(maxAutoLock, m))
	return time.Duration(m) * time.Minute
}

func (p prefs) setAutoLock(minutes int) {
	p.p.SetInt(prefAutoLock, max(minAutoLock, min(maxAutoLock, minutes)))
}
