package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// undoFor is how long Undo is offered after a box is ticked.
const undoFor = 8 * time.Second

// checklistTab is the case's MDT checklist grouped by phase (checklistView), beside
// the chosen item with what can be done to it.
type checklistTab struct {
	ws   *caseWorkspace
	slot loadSlot // the checklist's read

	items  []app.ChecklistItem
	index  map[string]int // item ID (hex) -> position in items
	counts map[app.Phase]app.ProgressCount

	view     *checklistView
	overall  *fyne.Container
	detail   *fyne.Container
	listBox  *fyne.Container
	selected string

	// The offer to undo the last tick, at the foot of the list, and what went
	// wrong with a tick.
	undoBar  *fyne.Container
	undoText *widget.Label
	undoBtn  *actionButton
	stopUndo func()
	listMsg  *widget.Label
}

func (t *checklistTab) build() fyne.CanvasObject {
	ws := t.ws
	t.overall = container.NewStack()
	t.detail = container.NewStack(emptyState("Choose an item to mark it done or not applicable, or to set its due date."))
	t.listBox = container.NewStack(loading())
	t.view = newChecklistView(ws.now, func(uid string) {
		t.selected = uid
		t.showItem()
	}, t.tick)
	t.view.readOnly = ws.readOnly
	t.undoText = wrapped("")
	t.undoBtn = newActionButton("Undo", theme.ContentUndoIcon(), nil)
	t.undoBar = container.NewBorder(nil, nil, nil, t.undoBtn, t.undoText)
	t.undoBar.Hide()
	t.listMsg = errorLabel()
	t.load()
	add := newActionButton("Add item…", theme.ContentAddIcon(), t.addItem)
	ws.guard(add)
	top := container.NewVBox(t.overall, container.NewHBox(add))
	foot := container.NewVBox(t.listMsg, t.undoBar)
	// The item's side keeps one minimum width whatever it shows, so choosing
	// another item never moves the divider.
	right := container.New(fixedMinWidth{checklistDetailWidth}, container.NewPadded(t.detail))
	split := container.NewHSplit(container.NewBorder(top, foot, nil, nil, t.listBox), right)
	split.Offset = 0.6
	return split
}

// checklistDetailWidth is the least width of the chosen item's side: its widest row
// (Mark done and Not applicable…) fits.
const checklistDetailWidth = 320

// fixedMinWidth asks for the same minimum width whatever its content needs (the
// content wraps or is cut at its edge), and the content's minimum height.
type fixedMinWidth struct{ width float32 }

func (l fixedMinWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(l.width, 0)
	for _, o := range objs {
		if o.Visible() {
			s.Height = max(s.Height, o.MinSize().Height)
		}
	}
	return s
}

