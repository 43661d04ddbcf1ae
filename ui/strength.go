package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// strengthMeter shows how hard a new passphrase is to guess, as a bar with a word,
// and why it would be refused. Its scale starts where app.CheckPassphrase stops
// refusing, so "fair" always means accepted and "weak" always means refused.
type strengthMeter struct {
	track, fill *canvas.Rectangle
	bar         *fyne.Container
	value       float32
	word        *widget.Label
	hint        *widget.Label
}

func newStrengthMeter() *strengthMeter {
	m := &strengthMeter{
		track: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		fill:  canvas.NewRectangle(theme.Color(theme.ColorNameError)),
		word:  widget.NewLabel(""),
		hint:  widget.NewLabel(""),
	}
	m.track.CornerRadius, m.fill.CornerRadius = 3, 3
	m.bar = container.New(&meterLayout{m}, m.track, m.fill)
	m.word.TextStyle.Bold = true
	m.hint.Importance = widget.LowImportance
	m.hint.Wrapping = fyne.TextWrapWord
	m.update("")
	return m
}

func (m *strengthMeter) object() fyne.CanvasObject {
	word := container.New(widthLayout{80}, m.word)
	return container.NewVBox(container.NewBorder(nil, nil, nil, word, m.bar), m.hint)
}

// meterLayout draws the bar: a thin track, filled to the meter's value.
type meterLayout struct{ m *strengthMeter }

func (l *meterLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(60, 8) }

func (l *meterLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	y := (size.Height - 8) / 2
	l.m.track.Move(fyne.NewPos(0, y))
	l.m.track.Resize(fyne.NewSize(size.Width, 8))
	l.m.fill.Move(fyne.NewPos(0, y))
	l.m.fill.Resize(fyne.NewSize(size.Width*l.m.value, 8))
	l.m.fill.Hidden = l.m.value == 0
}

// update rates p and reports whether it would be accepted.
func (m *strengthMeter) update(p string) bool {
	word, value := strengthWord(p)
	m.value = float32(value)
	m.word.SetText(word)
	switch word {
	case "Weak":
		m.fill.FillColor = theme.Color(theme.ColorNameError)
	case "Fair":
		m.fill.FillColor = theme.Color(theme.ColorNameWarning)
	default:
		m.fill.FillColor = theme.Color(theme.ColorNameSuccess)
	}
	m.fill.Refresh()
	m.bar.Refresh()
	err := app.CheckPassphrase(p)
	// The hint always holds one line, so the fields below never move while typing.
	switch {
	case p == "":
		m.hint.Importance = widget.LowImportance
		m.hint.SetText("Use 12 characters or more: several unrelated words.")
	case err != nil:
		m.hint.Importance = widget.MediumImportance
		m.hint.SetText(passphraseProblem(err))
	default:
		m.hint.Importance = widget.LowImportance
		m.hint.SetText("Accepted. You will type it each time you unlock.")
	}
	return err == nil
}

// strengthWord rates p in words and as a fraction for the bar.
func strengthWord(p string) (string, float64) {
	if p == "" {
		return "", 0
	}
	bits, _ := app.PassphraseStrength(p)
	value := min(bits/(app.MinPassphraseBits+45), 1)
	switch {
	case app.CheckPassphrase(p) != nil:
		return "Weak", min(value, 0.3)
	case bits < app.MinPassphraseBits+15:
		return "Fair", value
	case bits < app.MinPassphraseBits+30:
		return "Good", value
	default:
		return "Strong", value
	}
}

// passphraseProblem says in one sentence why app.CheckPassphrase refused p
// ("A passphrase needs at least 12 characters.").
func passphraseProblem(err error) string {
	if !errors.Is(err, app.ErrWeakPassphrase) {
		return app.Sentence(err)
	}
	why := strings.TrimPrefix(err.Error(), app.ErrWeakPassphrase.Error()+": ")
	if why == "" || why == err.Error() {
		return app.Sentence(err)
	}
	return strings.ToUpper(why[:1]) + why[1:] + "."
}
