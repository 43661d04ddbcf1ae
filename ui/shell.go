// Package ui is the Casenotes desktop app: Fyne screens and widgets over app/.
// It reaches data only through app's services, never the store or the crypto.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/search"
	"casenotes/ui/format"
)

// windowTitle is the only title the window ever has: a title bar is visible in task
// switchers and screen shares, so it never names a case or a victim.
const windowTitle = "Casenotes"

// Shell owns the window content and switches between the create-vault screen (no
// vault yet), the unlock screen and the main view (unlocked). It also owns what
// protects an unlocked vault: locking, the idle timer and the clipboard.
type Shell struct {
	app    fyne.App
	win    fyne.Window
	vaults *app.Vaults
	dir    string

	// clock drives the idle lock, the lockout countdown and clipboard clearing.
	clock Clock
	// background runs slow work (the passphrase KDF) off the UI goroutine; tests
	// run it inline.
	background func(func())
	// offUI, when set (by tests), wraps the work part of every background run.
	// Fyne's test driver runs fyne.Do on the calling goroutine, so a test cannot
	// tell a UI callback by its goroutine: this marks what runs as background
	// work, and a test store fails a call made outside it (ui/offui_test.go).
	offUI func(work func())
	// post hands a background run's result to the UI goroutine: fyne.Do, unless
	// the stall benchmark runs its own UI loop (ui/stall_bench_test.go).
	post func(func())
	// baseTheme is the theme the app started with; Settings adjusts it.
	baseTheme fyne.Theme

	leave []func() // stops the current screen's timers when it goes away

	session *app.Session // the unlocked vault, nil while locked
	pending *app.Session // a new vault whose recovery key is on screen
	records *app.Records
	// profile is who is working: the author of notes. newProfile is the one typed
	// at onboarding, saved once the new vault is open.
	profile    app.Profile
	newProfile *app.Profile
	main       *mainView
	section    string // the main view's section, kept across a lock
	// lastCase and lastTab are the case workspace last open, and its tab: unlocking
	// (or coming back to Cases) returns to them.
	lastCase app.ID
	lastTab  string

	// search is the vault's search index (search.go), built after unlock.
	search *search.Index
	// foreground is held while a screen is read and drawn (readOff): the search
	// index build gives way to it, so the screen gets the cores (issue 12).
	foreground *search.Foreground

	// closing is closed once the last work given to afterClose has finished: a
	// locked session's close (which runs in the background), an unlock, a restore's
	// swap. Whatever opens or moves the vault waits for it first (lock.go).
	closing chan struct{}

	beforeLock []*func()
	idle       *idleLock
	clip       *clipboardGuard

	// migrationLine, set by the screen that is unlocking, shows how far an update
	// of the vault's format has got (ShowMigration).
	migrationLine func(string)
}

// NewShell prepares the desktop app for the vault in dir.
func NewShell(a fyne.App, w fyne.Window, vaults *app.Vaults, dir string) *Shell {
	s := &Shell{
		app:        a,
		win:        w,
		vaults:     vaults,
		dir:        dir,
		clock:      systemClock{},
		background: func(f func()) { go f() },
		post:       fyne.Do,
		baseTheme:  a.Settings().Theme(),
		section:    sectionDashboard,
		foreground: search.NewForeground(),
	}
	s.clip = &clipboardGuard{shell: s}
	return s
}

// ShowMigration tells the screen that is unlocking how far an update of the
// vault to this version's format has got: a vault with a long audit trail or many
// cases takes seconds to a minute at its first unlock, and the line shows it is
// moving. It is the vaults' Migrating hook (main.go sets it) and runs on the
// unlocking goroutine; the line changes on the UI goroutine.
func (s *Shell) ShowMigration(name string, batches int) {
	s.post(func() {
		if s.migrationLine != nil {
			s.migrationLine(format.MigrationPart(name, batches))
		}
	})
}

