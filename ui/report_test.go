package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// reportHarness is an unlocked app with twelve cases opened in November 2025 (the
// quarter before the fake clock's, which the Reports screen opens on) and one in
// February 2026; one youth is the only one under 12.
func reportHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	r := h.shell.records
	for i := range 13 {
		opened := time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)
		age := 15
		if i == 0 {
			age = 10
		}
		if i == 12 {
			opened = time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
		}
		number := fmt.Sprintf("2025-RQ-%03d", i)
		if _, err := r.CreateCase(app.CaseInput{Number: number, Title: "Case " + number, Opened: opened},
			app.Victim{Alias: fmt.Sprintf("Youth Alias %d", i), Age: age, Languages: []string{"English"}}); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// selectOf finds the visible select that offers option.
func (h *harness) selectOf(option string) *widget.Select {
	h.t.Helper()
	for _, o := range h.objects() {
		if s, ok := o.(*widget.Select); ok && s.Visible() {
			for _, opt := range s.Options {
				if opt == option {
					return s
				}
			}
		}
	}
	h.t.Fatalf("no choice offers %q", option)
	return nil
}

// bars lists the widths of the chart bars drawn on screen.
func (h *harness) bars() []float32 {
	var out []float32
	for _, o := range h.objects() {
		if c, ok := o.(*fyne.Container); ok {
			if _, ok := c.Layout.(*barLayout); ok {
				if r := c.Objects[0].(*canvas.Rectangle); r.Visible() {
					out = append(out, r.Size().Width)
				}
			}
		}
	}
	return out
}

func TestReportsScreen(t *testing.T) {
	h := reportHarness(t)
	h.win.Resize(fyne.NewSize(1280, 800))
	test.Tap(h.button("Reports"))
	h.sees("2025-Q4 (Oct 1, 2025 to Dec 31, 2025)")
	h.sees("Cases opened and closed by month")
	h.sees("Checklist completion by phase")
	h.sees("Time from identification to services")
	h.sees("Nov 2025")
	if l := h.label("cases opened"); l == nil {
		t.Fatal("no headline figures")
	}
	twelve := false
	for _, l := range h.labels() {
		twelve = twelve || l == "12"
	}
	if !twelve {
		t.Errorf("the twelve cases opened are not shown; labels %q", h.labels())
	}
	// The one youth under 12 is "fewer than 5", never 1; no alias or case number.
	h.sees("fewer than 5")
	for _, l := range h.labels() {
		if strings.Contains(l, "Youth Alias") || strings.Contains(l, "2025-RQ-") {
			t.Fatalf("the report shows %q", l)
		}
		if l == "1" {
			t.Fatalf("the report shows a count of one")
		}
	}
	if bars := h.bars(); len(bars) == 0 {
		t.Fatal("no bars drawn")
	}

	// Another period: February 2026 has one case, so its counts are hidden.
	h.selectOf(reportMonth).SetSelected(reportMonth)
	h.selectOf("2026-02 (Feb 1, 2026 to Feb 28, 2026)").SetSelected("2026-02 (Feb 1, 2026 to Feb 28, 2026)")
	h.sees("2026-02")
	h.sees("Feb 2026")
	h.doesNotSee("Nov 2025")

	// A grant period is picked by its first and last month.
	h.selectOf(reportGrant).SetSelected(reportGrant)
	h.sees("to 2026-03")
	first := h.selectOf("2025-04")
	first.SetSelected("2025-10")
	h.sees("2025-10 to 2026-03")
	first.SetSelected("2026-02") // two months: refused in one sentence
	h.sees("Grant period must be 3 to 36 months long.")
}

// The report is counted off the UI goroutine: while it runs the screen says so,
// and a result that comes back after another period was chosen is dropped.
func TestReportsScreenCountsInTheBackground(t *testing.T) {
	h := reportHarness(t)
	var queued []func()
	h.shell.background = func(f func()) { queued = append(queued, f) }
	test.Tap(h.button("Reports"))
	h.sees("Counting 2025-Q4…")
	h.doesNotSee("Cases opened and closed by month")
	h.selectOf(reportYear).SetSelected(reportYear)
	h.sees("Counting 2026…")
	if len(queued) != 2 {
		t.Fatalf("%d counts started, want 2", len(queued))
	}
	queued[1]()
	h.sees("2026 (Jan 1, 2026 to Dec 31, 2026)")
	queued[0]() // the quarter's count, late: dropped
	h.doesNotSee("2025-Q4 (")
}
