package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// checklistView is the checklist as a list to read and work through: a heading per
// phase, which opens and closes, then its items, each with a box to tick, its title
// wrapped over as many lines as it needs, and its due date beside it. A case holds
// about a hundred items, so the rows are plain widgets in a scroll rather than a
// recycled list (whose rows are all one height, so long titles were cut off).
//
// It is one stop for Tab: Up and Down go through the items (each shows on the
// right), Space ticks the one chosen, Left and Right close and open its phase,
// Home and End go to the first and last.
type checklistView struct {
	widget.BaseWidget

	items    []app.ChecklistItem
	phases   map[app.Phase][]int // phase -> indexes into items, in order
	counts   map[app.Phase]app.ProgressCount
	closed   map[app.Phase]bool
	selected string // item ID (hex), "" for none
	focused  bool
	readOnly bool
	now      func() time.Time

	onSelect func(uid string)
	onTick   func(uid string)

	box    *fyne.Container // headings and rows
	scroll *container.Scroll
	rows   map[string]*checklistRow
	order  []string // item IDs of the rows shown, top to bottom
}

func newChecklistView(now func() time.Time, onSelect, onTick func(uid string)) *checklistView {
	v := &checklistView{now: now, onSelect: onSelect, onTick: onTick, closed: map[app.Phase]bool{}}
	v.box = container.NewVBox()
	v.scroll = container.NewVScroll(v.box)
	v.ExtendBaseWidget(v)
	return v
}

func (v *checklistView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.scroll)
}

// set shows items (grouped by phase in app.Phases order) with their counts.
func (v *checklistView) set(items []app.ChecklistItem, counts map[app.Phase]app.ProgressCount) {
	v.items, v.counts = items, counts
	v.phases = map[app.Phase][]int{}
	for i, it := range items {
		v.phases[it.Phase] = append(v.phases[it.Phase], i)
	}
	v.rebuild()
}

// rebuild makes the headings and rows again from the items.
func (v *checklistView) rebuild() {
	v.box.Objects = v.box.Objects[:0]
	v.rows = map[string]*checklistRow{}
	v.order = v.order[:0]
	for _, ph := range app.Phases {
		idx := v.phases[ph]
		if len(idx) == 0 {
			continue
		}
		v.box.Add(newPhaseHeading(ph, v.counts[ph], !v.closed[ph], func() { v.toggle(ph) }))
		if v.closed[ph] {
			continue
		}
		for _, i := range idx {
			it := v.items[i]
			uid := it.ID.String()
			r := newChecklistRow(v, it)
			v.rows[uid] = r
			v.order = append(v.order, uid)
			v.box.Add(r)
		}
	}
	v.box.Refresh()
}

// toggle opens or closes a phase.
func (v *checklistView) toggle(ph app.Phase) {
	v.closed[ph] = !v.closed[ph]
	v.rebuild()
}

// choose makes uid the chosen item: highlighted, in view, shown on the right.
func (v *checklistView) choose(uid string) {
	old := v.rows[v.selected]
	v.selected = uid
	if old != nil {
		old.Refresh()
	}
	r := v.rows[uid]
	if r == nil {
		return
	}
	r.Refresh()
	v.scrollTo(r)
	if v.onSelect != nil {
		v.onSelect(uid)
	}
}

// scrollTo moves the scroll the least needed for r to be in view.
func (v *checklistView) scrollTo(r *checklistRow) {
	top, bottom := r.Position().Y, r.Position().Y+r.Size().Height
	view := v.scroll.Size().Height
	switch {
	case top < v.scroll.Offset.Y:
		v.scroll.Offset.Y = top
	case bottom > v.scroll.Offset.Y+view && view > 0:
		v.scroll.Offset.Y = bottom - view
	default:
		return
	}
	v.scroll.Refresh()
}

// tick ticks or unticks uid, keeping the keyboard in the list.
func (v *checklistView) tick(uid string) {
	if v.readOnly || v.onTick == nil {
		return
	}
	v.onTick(uid)
}

// FocusGained and FocusLost show the chosen row's ring while the list has the
// keyboard.
func (v *checklistView) FocusGained() {
	v.focused = true
	if r := v.rows[v.selected]; r != nil {
		r.Refresh()
	}
}

