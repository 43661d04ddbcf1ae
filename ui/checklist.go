package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

const phasePrefix = "phase:"

// checklistTab is the case's MDT checklist grouped by phase (a tree: phases, then
// their items), beside the selected item with what can be done to it.
type checklistTab struct {
	ws *caseWorkspace

	items  []app.ChecklistItem
	index  map[string]int         // item ID (hex) -> position in items
	phases map[app.Phase][]string // phase -> item IDs (hex), in checklist order
	shown  []string               // branch IDs of phases that have items
	counts map[app.Phase]app.ProgressCount

	tree     *widget.Tree
	overall  *fyne.Container
	detail   *fyne.Container
	listBox  *fyne.Container
	selected string
}

func (t *checklistTab) build() fyne.CanvasObject {
	ws := t.ws
	t.overall = container.NewStack()
	t.detail = container.NewStack(emptyState("Choose an item to mark it done or not applicable, or to set its due date."))
	t.listBox = container.NewStack()
	t.tree = widget.NewTree(t.childUIDs, t.isBranch, t.createNode, t.updateNode)
	t.tree.OnSelected = func(uid widget.TreeNodeID) {
		if strings.HasPrefix(uid, phasePrefix) {
			t.tree.ToggleBranch(uid)
			t.tree.Unselect(uid)
			return
		}
		t.selected = uid
		t.showItem()
	}
	t.load()
	t.tree.OpenAllBranches()
	add := newActionButton("Add item…", theme.ContentAddIcon(), t.addItem)
	ws.guard(add)
	top := container.NewVBox(t.overall, container.NewHBox(add))
	split := container.NewHSplit(container.NewBorder(top, nil, nil, nil, t.listBox), container.NewPadded(t.detail))
	split.Offset = 0.6
	return split
}

// load reads the checklist again.
func (t *checklistTab) load() {
	if !t.ws.open() {
		return
	}
	items, err := t.ws.records.Checklist(t.ws.id)
	if err != nil {
		t.listBox.Objects = []fyne.CanvasObject{failedLine(err)}
		t.listBox.Refresh()
		return
	}
	t.items = items
	t.index = map[string]int{}
	t.phases = map[app.Phase][]string{}
	t.counts = map[app.Phase]app.ProgressCount{}
	var all app.ProgressCount
	for i, it := range items {
		uid := it.ID.String()
		t.index[uid] = i
		t.phases[it.Phase] = append(t.phases[it.Phase], uid)
		c := t.counts[it.Phase]
		countItem(&c, it)
		t.counts[it.Phase] = c
		countItem(&all, it)
	}
	t.shown = t.shown[:0]
	for _, ph := range app.Phases {
		if len(t.phases[ph]) > 0 {
			t.shown = append(t.shown, phasePrefix+string(ph))
		}
	}
	if len(items) == 0 {
		t.overall.Objects = nil
		t.listBox.Objects = []fyne.CanvasObject{emptyState("This case has no checklist items. Add one: Add item…")}
	} else {
		t.overall.Objects = []fyne.CanvasObject{progressRow("All phases", all)}
		t.listBox.Objects = []fyne.CanvasObject{t.tree}
	}
	t.overall.Refresh()
	t.listBox.Refresh()
	t.tree.Refresh()
}

func (t *checklistTab) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	if uid == "" {
		return t.shown
	}
	if ph, ok := strings.CutPrefix(uid, phasePrefix); ok {
		return t.phases[app.Phase(ph)]
	}
	return nil
}

func (t *checklistTab) isBranch(uid widget.TreeNodeID) bool {
	return uid == "" || strings.HasPrefix(uid, phasePrefix)
}

func (t *checklistTab) createNode(branch bool) fyne.CanvasObject {
	if branch {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	title := widget.NewLabel("")
	title.Truncation = fyne.TextTruncateEllipsis
	due := widget.NewLabel("")
	return container.NewBorder(nil, nil, widget.NewIcon(theme.CheckButtonIcon()), due, title)
}

func (t *checklistTab) updateNode(uid widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	if branch {
		ph := app.Phase(strings.TrimPrefix(uid, phasePrefix))
		c := t.counts[ph]
		o.(*widget.Label).SetText(fmt.Sprintf("%s — %d of %d", ph.Title(), c.Resolved(), c.Total))
		return
	}
	i, ok := t.index[uid]
	if !ok {
		return
	}
	it := t.items[i]
	box := o.(*fyne.Container)
	title, icon, due := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Icon), box.Objects[2].(*widget.Label)
	now := t.ws.now()
	switch it.Status {
	case app.ItemDone:
		icon.SetResource(theme.CheckButtonCheckedIcon())
		title.Importance = widget.LowImportance
		due.SetText("done")
		due.Importance = widget.LowImportance
	case app.ItemNotApplicable:
		icon.SetResource(theme.ContentRemoveIcon())
		title.Importance = widget.LowImportance
		due.SetText("not applicable")
		due.Importance = widget.LowImportance
	default:
		icon.SetResource(theme.CheckButtonIcon())
		title.Importance = widget.MediumImportance
		if it.Due.IsZero() {
			due.SetText("")
		} else {
			due.SetText(dueText(it.Due, it.Overdue(now), now))
			due.Importance = dueImportance(it.Due, it.Overdue(now), now)
		}
	}
	due.Refresh()
	title.SetText(it.Title)
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
		statusLabel.SetText("Open, " + dueText(it.Due, true, now))
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
		form.Append("Decided", wrapped(strings.TrimPrefix(it.CompletedBy+", "+shortTime(it.CompletedAt), ", ")))
	}
	if it.Custom && it.AddedBy != "" {
		form.Append("Added by", wrapped(it.AddedBy+", "+shortTime(it.Added)))
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

	parts := []fyne.CanvasObject{subheading(it.Title)}
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
		"for example: no school enrolment",
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
		t.load()
		t.tree.OpenBranch(phasePrefix + string(it.Phase))
		t.selected = it.ID.String()
		t.tree.Select(t.selected)
		t.showItem()
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
func partnerTitle(p string) string {
	if t := app.Partner(p).Title(); t != "" {
		return t
	}
	return p
}
