package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// widthLayout gives its one child a fixed minimum width, so forms keep a calm,
// readable measure instead of stretching across a wide window.
type widthLayout struct{ width float32 }

func (l widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(l.width, 0)
	for _, o := range objs {
		if o.Visible() {
			m := o.MinSize()
			s = s.Max(m)
		}
	}
	return s
}

func (l widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// centredPanel places content, width wide, in the middle of the window and a
// little below its top, scrolling when the window is too short. It is top-aligned
// rather than centred vertically so that nothing moves when a message appears.
func centredPanel(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	return centredPanelAt(6*theme.Padding(), width, content)
}

// centredPanelAt is centredPanel with top space above the content.
func centredPanelAt(top float32, width float32, content fyne.CanvasObject) fyne.CanvasObject {
	space := canvas.NewRectangle(color.Transparent)
	space.SetMinSize(fyne.NewSize(0, top))
	column := container.NewVBox(space, container.New(widthLayout{width}, content))
	return container.NewVScroll(container.NewHBox(layout.NewSpacer(), column, layout.NewSpacer()))
}

// heading is large, bold text for the top of a screen.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// subheading is a section title inside a screen.
func subheading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// paragraph is wrapped body text.
func paragraph(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// quiet is wrapped, muted text for explanations that should not compete.
func quiet(text string) *widget.Label {
	l := paragraph(text)
	l.Importance = widget.LowImportance
	return l
}

// quietLine is muted text on one line, for beside a button.
func quietLine(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	return l
}

// brand is the app icon and name, shown above the create-vault and unlock forms.
func (s *Shell) brand() fyne.CanvasObject {
	name := heading(windowTitle)
	icon := s.app.Icon()
	if icon == nil {
		return name
	}
	img := canvas.NewImageFromResource(icon)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(40, 40))
	return container.NewHBox(img, name)
}

// gap is vertical space of one padding unit.
func gap() fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, theme.Padding()))
	return r
}
