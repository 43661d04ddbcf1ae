package ui

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
	"casenotes/storage"
)

// looseBackground runs the shell's background work as the app does, on goroutines
// of its own, and hands what that work posts to the test's goroutine (a test's UI
// goroutine), which runs it in drain. While held, work given to it waits until
// release: a test can then act while a lock's close has not finished.
type looseBackground struct {
	mu    sync.Mutex
	hold  bool
	held  []func()
	left  atomic.Int32 // work given and not yet finished, held or not
	posts chan func()
}

// loosenBackground makes the shell's background work run on goroutines, held
// until release; the harness's cleanup lock runs inline again.
func (h *harness) loosenBackground() *looseBackground {
	b := &looseBackground{hold: true, posts: make(chan func(), 1024)}
	h.shell.background = b.run
	h.shell.post = func(f func()) { b.posts <- f }
	return b
}

func (b *looseBackground) run(f func()) {
	b.left.Add(1)
	work := func() {
		defer b.left.Add(-1)
		f()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.hold {
		b.held = append(b.held, work)
		return
	}
	go work()
}

// release stops holding and starts the held work, the newest first, a moment
// apart: work that should wait for older work (an unlock for the lock's close) is
// then well under way before what it waits for starts, so a missing wait shows.
func (b *looseBackground) release() {
	b.mu.Lock()
	held := b.held
	b.held, b.hold = nil, false
	b.mu.Unlock()
	for i := len(held) - 1; i >= 0; i-- {
		go held[i]()
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// holdNext holds the work given from now on, until the next release.
func (b *looseBackground) holdNext() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hold = true
}

// drain runs what the background work posts, on the test's goroutine, until cond
// holds; it fails the test if that takes over a minute.
func (b *looseBackground) drain(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(time.Minute)
	// Some work posts nothing (the memory release): cond is checked again
	// every few milliseconds too.
	recheck := time.NewTicker(5 * time.Millisecond)
	defer recheck.Stop()
	for !cond() {
		select {
		case f := <-b.posts:
			f()
		case <-recheck.C:
		case <-deadline:
			b.mu.Lock()
			held := len(b.held)
			b.mu.Unlock()
			t.Fatalf("%s did not happen within a minute (%d runs not finished, %d of them held)", what, b.left.Load(), held)
		}
	}
}

// inline makes background work run inline again, once all of it has finished
// and what it posted has run, for the rest of the test and its cleanup.
func (b *looseBackground) inline(t *testing.T, h *harness) {
	t.Helper()
	b.drain(t, "the background work to finish", func() bool { return b.left.Load() == 0 && len(b.posts) == 0 })
	h.shell.background = func(f func()) { f() }
	h.shell.post = func(f func()) { f() }
}

// vaultIdle reports whether every lock's close, unlock and swap given to
// afterClose has finished.
func vaultIdle(s *Shell) bool {
	if s.closing == nil {
		return true
	}
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// TestLockMakesNoStoreCallOnTheUIGoroutine: the lock's audit entry, checkpoint
// and store close run as background work; none of them on the UI goroutine,
// which has just shown the unlock screen.
func TestLockMakesNoStoreCallOnTheUIGoroutine(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.seedCases(3, 1)
	g := h.guardStore()
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	g.arm()
	h.shell.Lock()
	g.armed.Store(false)
	h.onUnlockScreen()
	if v := g.violations(); len(v) > 0 {
		t.Errorf("%d store calls of the lock ran on the UI goroutine:\n%s", len(v), strings.Join(v, "\n"))
	}
	if g.offCnt.Load() == 0 {
		t.Error("the guard saw no store call of the lock: it is not watching the lock's close")
	}
}

// TestUnlockRightAfterLockWaitsForTheClose: unlocking typed while the lock's close
// is still running waits for it (Badger holds the directory until it has closed)
// and opens the same cases; locking twice in a row closes once.
func TestUnlockRightAfterLockWaitsForTheClose(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.seedCases(4, 1)
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	h.sees("open cases")
	dashboard := h.labels()
	cases := caseIDs(t, h.shell.records)

	b := h.loosenBackground()
	h.shell.Lock()
	h.onUnlockScreen() // at once, with the close still to run
	h.shell.Lock()     // a second lock, before the first has closed: nothing more to close
	h.unlockWith(goodPassphrase)
	b.release()
	b.drain(t, "the unlock to finish", func() bool { return vaultIdle(h.shell) })
	if h.shell.session == nil {
		t.Fatalf("unlocking right after the lock failed; labels: %q", h.labels())
	}
	// Every read of the dashboard posts its part; it ends as it was before the lock.
	b.drain(t, "the dashboard as before the lock", func() bool { return slices.Equal(h.labels(), dashboard) })
	b.inline(t, h)
	h.onMainView()
	if got := caseIDs(t, h.shell.records); !slices.Equal(got, cases) {
		t.Errorf("cases after lock and unlock: %v, want %v", got, cases)
	}
}

// caseIDs are the IDs of every case in the vault, in the list's order.
func caseIDs(t *testing.T, r *app.Records) []app.ID {
	t.Helper()
	list, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []app.ID
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	return ids
}

// TestClosingTheWindowClosesTheStoreFirst: the window goes away (which quits the
// app) only once the store is closed: when it does, a fresh copy of the app opens
// the vault. An unlock still running when the window is closed finishes, and its
// session is closed too.
func TestClosingTheWindowClosesTheStoreFirst(t *testing.T) {
	for _, tc := range []struct {
		name        string
		closeDuring bool // the window closes while an unlock is running
	}{{"unlocked", false}, {"during an unlock", true}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.withVault()
			w := test.NewWindow(nil) // closed by the shell, not by the test's cleanup
			s := NewShell(h.shell.app, w, h.vaults, h.dir)
			s.clock = h.clock
			h.shell, h.win = s, w
			b := h.loosenBackground()
			b.release() // held from the next lock on
			h.start()
			if !tc.closeDuring {
				h.unlockWith(goodPassphrase)
				b.drain(t, "the unlock", func() bool { return s.session != nil })
			}
			b.holdNext()
			if tc.closeDuring {
				h.unlockWith(goodPassphrase)
			}

			windowClosed, reopened := false, error(nil)
			w.SetOnClosed(func() {
				windowClosed = true
				// What a fresh start of the app does: another copy opens the vault.
				fresh, err := app.NewVaults(&storage.Disk{}).Unlock(h.dir, []byte(goodPassphrase))
				if err == nil {
					err = fresh.Lock()
				}
				reopened = err
			})
			s.close()
			if windowClosed {
				t.Fatal("the window closed before the store's close had run")
			}
			b.release()
			b.drain(t, "the window to close", func() bool { return windowClosed })
			if reopened != nil {
				t.Errorf("when the window closed, the vault could not be opened again: %v", reopened)
			}
			if s.session != nil {
				t.Error("the window closed with a session open")
			}
			b.inline(t, h)
		})
	}
}

// TestRestoreSwapsOnlyOnceTheVaultIsClosed: a restore from Settings locks the
// vault and moves it aside once its close has run in the background; an unlock
// typed while both are still to run waits for them and opens the restored vault.
func TestRestoreSwapsOnlyOnceTheVaultIsClosed(t *testing.T) {
	h, _ := settingsUnlocked(t)
	backup, before, after := backupBetweenTwoCases(t, h)

	b := h.loosenBackground()
	b.release() // the restore's check runs at once; the lock's close and the swap are held
	h.shell.OnBeforeLock(func() {
		b.holdNext()
	})
	test.Tap(h.button("Restore from a backup…"))
	typeInto(&h.dialogEntries()[0].Entry, backup)
	typeInto(&h.passwordEntries()[0].Entry, goodPassphrase)
	test.Tap(h.lastButton("Restore"))
	b.drain(t, "the unlock screen", func() bool { return h.label("Enter your passphrase to open the vault.") != nil })
	h.unlockWith(goodPassphrase)
	b.release()
	b.drain(t, "the restore and the unlock", func() bool { return vaultIdle(h.shell) })
	b.inline(t, h)
	h.onMainView()
	if _, err := h.shell.records.Case(before.ID); err != nil {
		t.Errorf("the restored vault lacks the case in the backup: %v", err)
	}
	if _, err := h.shell.records.Case(after.ID); err == nil {
		t.Error("the unlock opened the vault the restore replaced")
	}
}
