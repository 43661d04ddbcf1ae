package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// clipboardClearAfter is how long text the app copied may stay on the clipboard.
const clipboardClearAfter = 30 * time.Second

// Lock hides every case at once and closes the vault: the unlock screen replaces
// the whole window content (and any dialog) before anything else; then the
// before-lock hooks run (drafts are saved while the store is still open), the
// session closes and zeroes its keys, and the clipboard is cleared if it still
// holds text the app put there. Locking a locked vault does nothing.
func (s *Shell) Lock() {
	sess := s.session
	if sess == nil {
		if s.pending != nil { // the window closes while the recovery key is shown
			_ = s.pending.Lock()
			s.pending = nil
		}
		return
	}
	s.showUnlock()
	s.win.SetMainMenu(nil)
	hooks := s.beforeLock
	s.beforeLock = nil
	for _, h := range hooks {
		(*h)()
	}
	s.stopIdleLock()
	s.session, s.records = nil, nil
	_ = sess.Lock()
	s.clip.clearIfOurs()
	s.forgetFileDialogFolder()
}

// fileDialogFolderKey is where Fyne's file dialogs remember the last folder shown, in
// fyne.Preferences (plain JSON on disk). A folder a user names after a case or a
// victim must not stay there, so the shell removes it at start, at every lock and
// after each file dialog the app opens.
const fileDialogFolderKey = "fyne:fileDialogLastFolder"

func (s *Shell) forgetFileDialogFolder() {
	s.app.Preferences().RemoveValue(fileDialogFolderKey)
}

// OnBeforeLock registers f to run when the vault locks (by Ctrl+L, the Lock action,
// the idle timer or closing the window), after the case content is hidden but while
// the store is still open: the note editor saves its draft here. Hooks last until
// the next lock; remove unregisters f earlier, for a screen that goes away.
func (s *Shell) OnBeforeLock(f func()) (remove func()) {
	p := &f
	s.beforeLock = append(s.beforeLock, p)
	return func() {
		for i, h := range s.beforeLock {
			if h == p {
				s.beforeLock = append(s.beforeLock[:i], s.beforeLock[i+1:]...)
				return
			}
		}
	}
}

// idleLock locks the vault after a stretch without keyboard or mouse activity.
type idleLock struct {
	clock Clock
	limit time.Duration
	last  time.Time
	stop  func()
	// focused and fingerprint notice typing into an entry, which Fyne delivers to
	// the entry alone: the idle check compares them each second.
	focused     fyne.Focusable
	fingerprint entryFingerprint
}

type entryFingerprint struct {
	text     string
	row, col int
}

func (s *Shell) startIdleLock() {
	s.stopIdleLock()
	il := &idleLock{clock: s.clock, limit: s.prefs().autoLock(), last: s.clock.Now()}
	il.stop = s.clock.Every(time.Second, func() {
		il.noticeTyping(s.win.Canvas().Focused())
		if s.clock.Now().Sub(il.last) >= il.limit {
			s.Lock()
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

// touch records user activity: it postpones the idle lock.
func (s *Shell) touch() {
	if s.idle != nil {
		s.idle.last = s.clock.Now()
	}
}

// noticeTyping counts a change of focus, or of the focused entry's text or cursor,
// as activity.
func (il *idleLock) noticeTyping(f fyne.Focusable) {
	var fp entryFingerprint
	if e, ok := f.(*widget.Entry); ok {
		fp = entryFingerprint{e.Text, e.CursorRow, e.CursorColumn}
	}
	if f != il.focused || fp != il.fingerprint {
		il.focused, il.fingerprint = f, fp
		il.last = il.clock.Now()
	}
}

// activitySensor wraps the window content and reports mouse movement anywhere over
// it. Fyne hands pointer events to the topmost interested widget only, so a
// wrapper cannot see them all through Hoverable alone (a button under the pointer
// takes them); but the desktop driver asks every Cursorable under the pointer for
// its cursor on each move, and that reaches the wrapper too. Keys typed with
// nothing focused reach the canvas handlers set in Start; typing into an entry is
// noticed by the idle check.
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

// clipboardGuard remembers text the app put on the clipboard, so it can clear the
// clipboard later without wiping something the user copied elsewhere since.
type clipboardGuard struct {
	shell *Shell
	held  string
	stop  func()
}

// copyToClipboard puts text on the clipboard and clears it after 30 seconds, or
// at lock, if it still holds that text.
func (s *Shell) copyToClipboard(text string) {
	g := s.clip
	if g.stop != nil {
		g.stop()
	}
	s.app.Clipboard().SetContent(text)
	g.held = text
	g.stop = s.clock.After(clipboardClearAfter, g.clearIfOurs)
}

// CopyToClipboard is copyToClipboard for the case screens (note text, numbers).
func (s *Shell) CopyToClipboard(text string) { s.copyToClipboard(text) }

func (g *clipboardGuard) clearIfOurs() {
	if g.stop != nil {
		g.stop()
		g.stop = nil
	}
	if g.held == "" {
		return
	}
	cb := g.shell.app.Clipboard()
	if cb.Content() == g.held {
		cb.SetContent("")
	}
	g.held = ""
}
