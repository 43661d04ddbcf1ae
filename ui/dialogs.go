package ui

// The app-wide dialog machinery: form dialogs with a message line, the dialog
// fields that pass Esc on to close their dialog, and the window's Esc stack. Every
// screen's dialogs are built from these.

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fieldTitle names a part of a form that is not a single field.
func fieldTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// leadingWidth lays out a row: the first object this wide (as wide as it needs when
// width is 0), the next one filling the rest. Unlike a border layout, it keeps the
// objects in reading order, which is the order Tab follows.
type leadingWidth struct{ width float32 }

func (l leadingWidth) firstWidth(objs []fyne.CanvasObject) float32 {
	if l.width > 0 || len(objs) == 0 {
		return l.width
	}
	return objs[0].MinSize().Width
}

func (l leadingWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(l.firstWidth(objs), 0)
	for i, o := range objs {
		m := o.MinSize()
		if i > 0 {
			s.Width += theme.Padding() + m.Width
		}
		s.Height = max(s.Height, m.Height)
	}
	return s
}

func (l leadingWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	w := l.firstWidth(objs)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	x := w + theme.Padding()
	for _, o := range objs[1:] {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(max(size.Width-x, 0), size.Height))
	}
}

// splitList splits typed text into trimmed, non-empty parts.
func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sentenceError is a validation message already written for people: a form shows
// it under its field as it is.
type sentenceError string

func (e sentenceError) Error() string { return string(e) }

// formBox is a form dialog on show: content, a message line for what is wrong, and
// Cancel and a confirm button.
type formBox struct {
	dialog *dialog.CustomDialog
	msg    *widget.Label
	// submit does what the confirm button does (Enter in a one-line field too).
	submit func()
	// fix clears the message once it no longer holds; set fix.check for a form
	// that can tell.
	fix *fixWatch
}

// fixWatch clears a form's message about what to fix as soon as it is fixed: after
// each edit of a field it asks check for the form's problem as things stand, and
// the message goes unless that is still the one on show. Without a check (a form
// whose rules only the app's services apply), the first edit clears it; the next
// submit checks again. Messages of other kinds (a failure to save) also go at the
// next edit.
type fixWatch struct {
	msg   *widget.Label
	check func() string
}

func (w *fixWatch) edited() {
	if w.msg.Text == "" {
		return
	}
	if w.check != nil && w.check() == w.msg.Text {
		return
	}
	say(w.msg, "")
}

// watchEdits makes every field in o call edited after the user changes it.
func watchEdits(o fyne.CanvasObject, edited func()) {
	switch x := o.(type) {
	case interface{ watchEdits(func()) }: // the app's entries
		x.watchEdits(edited)
	case *dialogDateEntry:
		prev := x.OnChanged
		x.OnChanged = func(d *time.Time) {
			if prev != nil {
				prev(d)
			}
			edited()
		}
	case *dialogSelect:
		x.OnChanged = afterString(x.OnChanged, edited)
	case *widget.Select:
		x.OnChanged = afterString(x.OnChanged, edited)
	case *dialogCheck:
		x.OnChanged = afterBool(x.OnChanged, edited)
	case *widget.Check:
		x.OnChanged = afterBool(x.OnChanged, edited)
	case *widget.DateEntry:
		prev := x.OnChanged
		x.OnChanged = func(d *time.Time) {
			if prev != nil {
				prev(d)
			}
			edited()
		}
	case *widget.Entry:
		x.OnChanged = afterString(x.OnChanged, edited)
	case *fyne.Container:
		for _, c := range x.Objects {
			watchEdits(c, edited)
		}
	case *widget.Form:
		for _, it := range x.Items {
			watchEdits(it.Widget, edited)
		}
	case *container.Scroll:
		watchEdits(x.Content, edited)
	}
}

func afterString(prev func(string), then func()) func(string) {
	return func(s string) {
		if prev != nil {
			prev(s)
		}
		then()
	}
}

func afterBool(prev func(bool), then func()) func(bool) {
	return func(b bool) {
		if prev != nil {
			prev(b)
		}
		then()
	}
}

// stayOpen, returned by a form's submit, keeps the dialog open without a message:
// the submit asked a question first and submits again once it is answered.
const stayOpen = "\x00stay open"

// formDialog shows content, width wide at least, with Cancel and a confirm button.
// submit returns a sentence when something is wrong (shown in the dialog, which
// stays open with what was typed) or "" when done (the dialog closes). Esc closes
// it: from the dialog's own fields (dialogEntry and the like) and with nothing
// focused.
func (s *Shell) formDialog(title, confirm string, width float32, content fyne.CanvasObject, submit func() string) *formBox {
	f := &formBox{msg: errorLabel()}
	f.fix = &fixWatch{msg: f.msg}
	f.submit = func() {
		switch problem := submit(); problem {
		case "":
			f.dialog.Hide()
		case stayOpen:
		default:
			say(f.msg, problem)
		}
	}
	ok := newActionButton(confirm, nil, f.submit)
	ok.Importance = widget.HighImportance
	cancel := newActionButton("Cancel", nil, func() { f.dialog.Hide() })
	body := container.New(widthLayout{width}, container.NewVBox(content, f.msg))
	f.dialog = dialog.NewCustomWithoutButtons(title, body, s.win)
	f.dialog.SetButtons([]fyne.CanvasObject{cancel, ok})
	wireFields(content, f.dialog.Hide, f.submit)
	watchEdits(content, f.fix.edited)
	s.closeOnEscape(f.dialog)
	f.dialog.Show()
	return f
}

