package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestTaskRowsDoNotOverlap lays the Tasks screen out at a usual window size and
// checks that every row has the height of its text and sits below the one before
// it: a row template without a minimum height draws every row on top of the others.
func TestTaskRowsDoNotOverlap(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.withCases()
	h.win.Resize(fyne.NewSize(1280, 800))
	test.Tap(h.button("Tasks"))
	h.sees("1 item overdue, ")

	d := fyne.CurrentApp().Driver()
	var rows []*widget.Label
	for _, o := range h.objects() {
		if l, ok := o.(*widget.Label); ok && l.Visible() && (strings.HasPrefix(l.Text, "overdue ") || strings.HasPrefix(l.Text, "due ")) {
			rows = append(rows, l)
		}
	}
	if len(rows) < 8 {
		t.Fatalf("%d rows on the Tasks screen at 1280x800, want at least 8; labels %q", len(rows), h.labels())
	}
	textHeight := widget.NewLabel("due today").MinSize().Height
	for i, l := range rows {
		if l.Size().Height < textHeight {
			t.Errorf("row %d (%q) is %.0f px high, its text needs %.0f", i, l.Text, l.Size().Height, textHeight)
		}
		if i == 0 {
			continue
		}
		prev := d.AbsolutePositionForObject(rows[i-1]).Y + rows[i-1].Size().Height
		if y := d.AbsolutePositionForObject(l).Y; y < prev {
			t.Errorf("row %d (%q) starts at y=%.0f, above the end of row %d at y=%.0f", i, l.Text, y, i-1, prev)
		}
	}
}
