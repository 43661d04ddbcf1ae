package ui

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// progressRows reads the bars under a column heading ("By phase", "By partner"):
// each row's name and its "k of n".
func (h *harness) progressRows(title string) map[string]string {
	h.t.Helper()
	for _, o := range h.objects() {
		box, ok := o.(*fyne.Container)
		if !ok || len(box.Objects) == 0 {
			continue
		}
		if l, ok := asLabel(box.Objects[0]); !ok || l.Text != title {
			continue
		}
		rows := map[string]string{}
		for _, row := range box.Objects[1:] {
			var texts []string
			for _, o := range relayout(nil, row) {
				if l, ok := asLabel(o); ok {
					texts = append(texts, l.Text)
				}
			}
			if len(texts) != 2 {
				h.t.Fatalf("a progress row under %q has labels %q", title, texts)
			}
			rows[texts[0]] = texts[1]
		}
		return rows
	}
	h.t.Fatalf("no progress column %q; labels %q", title, h.labels())
	return nil
}

// expectedProgress adds up the checklists of the open cases the slow way, from
// every item, as "k of n" per phase and per partner title.
func (h *harness) expectedProgress() (phases, partners map[string]string) {
	h.t.Helper()
	r := h.shell.records
	open, err := r.ListCases(app.CaseFilter{Status: app.CaseOpen})
	if err != nil {
		h.t.Fatal(err)
	}
	type count struct{ resolved, total int }
	ph, pt := map[string]*count{}, map[string]*count{}
	all := &count{}
	add := func(m map[string]*count, k string, it app.ChecklistItem) {
		if m[k] == nil {
			m[k] = &count{}
		}
		m[k].total++
		if it.Resolved() {
			m[k].resolved++
		}
	}
	for _, cs := range open {
		items, err := r.Checklist(cs.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, it := range items {
			add(ph, it.Phase.Title(), it)
			add(pt, it.Owner.Title(), it)
			all.total++
			if it.Resolved() {
				all.resolved++
			}
		}
	}
	text := func(m map[string]*count) map[string]string {
		out := map[string]string{}
		for k, c := range m {
			out[k] = fmt.Sprintf("%d of %d", c.resolved, c.total)
		}
		return out
	}
	phases, partners = text(ph), text(pt)
	phases["All phases"] = fmt.Sprintf("%d of %d", all.resolved, all.total)
	return phases, partners
}

func sameRows(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows %q, want %d %q", what, len(got), got, len(want), want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s %q: %q, want %q", what, k, got[k], v)
		}
	}
}