func (v *checklistView) FocusLost() {
	v.focused = false
	if r := v.rows[v.selected]; r != nil {
		r.Refresh()
	}
}

// TypedRune is for Focusable: characters do nothing here (Space is a key).
func (v *checklistView) TypedRune(rune) {}

// TypedKey moves through the items and ticks the chosen one.
func (v *checklistView) TypedKey(k *fyne.KeyEvent) {
	at := -1
	for i, uid := range v.order {
		if uid == v.selected {
			at = i
		}
	}
	step := func(i int) {
		if len(v.order) > 0 {
			v.choose(v.order[min(max(i, 0), len(v.order)-1)])
		}
	}
	switch k.Name {
	case fyne.KeyDown:
		step(at + 1)
	case fyne.KeyUp:
		if at < 0 {
			at = len(v.order)
		}
		step(at - 1)
	case fyne.KeyHome:
		step(0)
	case fyne.KeyEnd:
		step(len(v.order) - 1)
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		if at >= 0 && k.Name == fyne.KeySpace {
			v.tick(v.selected)
		}
	case fyne.KeyLeft, fyne.KeyRight:
		if r := v.rows[v.selected]; r != nil {
			if open := !v.closed[r.item.Phase]; open == (k.Name == fyne.KeyLeft) {
				v.toggle(r.item.Phase)
			}
		}
	}
}

// focus gives the list the keyboard (after a click in it).
func (v *checklistView) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		c.Focus(v)
	}
}

// checklistRow is one item: its box, its title and its due date.
type checklistRow struct {
	widget.BaseWidget
	view    *checklistView
	item    app.ChecklistItem
	tick    *tickBox
	title   *widget.Label
	due     *widget.Label
	bg      *canvas.Rectangle
	hovered bool
}

func newChecklistRow(v *checklistView, it app.ChecklistItem) *checklistRow {
	r := &checklistRow{view: v, item: it}
	uid := it.ID.String()
	r.tick = newTickBox(func() { v.tick(uid); v.focus() })
	r.title = wrapped(it.Title)
	r.due = widget.NewLabel("")
	r.bg = canvas.NewRectangle(color.Transparent)
	r.bg.StrokeWidth = 2
	r.ExtendBaseWidget(r)
	r.show()
	return r
}

// show sets the row's parts from its item.
func (r *checklistRow) show() {
	it := r.item
	now := r.view.now()
	r.tick.disabled = r.view.readOnly
	r.due.Importance = widget.LowImportance
	switch it.Status {
	case app.ItemDone:
		r.tick.icon = theme.CheckButtonCheckedIcon()
		r.title.Importance = widget.LowImportance
		r.due.SetText("done")
	case app.ItemNotApplicable:
		r.tick.icon = theme.ContentRemoveIcon()
		r.tick.disabled = true // changing it back needs its detail: Reopen
		r.title.Importance = widget.LowImportance
		r.due.SetText("not applicable")
	default:
		r.tick.icon = theme.CheckButtonIcon()
		r.title.Importance = widget.MediumImportance
		if it.Due.IsZero() {
			r.due.SetText("")
		} else {
			r.due.SetText(format.Due(it.Due, it.Overdue(now), now))
			r.due.Importance = dueImportance(it.Due, it.Overdue(now), now)
		}
	}
	r.due.Hidden = r.due.Text == ""
}

func (r *checklistRow) CreateRenderer() fyne.WidgetRenderer {
	return &checklistRowRenderer{row: r, content: container.NewBorder(nil, nil, r.tick, r.due, r.title)}
}

// Tapped chooses the item.
func (r *checklistRow) Tapped(*fyne.PointEvent) {
	r.view.choose(r.item.ID.String())
	r.view.focus()
}

// MouseIn, MouseMoved and MouseOut light the row under the pointer.
func (r *checklistRow) MouseIn(*desktop.MouseEvent)    { r.hovered = true; r.Refresh() }
func (r *checklistRow) MouseMoved(*desktop.MouseEvent) {}
func (r *checklistRow) MouseOut()                      { r.hovered = false; r.Refresh() }

