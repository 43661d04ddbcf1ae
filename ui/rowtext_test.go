package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// drawnLabel is what a truncating Label draws: its text objects, joined.
func drawnLabel(l *widget.Label) (string, []*canvas.Text) {
	var texts []*canvas.Text
	var s strings.Builder
	for _, o := range test.WidgetRenderer(l).Objects() {
		rich, ok := o.(*widget.RichText)
		if !ok {
			continue
		}
		for _, c := range test.WidgetRenderer(rich).Objects() {
			if txt, ok := c.(*canvas.Text); ok {
				s.WriteString(txt.Text)
				texts = append(texts, txt)
			}
		}
	}
	return s.String(), texts
}

// drawnRow is what a rowText draws.
func drawnRow(r *rowText) *canvas.Text {
	return test.WidgetRenderer(r).Objects()[0].(*canvas.Text)
}

// rowTexts are texts the rows show: case labels with aliases, task titles with
// partners, long titles with no spaces, accents, combining marks, an emoji.
var rowTexts = []string{
	"",
	"J.",
	"2026-TF-0412 · “Rosa M.” · Law enforcement",
	"Record the indicators that raised concern",
	"Open · 3 overdue · Suspected trafficking of a 15-year-old missing from care since March",
	"Get urgent medical care if needed · Medical and mental health",
	"Supercalifragilisticexpialidociousandthensomemorewithoutanyspaces",
	"2026-TF-0001 · “Zoë Ñúñez-O’Brien” · Victim advocacy",
	"Café with combining e\u0301 marks e\u0301e\u0301e\u0301 and more words after it",
	"Forensic interview scheduled 👩‍👧 at the child advocacy center",
	"a b c d e f g h i j k l m n o p q r s t u v w x y z",
}

// TestRowTextDrawsWhatATruncatingLabelDraws compares the new row text with the
// Label it replaces, at many widths, plain and bold, in both themes: the same
// cut, the same place, the same size, the same minimum size.
func TestRowTextDrawsWhatATruncatingLabelDraws(t *testing.T) {
	test.NewTempApp(t)
	kerned, compared := 0, 0
	defer func() { t.Logf("%d of %d cuts one letter shorter than a Label's (kerning)", kerned, compared) }()
	for _, variant := range []string{"dark", "light"} {
		if variant == "light" {
			fyne.CurrentApp().Settings().SetTheme(newAppTheme(theme.DefaultTheme(), themeLight, 1))
		} else {
			fyne.CurrentApp().Settings().SetTheme(newAppTheme(theme.DefaultTheme(), themeDark, 1))
		}
		for _, bold := range []bool{false, true} {
			style := fyne.TextStyle{Bold: bold}
			for _, s := range rowTexts {
				for w := float32(10); w <= 520; w += 7 {
					name := fmt.Sprintf("%s/bold=%v/%q/%.0f", variant, bold, s, w)
					l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, style)
					l.Truncation = fyne.TextTruncateEllipsis
					r := newRowText(s, style, widget.MediumImportance)
					if lm, rm := l.MinSize(), r.MinSize(); lm != rm {
						t.Fatalf("%s: min size %v, a Label's is %v", name, rm, lm)
					}
					size := fyne.NewSize(w, l.MinSize().Height)
					l.Resize(size)
					r.Resize(size)
					want, texts := drawnLabel(l)
					compared++
					got := drawnRow(r)
					if got.Text != want {
						if !kernedByOne(got.Text, want, w-2*theme.InnerPadding(), style) {
							t.Errorf("%s: drew %q, a Label draws %q", name, got.Text, want)
						}
						kerned++
						continue
					}
					if len(texts) == 1 && (got.Position() != texts[0].Position() || got.Size() != texts[0].Size()) {
						t.Errorf("%s: text at %v size %v, a Label's at %v size %v", name, got.Position(), got.Size(), texts[0].Position(), texts[0].Size())
					}
					if len(texts) == 1 && got.Color != texts[0].Color {
						t.Errorf("%s: color %v, a Label's %v", name, got.Color, texts[0].Color)
					}
				}
			}
		}
	}
}

// kernedByOne allows the one difference found between the two cuts: Fyne's
// truncation measures a prefix inside the whole text's shaping, where the kerning
// against the next letter can make it a fraction of a pixel narrower than the
// prefix measured alone (as rowText does). rowText then keeps one letter fewer;
// never more, and only when the Label's longer prefix is within a pixel of the room.
func kernedByOne(got, want string, width float32, style fyne.TextStyle) bool {
	g, okG := strings.CutSuffix(got, "…")
	w, okW := strings.CutSuffix(want, "…")
	if !okG || !okW || !strings.HasPrefix(w, g) || len([]rune(w)) != len([]rune(g))+1 {
		return false
	}
	room := float32(int(width)) - ceil(fyne.MeasureText("…", theme.TextSize(), style).Width)
	return fyne.MeasureText(w, theme.TextSize(), style).Width < room+1
}

// TestRowTextFollowsTheThemeAndImportance switches the theme and the importance
// and checks the drawn color each time: no stale color after a theme change.
func TestRowTextFollowsTheThemeAndImportance(t *testing.T) {
	test.NewTempApp(t)
	r := newRowText("2026-TF-0412 · “Rosa M.”", fyne.TextStyle{}, widget.LowImportance)
	w := test.NewTempWindow(t, r)
	w.Resize(fyne.NewSize(300, 60))
	for _, th := range []fyne.Theme{newAppTheme(theme.DefaultTheme(), themeLight, 1), newAppTheme(theme.DefaultTheme(), themeDark, 1)} {
		fyne.CurrentApp().Settings().SetTheme(th)
		for _, imp := range []widget.Importance{widget.LowImportance, widget.MediumImportance, widget.DangerImportance} {
			r.SetImportance(imp)
			want := th.Color(importanceColor(imp), fyne.CurrentApp().Settings().ThemeVariant())
			if got := drawnRow(r).Color; !sameColor(got, want) {
				t.Errorf("theme %v importance %v: color %v, want %v", th.(*appTheme).variant, imp, got, want)
			}
		}
	}
}

