package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// listTab is the frame of the case tabs that list one kind of record (timeline,
// releases, referrals, references; attachments uses its list and detail under a
// frame of its own): the records read off the UI goroutine into a list on the
// left, under an Add button, with one sentence when there are none; the record
// chosen, by ID, drawn on the right, or a hint until one is. A tab embeds it and
// says what differs in a listSpec.
type listTab[T any] struct {
	ws       *caseWorkspace
	spec     listSpec[T]
	slot     loadSlot
	items    []T
	list     *widget.List
	listBox  *fyne.Container
	detail   *fyne.Container
	selected app.ID
}

// listSpec is what one list tab says about its records.
type listSpec[T any] struct {
	addLabel string // the Add button's label, "Add referral…"
	add      func()
	// hint is the detail pane's sentence before a record is chosen; firstHint, if
	// set, replaces it while the list is empty.
	hint, firstHint string
	empty           string // the list pane's sentence when there are no records
	// read reads the records in the order the store keeps them (a Records method
	// fits), off the UI goroutine; newestFirst lists them the other way round.
	read        func(r *app.Records, caseID app.ID) ([]T, error)
	newestFirst bool
	id          func(T) app.ID
	row         func(item T, o fyne.CanvasObject) // fills a listRow
	// details are the chosen record's lines, drawn in a scroll.
	details func(item T) []fyne.CanvasObject
	// forgetOnLoad drops the choice after every read: the rows move (the timeline
	// keeps date order), and the pane then says what to do rather than keep a
	// record whose row is no longer the highlighted one.
	forgetOnLoad bool
}

// build makes the list and its frame, starts the first read and returns the tab.
func (t *listTab[T]) build(spec listSpec[T]) fyne.CanvasObject {
	t.spec = spec
	t.newList()
	addBtn := widget.NewButtonWithIcon(spec.addLabel, theme.ContentAddIcon(), spec.add)
	t.ws.guard(addBtn)
	t.load()
	return listAndDetail(container.NewBorder(container.NewHBox(addBtn), nil, nil, nil, t.listBox), t.detail)
}

// newList makes the list, a placeholder where it will show and the detail pane
// with its hint, for build or for a tab with a frame of its own.
func (t *listTab[T]) newList() {
	t.list = widget.NewList(func() int { return len(t.items) }, listRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		t.spec.row(t.items[i], o)
	})
	t.list.OnSelected = func(i widget.ListItemID) { t.selected = t.spec.id(t.items[i]); t.show() }
	t.listBox = container.NewStack(loading())
	t.detail = container.NewStack(emptyState(t.currentHint()))
}

// load reads the records again, then redraws the list and the chosen record (one
// just added, once it is there).
func (t *listTab[T]) load() {
	read, newestFirst := t.spec.read, t.spec.newestFirst
	readCase(t.ws, &t.slot, func(r *app.Records, caseID app.ID) ([]T, error) {
		items, err := read(r, caseID)
		if newestFirst {
			slices.Reverse(items)
		}
		return items, err
	}, t.fill)
}

// fill shows records read (or one sentence if the read failed) and redraws the
// chosen one.
func (t *listTab[T]) fill(items []T, err error) {
	if err == nil {
		t.items = items
		if t.spec.forgetOnLoad {
			t.list.UnselectAll()
			t.selected = app.ID{}
		}
	}
	fillList(t.listBox, t.list, len(items), err, t.spec.empty)
	t.show()
}

// chosen is the record chosen, if it is still listed.
func (t *listTab[T]) chosen() (T, bool) {
	for _, it := range t.items {
		if t.spec.id(it) == t.selected {
			return it, true
		}
	}
	var none T
	return none, false
}

// show draws the chosen record in the detail pane, or the hint.
func (t *listTab[T]) show() {
	if it, ok := t.chosen(); ok {
		t.detail.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(t.spec.details(it)...))}
	} else {
		t.detail.Objects = []fyne.CanvasObject{emptyState(t.currentHint())}
	}
	t.detail.Refresh()
}

func (t *listTab[T]) currentHint() string {
	if len(t.items) == 0 && t.spec.firstHint != "" {
		return t.spec.firstHint
	}
	return t.spec.hint
}

// fillList shows a tab's list in box: one sentence for a failed read, the empty
// state when there are no items, else the list itself.
func fillList(box *fyne.Container, list *widget.List, n int, err error, empty string) {
	switch {
	case err != nil:
		box.Objects = []fyne.CanvasObject{failedLine(err)}
	case n == 0:
		box.Objects = []fyne.CanvasObject{emptyState(empty)}
	default:
		box.Objects = []fyne.CanvasObject{list}
	}
	box.Refresh()
	list.Refresh()
}

// listAndDetail is the shape of every tab: a list on the left, the selected item
// on the right.
func listAndDetail(left, right fyne.CanvasObject) fyne.CanvasObject {
	split := container.NewHSplit(left, container.NewPadded(right))
	split.Offset = 0.45
	return split
}

// listRow is a two-line list row: a bold first line and a muted second line, both
// truncated.
func listRow() fyne.CanvasObject {
	title := newRowText("", fyne.TextStyle{Bold: true}, widget.MediumImportance)
	sub := newRowText("", fyne.TextStyle{}, widget.LowImportance)
	return container.NewVBox(title, sub)
}

func setListRow(o fyne.CanvasObject, title, sub string, imp widget.Importance) {
	box := o.(*fyne.Container)
	t := box.Objects[0].(*rowText)
	t.SetImportance(imp)
	t.SetText(title)
	box.Objects[1].(*rowText).SetText(sub)
}

// sectionsTab is the frame of the case tabs drawn as sections in one scroll
// (court, outcomes), each redrawn whole after a read.
type sectionsTab struct {
	ws   *caseWorkspace
	slot loadSlot
	box  *fyne.Container
}

// frame makes the scroll, starts the first read (load) and returns the tab.
func (t *sectionsTab) frame(load func()) fyne.CanvasObject {
	t.box = container.NewVBox()
	load()
	return container.NewVScroll(t.box)
}

// readSections reads a sections tab's records off the UI goroutine: one sentence
// in its box if the read failed, else draw.
func readSections[T any](t *sectionsTab, read func(r *app.Records, caseID app.ID) (T, error), draw func(T)) {
	readCase(t.ws, &t.slot, read, func(v T, err error) {
		if err != nil {
			t.box.Objects = []fyne.CanvasObject{failedLine(err)}
			t.box.Refresh()
			return
		}
		draw(v)
	})
}

// section is a section's subheading with its action on the right (disabled on a
// received case).
func (ws *caseWorkspace) section(title, action string, do func()) fyne.CanvasObject {
	b := widget.NewButtonWithIcon(action, theme.ContentAddIcon(), do)
	ws.guard(b)
	return container.NewBorder(nil, nil, subheading(title), container.NewHBox(b))
}
