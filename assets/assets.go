// Package assets holds the resources embedded in the binary: the application
// icon now, and later fonts, checklist templates and translations.
//
// It deliberately does not import Fyne, so that app/ can read templates from
// here without pulling in the GUI toolkit; ui/ wraps the bytes in a
// fyne.Resource where it needs one.
package assets

import _ "embed"

//go:embed icon.png
var iconPNG []byte

// IconPNG returns the 512x512 application icon as PNG bytes. The slice is
// shared: callers must not modify it.
func IconPNG() []byte {
	return iconPNG
}
