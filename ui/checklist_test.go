package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"casenotes/app"
)

// checklistOpen is a workspace on its Checklist tab, with the case's items.
func checklistOpen(t *testing.T) (*harness, *caseWorkspace, []app.ChecklistItem) {
	t.Helper()
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabChecklist)
	return h, ws, mustItems(t, h, c.ID)
}

// tickBoxOf finds the box a person clicks to tick the item titled title.
func tickBoxOf(t *testing.T, h *harness, title string) fyne.Tappable {
	t.Helper()
	for _, o := range h.objects() {
		if r, ok := o.(*checklistRow); ok && r.item.Title == title {
			return r.tick
		}
	}
	t.Fatalf("no box to tick %q on screen", title)
	return nil
}

// TestClickingAnItemsBoxTicksIt is issue 8's report: clicking a checklist item's
// box did nothing. It marks the item done, recording who and when, and offers an
// Undo for a few seconds.
func TestClickingAnItemsBoxTicksIt(t *testing.T) {
	h, ws, items := checklistOpen(t)
	it := items[1]
	test.Tap(tickBoxOf(t, h, it.Title))

	got := mustItems(t, h, ws.id)[1]
	if got.Status != app.ItemDone || got.CompletedBy != "Dana Alvarez" || !got.CompletedAt.Equal(h.clock.Now()) {
		t.Fatalf("after a click on its box the item is %+v", got)
	}
	h.sees("Marked done: " + it.Title)

	// Undo puts it back as it was.
	test.Tap(h.button("Undo"))
	if got := mustItems(t, h, ws.id)[1]; got.Status != app.ItemOpen || !got.CompletedAt.IsZero() {
		t.Fatalf("after Undo the item is %+v", got)
	}
	h.doesNotSee("Marked done")

	// The offer goes after a few seconds.
	test.Tap(tickBoxOf(t, h, it.Title))
	h.sees("Marked done: " + it.Title)
	h.clock.Advance(10 * time.Second)
	h.doesNotSee("Marked done")
	if got := mustItems(t, h, ws.id)[1]; got.Status != app.ItemDone {
		t.Fatalf("the item changed when the Undo offer went: %+v", got)
	}

	// A click on a done item's box does not reopen it: that would clear who
	// completed it and when, so it takes the item's own Reopen.
	test.Tap(tickBoxOf(t, h, it.Title))
	if got := mustItems(t, h, ws.id)[1]; got.Status != app.ItemDone || got.CompletedBy != "Dana Alvarez" {
		t.Fatalf("a click on a done item's box changed it: %+v", got)
	}
}

// TestChecklistTitlesWrap: a long title is shown whole, over several lines, not
// cut off with an ellipsis ("Check the history of mis…").
func TestChecklistTitlesWrap(t *testing.T) {
	h, ws, _ := checklistOpen(t)
	const long = "Ask probation and parole whether adults around the child are under supervision, and whether the child appears on a youth caseload"
	if _, err := h.shell.records.AddChecklistItem(ws.id, app.Phases[0], long, app.Partners[0], nil); err != nil {
		t.Fatal(err)
	}
	ws.checklist.load()
	var shown []string
	for _, o := range relayout(nil, ws.checklist.listBox) {
		if tx, ok := o.(*canvas.Text); ok && tx.Visible() {
			shown = append(shown, tx.Text)
		}
	}
	all := strings.Join(shown, " ")
	for _, word := range strings.Fields(long) {
		if !strings.Contains(all, word) {
			t.Fatalf("the list does not show %q of the long title; it shows %q", word, shown)
		}
	}
	if strings.Contains(all, "…") {
		t.Fatalf("a title is cut off: %q", shown)
	}
}

// TestSelectingAnItemKeepsTheDivider: choosing another item does not move the
// divider between the list and the item.
func TestSelectingAnItemKeepsTheDivider(t *testing.T) {
	h, ws, items := checklistOpen(t)
	var split *container.Split
	for _, o := range h.objects() {
		if s, ok := o.(*container.Split); ok && s.Leading != nil {
			split = s
		}
	}
	if split == nil {
		t.Fatal("the checklist has no divider")
	}
	width := func() float32 { h.objects(); return split.Leading.Size().Width }
	before := width()
	for _, it := range items[:12] {
		ws.checklist.selectItem(it.ID.String())
		if w := width(); w != before {
			t.Fatalf("choosing %q moved the divider: the list is %.0f px wide, was %.0f", it.Title, w, before)
		}
	}
}

// TestChecklistByKeyboard: the list is one stop for Tab; Down shows the next item
// on the right, Space ticks it.
func TestChecklistByKeyboard(t *testing.T) {
	h, ws, items := checklistOpen(t)
	c := h.win.Canvas()
	c.Focus(ws.checklist.view)
	driverKeystroke(c, fyne.KeyDown, 0)
	driverKeystroke(c, fyne.KeyDown, 0)
	h.sees(items[1].Title)
	if ws.checklist.selected != items[1].ID.String() {
		t.Fatalf("two Downs chose %q", ws.checklist.selected)
	}
	driverKeystroke(c, fyne.KeySpace, ' ')
	if got := mustItems(t, h, ws.id)[1]; got.Status != app.ItemDone {
		t.Fatalf("Space left the item %s", got.Status)
	}
	if c.Focused() != ws.checklist.view {
		t.Fatal("ticking moved the focus out of the list")
	}
}

// TestOnlyTheChosenItemIsHighlighted: moving through the list lights one row.
func TestOnlyTheChosenItemIsHighlighted(t *testing.T) {
	h, ws, items := checklistOpen(t)
	c := h.win.Canvas()
	c.Focus(ws.checklist.view)
	for range 4 {
		driverKeystroke(c, fyne.KeyDown, 0)
	}
	lit := 0
	for _, o := range h.objects() {
		if r, ok := o.(*checklistRow); ok {
			if _, _, _, a := r.bg.FillColor.RGBA(); a != 0 {
				lit++
				if r.item.ID != items[3].ID {
					t.Errorf("%q is lit; the chosen item is %q", r.item.Title, items[3].Title)
				}
			}
		}
	}
	if lit != 1 {
		t.Fatalf("%d rows lit, want the chosen one", lit)
	}
}
