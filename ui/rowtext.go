package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// rowText is one line of a list row's text, cut with "…" when it does not fit.
//
// It looks like a widget.Label with TextTruncateEllipsis (same padding, minimum
// size, colors and cut) but costs far less: a truncating Label shapes its whole
// text with a fresh HarfBuzz shaper on every SetText and resize, and measures
// without Fyne's text cache. That was a third of the UI goroutine's work while a
// large vault's dashboard, case list and Tasks drew (issue 12). rowText measures
// its text once with fyne.MeasureText (cached by Fyne), draws one canvas.Text,
// and only when the text is too wide searches for the cut over rune prefixes. It
// cuts again only when its text, width, style or text size changes.
//
// Text is always the whole text: the cut is only what is drawn. Screens keep the
// whole text where it was before (a case's detail, the task's case), so a cut
// row never hides an alias or a due date.
type rowText struct {
	widget.BaseWidget

	// Text is the whole text; set it with SetText.
	Text string
	// TextStyle is the style of the text (rows use bold for their first line).
	TextStyle fyne.TextStyle
	// Importance picks the color as a Label's does.
	Importance widget.Importance
}

// newRowText is a row text with the given style; its text is set later by SetText.
func newRowText(text string, style fyne.TextStyle, imp widget.Importance) *rowText {
	t := &rowText{Text: text, TextStyle: style, Importance: imp}
	t.ExtendBaseWidget(t)
	return t
}

// SetText shows text; an unchanged text costs nothing.
func (t *rowText) SetText(text string) {
	if text == t.Text {
		return
	}
	t.Text = text
	t.Refresh()
}

// SetImportance changes the color; an unchanged importance costs nothing.
func (t *rowText) SetImportance(imp widget.Importance) {
	if imp == t.Importance {
		return
	}
	t.Importance = imp
	t.Refresh()
}

// CreateRenderer is called by Fyne when the row text is first drawn.
func (t *rowText) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := &rowTextRenderer{t: t, line: canvas.NewText("", nil)}
	r.applyTheme()
	return r
}

// importanceColor is the theme color a Label of this importance uses.
func importanceColor(imp widget.Importance) fyne.ThemeColorName {
	switch imp {
	case widget.LowImportance:
		return theme.ColorNameDisabled
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	default:
		return theme.ColorNameForeground
	}
}

// rowTextRenderer draws a rowText as one canvas.Text and remembers what it cut.
type rowTextRenderer struct {
	t    *rowText
	line *canvas.Text

	// What the current cut was made for: a cut is kept while these hold.
	cutText  string
	cutWidth float32
	cutSize  float32
	cutStyle fyne.TextStyle
	cutDone  bool

	pad float32 // the theme's inner padding, as a Label pads its text
}

// applyTheme reads the color, text size and padding from the widget's theme, so
// a theme change (light, dark) shows on the next refresh.
func (r *rowTextRenderer) applyTheme() {
	r.line.Color = theme.ColorForWidget(importanceColor(r.t.Importance), r.t)
	r.line.TextSize = theme.SizeForWidget(theme.SizeNameText, r.t)
	r.line.TextStyle = r.t.TextStyle
	r.pad = theme.SizeForWidget(theme.SizeNameInnerPadding, r.t)
}

// Layout places the text inside the padding, cutting it again only if the text,
// width, style or size changed since the last cut.
func (r *rowTextRenderer) Layout(size fyne.Size) {
	avail := size.Width - 2*r.pad
	if !r.cutDone || r.cutText != r.t.Text || r.cutWidth != avail || r.cutSize != r.line.TextSize || r.cutStyle != r.line.TextStyle {
		r.line.Text = cutToWidth(oneLine(r.t.Text), avail, r.line.TextSize, r.line.TextStyle)
		r.cutText, r.cutWidth, r.cutSize, r.cutStyle, r.cutDone = r.t.Text, avail, r.line.TextSize, r.line.TextStyle, true
	}
	r.line.Resize(fyne.MeasureText(r.line.Text, r.line.TextSize, r.line.TextStyle))
	r.line.Move(fyne.NewPos(r.pad, r.pad))
}

// MinSize is a truncating Label's: room for one "M" and the ellipsis across, one
// line of text and the padding down. It does not depend on the text, so a list
// row keeps its height whatever it shows.
func (r *rowTextRenderer) MinSize() fyne.Size {
	size := r.line.TextSize
	m := fyne.MeasureText("M", size, fyne.TextStyle{})
	dots := fyne.MeasureText("…", size, fyne.TextStyle{})
	h := fyne.MeasureText(r.line.Text, size, r.line.TextStyle).Height
	return fyne.NewSize(m.Width+dots.Width, h+2*r.pad)
}

// Refresh takes the theme and the text again and redraws.
func (r *rowTextRenderer) Refresh() {
	r.applyTheme()
	r.Layout(r.t.Size())
	r.line.Refresh()
}

func (r *rowTextRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.line} }

func (r *rowTextRenderer) Destroy() {}

// oneLine keeps a row on one line: a line break in a title is drawn as a space
// (a Label would grow a second line, taller than the row it sits in).
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// cutToWidth is s when it fits in width, else its longest prefix that fits with
// "…" after it (just "…" when nothing does). The whole string is measured once;
// only a string too wide is searched, by halving over rune prefixes, each measured
// with fyne.MeasureText (cached by Fyne, so a row shown again is not shaped again).
// Widths follow Fyne's own truncation: whole pixels, the ellipsis rounded up.
func cutToWidth(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || width < 0 || fyne.MeasureText(s, size, style).Width <= width {
		return s // below zero width a Label does not cut either
	}
	room := float32(int(width)) - ceil(fyne.MeasureText("…", size, style).Width)
	runes := []rune(s)
	fits := func(n int) bool {
		// Spaces before the ellipsis take no room, as in Fyne's line breaking.
		w := fyne.MeasureText(strings.TrimRightFunc(string(runes[:n]), unicode.IsSpace), size, style).Width
		return ceil(w) <= room
	}
	lo, hi := 0, len(runes)-1 // lo always fits (the empty prefix), hi+1 never does
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	lo = graphemeStart(runes, lo)
	// The prefix and the ellipsis were measured apart, as a Label does. After text
	// the shaper draws with another font (replacement marks for bytes that are not
	// UTF-8, a right-to-left letter) the two together took more room than apart
	// (FuzzCutToWidth: 96 px drawn in a room of 87): the cut then moves back until
	// they fit.
	for lo > 0 && fyne.MeasureText(strings.TrimRightFunc(string(runes[:lo]), unicode.IsSpace)+"…", size, style).Width > width {
		lo = graphemeStart(runes, lo-1)
	}
	return string(runes[:lo]) + "…"
}

// graphemeStart moves a cut back so it does not split a letter from its combining
// marks, or the parts of a joined emoji.
func graphemeStart(runes []rune, n int) int {
	for n > 0 && n < len(runes) && joinsPrevious(runes[n], runes[n-1]) {
		n--
	}
	return n
}

// joinsPrevious reports whether r is drawn as one with the rune before it.
func joinsPrevious(r, prev rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me) || r == '\u200d' || prev == '\u200d' ||
		(r >= 0x1f3fb && r <= 0x1f3ff) // skin-tone modifiers
}

func ceil(f float32) float32 {
	i := float32(int(f))
	if i < f {
		return i + 1
	}
	return i
}
