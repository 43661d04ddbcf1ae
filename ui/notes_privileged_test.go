package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// TestPrivilegedNoteTextShowsOnlyWhenOpened: the notes list shows a privileged
// note's kind, author and date with a high-importance "Advocate-privileged" badge,
// never its text; opening the note shows the text with the badge above it.
func TestPrivilegedNoteTextShowsOnlyWhenOpened(t *testing.T) {
	h, c := workspaceCase(t)
	r := h.shell.records
	const secret = "Safety plan agreed with the aunt"
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteService, Body: secret + ".\nShe will stay there.",
		Sensitivity: app.SensitivityAdvocatePrivileged}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: "Called the placement."}); err != nil {
		t.Fatal(err)
	}
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	h.sees("Called the placement.") // a standard note's first line is in the list
	h.doesNotSee(secret)
	badge := h.label(privilegedBadge)
	if badge == nil || badge.Importance != widget.HighImportance {
		t.Fatalf("no high-importance %q badge in the list; labels %q", privilegedBadge, h.labels())
	}
	if h.label("Dana Alvarez") == nil {
		t.Errorf("the privileged note's author is not in the list; labels %q", h.labels())
	}

	ws.notes.list.Select(1) // newest first: the privileged note is the older one
	if ws.notes.body == nil || !strings.HasPrefix(ws.notes.body.Text, secret) {
		t.Fatal("the opened privileged note does not show its text")
	}
	// The badge sits above the text in the editor.
	var editorBadge *widget.Label
	for _, o := range h.objects() {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text == privilegedBadge && l.Importance == widget.HighImportance {
			if inside(h, l, ws.notes.editor) {
				editorBadge = l
			}
		}
	}
	if editorBadge == nil {
		t.Fatalf("no badge in the opened note; labels %q", h.labels())
	}
	d := h.shell.app.Driver()
	if by, ty := d.AbsolutePositionForObject(editorBadge).Y, d.AbsolutePositionForObject(ws.notes.body).Y; by >= ty {
		t.Errorf("the badge (y=%.0f) is not above the text (y=%.0f)", by, ty)
	}
	// The list still does not show the text while the note is open.
	for _, l := range h.labels() {
		if strings.Contains(l, secret) {
			t.Errorf("a label shows the privileged text: %q", l)
		}
	}
}

// inside reports whether o is drawn within the bounds of area.
func inside(h *harness, o, area fyne.CanvasObject) bool {
	d := h.shell.app.Driver()
	op, ap := d.AbsolutePositionForObject(o), d.AbsolutePositionForObject(area)
	as := area.Size()
	return op.X >= ap.X && op.Y >= ap.Y && op.X < ap.X+as.Width && op.Y < ap.Y+as.Height
}
