package ui

import (
	"bytes"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/report"
)

// Bar charts of the Reports screen, drawn with Fyne's canvas: one row per label,
// one bar per series, the number beside every bar. The first series is a filled
// bar in the theme's primary color, the second an outlined one, so the two tell
// apart in either theme without relying on color alone; a hidden value draws no
// bar, only its words ("fewer than 5", "withheld").

// chartLabelWidth is the width of a chart's row labels.
const chartLabelWidth = 190

// newBarChart draws a report chart.
func newBarChart(c report.Chart) fyne.CanvasObject {
	box := container.NewVBox()
	if len(c.Series) > 1 {
		legend := container.NewHBox()
		for i, s := range c.Series {
			legend.Add(container.NewHBox(container.NewCenter(seriesSwatch(i)), quietLine(s)))
		}
		box.Add(legend)
	}
	for _, r := range c.Rows {
		bars := container.NewVBox()
		for i, b := range r.Bars {
			text := widget.NewLabel(b.Text)
			if !b.Shown {
				text.Importance = widget.LowImportance
			}
			bars.Add(container.New(&barLayout{fraction: b.Fraction}, seriesBar(i), text))
		}
		label := widget.NewLabel(r.Label)
		label.Wrapping = fyne.TextWrapWord // "Prosecution coordination" wraps, never ends in "…"
		box.Add(container.NewBorder(nil, nil, container.New(widthLayout{chartLabelWidth}, label), nil, bars))
	}
	return box
}

// seriesBar is the bar of series i: filled for the first, outlined for the second.
func seriesBar(i int) *canvas.Rectangle {
	primary := theme.Color(theme.ColorNamePrimary)
	r := canvas.NewRectangle(primary)
	if i%2 == 1 {
		r.FillColor = color.Transparent
		r.StrokeColor = primary
		r.StrokeWidth = 2
	}
	r.CornerRadius = 2
	return r
}

func seriesSwatch(i int) fyne.CanvasObject {
	r := seriesBar(i)
	r.SetMinSize(fyne.NewSize(14, 10))
	return r
}

// barLayout puts a bar, fraction of the width left beside its number, and the
// number just after the bar.
type barLayout struct{ fraction float64 }

func (l *barLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	text := objs[1].MinSize()
	return fyne.NewSize(text.Width+40, text.Height)
}

func (l *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	text := objs[1].MinSize()
	room := max(size.Width-text.Width, 0)
	w := float32(l.fraction) * room
	barH := size.Height * 0.55
	objs[0].Move(fyne.NewPos(0, (size.Height-barH)/2))
	objs[0].Resize(fyne.NewSize(w, barH))
	objs[0].(*canvas.Rectangle).Hidden = w <= 0
	objs[1].Move(fyne.NewPos(w, 0))
	objs[1].Resize(fyne.NewSize(text.Width, size.Height))
}

// saveReport writes a report as a PDF or CSV file where the user chooses. The
// report is de-identified already; the file is still the agency's to guard.
func (s *Shell) saveReport(rep *app.Report, format string) {
	var buf bytes.Buffer
	var err error
	if format == "csv" {
		err = report.WriteCSV(&buf, rep)
	} else {
		err = report.WritePDF(&buf, rep, report.Letter)
	}
	if err != nil {
		dialog.ShowInformation("Not saved", "The report could not be laid out. Try again, or save it as CSV.", s.win)
		return
	}
	// A filtered report says so in its name and in the message as well as on its pages.
	name, what := "program-report-"+slugName(rep.Period.Label), rep.Period.Title()
	if !rep.Filter.Empty() {
		name, what = name+"-filtered", what+", only cases: "+rep.Filter.String()
	}
	name += "." + format
	chooseSaveFile(s, name, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowInformation("Not saved", app.Sentence(err), s.win)
			return
		}
		if w == nil {
			return // cancelled
		}
		_, werr := w.Write(buf.Bytes())
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			dialog.ShowInformation("Not saved", "The report could not be written there. Choose another place.", s.win)
			return
		}
		dialog.ShowInformation("Report saved", w.URI().Name()+" holds the program report for "+what+".", s.win)
	})
}

// slugName makes a period label fit a file name: "2025-10 to 2026-09" -> "2025-10-to-2026-09".
func slugName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == ' ' || c == '/' {
			b[i] = '-'
		}
	}
	return string(b)
}
