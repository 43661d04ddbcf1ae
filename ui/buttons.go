package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// actionButton is a widget.Button a keyboard user can see and press. Fyne shows a
// focused button by blending the theme's focus color into its background, which
// leaves a high-importance (blue) button looking the same; actionButton draws a
// ring around it in the text color instead. Enter presses it, as Space does (Fyne's
// button knows Space only).
type actionButton struct {
	widget.Button
	focused bool
}

// newActionButton is a button with an optional icon.
func newActionButton(label string, icon fyne.Resource, tapped func()) *actionButton {
	b := &actionButton{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter; other keys are the button's.
func (b *actionButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() {
			b.Tapped(&fyne.PointEvent{})
		}
	default:
		b.Button.TypedKey(k)
	}
}

// FocusGained shows the ring.
func (b *actionButton) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
}

// FocusLost hides the ring.
func (b *actionButton) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

// CreateRenderer is the button's own renderer with the focus ring on top.
func (b *actionButton) CreateRenderer() fyne.WidgetRenderer {
	r := &focusRingRenderer{WidgetRenderer: b.Button.CreateRenderer(), ring: canvas.NewRectangle(color.Transparent), button: b}
	r.ring.StrokeWidth = 2
	r.styleRing()
	return r
}

// focusRingRenderer draws a ring just outside a focused button.
type focusRingRenderer struct {
	fyne.WidgetRenderer
	ring   *canvas.Rectangle
	button *actionButton
}

// focusRingGap is how far outside the button the ring is drawn.
const focusRingGap = 3

func (r *focusRingRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(-focusRingGap, -focusRingGap))
	r.ring.Resize(size.AddWidthHeight(2*focusRingGap, 2*focusRingGap))
}

func (r *focusRingRenderer) Objects() []fyne.CanvasObject {
	inner := r.WidgetRenderer.Objects()
	objs := make([]fyne.CanvasObject, 0, len(inner)+1)
	return append(append(objs, inner...), r.ring)
}

func (r *focusRingRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.styleRing()
	r.ring.Refresh()
}

// styleRing shows the ring in the text color while the button has the focus.
func (r *focusRingRenderer) styleRing() {
	th := r.button.Theme()
	r.ring.CornerRadius = th.Size(theme.SizeNameInputRadius) + focusRingGap
	r.ring.StrokeColor = color.Transparent
	if r.button.focused && !r.button.Disabled() {
		r.ring.StrokeColor = th.Color(theme.ColorNameForeground, fyne.CurrentApp().Settings().ThemeVariant())
	}
}
