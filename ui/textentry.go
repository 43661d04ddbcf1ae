package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// textEntry is the entry every field of the app is built from: widget.Entry with
// what Fyne's lacks.
//
//   - Typed text goes where the cursor is, at every width: a word-wrapping
//     Fyne 2.7.1 entry moves a space typed where a line wraps (textcursor.go,
//     docs/editor.md).
//   - Every key, shortcut and click it receives counts as activity for the idle
//     lock: Fyne hands them to the focused widget alone, so the window never sees
//     them.
//   - The space of a Space key pressed elsewhere is not typed into it. Fyne's
//     buttons act on the key event of Space, and the desktop driver then delivers
//     the key's character to whatever has the focus: after a button that locks the
//     vault or opens a dialog and focuses a field there, that field.
//   - Tab leaves it, multi-line or not, so the keyboard alone can go through a
//     screen (a note has no use for tab characters).
//
// Types that embed textEntry call setUp after ExtendBaseWidget.
type textEntry struct {
	widget.Entry
	outer fyne.CanvasObject // the widget that embeds this entry, as the canvas knows it

	// OnChanged is called with the text after each change, as widget.Entry's is.
	// It hides widget.Entry's field, which is textEntry's own hook: Fyne calls that
	// before the refresh that clamps the cursor, so the hook sees the row and column
	// Fyne computed for the edit.
	OnChanged func(string)

	held    heldCursor
	editing bool    // an input event of textEntry's is under way
	raw     *rowCol // the cursor as Fyne computed it for the edit under way
	// quiet is set while the app sets the text itself (SetText, Append).
	quiet    bool
	lastText string // the text as of the last change textEntry saw
	shift    bool   // Shift is held (Fyne's own flag is private)
	// awaitingKey is set when the entry gains the focus and cleared when a key
	// goes down in it: a space before that belongs to a key pressed elsewhere.
	awaitingKey bool
	// onEdit runs after each change the user makes (not SetText), after OnChanged:
	// the form the entry is in checks whether its message still holds.
	onEdit func()
}

// setUp connects the entry's own change hook; constructors call it once, with
// the widget that embeds the entry (or the entry itself).
func (e *textEntry) setUp(outer fyne.CanvasObject) {
	e.outer = outer
	e.Entry.OnChanged = e.changed
	e.lastText = e.Text
}

// newTextEntry is a one-line field.
func newTextEntry(placeholder string) *textEntry {
	e := &textEntry{}
	e.ExtendBaseWidget(e)
	e.setUp(e)
	e.PlaceHolder = placeholder
	return e
}

// newPassphraseEntry is a concealed one-line field with Fyne's reveal button.
func newPassphraseEntry(placeholder string) *textEntry {
	e := &textEntry{}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	e.setUp(e)
	e.PlaceHolder = placeholder
	return e
}

// changed is widget.Entry's OnChanged.
func (e *textEntry) changed(s string) {
	before := e.lastText
	e.lastText = s
	switch {
	case e.editing:
		e.raw = &rowCol{e.CursorRow, e.CursorColumn}
	case !e.quiet:
		// An edit that reached no input event of textEntry's: Undo and Redo from
		// the entry's own right-click menu. Place the cursor now; Fyne's refresh
		// follows, and hold() restores what it clamps.
		rc := rowCol{e.CursorRow, e.CursorColumn}
		e.raw = &rc
		e.settle(changing, editBefore{text: []rune(before)})
		e.raw = nil
	}
	if e.OnChanged != nil {
		e.OnChanged(s)
	}
	if !e.quiet && e.onEdit != nil {
		e.onEdit()
	}
}

// watchEdits adds f to what runs after each change the user makes.
func (e *textEntry) watchEdits(f func()) {
	prev := e.onEdit
	e.onEdit = func() {
		if prev != nil {
			prev()
		}
		f()
	}
}

// edit runs one input event that may change the text or move the cursor by text
// offset, then puts the cursor where want says.
func (e *textEntry) edit(want expectation, run func()) {
	e.hold()
	b := editBefore{text: []rune(e.Text), cursor: e.CursorTextOffset(), sel: []rune(e.SelectedText())}
	e.editing, e.raw = true, nil
	run()
	e.editing = false
	e.settle(want, b)
	e.raw = nil
}

// moved runs an input event that moves the cursor by position (a click, a row up
// or down): Fyne's cursor is right, and the hold ends.
func (e *textEntry) moved(run func()) {
	e.hold()
	run()
	e.held = heldCursor{}
}

// SetText replaces the text; the caller places the cursor if it matters
// (setCursorOffset).
func (e *textEntry) SetText(text string) {
	e.quiet = true
	e.Entry.SetText(text)
	e.quiet = false
	e.lastText = e.Text
	e.held = heldCursor{}
}

// Append adds text at the end.
func (e *textEntry) Append(text string) {
	e.quiet = true
	e.Entry.Append(text)
	e.quiet = false
	e.lastText = e.Text
	e.held = heldCursor{}
}

// setCursorOffset puts the cursor before rune p of the text.
func (e *textEntry) setCursorOffset(p int) {
	e.placeCursor(min(max(p, 0), len([]rune(e.Text))))
}

