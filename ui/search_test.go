package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/search"
)

// searchHarness is an unlocked app with two cases, a final note naming
// Quispe-Martínez, a privileged note by the advocate and the search index ready.
func searchHarness(t *testing.T) (*harness, app.Case, app.Note, app.Note) {
	t.Helper()
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	r := h.shell.records
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Hotel outreach referral"}, app.Victim{Alias: "Rosa M."})
	if err != nil {
		t.Fatal(err)
	}
	other, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0413", Title: "School liaison"}, app.Victim{Alias: "Canela"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met Inés Quispe-Martínez at the Harborview Inn; the safety plan was reviewed."})
	if err != nil {
		t.Fatal(err)
	}
	if n, err = r.FinaliseNote(c.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	old := r.User
	r.User = "Adv. Kim"
	p, err := r.AddNote(other.ID, app.NoteInput{Kind: app.NoteService, Body: "PRIVILEGED shelter plan near the Harborview Inn.",
		Sensitivity: app.SensitivityAdvocatePrivileged})
	if err == nil {
		p, err = r.FinaliseNote(other.ID, p.ID)
	}
	r.User = old
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if h.shell.search == nil {
		t.Fatal("no search index after unlock")
	}
	if err := h.shell.search.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	return h, c, n, p
}

// richText is the text of a rich text and the words in bold.
func richText(rt *widget.RichText) (text string, bold []string) {
	for _, seg := range rt.Segments {
		if ts, ok := seg.(*widget.TextSegment); ok {
			text += ts.Text
			if ts.Style.TextStyle.Bold {
				bold = append(bold, ts.Text)
			}
		}
	}
	return text, bold
}

func TestSearchFindsAcrossCasesAndOpensTheNoteMarked(t *testing.T) {
	h, c, n, _ := searchHarness(t)
	v := h.shell.openSearch()
	if v == nil {
		t.Fatal("no search dialog")
	}
	test.Type(v.box, "quispe mart") // typed without the accent, the last word unfinished
	h.clock.Advance(time.Second)
	if len(v.hits) != 1 || v.hits[0].Note != n.ID {
		t.Fatalf("hits = %+v; status %q", v.hits, v.status.Text)
	}
	row := searchRow()
	setSearchRow(row, v.hits[0])
	var texts []string
	var snippet *widget.RichText
	for _, o := range test.LaidOutObjects(row) {
		if w, ok := o.(*widget.RichText); ok {
			txt, _ := richText(w)
			texts = append(texts, txt)
			snippet = w
		}
	}
	joined := strings.Join(texts, " | ")
	for _, want := range []string{"2026-TF-0412", "Rosa M.", "Contact note", "Dana Alvarez", "Mar 2, 2026"} {
		if !strings.Contains(joined, want) {
			t.Errorf("row %q lacks %q", joined, want)
		}
	}
	text, bold := richText(snippet)
	if !strings.Contains(text, "Quispe-Martínez") || strings.Join(bold, ",") != "Quispe,Martínez" {
		t.Errorf("snippet %q with %v in bold", text, bold)
	}
	// Enter opens the first hit: the case, its Notes tab, the note, the words marked.
	test.TypeOnCanvas(h.win.Canvas(), "")
	v.box.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	m := h.shell.main
	if h.shell.section != sectionCases || m.cases == nil || m.cases.ws == nil || m.cases.ws.id != c.ID {
		t.Fatalf("the hit's case is not open (section %s)", h.shell.section)
	}
	ws := m.cases.ws
	if ws.tab() != tabNotes || ws.notes.cur == nil || ws.notes.cur.ID != n.ID {
		t.Fatalf("the note is not open on the Notes tab (tab %s)", ws.tab())
	}
	var marked []string
	for _, o := range test.LaidOutObjects(ws.notes.editor) {
		if rt, ok := o.(*widget.RichText); ok {
			if txt, b := richText(rt); strings.Contains(txt, "Harborview Inn") {
				marked = b
			}
		}
	}
	if strings.Join(marked, ",") != "Quispe,Martínez" {
		t.Errorf("the open note marks %v, want Quispe and Martínez", marked)
	}
}

func TestSearchShowsNoTextOfAPrivilegedNote(t *testing.T) {
	h, _, _, p := searchHarness(t)
	v := h.shell.openSearch()
	test.Type(v.box, "shelter ")
	h.clock.Advance(time.Second)
	if len(v.hits) != 1 || v.hits[0].Note != p.ID || !v.hits[0].Privileged {
		t.Fatalf("hits = %+v", v.hits)
	}
	row := searchRow()
	setSearchRow(row, v.hits[0])
	marked := false
	for _, o := range test.LaidOutObjects(row) {
		if rt, ok := o.(*widget.RichText); ok {
			txt, _ := richText(rt)
			if strings.Contains(txt, "shelter") {
				t.Errorf("privileged row shows %q", txt)
			}
			marked = marked || strings.Contains(txt, "Advocate-privileged: open the note to read it")
		}
	}
	if !marked {
		t.Error("the privileged row does not say why it shows no text")
	}
	// The kind filter keeps only that kind.
	v.kind.SetSelected("Contact")
	h.clock.Advance(time.Second)
	if len(v.hits) != 0 {
		t.Errorf("kind filter: %d hits", len(v.hits))
	}
	// Esc closes the dialog.
	v.box.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.win.Canvas().Overlays().Top() != nil {
		t.Error("Esc left the search dialog open")
	}
}

func TestSearchIsGoneAfterLock(t *testing.T) {
	h, _, _, _ := searchHarness(t)
	ix := h.shell.search
	v := h.shell.openSearch()
	test.Type(v.box, "harborview")
	h.shell.Lock()
	if _, err := ix.Search(search.Query{Text: "harborview"}); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("search after lock: %v", err)
	}
	h.clock.Advance(time.Second) // the typed search runs after the lock: nothing shows
	if len(v.hits) != 0 {
		t.Errorf("%d hits shown after the lock", len(v.hits))
	}
	if h.shell.openSearch() != nil {
		t.Error("the search opens on the lock screen")
	}
	// Unlocking builds a new index.
	h.unlockWith(goodPassphrase)
	if h.shell.search == nil || h.shell.search == ix {
		t.Fatal("no new index after unlock")
	}
	if err := h.shell.search.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res, err := h.shell.search.Search(search.Query{Text: "harborview"}); err != nil || res.Total != 2 {
		t.Errorf("after unlock: %d, %v", res.Total, err)
	}
}

func TestAsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"quispe mart":   "quispe mart*",
		"quispe mart ":  "quispe mart",
		`"safety plan"`: `"safety plan"`,
		`"safety pl`:    `"safety pl`,
		"hotel -harbor": "hotel -harbor",
		"thera*":        "thera*",
		"":              "",
	} {
		if got := asTyped(in); got != want {
			t.Errorf("asTyped(%q) = %q, want %q", in, got, want)
		}
	}
	if thousands(10000) != "10,000" || thousands(999) != "999" || thousands(1234567) != "1,234,567" {
		t.Error("thousands")
	}
}
