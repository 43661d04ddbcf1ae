package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// reportHarness is an unlocked app with the cases of writeReportCases.
func reportHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	writeReportCases(t, h.shell.records)
	return h
}

// writeReportCases writes twelve cases opened in November 2025 (the quarter before
// the fake clock's, which the Reports screen opens on) and one in February 2026;
// one youth is the only one under 12. The first seven are assigned to Adv. Kim,
// the rest to Det. Alvarez; the first nine carry the indicator "missing from care".
func writeReportCases(t *testing.T, r *app.Records) []app.Case {
	t.Helper()
	var cases []app.Case
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
		in := app.CaseInput{Number: number, Title: "Case " + number, Opened: opened, Assigned: []string{"Det. Alvarez"}}
		if i < 7 {
			in.Assigned = []string{"Adv. Kim"}
		}
		if i < 9 {
			in.Tags = []string{"missing from care"}
		}
		c, err := r.CreateCase(in, app.Victim{Alias: fmt.Sprintf("Youth Alias %d", i), Age: age, Languages: []string{"English"}})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	return cases
}

// figure is the headline figure shown above label ("cases opened"), or "".
func (h *harness) figure(label string) string {
	for _, o := range h.objects() {
		if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 2 && c.Visible() {
			n, ok1 := c.Objects[0].(*widget.Label)
			l, ok2 := c.Objects[1].(*widget.Label)
			if ok1 && ok2 && l.Text == label {
				return n.Text
			}
		}
	}
	return ""
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
	// Three reads: the filter's choices, then the quarter's count and the year's.
	if len(queued) != 3 {
		t.Fatalf("%d reads started, want 3", len(queued))
	}
	queued[2]()
	h.sees("2026 (Jan 1, 2026 to Dec 31, 2026)")
	queued[1]() // the quarter's count, late: dropped
	h.doesNotSee("2025-Q4 (")

	// A filter chosen: while it is counted, the unfiltered report shown before
	// cannot be saved in its place.
	queued[0]()
	h.selectOf("Adv. Kim").SetSelected("Adv. Kim")
	h.sees("Counting 2026 (only cases: assigned to Adv. Kim)…")
	test.Tap(h.button("Save PDF…"))
	h.sees("The report is still being counted.")
	queued[3]()
	h.sees("Only cases: assigned to Adv. Kim.")
}