func (l fixedMinWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// load reads the checklist again.
func (t *checklistTab) load() {
	readCase(t.ws, &t.slot, func(r *app.Records, id app.ID) ([]app.ChecklistItem, error) { return r.Checklist(id) }, t.show)
}

// show draws the checklist read.
func (t *checklistTab) show(items []app.ChecklistItem, err error) {
	if err != nil {
		t.listBox.Objects = []fyne.CanvasObject{failedLine(err)}
		t.listBox.Refresh()
		return
	}
	t.items = items
	t.index = map[string]int{}
	t.counts = map[app.Phase]app.ProgressCount{}
	var all app.ProgressCount
	for i, it := range items {
		t.index[it.ID.String()] = i
		c := t.counts[it.Phase]
		countItem(&c, it)
		t.counts[it.Phase] = c
		countItem(&all, it)
	}
	t.view.selected = t.selected
	t.view.set(items, t.counts)
	if len(items) == 0 {
		t.overall.Objects = nil
		t.listBox.Objects = []fyne.CanvasObject{emptyState("This case has no checklist items. Add one: Add item…")}
	} else {
		t.overall.Objects = []fyne.CanvasObject{progressRow("All phases", all)}
		t.listBox.Objects = []fyne.CanvasObject{t.view}
	}
	t.overall.Refresh()
	t.listBox.Refresh()
}

// selectItem chooses the item uid, as a click on it does.
func (t *checklistTab) selectItem(uid string) { t.view.choose(uid) }

// tick marks an open item done from its box, recording who and when, and offers
// Undo for a few seconds. A done item's box does nothing: reopening clears who
// completed it and when, so it is the detail's Reopen, not a stray click.
func (t *checklistTab) tick(uid string) {
	i, ok := t.index[uid]
	if !ok || t.items[i].Status != app.ItemOpen {
		return
	}
	ws, it := t.ws, t.items[i]
	say(t.listMsg, "")
	if !t.change(t.listMsg, func() (app.ChecklistItem, error) {
		return ws.records.SetItemStatus(ws.id, it.ID, app.ItemDone, "")
	}) {
		return
	}
	t.offerUndo(it)
}

// offerUndo shows, for undoFor, the offer to put it back open.
func (t *checklistTab) offerUndo(it app.ChecklistItem) {
	t.hideUndo()
	ws := t.ws
	t.undoText.SetText("Marked done: " + it.Title)
	t.undoBtn.OnTapped = func() {
		t.hideUndo()
		t.change(t.listMsg, func() (app.ChecklistItem, error) {
			return ws.records.SetItemStatus(ws.id, it.ID, app.ItemOpen, "")
		})
	}
	t.undoBar.Show()
	t.stopUndo = ws.s.clock.After(undoFor, t.hideUndo)
}

func (t *checklistTab) hideUndo() {
	if t.stopUndo != nil {
		t.stopUndo()
		t.stopUndo = nil
	}
	t.undoText.SetText("")
	t.undoBar.Hide()
}

// current is the selected item, if any.
func (t *checklistTab) current() (app.ChecklistItem, bool) {
	i, ok := t.index[t.selected]
	if !ok {
		return app.ChecklistItem{}, false
	}
	return t.items[i], true
}

// showItem shows the selected item with its actions.
func (t *checklistTab) showItem() {
	it, ok := t.current()
	if !ok {
		t.detail.Objects = []fyne.CanvasObject{emptyState("Choose an item to mark it done or not applicable, or to set its due date.")}
		t.detail.Refresh()
		return
	}
	ws := t.ws
	now := ws.now()
	msg := errorLabel()

	status := itemStatusTitle(it.Status)
	if it.Status == app.ItemNotApplicable {
		status += ": " + it.Reason
	}
	statusLabel := wrapped(status)
	if it.Overdue(now) {
		statusLabel.Importance = widget.DangerImportance
		statusLabel.SetText("Open, " + format.Due(it.Due, true, now))
	}
	form := widget.NewForm(
		formItem("Phase", it.Phase.Title()),
		formItem("Owner", partnerTitle(string(it.Owner))),
		widget.NewFormItem("Status", statusLabel),
	)

	due := widget.NewDateEntry()
	if !it.Due.IsZero() {
		d := it.Due.UTC()
		due.SetDate(&d)
	}
	due.OnChanged = func(d *time.Time) {
		if d == nil || (!it.Due.IsZero() && d.Equal(it.Due)) {
			return
		}
		t.change(msg, func() (app.ChecklistItem, error) { return ws.records.SetItemDue(ws.id, it.ID, d) })
	}
	clearDue := newActionButton("Clear", nil, func() {
		t.change(msg, func() (app.ChecklistItem, error) { return ws.records.SetItemDue(ws.id, it.ID, nil) })
	})
	clearDue.Importance = widget.LowImportance
	if it.Due.IsZero() {
		clearDue.Disable()
	}
	form.Append("Due", container.NewBorder(nil, nil, nil, clearDue, due))
	if !it.CompletedAt.IsZero() {
		form.Append("Decided", wrapped(strings.TrimPrefix(it.CompletedBy+", "+format.DateTime(it.CompletedAt), ", ")))
	}
	if it.Custom && it.AddedBy != "" {
		form.Append("Added by", wrapped(it.AddedBy+", "+format.DateTime(it.Added)))
	}
	if it.Notes != "" {
		form.Append("Notes", wrapped(it.Notes))
	}

	done := newActionButton("Mark done", theme.ConfirmIcon(), func() {
		t.change(msg, func() (app.ChecklistItem, error) { return ws.records.SetItemStatus(ws.id, it.ID, app.ItemDone, "") })
	})
	done.Importance = widget.HighImportance
	na := newActionButton("Not applicable…", nil, func() { t.askNotApplicable(it) })
	reopen := newActionButton("Reopen", theme.ContentUndoIcon(), func() {
		t.change(msg, func() (app.ChecklistItem, error) { return ws.records.SetItemStatus(ws.id, it.ID, app.ItemOpen, "") })
	})
	var actions []fyne.CanvasObject
	if it.Resolved() {
		actions = append(actions, reopen)
	} else {
		actions = append(actions, done, na)
	}
	ws.guard(done, na, reopen, due, clearDue)

	title := subheading(it.Title)
	title.Wrapping = fyne.TextWrapWord
	parts := []fyne.CanvasObject{title}
	if it.Guidance != "" {
		parts = append(parts, quiet(it.Guidance))
	}
	parts = append(parts, form, container.NewHBox(actions...), msg)
	t.detail.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(parts...))}
	t.detail.Refresh()
}

