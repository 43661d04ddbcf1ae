package ui

import (
	"encoding/binary"
	"hash"
	"hash/fnv"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// What counts as the user being at work, for the idle lock.
//
// Fyne gives no window-wide view of input: keys go to the focused widget alone,
// pointer events to the topmost widget that wants them, scroll wheel turns to the
// innermost scroller. So activity is gathered from four places:
//   - the app's own fields (textEntry and the types that embed it) report every
//     key, shortcut and click they receive (reportActivity);
//   - the window's key handlers see keys typed with nothing focused, shortcuts
//     included (Shell.Start), and the window menu's items report when chosen;
//   - activitySensor, around the window content, sees the pointer move anywhere;
//   - each second the idle check compares what the user changes on screen without
//     typing into one of the app's fields: the focused widget, the text and cursor
//     of a focused plain Fyne entry, the dialogs and menus open, the tab shown,
//     and how far each scroll container, list and split is moved (screenState).
//     Only values a user moves are compared: a timer that redraws a label does not
//     keep the vault open.

// activityListeners are, per window canvas, the shell's touch. Touched on the UI
// goroutine only.
var activityListeners = map[fyne.Canvas]func(){}

// reportActivity tells the shell of the window o is on that the user is at work.
func reportActivity(o fyne.CanvasObject) {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	if c := a.Driver().CanvasForObject(o); c != nil {
		if touch := activityListeners[c]; touch != nil {
			touch()
		}
	}
}

// touch records user activity: it postpones the idle lock.
func (s *Shell) touch() {
	if s.idle != nil {
		s.idle.last = s.clock.Now()
	}
}

// idleLock locks the vault after a stretch without keyboard or mouse activity.
type idleLock struct {
	clock Clock
	limit time.Duration
	last  time.Time
	stop  func()
	// seen is the screen as the last check found it.
	seen screenState
}

func (s *Shell) startIdleLock() {
	s.stopIdleLock()
	il := &idleLock{clock: s.clock, limit: s.prefs().autoLock(), last: s.clock.Now()}
	il.seen = readScreen(s.win.Canvas())
	il.stop = s.clock.Every(time.Second, func() {
		il.notice(readScreen(s.win.Canvas()))
		if s.clock.Now().Sub(il.last) >= il.limit {
			s.lockAs(true)
		}
	})
	s.idle = il
}

func (s *Shell) stopIdleLock() {
	if s.idle != nil {
		s.idle.stop()
		s.idle = nil
	}
}

// setAutoLock changes the idle limit now and for later runs.
func (s *Shell) setAutoLock(minutes int) {
	s.prefs().setAutoLock(minutes)
	if s.idle != nil {
		s.idle.limit = s.prefs().autoLock()
	}
}

// notice counts any change of the screen state as activity.
func (il *idleLock) notice(now screenState) {
	if now != il.seen {
		il.seen = now
		il.last = il.clock.Now()
	}
}

// screenState is what the user changes on screen without one of the app's own
// fields seeing it (see the comment at the top).
type screenState struct {
	focused  fyne.Focusable
	text     string // of a focused plain Fyne entry
	row, col int
	overlay  fyne.CanvasObject // the dialog or menu on top
	overlays int
	view     uint64 // tabs shown and scroll, list and split positions
}

func readScreen(c fyne.Canvas) screenState {
	st := screenState{focused: c.Focused(), overlay: c.Overlays().Top(), overlays: len(c.Overlays().List())}
	if e, ok := st.focused.(*widget.Entry); ok {
		st.text, st.row, st.col = e.Text, e.CursorRow, e.CursorColumn
	}
	h := fnv.New64a()
	hashView(h, c.Content())
	for _, o := range c.Overlays().List() {
		hashView(h, o)
	}
	st.view = h.Sum64()
	return st
}

// hashView adds the positions a user moves in o's visible tree to h. It goes into
// the containers whose parts are public; other widgets keep theirs to themselves.
func hashView(h hash.Hash64, o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	put := func(vs ...float32) {
		var b [4]byte
		for _, v := range vs {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			_, _ = h.Write(b[:])
		}
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			hashView(h, c)
		}
	case *activitySensor:
		hashView(h, x.content)
	case *container.Scroll:
		put(x.Offset.X, x.Offset.Y)
		hashView(h, x.Content)
	case *container.Split:
		put(float32(x.Offset))
		hashView(h, x.Leading)
		hashView(h, x.Trailing)
	case *container.AppTabs:
		put(float32(x.SelectedIndex()))
		if it := x.Selected(); it != nil {
			hashView(h, it.Content)
		}
	case *container.DocTabs:
		put(float32(x.SelectedIndex()))
		if it := x.Selected(); it != nil {
			hashView(h, it.Content)
		}
	case *widget.List:
		put(x.GetScrollOffset())
	case *widget.GridWrap:
		put(x.GetScrollOffset())
	case *widget.Form:
		for _, it := range x.Items {
			hashView(h, it.Widget)
		}
	case *widget.PopUp:
		hashView(h, x.Content)
	case *widget.Card:
		hashView(h, x.Content)
	}
}

// touchingMenu makes each item of m report activity when chosen (by pointer or
// by its shortcut, which Fyne hands to the menu before anything focused).
func (s *Shell) touchingMenu(m *fyne.MainMenu) *fyne.MainMenu {
	var wrap func(items []*fyne.MenuItem)
	wrap = func(items []*fyne.MenuItem) {
		for _, it := range items {
			if it.Action != nil {
				act := it.Action
				it.Action = func() {
					s.touch()
					act()
				}
			}
			if it.ChildMenu != nil {
				wrap(it.ChildMenu.Items)
			}
		}
	}
	for _, menu := range m.Items {
		wrap(menu.Items)
	}
	return m
}

// activitySensor wraps the window content and reports mouse movement anywhere over
// it. Fyne hands pointer events to the topmost interested widget only, so a
// wrapper cannot see them all through Hoverable alone (a button under the pointer
// takes them); but the desktop driver asks every Cursorable under the pointer for
// its cursor on each move, and that reaches the wrapper too.
type activitySensor struct {
	widget.BaseWidget
	content    fyne.CanvasObject
	onActivity func()
}

func newActivitySensor(content fyne.CanvasObject, onActivity func()) *activitySensor {
	a := &activitySensor{content: content, onActivity: onActivity}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activitySensor) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(a.content)
}

// MouseIn, MouseMoved and MouseOut make the sensor Hoverable.
func (a *activitySensor) MouseIn(*desktop.MouseEvent)    { a.onActivity() }
func (a *activitySensor) MouseMoved(*desktop.MouseEvent) { a.onActivity() }
func (a *activitySensor) MouseOut()                      {}

// Cursor is asked on every pointer move over the window (see the type comment).
func (a *activitySensor) Cursor() desktop.Cursor {
	a.onActivity()
	return desktop.DefaultCursor
}