// TypedRune types r where the cursor is.
func (e *textEntry) TypedRune(r rune) {
	e.reportActivity()
	if e.awaitingKey {
		e.awaitingKey = false
		if r == ' ' {
			return
		}
	}
	if e.Disabled() {
		return
	}
	e.edit(replacing([]rune{r}), func() { e.Entry.TypedRune(r) })
}

// TypedKey handles editing and movement keys.
func (e *textEntry) TypedKey(k *fyne.KeyEvent) {
	e.reportActivity()
	if e.Disabled() {
		return
	}
	var want expectation
	switch k.Name {
	case fyne.KeyBackspace:
		want = deleting(true)
	case fyne.KeyDelete:
		want = deleting(false)
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.MultiLine && !(e.shift && e.OnSubmitted != nil) {
			want = replacing([]rune{'\n'})
		}
	case fyne.KeyTab:
		if e.MultiLine && !e.shift {
			want = replacing([]rune{'\t'})
		}
	case fyne.KeyLeft:
		if !e.shift {
			want = stepping(-1)
		}
	case fyne.KeyRight:
		if !e.shift {
			want = stepping(1)
		}
	case fyne.KeyPageUp:
		if !e.shift {
			want = toStart
		}
	case fyne.KeyPageDown:
		if !e.shift {
			want = toEnd
		}
	}
	if want.ends == nil {
		e.moved(func() { e.Entry.TypedKey(k) })
		return
	}
	e.edit(want, func() { e.Entry.TypedKey(k) })
}

// TypedShortcut handles clipboard, undo and selection shortcuts.
func (e *textEntry) TypedShortcut(s fyne.Shortcut) {
	e.reportActivity()
	want := expectation{ends: func(b editBefore, after []rune) []int { return pureEditEnds(b.text, after) }}
	switch sc := s.(type) {
	case *fyne.ShortcutPaste:
		if sc.Clipboard != nil && !e.Disabled() {
			text := sc.Clipboard.Content()
			if !e.MultiLine {
				text = strings.ReplaceAll(text, "\n", " ")
			}
			want = replacing([]rune(text))
		}
	case *fyne.ShortcutCut:
		want = replacing(nil)
	case *fyne.ShortcutSelectAll:
		want = toEnd
	case *fyne.ShortcutUndo, *fyne.ShortcutRedo:
		want = changing
	case *fyne.ShortcutCopy:
		want = expectation{}
	}
	e.edit(want, func() { e.Entry.TypedShortcut(s) })
}

// KeyDown notes Shift, and that a key went down here.
func (e *textEntry) KeyDown(k *fyne.KeyEvent) {
	e.reportActivity()
	e.awaitingKey = false
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = true
	}
	e.hold() // Shift starts a selection at the cursor
	e.Entry.KeyDown(k)
}

// KeyUp notes Shift.
func (e *textEntry) KeyUp(k *fyne.KeyEvent) {
	e.reportActivity()
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = false
	}
	e.Entry.KeyUp(k)
}

// FocusGained waits for a key to go down here.
func (e *textEntry) FocusGained() {
	e.awaitingKey = true
	e.Entry.FocusGained()
}

// FocusLost forgets Shift: its release goes elsewhere.
func (e *textEntry) FocusLost() {
	e.shift = false
	e.awaitingKey = false
	e.Entry.FocusLost()
}

// AcceptsTab is false: Tab moves the focus on (Shift+Tab back), as in a form.
func (e *textEntry) AcceptsTab() bool { return false }

// MouseDown places the cursor where the pointer is.
func (e *textEntry) MouseDown(m *desktop.MouseEvent) {
	e.reportActivity()
	e.moved(func() { e.Entry.MouseDown(m) })
}

// MouseUp ends a click or a drag.
func (e *textEntry) MouseUp(m *desktop.MouseEvent) {
	e.reportActivity()
	e.moved(func() { e.Entry.MouseUp(m) })
}

// Tapped is a click.
func (e *textEntry) Tapped(ev *fyne.PointEvent) {
	e.reportActivity()
	e.moved(func() { e.Entry.Tapped(ev) })
}

// DoubleTapped selects the word under the pointer.
func (e *textEntry) DoubleTapped(ev *fyne.PointEvent) {
	e.reportActivity()
	e.moved(func() { e.Entry.DoubleTapped(ev) })
}

// TappedSecondary opens Fyne's menu (its Cut, Copy and Paste come back through
// TypedShortcut; its Undo and Redo through changed).
func (e *textEntry) TappedSecondary(ev *fyne.PointEvent) {
	e.reportActivity()
	e.moved(func() { e.Entry.TappedSecondary(ev) })
}

// Dragged extends a selection with the pointer.
func (e *textEntry) Dragged(d *fyne.DragEvent) {
	e.reportActivity()
	e.moved(func() { e.Entry.Dragged(d) })
}

// Resize lays the text out again at the new width; the cursor stays before the
// same rune.
func (e *textEntry) Resize(size fyne.Size) {
	if size == e.Size() {
		return
	}
	e.hold()
	p, placed := e.CursorTextOffset(), e.held.set
	e.Entry.Resize(size)
	if placed || e.CursorTextOffset() != p {
		e.placeCursor(p)
	}
}

// reportActivity tells the window's shell that the user is at work.
func (e *textEntry) reportActivity() {
	if e.outer != nil {
		reportActivity(e.outer)
	}
}
