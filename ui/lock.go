package ui

import (
	"casenotes/app"
	"time"
)

// Lock hides every case at once and closes the vault: the unlock screen replaces
// the whole window content (and any dialog) before anything else; then the
// before-lock hooks run (drafts are saved while the store is still open), the
// session closes and zeroes its keys, and the clipboard is cleared if it still
// holds text the app put there. Locking a locked vault does nothing.
func (s *Shell) Lock() { s.lockAs(false) }

// lockAs locks, saying in the audit trail whether the idle timer did it.
func (s *Shell) lockAs(idle bool) {
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
	// Nothing of the cases stays reachable: the main view's widgets held aliases,
	// titles and note text, and the lock releases the memory they took.
	s.session, s.records, s.main = nil, nil, nil
	if idle {
		_ = sess.LockIdle()
	} else {
		_ = sess.Lock()
	}
	s.clip.clearIfOurs()
	s.forgetFileDialogFolder()
	// The screens have let go of the cases: collect and overwrite what they held,
	// now and again once Fyne's caches of rendered text have expired. The UI
	// goroutine's own stack is scrubbed here; collecting and overwriting the heap
	// runs in the background (on the UI goroutine it kept the unlock screen from
	// answering for 190-730 ms after locking a 10,000-case vault). Tests run
	// background work inline, so the memory test scans after it.
	app.ScrubStack()
	s.background(app.ReleaseMemory)
	s.clock.After(fyneCacheExpiry, func() {
		if s.session == nil {
			app.ScrubStack()
			s.background(app.ReleaseMemory)
		}
	})
}

// fyneCacheExpiry is how long Fyne keeps rendered text and renderers it no longer
// shows (its cache's one minute, and a margin).
const fyneCacheExpiry = 70 * time.Second

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
