package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// Sentences of the note editor.
const (
	finaliseSentence    = "Finalize this note? It can no longer be changed; corrections become addenda."
	deleteDraftSentence = "Delete this draft? Its text will be gone for good."
	noNotesYet          = "No notes yet. New note: Ctrl+N"
	noNoteChosen        = "Choose a note on the left, or start a new one with Ctrl+N."
	privilegedBadge     = "Advocate-privileged"
)

// privilegedIcon marks advocate-privileged notes everywhere they appear (the
// Fyne theme has no lock; this is the Material Design lock, themed like the rest).
var privilegedIcon = theme.NewThemedResource(fyne.NewStaticResource("lock.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000000" d="M18 8h-1V6c0-2.76-2.24-5-5-5S7 3.24 7 6v2H6c-1.1 0-2 .9-2 2v10c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V10c0-1.1-.9-2-2-2zm-6 9c-1.1 0-2-.9-2-2s.9-2 2-2 2 .9 2 2-.9 2-2 2zm3.1-9H8.9V6c0-1.71 1.39-3.1 3.1-3.1 1.71 0 3.1 1.39 3.1 3.1v2z"/></svg>`)))

// notesTab is the case's notes, newest first, beside the note editor. Drafts save
// themselves; final notes are read-only and take addenda.
type notesTab struct {
	ws *caseWorkspace

	notes   []app.NoteSummary // newest first; never a privileged note's text
	list    *widget.List
	listBox *fyne.Container
	editor  *fyne.Container
	newBtn  *widget.Button

	cur       *app.Note // the note in the editor
	body      *noteEntry
	kind      *widget.Select
	sens      *widget.Select
	bodyStack *fyne.Container
	status    *widget.Label
	msg       *widget.Label
	info      *widget.Label

	dirty       bool
	dirtySince  time.Time
	savedAt     time.Time
	stopSave    func()
	stopTick    func()
	createdHere map[app.ID]bool
	loading     bool
	// listSlot and noteSlot are the reads of the list and of the note chosen.
	listSlot, noteSlot loadSlot

	// highlight is the search a note was opened from (search.go): its words are
	// marked in that note (highlightNote) while it is shown.
	highlight     string
	highlightNote app.ID
}

func newNotesTab(ws *caseWorkspace) *notesTab {
	return &notesTab{ws: ws, createdHere: map[app.ID]bool{}}
}

func (t *notesTab) build() fyne.CanvasObject {
	ws := t.ws
	t.newBtn = widget.NewButtonWithIcon("New note", theme.DocumentCreateIcon(), t.newNote)
	ws.guard(t.newBtn)
	t.list = widget.NewList(func() int { return len(t.notes) }, noteRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		setNoteRow(o, t.notes[i])
	})
	t.list.OnSelected = func(i widget.ListItemID) {
		if i < len(t.notes) {
			t.open(t.notes[i].ID)
		}
	}
	t.listBox = container.NewStack(loading())
	t.editor = container.NewStack(emptyState(noNoteChosen))
	t.reload()
	t.stopTick = ws.s.clock.Every(time.Second, t.showStatus)
	top := container.NewHBox(t.newBtn, quietLine("Ctrl+N"))
	return listAndDetail(container.NewBorder(top, nil, nil, nil, t.listBox), t.editor)
}

// reload reads the notes again (off the UI goroutine) and keeps the selection.
func (t *notesTab) reload() {
	if t.list == nil {
		return
	}
	readCase(t.ws, &t.listSlot, func(r *app.Records, id app.ID) ([]app.NoteSummary, error) { return r.NoteSummaries(id) },
		func(notes []app.NoteSummary, err error) {
			if err != nil {
				t.listBox.Objects = []fyne.CanvasObject{failedLine(err)}
				t.listBox.Refresh()
				return
			}
			slices.Reverse(notes)
			t.notes = notes
			switch {
			case len(notes) == 0 && t.ws.readOnly:
				t.listBox.Objects = []fyne.CanvasObject{emptyState("No notes in this case.")}
			case len(notes) == 0:
				t.listBox.Objects = []fyne.CanvasObject{emptyState(noNotesYet)}
			default:
				t.listBox.Objects = []fyne.CanvasObject{t.list}
			}
			t.listBox.Refresh()
			t.list.Refresh()
			t.syncSelection()
		})
}

func (t *notesTab) syncSelection() {
	if t.cur == nil {
		t.list.UnselectAll()
		return
	}
	for i, n := range t.notes {
		if n.ID == t.cur.ID {
			t.list.Select(i) // open returns at once: the note is already open
			return
		}
	}
}

func noteRow() fyne.CanvasObject {
	lock := widget.NewIcon(privilegedIcon)
	kind := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	badge := newPrivilegedBadge()
	tick := widget.NewIcon(theme.ConfirmIcon())
	state := widget.NewLabel("")
	sub := widget.NewLabel("")
	sub.Importance = widget.LowImportance
	sub.Truncation = fyne.TextTruncateEllipsis
	// One line of marks (they never overlap the kind, however narrow the list), and
	// a quiet line with the finalizing time or the author and time, and the first
	// line of the text unless the note is advocate-privileged.
	kind.Truncation = fyne.TextTruncateEllipsis // the marks stay whole, however narrow the list
	top := container.NewBorder(nil, nil, lock, container.NewHBox(badge, tick, state), kind)
	return container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()*2), top, sub)
}

// newPrivilegedBadge is the mark of an advocate-privileged note: bold, in the
// high-importance color, the same words in the list and above an opened note.
func newPrivilegedBadge() *widget.Label {
	l := widget.NewLabelWithStyle(privilegedBadge, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Importance = widget.HighImportance
	return l
}

// setNoteRow shows a note's summary in a row: the summary never holds the text of
// a privileged note (app.NoteSummary), so the list cannot show it.
func setNoteRow(o fyne.CanvasObject, n app.NoteSummary) {
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container) // Border: kind, lock, marks
	kind, lock, marks := top.Objects[0].(*widget.Label), top.Objects[1].(*widget.Icon), top.Objects[2].(*fyne.Container)
	badge, tick, state := marks.Objects[0].(*widget.Label), marks.Objects[1].(*widget.Icon), marks.Objects[2].(*widget.Label)
	privileged := n.Privileged()
	showIf(lock, privileged)
	showIf(badge, privileged)
	kind.SetText(noteKindTitle(n.Kind))
	sub := n.Author + " · " + format.DateTime(n.Created)
	if n.Final() {
		tick.Show()
		state.Hide()
		sub = "final " + format.DateTime(n.Finalised) + " · " + n.Author
	} else {
		tick.Hide()
		state.Show()
		state.Importance = widget.WarningImportance
		state.SetText("draft")
	}
	if n.Preview != "" {
		sub += " · " + n.Preview
	}
	box.Objects[1].(*widget.Label).SetText(sub)
}

func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

// noteKindTitle is a note kind in words: "Interview reference".
func noteKindTitle(k app.NoteKind) string { return sentenceCase(string(k)) }

func sensitivityTitle(s app.Sensitivity) string { return sentenceCase(string(s)) }

// sentenceCase turns "supervisor-review" into "Supervisor review".
func sentenceCase(s string) string {
	if s == "advocate-privileged" {
		return "Advocate-privileged"
	}
	s = strings.ReplaceAll(s, "-", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func noteKindTitles() []string {
	var out []string
	for _, k := range app.NoteKinds {
		out = append(out, noteKindTitle(k))
	}
	return out
}

func sensitivityTitles() []string {
	var out []string
	for _, s := range app.Sensitivities {
		out = append(out, sensitivityTitle(s))
	}
	return out
}

func noteKindOf(title string) app.NoteKind {
	for _, k := range app.NoteKinds {
		if noteKindTitle(k) == title {
			return k
		}
	}
	return app.NoteOther
}

func sensitivityOf(title string) app.Sensitivity {
	for _, s := range app.Sensitivities {
		if sensitivityTitle(s) == title {
			return s
		}
	}
	return app.SensitivityStandard
}