// change runs one change of the selected item and shows the result everywhere:
// the tree, the progress bars here and on the overview.
func (t *checklistTab) change(msg *widget.Label, do func() (app.ChecklistItem, error)) bool {
	if !t.ws.open() {
		return false
	}
	if _, err := do(); err != nil {
		say(msg, app.Sentence(err))
		return false
	}
	t.load()
	t.showItem()
	t.ws.changed()
	return true
}

// askNotApplicable asks why the item does not apply; the reason is required.
func (t *checklistTab) askNotApplicable(it app.ChecklistItem) {
	ws := t.ws
	ws.askReason("Not applicable", "Mark not applicable",
		"Say why “"+it.Title+"” does not apply to this case. The reason is kept with the item.",
		notApplicableExample(it.Owner),
		func(reason string) error {
			if _, err := ws.records.SetItemStatus(ws.id, it.ID, app.ItemNotApplicable, reason); err != nil {
				return err
			}
			t.load()
			t.showItem()
			ws.changed()
			return nil
		})
}

// addItem asks for an item of the agency's own and adds it to a phase.
func (t *checklistTab) addItem() {
	ws := t.ws
	var phases, partners []string
	for _, ph := range app.Phases {
		phases = append(phases, ph.Title())
	}
	for _, p := range app.Partners {
		partners = append(partners, p.Title())
	}
	phase := widget.NewSelect(phases, nil)
	phase.PlaceHolder = "Choose a phase"
	title := newDialogEntry("")
	owner := widget.NewSelect(partners, nil)
	owner.PlaceHolder = "Choose the partner who owns it"
	due := widget.NewDateEntry()
	form := widget.NewForm(
		widget.NewFormItem("Phase", phase),
		widget.NewFormItem("Item", title),
		widget.NewFormItem("Owner", owner),
		widget.NewFormItem("Due (optional)", due),
	)
	ws.formDialog("Add checklist item", "Add item", form, func() string {
		var ph app.Phase
		for _, p := range app.Phases {
			if p.Title() == phase.Selected {
				ph = p
			}
		}
		var pt app.Partner
		for _, p := range app.Partners {
			if p.Title() == owner.Selected {
				pt = p
			}
		}
		it, err := ws.records.AddChecklistItem(ws.id, ph, strings.TrimSpace(title.Text), pt, due.Date)
		if err != nil {
			return app.Sentence(err)
		}
		t.view.closed[it.Phase] = false
		t.selected = it.ID.String()
		t.load()
		t.view.choose(t.selected)
		ws.changed()
		return ""
	})
}

// itemStatusTitle is a checklist item status in words.
func itemStatusTitle(s app.ItemStatus) string {
	switch s {
	case app.ItemDone:
		return "Done"
	case app.ItemNotApplicable:
		return "Not applicable"
	}
	return "Open"
}

// partnerTitle is a partner in words, or the text as given.
func partnerTitle(p string) string { return app.PartnerTitle(p) }