type checklistRowRenderer struct {
	row     *checklistRow
	content *fyne.Container
}

func (rr *checklistRowRenderer) Layout(size fyne.Size) {
	rr.row.bg.Resize(size)
	rr.content.Resize(size)
}

func (rr *checklistRowRenderer) MinSize() fyne.Size { return rr.content.MinSize() }

func (rr *checklistRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.row.bg, rr.content}
}

func (rr *checklistRowRenderer) Refresh() {
	r := rr.row
	th := r.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	chosen := r.view.selected == r.item.ID.String()
	r.bg.FillColor, r.bg.StrokeColor = color.Transparent, color.Transparent
	switch {
	case chosen:
		r.bg.FillColor = th.Color(theme.ColorNameSelection, variant)
	case r.hovered:
		r.bg.FillColor = th.Color(theme.ColorNameHover, variant)
	}
	if chosen && r.view.focused {
		r.bg.StrokeColor = th.Color(theme.ColorNameForeground, variant)
	}
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.bg.Refresh()
	r.show()
	r.tick.Refresh()
	rr.content.Refresh()
}

func (rr *checklistRowRenderer) Destroy() {}

// tickBox is the box beside an item: a click ticks or unticks it.
type tickBox struct {
	widget.BaseWidget
	icon     fyne.Resource
	onTap    func()
	disabled bool
}

func newTickBox(onTap func()) *tickBox {
	b := &tickBox{onTap: onTap, icon: theme.CheckButtonIcon()}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped ticks or unticks the item.
func (b *tickBox) Tapped(*fyne.PointEvent) {
	if !b.disabled && b.onTap != nil {
		b.onTap()
	}
}

// Cursor is the pointing hand, as over a button.
func (b *tickBox) Cursor() desktop.Cursor {
	if b.disabled {
		return desktop.DefaultCursor
	}
	return desktop.PointerCursor
}

func (b *tickBox) CreateRenderer() fyne.WidgetRenderer {
	img := canvas.NewImageFromResource(b.icon)
	img.FillMode = canvas.ImageFillContain
	return &tickBoxRenderer{box: b, img: img}
}

type tickBoxRenderer struct {
	box *tickBox
	img *canvas.Image
}

// Layout centres the icon in a square as tall as a line of text with padding, a
// target larger than the icon.
func (r *tickBoxRenderer) Layout(size fyne.Size) {
	s := theme.IconInlineSize()
	r.img.Resize(fyne.NewSquareSize(s))
	r.img.Move(fyne.NewPos((size.Width-s)/2, theme.InnerPadding()))
}

func (r *tickBoxRenderer) MinSize() fyne.Size {
	return fyne.NewSquareSize(theme.IconInlineSize() + 2*theme.InnerPadding())
}

func (r *tickBoxRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.img} }

func (r *tickBoxRenderer) Refresh() {
	if r.img.Resource != r.box.icon {
		r.img.Resource = r.box.icon
	}
	r.img.Refresh()
}

func (r *tickBoxRenderer) Destroy() {}

// phaseHeading is a phase's title with its progress; a click opens or closes the
// phase. It takes no focus (the list has it, and Left and Right do the same).
type phaseHeading struct {
	widget.BaseWidget
	content fyne.CanvasObject
	toggle  func()
}

func newPhaseHeading(ph app.Phase, c app.ProgressCount, open bool, toggle func()) *phaseHeading {
	icon := theme.MenuExpandIcon()
	if open {
		icon = theme.MenuDropDownIcon()
	}
	title := widget.NewLabelWithStyle(fmt.Sprintf("%s — %d of %d", ph.Title(), c.Resolved(), c.Total),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	h := &phaseHeading{content: container.NewBorder(nil, nil, widget.NewIcon(icon), nil, title), toggle: toggle}
	h.ExtendBaseWidget(h)
	return h
}

func (h *phaseHeading) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(h.content)
}

// Tapped opens or closes the phase.
func (h *phaseHeading) Tapped(*fyne.PointEvent) { h.toggle() }

// Cursor is the pointing hand.
func (h *phaseHeading) Cursor() desktop.Cursor { return desktop.PointerCursor }
