package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is the base theme with the user's choices applied: a fixed light or dark
// variant (or the system's), text scaled for people who need it larger, and text
// colors that are readable on every background they are drawn on (palette).
type appTheme struct {
	base    fyne.Theme
	variant fyne.ThemeVariant
	forced  bool // use variant instead of the system's
	scale   float32
}

// newAppTheme is the theme for a choice (themeSystem, themeLight, themeDark) and a
// text scale.
func newAppTheme(base fyne.Theme, choice string, scale float32) *appTheme {
	t := &appTheme{base: base, scale: scale}
	switch choice {
	case themeLight:
		t.forced, t.variant = true, theme.VariantLight
	case themeDark:
		t.forced, t.variant = true, theme.VariantDark
	}
	return t
}

// palette holds the colors Casenotes sets itself, by variant. Fyne's defaults put
// several text colors below WCAG 2.1 AA (4.5:1): quiet text, drawn in the
// "disabled" color, at 1.3:1 on white; warning orange at 2.2:1; success green at
// 1.5:1 (the onboarding's "Accepted." line); primary blue at 4.47:1. Every text
// color here meets 4.5:1 on the window, cards, dialogs, fields, header, menus,
// buttons and on a hovered or selected row (TestTextContrast checks each pair).
// Fills that carry text (primary, error, warning, success buttons) are dark
// enough in the light theme for white text, and light enough in the dark theme
// for near-black text.
var palette = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameForeground:  color.NRGBA{0x1d, 0x1d, 0x1f, 0xff},
		theme.ColorNameDisabled:    color.NRGBA{0x55, 0x55, 0x59, 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{0x58, 0x58, 0x5c, 0xff},
		theme.ColorNamePrimary:     color.NRGBA{0x0a, 0x4f, 0xbf, 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{0x0a, 0x4f, 0xbf, 0xff},
		theme.ColorNameError:       color.NRGBA{0xa8, 0x22, 0x1a, 0xff},
		theme.ColorNameWarning:     color.NRGBA{0x80, 0x46, 0x00, 0xff},
		theme.ColorNameSuccess:     color.NRGBA{0x17, 0x63, 0x29, 0xff},
		// A lighter highlight than Fyne's, so every text color stays readable on a
		// selected row.
		theme.ColorNameSelection: color.NRGBA{0x0a, 0x4f, 0xbf, 0x24},
		// The outline of an unchecked checkbox and of a field: 3:1 on white
		// (WCAG 1.4.11) where Fyne's is about 1.3:1.
		theme.ColorNameInputBorder:         color.NRGBA{0x86, 0x86, 0x8b, 0xff},
		theme.ColorNameForegroundOnPrimary: color.White,
		theme.ColorNameForegroundOnError:   color.White,
		theme.ColorNameForegroundOnWarning: color.White,
		theme.ColorNameForegroundOnSuccess: color.White,
	},
	theme.VariantDark: {
		theme.ColorNameForeground:          color.NRGBA{0xf3, 0xf3, 0xf3, 0xff},
		theme.ColorNameDisabled:            color.NRGBA{0xa8, 0xa8, 0xad, 0xff},
		theme.ColorNamePlaceHolder:         color.NRGBA{0xa8, 0xa8, 0xad, 0xff},
		theme.ColorNamePrimary:             color.NRGBA{0x7c, 0xb0, 0xff, 0xff},
		theme.ColorNameHyperlink:           color.NRGBA{0x7c, 0xb0, 0xff, 0xff},
		theme.ColorNameError:               color.NRGBA{0xff, 0x8a, 0x80, 0xff},
		theme.ColorNameWarning:             color.NRGBA{0xff, 0xb3, 0x4d, 0xff},
		theme.ColorNameSuccess:             color.NRGBA{0x6c, 0xd9, 0x7e, 0xff},
		theme.ColorNameInputBorder:         color.NRGBA{0x7c, 0x7c, 0x80, 0xff},
		theme.ColorNameForegroundOnPrimary: color.NRGBA{0x10, 0x14, 0x1c, 0xff},
		theme.ColorNameForegroundOnError:   color.NRGBA{0x10, 0x14, 0x1c, 0xff},
		theme.ColorNameForegroundOnWarning: color.NRGBA{0x10, 0x14, 0x1c, 0xff},
		theme.ColorNameForegroundOnSuccess: color.NRGBA{0x10, 0x14, 0x1c, 0xff},
	},
}

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	if c, ok := palette[v][n]; ok {
		return c
	}
	return t.base.Color(n, v)
}

func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base.Font(s) }

func (t *appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

func (t *appTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.base.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return s * t.scale
	}
	return s
}

// applyTheme installs the theme the preferences ask for. It always wraps the theme
// the app started with, so the readable text colors apply with the system's
// light or dark choice too.
func (s *Shell) applyTheme() {
	p := s.prefs()
	s.app.Settings().SetTheme(newAppTheme(s.baseTheme, p.theme(), float32(p.textScale())))
}