// Esc closes dialogs. Fyne hands a key to the focused widget only, and its entries,
// selects and checks keep Esc to themselves; so the fields of a form dialog are
// dialogEntry, dialogDateEntry, dialogSelect and dialogCheck, which pass Esc on to
// close their dialog, and with nothing focused the window's key handler closes the
// dialog on top (closeOnEscape).

// escape is what a dialog field does on Esc.
type escape struct{ onEscape func() }

func (e *escape) setOnEscape(f func()) { e.onEscape = f }

// escaped runs onEscape for Esc and reports whether it did.
func (e *escape) escaped(k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyEscape || e.onEscape == nil {
		return false
	}
	e.onEscape()
	return true
}

type escapable interface{ setOnEscape(func()) }

// dialogEntry is an entry that closes its dialog on Esc.
type dialogEntry struct {
	textEntry
	escape
}

func newDialogEntry(placeholder string) *dialogEntry {
	e := &dialogEntry{}
	e.ExtendBaseWidget(e)
	e.setUp(e)
	e.PlaceHolder = placeholder
	return e
}

// newDialogTextArea is a multi-line dialog field that wraps at word boundaries,
// rows lines high at least.
func newDialogTextArea(placeholder string, rows int) *dialogEntry {
	e := &dialogEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	e.setUp(e)
	e.PlaceHolder = placeholder
	e.SetMinRowsVisible(rows)
	return e
}

// newDialogPassphraseEntry is a concealed dialog field with Fyne's reveal button.
func newDialogPassphraseEntry() *dialogEntry {
	e := &dialogEntry{}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	e.setUp(e)
	return e
}

func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if !e.escaped(k) {
		e.textEntry.TypedKey(k)
	}
}

// dialogDateEntry is a date entry that closes its dialog on Esc.
type dialogDateEntry struct {
	widget.DateEntry
	escape
}

func newDialogDateEntry() *dialogDateEntry {
	e := &dialogDateEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

func (e *dialogDateEntry) TypedKey(k *fyne.KeyEvent) {
	reportActivity(e)
	if !e.escaped(k) {
		e.DateEntry.TypedKey(k)
	}
}

// TypedRune types into the date, which counts as activity.
func (e *dialogDateEntry) TypedRune(r rune) {
	reportActivity(e)
	e.DateEntry.TypedRune(r)
}

// dialogSelect is a select that closes its dialog on Esc.
type dialogSelect struct {
	widget.Select
	escape
}

func newDialogSelect(options []string) *dialogSelect {
	s := &dialogSelect{}
	s.Options = options
	s.ExtendBaseWidget(s)
	return s
}

func (s *dialogSelect) TypedKey(k *fyne.KeyEvent) {
	reportActivity(s)
	if !s.escaped(k) {
		s.Select.TypedKey(k)
	}
}

// dialogCheck is a check that closes its dialog on Esc.
type dialogCheck struct {
	widget.Check
	escape
}

func newDialogCheck(text string) *dialogCheck {
	c := &dialogCheck{}
	c.Text = text
	c.ExtendBaseWidget(c)
	return c
}

func (c *dialogCheck) TypedKey(k *fyne.KeyEvent) {
	reportActivity(c)
	if !c.escaped(k) {
		c.Check.TypedKey(k)
	}
}

// wireFields makes every dialog field in o close the dialog on Esc, and Enter in a
// one-line entry submit the form.
func wireFields(o fyne.CanvasObject, close, submit func()) {
	switch x := o.(type) {
	case *dialogEntry:
		x.setOnEscape(close)
		if !x.MultiLine && x.OnSubmitted == nil {
			x.OnSubmitted = func(string) { submit() }
		}
	case escapable:
		x.setOnEscape(close)
	case *fyne.Container:
		for _, c := range x.Objects {
			wireFields(c, close, submit)
		}
	case *widget.Form:
		for _, it := range x.Items {
			wireFields(it.Widget, close, submit)
		}
	case *container.Scroll:
		wireFields(x.Content, close, submit)
	}
}

// escapeStack is, for one window, the dialogs that Esc closes, the newest last, and
// the key handler their handler stands in front of.
type escapeStack struct {
	closers []*func()
	prev    func(*fyne.KeyEvent)
}

// windowEscapes is touched on the UI goroutine only.
var windowEscapes = map[fyne.Window]*escapeStack{}

// closeOnEscape makes Esc, typed with nothing focused, close d (the newest such
// dialog first). It uses d's on-closed callback.
func (s *Shell) closeOnEscape(d dialog.Dialog) {
	w := s.win
	c := w.Canvas()
	st := windowEscapes[w]
	release := func() {
		if windowEscapes[w] == st {
			c.SetOnTypedKey(st.prev)
			delete(windowEscapes, w)
		}
	}
	if st == nil {
		st = &escapeStack{prev: c.OnTypedKey()}
		windowEscapes[w] = st
		c.SetOnTypedKey(func(k *fyne.KeyEvent) {
			if k.Name == fyne.KeyEscape && len(st.closers) > 0 {
				if c.Overlays().Top() != nil {
					(*st.closers[len(st.closers)-1])()
					return
				}
				// The dialogs went with the screen they were on (a lock).
				st.closers = nil
				release()
			}
			if st.prev != nil {
				st.prev(k)
			}
		})
	}
	hide := d.Hide
	st.closers = append(st.closers, &hide)
	d.SetOnClosed(func() {
		st.closers = slices.DeleteFunc(st.closers, func(f *func()) bool { return f == &hide })
		if len(st.closers) == 0 {
			release()
		}
	})
}
