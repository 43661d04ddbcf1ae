package ui

import (
	"fmt"
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

// Autosave of drafts: a draft is saved once typing has paused this long, and at
// least this often while typing goes on, so nothing typed is lost.
const (
	draftAutosaveDelay = 3 * time.Second
	draftMaxUnsaved    = 15 * time.Second
)

// open shows a note in the editor, saving the draft that was there.
func (t *notesTab) open(id app.ID) {
	if t.cur != nil && t.cur.ID == id {
		return
	}
	t.saveDraft()
	if !t.ws.open() {
		return
	}
	// Nothing can be typed into the note that is closing while the next one is read.
	t.cur = nil
	t.editor.Objects = []fyne.CanvasObject{loading()}
	t.editor.Refresh()
	readCase(t.ws, &t.noteSlot, func(r *app.Records, caseID app.ID) (app.Note, error) { return r.Note(caseID, id) },
		func(n app.Note, err error) {
			if err != nil {
				t.editor.Objects = []fyne.CanvasObject{failedLine(err)}
				t.editor.Refresh()
				return
			}
			t.cur = &n
			t.showEditor()
		})
}

// showEditor builds the editor for the current note: a draft is edited in place,
// a final note is shown read-only with its addenda beneath it.
func (t *notesTab) showEditor() {
	n := t.cur
	ws := t.ws
	t.loading = true
	defer func() { t.loading = false }()
	t.dirty, t.savedAt = false, time.Time{}
	t.kind = widget.NewSelect(noteKindTitles(), func(string) { t.saveFields() })
	t.kind.SetSelected(noteKindTitle(n.Kind))
	t.sens = widget.NewSelect(sensitivityTitles(), func(string) { t.saveFields() })
	t.sens.SetSelected(sensitivityTitle(n.Sensitivity))
	t.status = quietLine("")
	t.msg = errorLabel()
	t.info = quietLine("")
	t.body = nil

	stateIcon := widget.NewIcon(theme.ConfirmIcon())
	showIf(stateIcon, n.Final())
	// The status wraps rather than widening the window ("Final · finalized ...
	// by" a long name).
	t.status.Wrapping = fyne.TextWrapWord
	statusLine := container.NewBorder(nil, nil, stateIcon, nil, t.status)

	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), t.copyText)
	var center fyne.CanvasObject
	var buttons fyne.CanvasObject
	preview := widget.NewRichText()
	preview.Wrapping = fyne.TextWrapWord
	if n.Final() {
		t.kind.Disable()
		t.sens.Disable()
		query := ""
		if n.ID == t.highlightNote {
			query = t.highlight
		}
		text := highlighted(n.Body, query)
		t.bodyStack = container.NewStack(text)
		previewOn := widget.NewCheck("Preview", func(on bool) { t.togglePreview(on, text, preview, n.Body) })
		parts := []fyne.CanvasObject{t.bodyStack}
		for _, a := range n.Addenda {
			parts = append(parts, widget.NewSeparator(), addendumView(a, query))
		}
		center = container.NewVScroll(container.NewVBox(parts...))
		addendum := widget.NewButtonWithIcon("Add addendum", theme.ContentAddIcon(), t.addAddendum)
		ws.guard(addendum)
		buttons = container.NewHBox(addendum, copyBtn, previewOn)
	} else {
		t.body = newNoteEntry()
		t.body.SetPlaceHolder("Write the note. Markdown works: *emphasis*, lists with -, headings with #.")
		t.body.SetText(n.Body)
		t.body.cursorToEnd()
		t.body.OnChanged = t.typed
		t.body.onShortcut = ws.handleShortcut
		t.body.onCopy = t.guardClipboard
		t.bodyStack = container.NewStack(t.body)
		previewOn := widget.NewCheck("Preview", func(on bool) { t.togglePreview(on, t.body, preview, t.body.Text) })
		center = t.bodyStack
		finalise := widget.NewButtonWithIcon("Finalize…", theme.ConfirmIcon(), t.askFinalise)
		finalise.Importance = widget.HighImportance
		del := widget.NewButtonWithIcon("Delete draft", theme.DeleteIcon(), t.askDelete)
		del.Importance = widget.LowImportance
		ws.guard(t.body, t.kind, t.sens, finalise, del)
		// Two short lines rather than one long one, so a narrow pane never widens
		// the window.
		buttons = container.NewVBox(container.NewHBox(finalise, quietLine("Ctrl+S"), layout.NewSpacer(), del),
			container.NewHBox(copyBtn, previewOn))
	}
	if ws.readOnly {
		t.kind.Disable()
		t.sens.Disable()
	}
	head := container.NewVBox(container.NewGridWithColumns(2, t.kind, t.sens), statusLine, t.msg)
	if row := t.contactRow(); row != nil { // a contact note's facts (issue 14: contact.go)
		head.Add(row)
	}
	if n.Sensitivity == app.SensitivityAdvocatePrivileged {
		head.Add(container.NewHBox(widget.NewIcon(privilegedIcon), newPrivilegedBadge()))
	}
	foot := container.NewVBox(buttons, t.info)
	t.editor.Objects = []fyne.CanvasObject{container.NewBorder(head, foot, nil, nil, center)}
	t.editor.Refresh()
	t.showStatus()
}