func sameColor(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

// TestRowTextCutsAgainOnlyWhenSomethingChanged: a resize to a new width, or a new
// text, cuts again; the same text set again, or a relayout at the same width,
// keeps the cut.
func TestRowTextCutsAgainOnlyWhenSomethingChanged(t *testing.T) {
	test.NewTempApp(t)
	long := "Open · 3 overdue · Suspected trafficking of a 15-year-old missing from care since March"
	r := newRowText(long, fyne.TextStyle{}, widget.MediumImportance)
	r.Resize(fyne.NewSize(200, 40))
	first := drawnRow(r).Text
	if !strings.HasSuffix(first, "…") || len([]rune(first)) >= len([]rune(long)) {
		t.Fatalf("at 200 px drew %q, want a cut with an ellipsis", first)
	}
	r.Resize(fyne.NewSize(2000, 40))
	if got := drawnRow(r).Text; got != long {
		t.Fatalf("at 2000 px drew %q, want the whole text", got)
	}
	r.Resize(fyne.NewSize(200, 40))
	r.SetText("J.")
	if got := drawnRow(r).Text; got != "J." {
		t.Fatalf("after SetText drew %q, want %q", got, "J.")
	}
	if r.Text != "J." {
		t.Fatalf("Text is %q after SetText", r.Text)
	}
	r.SetText(long)
	if got := drawnRow(r).Text; got != first {
		t.Fatalf("the same text at the same width drew %q, then %q", first, got)
	}
}

// TestRowTextKeepsOneLine: a line break in a title must not give the row a second
// line taller than the row.
func TestRowTextKeepsOneLine(t *testing.T) {
	test.NewTempApp(t)
	r := newRowText("first\nsecond", fyne.TextStyle{}, widget.MediumImportance)
	r.Resize(fyne.NewSize(400, 40))
	if got := drawnRow(r).Text; got != "first second" {
		t.Fatalf("drew %q, want %q", got, "first second")
	}
	if r.Text != "first\nsecond" {
		t.Fatalf("Text changed to %q", r.Text)
	}
}

// FuzzCutToWidth: any text at any width gives a prefix of the text (on a rune
// boundary) with "…", or the text itself; never wider than the room, never a panic.
func FuzzCutToWidth(f *testing.F) {
	for _, s := range rowTexts {
		f.Add(s, float32(120))
	}
	f.Add("\xff\xfe", float32(3))
	f.Add("x", float32(-5))
	test.NewTempApp(f)
	f.Fuzz(func(t *testing.T, s string, width float32) {
		if width != width || width > 1e6 || width < -1e6 || len(s) > 2000 {
			t.Skip("width not a number or out of any screen's range, or text longer than any row")
		}
		got := cutToWidth(s, width, 14, fyne.TextStyle{})
		if got == s {
			return
		}
		cut, ok := strings.CutSuffix(got, "…")
		if !ok {
			t.Fatalf("cut %q to %q: no ellipsis", s, got)
		}
		if !strings.HasPrefix(string([]rune(s)), cut) {
			t.Fatalf("cut %q to %q: not a prefix", s, got)
		}
		// Spaces before the ellipsis take no room (as in a Label's cut).
		shown := strings.TrimRightFunc(cut, unicode.IsSpace) + "…"
		if cut != "" && fyne.MeasureText(shown, 14, fyne.TextStyle{}).Width > width+1 {
			t.Fatalf("cut %q to %q: %.1f px wide, room %.1f", s, got, fyne.MeasureText(shown, 14, fyne.TextStyle{}).Width, width)
		}
	})
}

// benchRows are the second lines of n case-list rows: distinct texts, as a
// scrolled list shows them, most too long for the row.
func benchRows(n int) []string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = fmt.Sprintf("Open · %d overdue · [Demo] Fictional case %04d of suspected trafficking, missing from care", i%5, i)
	}
	return rows
}

// BenchmarkRowTextSetText and BenchmarkTruncatingLabelSetText give one list row
// text after another to the same widget at a row's width (what a list does as it
// is drawn or scrolled): rowText against the Label it replaced. The texts come
// round again after 200 (a list scrolled back, a screen opened again), where
// Fyne's measuring cache serves rowText; BenchmarkRowTextSetTextUnseen gives
// every iteration a text never measured before (its rows share their first
// words, so some of the shorter prefixes the search measures are cached).
func BenchmarkRowTextSetText(b *testing.B) {
	benchRowText(b, benchRows(200))
}

func BenchmarkRowTextSetTextUnseen(b *testing.B) {
	benchRowText(b, benchRows(100_000))
}

func benchRowText(b *testing.B, rows []string) {
	test.NewTempApp(b)
	r := newRowText("", fyne.TextStyle{}, widget.LowImportance)
	r.Resize(fyne.NewSize(300, 35))
	test.WidgetRenderer(r) // drawn once, as on screen
	i := 0
	for b.Loop() {
		r.SetText(rows[i%len(rows)])
		i++
	}
}

func BenchmarkTruncatingLabelSetText(b *testing.B) {
	test.NewTempApp(b)
	rows := benchRows(200)
	l := widget.NewLabel("")
	l.Importance = widget.LowImportance
	l.Truncation = fyne.TextTruncateEllipsis
	l.Resize(fyne.NewSize(300, 35))
	test.WidgetRenderer(l)
	i := 0
	for b.Loop() {
		l.SetText(rows[i%len(rows)])
		i++
	}
}
