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
	bar  *thinBar
	word *widget.Label
	hint *widget.Label
}

func newStrengthMeter() *strengthMeter {
	m := &strengthMeter{bar: newThinBar(), word: widget.NewLabel(""), hint: widget.NewLabel("")}
	m.word.TextStyle.Bold = true
	m.hint.Importance = widget.LowImportance
	m.hint.Wrapping = fyne.TextWrapWord
	m.update("")
	return m
}

func (m *strengthMeter) object() fyne.CanvasObject {
	word := container.New(widthLayout{80}, m.word)
	return container.NewVBox(container.NewBorder(nil, nil, nil, word, m.bar.box), m.hint)
}

// thinBar is a quiet progress bar: a thin track filled to a fraction, in a colour
// that carries meaning (error, warning, success), instead of Fyne's tall block.
type thinBar struct {
	track, fill *canvas.Rectangle
	box         *fyne.Container
	value       float32
}

func newThinBar() *thinBar {
	b := &thinBar{
		track: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		fill:  canvas.NewRectangle(theme.Color(theme.ColorNamePrimary)),
	}
	b.track.CornerRadius, b.fill.CornerRadius = 3, 3
	b.box = container.New(b, b.track, b.fill)
	return b
}

// set fills the bar to value (0 to 1) in colour c.
func (b *thinBar) set(value float64, c fyne.ThemeColorName) {
	b.value = float32(max(0, min(1, value)))
	b.fill.FillColor = theme.Color(c)
	b.fill.Refresh()
	b.box.Refresh()
}

// MinSize and Layout make thinBar the layout of its own box.
func (b *thinBar) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(60, 8) }

func (b *thinBar) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	y := (size.Height - 8) / 2
	b.track.Move(fyne.NewPos(0, y))
	b.track.Resize(fyne.NewSize(size.Width, 8))
	b.fill.Move(fyne.NewPos(0, y))
	b.fill.Resize(fyne.NewSize(size.Width*b.value, 8))
	b.fill.Hidden = b.value == 0
}

// update rates p and reports whether it would be accepted.
func (m *strengthMeter) update(p string) bool {
	// One check per keystroke: the estimate behind it (zxcvbn) is the costly part.
	err := app.CheckPassphrase(p)
	word, value := strengthWord(p, err)
	m.word.SetText(word)
	switch word {
	case "Weak":
		m.bar.set(value, theme.ColorNameError)
	case "Fair":
		m.bar.set(value, theme.ColorNameWarning)
	default:
		m.bar.set(value, theme.ColorNameSuccess)
	}
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

// strengthWord rates p in words and as a fraction for the bar; checkErr is
// app.CheckPassphrase(p).
func strengthWord(p string, checkErr error) (string, float64) {
	if p == "" {
		return "", 0
	}
	bits, _ := app.PassphraseStrength(p)
	value := min(bits/(app.MinPassphraseBits+45), 1)
	switch {
	case checkErr != nil:
		return "Weak", min(value, 0.3)
	case bits < app.MinPassphraseBits+15:
		return "Fair", value
	case bits < app.MinPassphraseBits+30:
		return "Good", value
	default:
		return "Strong", value
	}
}

// newPassphraseProblem is what is wrong with a new passphrase typed twice, in one
// sentence, and whether the fault is in the repeat field; "" when it is accepted.
func newPassphraseProblem(pass, repeat string) (msg string, inRepeat bool) {
	if err := app.CheckPassphrase(pass); err != nil {
		return passphraseProblem(err), false
	}
	if pass != repeat {
		return "The two passphrases are different. Type the same passphrase twice.", true
	}
	return "", false
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
