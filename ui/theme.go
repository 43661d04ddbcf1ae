package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is the base theme with the user's choices applied: a fixed light or dark
// variant (or the system's), and text scaled for people who need it larger.
type appTheme struct {
	base    fyne.Theme
	variant fyne.ThemeVariant
	forced  bool // use variant instead of the system's
	scale   float32
}

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
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

// applyTheme installs the theme the preferences ask for. With the defaults it puts
// back the theme the app started with, untouched.
func (s *Shell) applyTheme() {
	p := s.prefs()
	choice, scale := p.theme(), float32(p.textScale())
	if choice == themeSystem && scale == 1 {
		s.app.Settings().SetTheme(s.baseTheme)
		return
	}
	t := &appTheme{base: s.baseTheme, scale: scale}
	switch choice {
	case themeLight:
		t.forced, t.variant = true, theme.VariantLight
	case themeDark:
		t.forced, t.variant = true, theme.VariantDark
	}
	s.app.Settings().SetTheme(t)
}