// addendumView is one addendum under its note: who, when and what.
func addendumView(a app.Addendum, query string) fyne.CanvasObject {
	who := widget.NewLabelWithStyle("Addendum · "+a.Author+" · "+format.DateTime(a.Created), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.Wrapping = fyne.TextWrapWord
	return container.NewVBox(who, highlighted(a.Body, query))
}

// togglePreview swaps the text for its Markdown rendering and back.
func (t *notesTab) togglePreview(on bool, plain fyne.CanvasObject, preview *widget.RichText, text string) {
	if on {
		if t.body != nil {
			text = t.body.Text
		}
		preview.ParseMarkdown(text)
		t.bodyStack.Objects = []fyne.CanvasObject{container.NewVScroll(preview)}
	} else {
		t.bodyStack.Objects = []fyne.CanvasObject{plain}
	}
	t.bodyStack.Refresh()
}

// typed runs on every change of the draft's text: it (re)starts the autosave
// timer, and saves at once when typing has gone on unsaved for a while.
func (t *notesTab) typed(string) {
	if t.loading || t.cur == nil || t.cur.Final() {
		return
	}
	clock := t.ws.s.clock
	now := clock.Now()
	if !t.dirty {
		t.dirty, t.dirtySince = true, now
	}
	if t.stopSave != nil {
		t.stopSave()
		t.stopSave = nil
	}
	if now.Sub(t.dirtySince) >= draftMaxUnsaved {
		t.saveDraft()
		return
	}
	t.stopSave = clock.After(draftAutosaveDelay, func() { t.saveDraft() })
	t.showStatus()
}

// saveDraft stores the draft's text if it changed; it reports false when the save
// failed (the sentence is on screen and the text stays in the editor).
func (t *notesTab) saveDraft() bool {
	if t.stopSave != nil {
		t.stopSave()
		t.stopSave = nil
	}
	if !t.dirty || t.cur == nil || t.cur.Final() || t.body == nil {
		return true
	}
	if !t.ws.open() {
		return false
	}
	text := t.body.Text
	if err := t.ws.records.SaveDraft(t.ws.id, t.cur.ID, text); err != nil {
		say(t.msg, app.Sentence(err))
		return false
	}
	t.saved(func(n *app.Note) { n.Body = text })
	return true
}

// saveFields stores a new kind or sensitivity of a draft (with its text).
func (t *notesTab) saveFields() {
	if t.loading || t.cur == nil || t.cur.Final() || t.body == nil || !t.ws.open() {
		return
	}
	in := app.NoteInput{Kind: noteKindOf(t.kind.Selected), Body: t.body.Text, Sensitivity: sensitivityOf(t.sens.Selected)}
	n, err := t.ws.records.UpdateNote(t.ws.id, t.cur.ID, in)
	if err != nil {
		say(t.msg, app.Sentence(err))
		return
	}
	if t.stopSave != nil {
		t.stopSave()
		t.stopSave = nil
	}
	wasPrivileged := t.cur.Sensitivity == app.SensitivityAdvocatePrivileged
	t.saved(func(m *app.Note) { m.Kind, m.Body, m.Sensitivity = n.Kind, n.Body, n.Sensitivity })
	if wasPrivileged != (n.Sensitivity == app.SensitivityAdvocatePrivileged) {
		savedAt := t.savedAt // redraw the privileged mark
		t.showEditor()
		t.savedAt = savedAt
		t.showStatus()
	}
}

// saved records a successful save in the editor and the list.
func (t *notesTab) saved(apply func(*app.Note)) {
	t.dirty = false
	t.savedAt = t.ws.now()
	apply(t.cur)
	for i := range t.notes {
		if t.notes[i].ID == t.cur.ID {
			t.notes[i] = t.cur.Summary()
			t.list.RefreshItem(i)
		}
	}
	say(t.msg, "")
	t.showStatus()
}

// showStatus says where the note stands: "Draft · saved 2 s ago", "Final ·
// finalised ... by ...". It runs every second.
func (t *notesTab) showStatus() {
	if t.cur == nil || t.status == nil {
		return
	}
	n := t.cur
	switch {
	case n.Final():
		t.status.SetText("Final · finalized " + format.DateTime(n.Finalised) + " by " + n.FinalisedBy)
	case t.dirty:
		t.status.SetText("Draft · saving when you pause")
	case !t.savedAt.IsZero():
		t.status.SetText("Draft · " + savedAgo(t.ws.now().Sub(t.savedAt), t.savedAt))
	default:
		t.status.SetText("Draft · last saved " + format.DateTime(n.Updated))
	}
}

// savedAgo is "saved 2 s ago", "saved 3 min ago" or "saved at 2:05 PM".
func savedAgo(d time.Duration, at time.Time) string {
	switch {
	case d < time.Second:
		return "saved just now"
	case d < time.Minute:
		return fmt.Sprintf("saved %d s ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("saved %d min ago", int(d/time.Minute))
	default:
		return "saved at " + format.Clock(at)
	}
}

// newNote starts a draft (Ctrl+N) and puts the cursor in it.
func (t *notesTab) newNote() {
	ws := t.ws
	if ws.readOnly || !ws.open() || t.list == nil {
		return
	}
	if !t.saveDraft() {
		return
	}
	kind := app.NoteContact
	if t.cur != nil {
		kind = t.cur.Kind
	}
	sens := app.SensitivityStandard
	if ws.s.profile.Role == app.RoleAdvocate {
		sens = app.SensitivityAdvocatePrivileged // protective default for advocates' notes
	}
	n, err := ws.records.AddNote(ws.id, app.NoteInput{Kind: kind, Sensitivity: sens})
	if err != nil {
		if t.msg != nil {
			say(t.msg, app.Sentence(err))
		}
		return
	}
	t.createdHere[n.ID] = true
	t.cur = &n
	t.showEditor()
	t.reload()
	ws.changed()
	ws.s.win.Canvas().Focus(t.body)
}

// askFinalise confirms, then finalises the draft (Ctrl+S).
func (t *notesTab) askFinalise() {
	if t.cur == nil || t.cur.Final() || t.ws.readOnly {
		return
	}
	t.ws.confirm("Finalize note", finaliseSentence, "Finalize", t.finalise)
}

func (t *notesTab) finalise() {
	ws := t.ws
	if t.cur == nil || !t.saveDraft() || !ws.open() {
		return
	}
	n, err := ws.records.FinaliseNote(ws.id, t.cur.ID)
	if err != nil {
		say(t.msg, app.Sentence(err))
		return
	}
	delete(t.createdHere, n.ID)
	t.cur = &n
	t.showEditor()
	t.reload()
	ws.changed()
}

// askDelete confirms, then deletes the draft.
func (t *notesTab) askDelete() {
	if t.cur == nil || t.cur.Final() || t.ws.readOnly {
		return
	}
	t.ws.confirmDelete("Delete draft", deleteDraftSentence, "Delete", func() {
		ws := t.ws
		if t.stopSave != nil {
			t.stopSave()
			t.stopSave = nil
		}
		if !ws.open() {
			return
		}
		if err := ws.records.DeleteNote(ws.id, t.cur.ID); err != nil {
			say(t.msg, app.Sentence(err))
			return
		}
		t.cur, t.dirty = nil, false
		t.editor.Objects = []fyne.CanvasObject{emptyState(noNoteChosen)}
		t.editor.Refresh()
		t.reload()
		ws.changed()
	})
}

// addAddendum asks for the text of an addendum to the final note on screen.
func (t *notesTab) addAddendum() {
	ws := t.ws
	if t.cur == nil || !t.cur.Final() || ws.readOnly {
		return
	}
	note := t.cur.ID
	text := newDialogTextArea("", 6)
	content := container.NewVBox(
		paragraph("The addendum is added beneath the note with your name and the time. The note itself does not change."),
		text,
	)
	box := ws.form("Add addendum", "Save addendum", content, func() string {
		if _, err := ws.records.AddAddendum(ws.id, note, text.Text); err != nil {
			return app.Sentence(err)
		}
		if n, err := ws.records.Note(ws.id, note); err == nil && t.cur != nil && t.cur.ID == note {
			t.cur = &n
			t.showEditor()
		}
		t.reload()
		ws.changed()
		return ""
	})
	// Blank text is the one problem the form can see; its message goes once
	// there is text.
	box.fix.check = func() string {
		if strings.TrimSpace(text.Text) == "" {
			return app.Sentence(app.Invalid("addendum text", "is required"))
		}
		return ""
	}
	ws.s.win.Canvas().Focus(text)
}

// copyText puts the note (and its addenda) on the clipboard through the shell's
// guard, which clears it after 30 seconds.
func (t *notesTab) copyText() {
	if t.cur == nil {
		return
	}
	text := t.cur.Body
	if t.body != nil {
		text = t.body.Text
	}
	for _, a := range t.cur.Addenda {
		text += "\n\nAddendum (" + a.Author + ", " + format.DateTime(a.Created) + "):\n" + a.Body
	}
	t.ws.s.copyToClipboard(text)
	t.info.SetText("Copied. The clipboard is cleared in 30 seconds.")
}

// guardClipboard puts text copied out of the editor with Ctrl+C or Ctrl+X under the
// shell's guard too.
func (t *notesTab) guardClipboard() {
	if text := t.ws.s.app.Clipboard().Content(); text != "" {
		t.ws.s.copyToClipboard(text)
	}
}

// leave saves the draft on screen, removes drafts opened here and left empty, and
// stops the timers.
func (t *notesTab) leave() {
	if t.stopTick != nil {
		t.stopTick()
		t.stopTick = nil
	}
	t.saveDraft()
	if t.stopSave != nil {
		t.stopSave()
		t.stopSave = nil
	}
	if !t.ws.open() {
		return
	}
	for id := range t.createdHere {
		if n, err := t.ws.records.Note(t.ws.id, id); err == nil && !n.Final() && strings.TrimSpace(n.Body) == "" {
			_ = t.ws.records.DeleteNote(t.ws.id, id)
		}
	}
	t.createdHere = map[app.ID]bool{}
}

// noteEntry is the note body: a multi-line entry that hands the workspace's
// shortcuts (Ctrl+S, Ctrl+N, Ctrl+Tab) on instead of swallowing them, and puts
// copied text under the clipboard guard.
type noteEntry struct {
	textEntry
	onShortcut func(fyne.Shortcut) bool
	onCopy     func()
}

func newNoteEntry() *noteEntry {
	e := &noteEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	e.setUp(e)
	e.SetMinRowsVisible(12)
	return e
}

// TypedShortcut is the entry's, after the workspace's own shortcuts.
func (e *noteEntry) TypedShortcut(sc fyne.Shortcut) {
	if e.onShortcut != nil && e.onShortcut(sc) {
		return
	}
	e.textEntry.TypedShortcut(sc)
	switch sc.(type) {
	case *fyne.ShortcutCopy, *fyne.ShortcutCut:
		if e.onCopy != nil {
			e.onCopy()
		}
	}
}

// cursorToEnd puts the cursor after the last character, where a draft goes on.
// (Counting lines would miss the rows that wrapping adds.)
func (e *noteEntry) cursorToEnd() { e.setCursorOffset(len([]rune(e.Text))) }
