package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The top of the unlocked window says what the user must know about the vault
// itself:
//
//   - a warning, never hidden while the vault is open, when the unlock's check of
//     the audit trail found something wrong (sess.AuditProblem), or when a full
//     check in Settings found damage this session. It names the first bad entry
//     or the damaged case. Nothing dismisses it: it goes only when the vault locks
//     (and comes back at the next unlock while the trail is still wrong).
//   - the unlock's notices (sess.Notices: a header repaired from its spare), as a
//     quieter line with an OK button.

// integrityBanner is the top of the main view.
type integrityBanner struct {
	box      *fyne.Container
	warning  *widget.Label
	warnRow  fyne.CanvasObject
	problems []string
}

// newIntegrityBanner shows what the session found at unlock.
func newIntegrityBanner(s *Shell) *integrityBanner {
	b := &integrityBanner{box: container.NewVBox()}
	b.box.Hide()
	if s.session == nil {
		return b
	}
	if p := s.session.AuditProblem(); p != "" {
		b.problems = append(b.problems, p)
	}
	b.warning = widget.NewLabel("")
	b.warning.Wrapping = fyne.TextWrapWord
	b.warnRow = tinted(theme.ColorNameWarning, container.NewBorder(nil, nil,
		container.NewCenter(widget.NewIcon(theme.WarningIcon())), nil, b.warning))
	b.box.Add(b.warnRow)
	b.refresh()
	for _, n := range s.session.Notices() {
		b.addNotice(n)
	}
	return b
}

// warningText is the banner's sentence for the problems found.
func warningText(problems []string) string {
	text := "This vault failed an integrity check, so part of its record may have been altered or damaged: "
	for i, p := range problems {
		if i > 0 {
			text += " "
		}
		text += p
	}
	return text + " Keep working if you must, but tell your administrator now and keep this computer and its backups as they are."
}

func (b *integrityBanner) refresh() {
	if b.warnRow != nil {
		if len(b.problems) == 0 {
			b.warnRow.Hide()
		} else {
			b.warning.SetText(warningText(b.problems))
			b.warnRow.Show()
		}
	}
	b.fit()
}

// fit hides the whole banner while it has nothing to say: an empty but visible
// top would still take a padding's height from the window.
func (b *integrityBanner) fit() {
	for _, o := range b.box.Objects {
		if o.Visible() {
			b.box.Show()
			b.box.Refresh()
			return
		}
	}
	b.box.Hide()
}

// reportProblem adds damage found later this session (a full check in Settings);
// it stays until the vault locks.
func (b *integrityBanner) reportProblem(p string) {
	for _, have := range b.problems {
		if have == p {
			return
		}
	}
	b.problems = append(b.problems, p)
	b.refresh()
}

// addNotice shows one of the unlock's notices with an OK that removes it.
func (b *integrityBanner) addNotice(text string) {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	var row fyne.CanvasObject
	ok := newActionButton("OK", nil, func() {
		b.box.Remove(row)
		b.fit()
	})
	row = tinted(theme.ColorNamePrimary, container.NewBorder(nil, nil,
		container.NewCenter(widget.NewIcon(theme.InfoIcon())), container.NewCenter(ok), l))
	b.box.Add(row)
	b.fit()
}

// tinted puts content on a faint wash of a theme color with a solid edge, so the
// text keeps the theme's own foreground color (and its contrast) in both themes.
func tinted(name fyne.ThemeColorName, content fyne.CanvasObject) fyne.CanvasObject {
	c := theme.Color(name)
	r, g, bl, _ := c.RGBA()
	wash := canvas.NewRectangle(color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0x2a})
	wash.StrokeColor = c
	wash.StrokeWidth = 1
	wash.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(wash, container.NewPadded(content))
}