// TestReportsScreenFilters: the three pickers offer the people, partners and
// indicators of the vault; choosing one recounts the report for its cases and
// names it under the title; two narrow together; one that keeps no case, or none
// active in the period, says so in a sentence. Every store read runs off the UI
// goroutine.
func TestReportsScreenFilters(t *testing.T) {
	h, g := guardedMainView(t)
	h.win.Resize(fyne.NewSize(1280, 800))
	r := h.shell.records
	if err := r.SetIndicators([]string{"missing from care", "hotel or short-stay contact", "unstable housing"}); err != nil {
		t.Fatal(err)
	}
	for i, c := range writeReportCases(t, r) {
		partner := "Demo Youth Shelter"
		switch {
		case i == 12:
			partner = "Demo Therapy Clinic"
		case i >= 8:
			continue
		}
		if _, err := r.AddReferral(c.ID, app.ReferralInput{Service: "housing-placement", Partner: partner}); err != nil {
			t.Fatal(err)
		}
	}
	g.arm()
	test.Tap(h.button("Reports"))
	h.sees("2025-Q4 (Oct 1, 2025 to Dec 31, 2025)")
	if got := h.figure("cases opened"); got != "12" {
		t.Fatalf("cases opened %q, want 12", got)
	}
	h.doesNotSee("Only cases")

	assigned, partner, indicator := h.selectOf(reportEveryone), h.selectOf(allPartners), h.selectOf(allTags)
	for _, c := range []struct {
		s    *widget.Select
		want []string
	}{
		{assigned, []string{reportEveryone, "Adv. Kim", "Det. Alvarez"}},
		{partner, []string{allPartners, "Demo Therapy Clinic", "Demo Youth Shelter"}},
		{indicator, []string{allTags, "missing from care", "hotel or short-stay contact", "unstable housing"}},
	} {
		if !slices.Equal(c.s.Options, c.want) {
			t.Errorf("offered %q, want %q", c.s.Options, c.want)
		}
	}

	for _, c := range []struct {
		s              *widget.Select
		choice, opened string
		words          string
	}{
		{assigned, "Adv. Kim", "7", "Only cases: assigned to Adv. Kim."},
		{partner, "Demo Youth Shelter", "8", "Only cases: referred to Demo Youth Shelter."},
		{indicator, "missing from care", "9", "Only cases: indicator missing from care."},
	} {
		c.s.SetSelected(c.choice)
		h.sees(c.words)
		if got := h.figure("cases opened"); got != c.opened {
			t.Errorf("%s: cases opened %q, want %s", c.choice, got, c.opened)
		}
		c.s.SetSelected(c.s.Options[0])
		h.doesNotSee("Only cases")
		if got := h.figure("cases opened"); got != "12" {
			t.Errorf("back to %s: cases opened %q, want 12", c.s.Selected, got)
		}
	}

	// Two filters keep the cases both keep: two of Det. Alvarez's carry the
	// indicator, a small count.
	assigned.SetSelected("Det. Alvarez")
	indicator.SetSelected("missing from care")
	h.sees("Only cases: assigned to Det. Alvarez; indicator missing from care.")
	if got := h.figure("cases opened"); got != "fewer than 5" {
		t.Errorf("two filters: cases opened %q, want fewer than 5", got)
	}
	// An indicator no case carries: one sentence, not a report of zeros.
	assigned.SetSelected(reportEveryone)
	indicator.SetSelected("unstable housing")
	h.sees("Only cases: indicator unstable housing.")
	h.sees("No case in this vault matches this filter, so there is nothing to count.")
	h.doesNotSee("cases opened")
	h.doesNotSee("Cases opened and closed by month")
	// Adv. Kim's cases were all opened in November: October has nothing of theirs.
	indicator.SetSelected(allTags)
	assigned.SetSelected("Adv. Kim")
	h.selectOf(reportMonth).SetSelected(reportMonth)
	h.selectOf("2025-10 (Oct 1, 2025 to Oct 31, 2025)").SetSelected("2025-10 (Oct 1, 2025 to Oct 31, 2025)")
	h.sees("Only cases: assigned to Adv. Kim.")
	h.sees("None of the cases this filter keeps was active in this period, so there is nothing to count.")
	h.doesNotSee("cases opened")
	// Unfiltered, October's zeros are the whole program's and are shown.
	assigned.SetSelected(reportEveryone)
	if got := h.figure("cases opened"); got != "0" {
		t.Errorf("October, unfiltered: cases opened %q, want 0", got)
	}

	g.armed.Store(false)
	if v := g.violations(); len(v) > 0 {
		t.Errorf("%d store calls ran in UI callbacks:\n%s", len(v), strings.Join(v, "\n"))
	}
	if g.offCnt.Load() == 0 {
		t.Error("the guard saw no background store call")
	}
}

// TestReportsScreenSavesTheFilteredReport: Save PDF and Save CSV write the
// filtered report shown, and both print its filter.
func TestReportsScreenSavesTheFilteredReport(t *testing.T) {
	dir := t.TempDir()
	var names []string
	saved := chooseSaveFile
	t.Cleanup(func() { chooseSaveFile = saved })
	chooseSaveFile = func(_ *Shell, name string, save func(fyne.URIWriteCloser, error)) {
		names = append(names, name)
		w, err := storage.Writer(storage.NewFileURI(filepath.Join(dir, name)))
		save(w, err)
	}
	h := reportHarness(t)
	test.Tap(h.button("Reports"))
	h.selectOf("Adv. Kim").SetSelected("Adv. Kim")
	h.sees("Only cases: assigned to Adv. Kim.")
	test.Tap(h.button("Save CSV…"))
	test.Tap(h.button("Save PDF…"))
	h.sees("Dec 31, 2025), only cases: assigned to Adv. Kim.")
	if want := []string{"program-report-2025-Q4-filtered.csv", "program-report-2025-Q4-filtered.pdf"}; !slices.Equal(names, want) {
		t.Fatalf("saved %q, want %q", names, want)
	}

	raw, err := os.ReadFile(filepath.Join(dir, names[0]))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][13] != "filter" {
		t.Fatalf("CSV: %v, header %q", err, rows[0])
	}
	opened := ""
	for _, row := range rows[1:] {
		if row[13] != "assigned to Adv. Kim" {
			t.Fatalf("CSV row with filter %q", row[13])
		}
		if row[4] == "cases_by_month" && row[5] == "total" && row[6] == "opened" {
			opened = row[10]
		}
	}
	if opened != "7" {
		t.Errorf("CSV: cases opened %q, want the filtered 7", opened)
	}

	pdf, err := os.ReadFile(filepath.Join(dir, names[1]))
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, utf16BE("only cases assigned to Adv. Kim")) {
		t.Error("the PDF does not print its filter")
	}
}

// utf16BE is how the PDF writer's Unicode fonts write text in a page's content.
func utf16BE(s string) string {
	var b strings.Builder
	for _, c := range s {
		b.WriteByte(byte(c >> 8))
		b.WriteByte(byte(c))
	}
	return b.String()
}