func TestDashboardShowsProgressByPhaseAndPartner(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.withCases()
	r := h.shell.records
	// More work done in the second open case, and in the closed one (which must
	// not count).
	for _, number := range []string{"2026-TF-0388", "2025-TF-0101"} {
		c, err := r.CaseByNumber(number)
		if err != nil {
			t.Fatal(err)
		}
		if number == "2025-TF-0101" {
			if _, err := r.SetCaseStatus(c.ID, app.CaseOpen, ""); err != nil {
				t.Fatal(err)
			}
		}
		items, _ := r.Checklist(c.ID)
		for _, it := range items[len(items)-5:] {
			if _, err := r.SetItemStatus(c.ID, it.ID, app.ItemNotApplicable, "handled by the other county"); err != nil {
				t.Fatal(err)
			}
		}
		if number == "2025-TF-0101" {
			if _, err := r.SetCaseStatus(c.ID, app.CaseClosed, "services complete"); err != nil {
				t.Fatal(err)
			}
		}
	}
	test.Tap(h.button("Cases"))
	test.Tap(h.button("Dashboard"))

	h.sees("Checklist progress")
	h.sees("Items done or not applicable, of all items in the 2 open cases.")
	phases, partners := h.expectedProgress()
	if phases["All phases"] != "6 of "+strings.Fields(phases["All phases"])[2] {
		t.Fatalf("the test's own count is off: %q", phases["All phases"])
	}
	sameRows(t, "phase", h.progressRows("By phase"), phases)
	sameRows(t, "partner", h.progressRows("By partner"), partners)

	// One more item done shows at once when the dashboard is shown again.
	c, _ := r.CaseByNumber("2026-TF-0388")
	items, _ := r.Checklist(c.ID)
	if _, err := r.SetItemStatus(c.ID, items[0].ID, app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	test.Tap(h.button("Dashboard"))
	phases, partners = h.expectedProgress()
	sameRows(t, "phase after a change", h.progressRows("By phase"), phases)
	sameRows(t, "partner after a change", h.progressRows("By partner"), partners)
}

func TestCaseListFiltersByPartnerTagAndOverdue(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.withCases()
	r := h.shell.records
	inds, err := r.Indicators()
	if err != nil || len(inds) == 0 {
		t.Fatal(inds, err)
	}
	// 2026-TF-0388 carries an indicator, and its law-enforcement items are all
	// resolved; 2026-TF-0412 has the overdue item (withCases).
	j, _ := r.CaseByNumber("2026-TF-0388")
	if _, err := r.UpdateCase(j.ID, app.CaseInput{Number: j.Number, Title: j.Title, Assigned: j.Assigned, Tags: []string{inds[0]}}); err != nil {
		t.Fatal(err)
	}
	items, _ := r.Checklist(j.ID)
	for _, it := range items {
		if it.Owner == app.PartnerLawEnforcement {
			if _, err := r.SetItemStatus(j.ID, it.ID, app.ItemDone, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	test.Tap(h.button("Cases"))

	var status, partner, tag *widget.Select
	var late *widget.Check
	for _, o := range h.objects() {
		switch w := o.(type) {
		case *widget.Select:
			switch w.Selected {
			case "Open":
				status = w
			case allPartners:
				partner = w
			case allTags:
				tag = w
			}
		case *widget.Check:
			if w.Text == "Overdue only" {
				late = w
			}
		}
	}
	if status == nil || partner == nil || tag == nil || late == nil {
		t.Fatalf("filters missing: status %v, partner %v, tag %v, overdue %v", status != nil, partner != nil, tag != nil, late != nil)
	}
	shown := func() []string {
		var out []string
		for _, cs := range h.shell.main.cases.shown {
			out = append(out, cs.Number)
		}
		return out
	}
	check := func(what string, want ...string) {
		t.Helper()
		if got := shown(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
		if len(want) == 0 {
			h.sees("No case matches.")
		}
	}
	status.SetSelected(allStatuses)
	check("all", "2025-TF-0101", "2026-TF-0388", "2026-TF-0412")

	partner.SetSelected(app.PartnerLawEnforcement.Title())
	check("law enforcement has open items", "2025-TF-0101", "2026-TF-0412")
	partner.SetSelected(allPartners)

	tag.SetSelected(inds[0])
	check("indicator", "2026-TF-0388")
	tag.SetSelected(allTags)

	late.SetChecked(true)
	check("overdue", "2026-TF-0412")
	h.sees("1 overdue")
	partner.SetSelected(app.PartnerLawEnforcement.Title())
	check("overdue and law enforcement", "2026-TF-0412")
	tag.SetSelected(inds[0])
	check("overdue, law enforcement and indicator")
	late.SetChecked(false)
	partner.SetSelected(allPartners)
	check("indicator again", "2026-TF-0388")

	// The search still narrows within the filters.
	tag.SetSelected(allTags)
	typeInto(h.shell.main.cases.search, "rosa")
	check("search", "2026-TF-0412")
}

func TestCtrlFFocusesTheCaseSearch(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.withCases()

	var find *fyne.MenuItem
	for _, m := range h.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == findShortcut.ShortcutName() {
				find = it
			}
		}
	}
	if find == nil {
		t.Fatal("no menu item carries Ctrl+F")
	}
	// From the dashboard: the case list opens with the keyboard in its search.
	find.Action()
	if h.shell.section != sectionCases {
		t.Fatalf("section %q after Ctrl+F", h.shell.section)
	}
	search := h.shell.main.cases.search
	if h.win.Canvas().Focused() != search {
		t.Fatalf("focus is on %T, not the case search", h.win.Canvas().Focused())
	}
	// In the case list with a case open: the list stays as it is.
	list := h.shell.main.cases
	list.list.Select(0)
	h.win.Canvas().Unfocus()
	find.Action()
	if h.shell.main.cases != list || h.win.Canvas().Focused() != search {
		t.Error("Ctrl+F rebuilt the case list or left the focus elsewhere")
	}
	if list.selected.IsZero() {
		t.Error("Ctrl+F dropped the open case")
	}
}

// pdfText is the text of a PDF's content streams, inflated.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	var out strings.Builder
	rest := b
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			break
		}
		if zr, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			data, _ := io.ReadAll(zr)
			out.Write(data)
		} else {
			out.Write(rest[:j])
		}
		rest = rest[j:]
	}
	return out.String()
}

func TestSaveRecoveryKeyAsPDF(t *testing.T) {
	// Nothing may go through a temporary file: point the temporary folder at an
	// empty one and check it stays empty.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	chosen := filepath.Join(t.TempDir(), "usb", recoveryPDFName)
	if err := os.MkdirAll(filepath.Dir(chosen), 0o700); err != nil {
		t.Fatal(err)
	}
	var suggested string
	cancel := false
	saved := chooseSaveFile
	t.Cleanup(func() { chooseSaveFile = saved })
	chooseSaveFile = func(_ *Shell, name string, save func(fyne.URIWriteCloser, error)) {
		suggested = name
		if cancel {
			save(nil, nil)
			return
		}
		w, err := storage.Writer(storage.NewFileURI(chosen))
		save(w, err)
	}

	h := newHarness(t).start()
	const key = "0A3F7-K9QZ2-M4T8C-X1B6H-7PWRN-2D5GE-Q8JVA-C3Y9T-H6MKB-5RXFD-W2N7P-J4E8S-9TGBZ"
	h.shell.showRecoveryKey(key)
	cancel = true
	test.Tap(h.button("Save as PDF…"))
	if _, err := os.Stat(chosen); !os.IsNotExist(err) {
		t.Fatalf("a cancelled save wrote a file (%v)", err)
	}
	cancel = false
	test.Tap(h.button("Save as PDF…"))
	if suggested != recoveryPDFName {
		t.Errorf("suggested name %q", suggested)
	}
	b, err := os.ReadFile(chosen)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-32):], []byte("%%EOF")) {
		t.Fatalf("not a PDF: starts %q", b[:min(len(b), 16)])
	}
	if n := bytes.Count(b, []byte("/Type /Page\n")); n != 1 {
		t.Errorf("%d pages, want one", n)
	}
	text := pdfText(t, b)
	for _, want := range append(format.RecoveryKeyLines(key), "Casenotes recovery key", "This key opens the Casenotes vault") {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not show %q", want)
		}
	}
	// The key is on the page only: not in the document information.
	if info := b[bytes.LastIndex(b, []byte("/Producer")):]; bytes.Contains(info, []byte(format.RecoveryKeyLines(key)[0])) {
		t.Error("the key is in the PDF's metadata")
	}
	h.sees("Move " + recoveryPDFName + " off this computer now")
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("saving left %d file(s) in the temporary folder", len(left))
	}
}
