package ui

import (
	"casenotes/app"
	"time"
)

// Lock hides every case at once and closes the vault: the unlock screen replaces
// the whole window content (and any dialog) before anything else; then the
// before-lock hooks run (drafts are saved while the store is still open), the
// clipboard is cleared if it still holds text the app put there, and the session
// closes and zeroes its keys in the background. Locking a locked vault does
// nothing.
func (s *Shell) Lock() { s.lockAs(false) }

// lockAs locks, saying in the audit trail whether the idle timer did it.
func (s *Shell) lockAs(idle bool) {
	sess := s.session
	if sess == nil {
		if pending := s.pending; pending != nil { // the window closes while the recovery key is shown
			s.pending = nil
			s.afterClose(func() { _ = pending.Lock() }, func() {})
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
	s.clip.clearIfOurs()
	s.forgetFileDialogFolder()
	// The session's close writes the lock to the audit trail, a signed checkpoint
	// and the header's anchor, and Badger flushes and syncs as it closes: 0.6-2.2 s
	// at 10,000 cases on a busy machine, which on the UI goroutine froze the window
	// just shown (docs/PERFORMANCE.md). It runs in the background; unlocking, a
	// restore's swap and quitting wait for it (afterClose).
	s.afterClose(func() {
		if idle {
			_ = sess.LockIdle()
		} else {
			_ = sess.Lock()
		}
	}, func() {
		// The screens have let go of the cases and the session has released its
		// keys: collect and overwrite what they held, now and again once Fyne's
		// caches of rendered text have expired. (The session's own release ran as
		// its close ended, while the session and the store it closed were still
		// reachable from that frame; this one runs once they are not.) The UI
		// goroutine's own stack is scrubbed here; collecting and overwriting the
		// heap runs in the background (on the UI goroutine it kept the unlock
		// screen from answering for 190-730 ms after locking a 10,000-case vault).
		// It is given to afterClose, so an unlock typed at once waits for it
		// instead of running beside it (its stops of the world held the UI
		// goroutine for 59 ms beside the store's open at 50,000 cases). It starts
		// here, once this chain has ended: the UI tests run background work inline,
		// and from inside the chain it would wait for its own end (and the memory
		// test scans after it).
		app.ScrubStack()
		s.afterClose(app.ReleaseMemory, func() {})
	})
	s.clock.After(fyneCacheExpiry, func() {
		if s.session == nil {
			app.ScrubStack()
			s.background(app.ReleaseMemory)
		}
	})
}

// afterClose runs work off the UI goroutine once every earlier session's close
// (and earlier work given to afterClose) has finished, then done on the UI
// goroutine. Whatever opens or moves the vault (unlock, the recovery key, a
// restore's swap) is given to afterClose too, so it waits: Badger holds the
// directory's lock until its close returns, and the header's anchor is written
// after it. The wait ends on the UI goroutine, so the results of work given to
// afterClose are shown in the order it was given.
func (s *Shell) afterClose(work, done func()) {
	prev, next := s.closing, make(chan struct{})
	s.closing = next
	s.runInBackground(func() {
		if prev != nil {
			<-prev
		}
		work()
	}, func() {
		// Closed before done runs: done may start more work that waits for it.
		close(next)
		done()
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