// Start shows the first screen: create a vault if there is none, else unlock it.
func (s *Shell) Start() {
	s.forgetFileDialogFolder()
	s.win.SetTitle(windowTitle)
	if size, ok := s.prefs().windowSize(); ok {
		s.win.Resize(size)
	} else {
		s.win.Resize(defaultWindowSize)
	}
	s.applyTheme()
	s.win.SetCloseIntercept(s.close)
	c := s.win.Canvas()
	c.AddShortcut(lockShortcut, func(fyne.Shortcut) { s.Lock() })
	// Keys typed with nothing focused, shortcuts included (the key goes down before
	// the shortcut runs); a focused field of the app's reports its own (idle.go).
	c.SetOnTypedKey(func(*fyne.KeyEvent) { s.touch() })
	c.SetOnTypedRune(func(rune) { s.touch() })
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { s.touch() })
	}
	activityListeners[c] = s.touch
	if s.vaults.Exists(s.dir) {
		s.showUnlock()
	} else {
		s.showOnboarding()
	}
}

// prefs are the window's non-secret preferences.
func (s *Shell) prefs() prefs { return prefs{s.app.Preferences()} }

// setScreen replaces the whole window content. Timers of the screen that goes away
// stop first; leave holds the new screen's.
func (s *Shell) setScreen(content fyne.CanvasObject, leave ...func()) {
	for _, f := range s.leave {
		f()
	}
	s.leave = leave
	c := s.win.Canvas()
	for o := c.Overlays().Top(); o != nil; o = c.Overlays().Top() {
		c.Overlays().Remove(o) // dialogs and pop-ups may show case content
	}
	s.win.SetContent(newActivitySensor(content, s.touch))
}

// runInBackground runs work off the UI goroutine and then done on it.
func (s *Shell) runInBackground(work func(), done func()) {
	s.background(func() {
		if s.offUI != nil {
			s.offUI(work)
		} else {
			work()
		}
		s.post(done)
	})
}

// unlocked is called with a fresh session from onboarding, unlock or recovery. The
// profile is read (or the one typed at onboarding saved) off the UI goroutine
// behind a quiet placeholder; the main view follows.
func (s *Shell) unlocked(sess *app.Session) {
	// No fixed user: the records service takes the author from the saved profile.
	records, err := sess.Records("")
	if err != nil {
		s.showUnlock()
		return
	}
	s.session = sess
	s.records = records
	s.records.Now = s.clock.Now // one clock for the screens and the records they write
	s.profile = app.Profile{}
	s.setScreen(centredPanelAt(24*theme.Padding(), 420, container.NewVBox(s.brand(), gap(), loading())))
	newProfile := s.newProfile
	readOff(s, nil, func(r *app.Records) (app.Profile, error) {
		if newProfile != nil {
			return r.SaveProfile(*newProfile)
		}
		return r.Profile()
	}, func(p app.Profile, err error) {
		if err == nil {
			s.profile = p
			if newProfile != nil {
				s.newProfile = nil
			}
		}
		if s.profile.DisplayName == "" {
			s.section = sectionSettings // notes need an author: ask for the name first
		}
		s.startIdleLock()
		s.startSearch()
		s.win.SetMainMenu(s.touchingMenu(s.mainMenu()))
		s.showMain()
	})
}

// close runs when the user closes the window: remember its size, lock, quit. The
// window hides at once; it closes, which quits the app, only once the session's
// close has finished, so the process never exits with the store open.
func (s *Shell) close() {
	s.prefs().setWindowSize(s.win.Canvas().Size())
	s.win.Hide()
	s.closeWhenLocked()
}

// closeWhenLocked locks and closes the window once the lock's close is done. An
// unlock that was under way when the window was closed finishes first (afterClose
// keeps the order): its session is locked in turn.
func (s *Shell) closeWhenLocked() {
	s.Lock()
	s.afterClose(func() {}, func() {
		if s.session != nil || s.pending != nil {
			s.closeWhenLocked()
			return
		}
		s.win.Close()
	})
}

// errorLabel is a one-sentence message in the theme's error colour, hidden while
// empty.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// say shows a sentence in a message label, or hides the label for "".
func say(l *widget.Label, sentence string) {
	l.SetText(sentence)
	if sentence == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// defaultWindowSize is the window before the user chooses a size (then the size
// at closing is kept in the preferences): room for the sidebar, the case list and
// a case with a note open side by side, and within a 1280x800 laptop screen once
// the title bar and a panel are counted. Every screen fits in it without growing
// it (TestEveryScreenFitsWithoutGrowingTheWindow).
var defaultWindowSize = fyne.NewSize(1240, 740)

// lockShortcut is Ctrl+L (Cmd+L on macOS).
var lockShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
