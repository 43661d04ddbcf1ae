package ui

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

func TestCreateVaultThroughOnboarding(t *testing.T) {
	h := newHarness(t).start()
	h.sees("Create your vault")
	if h.win.Title() != "Casenotes" {
		t.Errorf("title %q", h.win.Title())
	}
	es := h.entries()
	if len(es) != 4 {
		t.Fatalf("onboarding has %d entries, want name, agency, passphrase, repeat", len(es))
	}
	name, agency, pass, repeat := es[0], es[1], es[2], es[3]
	typeInto(name, "Dana Alvarez")
	typeInto(agency, "Example County Sheriff's Office")
	for _, o := range h.objects() {
		if sel, ok := o.(*widget.Select); ok {
			sel.SetSelected("Detective / investigator")
		}
	}

	// A short passphrase is refused, and the screen says why.
	typeInto(pass, "short")
	typeInto(repeat, "short")
	if got := h.meterWord(); got != "Weak" {
		t.Errorf("strength meter says %q for a short passphrase", got)
	}
	test.Tap(h.button("Create vault"))
	h.sees("A passphrase needs at least 12 characters.")
	if h.vaults.Exists(h.dir) {
		t.Fatal("a vault was created with a refused passphrase")
	}

	// Two different passphrases are refused.
	typeInto(pass, goodPassphrase)
	typeInto(repeat, otherPassphrase)
	test.Tap(h.button("Create vault"))
	h.sees("The two passphrases are different.")

	typeInto(repeat, goodPassphrase)
	test.Tap(h.button("Create vault"))
	h.sees("Your recovery key")

	// The key is shown once, in lines of four groups.
	var lines []string
	for _, o := range h.objects() {
		if rt, ok := o.(*widget.RichText); ok {
			for _, seg := range rt.Segments {
				if ts, ok := seg.(*widget.TextSegment); ok && ts.Style.TextStyle.Monospace {
					lines = append(lines, ts.Text)
				}
			}
		}
	}
	group := `[0-9A-Z]{5}`
	line := regexp.MustCompile(`^` + group + `(-` + group + `){3}$`)
	if len(lines) != 4 || !line.MatchString(lines[0]) || !regexp.MustCompile(`^`+group+`$`).MatchString(lines[3]) {
		t.Fatalf("recovery key lines %q", lines)
	}
	key := strings.Join(lines, "-")

	// Copy puts it on the clipboard, which is cleared 30 s later.
	test.Tap(h.button("Copy"))
	clip := h.shell.app.Clipboard()
	if clip.Content() != key {
		t.Fatalf("clipboard holds %q", clip.Content())
	}
	h.clock.Advance(31 * time.Second)
	if clip.Content() != "" {
		t.Fatal("clipboard still holds the recovery key after 30 s")
	}

	// Continue waits for the confirmation.
	cont := h.button("Continue")
	if !cont.Disabled() {
		t.Fatal("Continue is enabled before the user says the key is stored")
	}
	for _, o := range h.objects() {
		if c, ok := o.(*widget.Check); ok {
			test.Tap(c)
		}
	}
	if cont.Disabled() {
		t.Fatal("Continue stays disabled after the confirmation")
	}
	test.Tap(cont)
	h.onMainView()
	h.sees(noCasesYet)

	p, err := h.shell.records.Profile()
	if err != nil || p.DisplayName != "Dana Alvarez" || p.Role != app.RoleDetective || p.Agency != "Example County Sheriff's Office" {
		t.Fatalf("profile %+v, %v", p, err)
	}

	// The key shown is the vault's recovery key.
	h.shell.Lock()
	if err := h.vaults.ResetPassphrase(h.dir, key, []byte(otherPassphrase)); err != nil {
		t.Fatalf("the recovery key shown does not open the vault: %v", err)
	}
}

func TestWrongPassphraseShowsMessage(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.onUnlockScreen()

	h.unlockWith("not the passphrase")
	msg := h.label("does not open this vault")
	if msg == nil {
		t.Fatalf("no wrong-passphrase message; labels %q", h.labels())
	}
	if msg.Importance != widget.DangerImportance {
		t.Error("the message is not in the error colour")
	}
	if msg.Text != app.Sentence(app.ErrWrongPassphrase) {
		t.Errorf("message %q", msg.Text)
	}
	if h.shell.session != nil {
		t.Fatal("unlocked with a wrong passphrase")
	}

	h.unlockWith(goodPassphrase)
	h.onMainView()
	h.sees("Dana Alvarez")
}

func TestFiveWrongPassphrasesStartCountdown(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	for range app.LockoutFailures {
		h.unlockWith("not the passphrase")
	}
	h.sees("Too many attempts. Try again in 15:00, or use the recovery key.")
	if !h.button("Unlock").Disabled() {
		t.Fatal("Unlock stays enabled during the lockout")
	}

	h.clock.Advance(time.Second)
	h.sees("Try again in 14:59,")
	h.clock.Advance(2*time.Minute + 27*time.Second)
	h.sees("Try again in 12:32,")

	// The countdown survives a restart of the app.
	h2 := newHarness(t)
	h2.dir, h2.shell.dir = h.dir, h.dir
	h2.clock.now = h.clock.now
	h2.start()
	h2.sees("Try again in 12:32,")

	h.clock.Advance(12*time.Minute + 32*time.Second)
	h.doesNotSee("Too many attempts")
	if h.button("Unlock").Disabled() {
		t.Fatal("Unlock stays disabled after the lockout")
	}
	h.unlockWith(goodPassphrase)
	h.onMainView()
}

func TestRecoveryKeySetsNewPassphrase(t *testing.T) {
	h := newHarness(t)
	key := h.withVault()
	h.start()
	test.Tap(h.button("Use recovery key"))
	h.sees("Type the recovery key")
	es := h.entries()
	if len(es) != 3 {
		t.Fatalf("recovery screen has %d entries, want key, passphrase, repeat", len(es))
	}
	keyEntry, pass, repeat := es[0], es[1], es[2]

	// A mistyped group is named.
	groups := strings.Split(key, "-")
	typo := []byte(groups[4])
	typo[0] = map[bool]byte{true: 'A', false: 'B'}[typo[0] != 'A']
	groups[4] = string(typo)
	typeInto(keyEntry, strings.ToLower(strings.Join(groups, " ")))
	typeInto(pass, otherPassphrase)
	typeInto(repeat, otherPassphrase)
	test.Tap(h.button("Set passphrase and unlock"))
	h.sees("Group 5 of 13 has a typing mistake.")

	typeInto(keyEntry, strings.ToLower(strings.ReplaceAll(key, "-", " ")))
	test.Tap(h.button("Set passphrase and unlock"))
	h.onMainView()

	h.shell.Lock()
	if _, err := h.vaults.Unlock(h.dir, []byte(goodPassphrase)); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatalf("old passphrase: %v, want ErrWrongPassphrase", err)
	}
	h.unlockWith(otherPassphrase)
	h.onMainView()
}

func TestVaultInUseIsOneSentence(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	other, err := h.vaults.Unlock(h.dir, []byte(goodPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Lock()
	h.start()
	h.unlockWith(goodPassphrase)
	h.sees("This vault is already open in another Casenotes window. Close that window first.")
}

func TestCtrlLLocksAtOnce(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	sess := h.shell.session

	// The lock shortcut is on the main menu too, which Fyne checks before a
	// focused entry: Ctrl+L works while typing.
	var lockItem *fyne.MenuItem
	for _, m := range h.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == lockShortcut.ShortcutName() {
				lockItem = it
			}
		}
	}
	if lockItem == nil {
		t.Fatal("no menu item carries Ctrl+L")
	}

	// A draft is saved by a before-lock hook: it runs with the content already
	// hidden and the store still open.
	var sawUnlockScreen, storeOpen bool
	h.shell.OnBeforeLock(func() {
		sawUnlockScreen = h.label("Enter your passphrase") != nil
		_, err := sess.Records("")
		storeOpen = err == nil
	})
	h.shell.copyToClipboard("2026-TF-0412")

	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(lockShortcut)

	h.onUnlockScreen()
	if !sawUnlockScreen || !storeOpen {
		t.Errorf("before-lock hook: unlock screen shown %v, store open %v; want both", sawUnlockScreen, storeOpen)
	}
	if _, err := sess.Records(""); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("Records after lock: %v, want ErrLocked", err)
	}
	if h.win.MainMenu() != nil {
		t.Error("the main menu stays while locked")
	}
	if got := h.shell.app.Clipboard().Content(); got != "" {
		t.Errorf("clipboard still holds %q after lock", got)
	}

	// Unlocking returns to the same place.
	h.unlockWith(goodPassphrase)
	test.Tap(h.button("Settings"))
	lockItem = nil
	for _, m := range h.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == "Lock" {
				lockItem = it
			}
		}
	}
	lockItem.Action()
	h.onUnlockScreen()
	h.unlockWith(goodPassphrase)
	h.sees("Protection")
}

func TestLockLeavesOtherClipboardTextAlone(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.shell.copyToClipboard("2026-TF-0412")
	h.shell.app.Clipboard().SetContent("copied from another program")
	test.Tap(h.button("Lock"))
	if got := h.shell.app.Clipboard().Content(); got != "copied from another program" {
		t.Fatalf("clipboard %q", got)
	}
}

func TestIdleLockFiresAfterTheLimit(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	sess := h.shell.session

	h.clock.Advance(9*time.Minute + 58*time.Second)
	h.onMainView()

	// Moving the mouse counts as activity.
	test.MoveMouse(h.win.Canvas(), fyne.NewPos(600, 400))
	h.clock.Advance(9 * time.Minute)
	h.onMainView()

	// So does typing into an entry (noticed by the idle check each second).
	test.MoveMouse(h.win.Canvas(), fyne.NewPos(600, 410))
	test.Tap(h.button("Settings"))
	name := h.entries()[0]
	h.win.Canvas().Focus(name)
	h.clock.Advance(9 * time.Minute)
	test.Type(name, " Kim")
	h.clock.Advance(9 * time.Minute)
	h.onMainView()

	h.clock.Advance(70 * time.Second)
	h.onUnlockScreen()
	if _, err := sess.Records(""); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("Records after idle lock: %v, want ErrLocked", err)
	}
}

func TestAutoLockSetting(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	test.Tap(h.button("Settings"))
	h.sees("10 minutes")
	for _, o := range h.objects() {
		if sl, ok := o.(*widget.Slider); ok {
			sl.SetValue(1)
		}
	}
	h.sees("1 minute")
	if got := h.shell.prefs().autoLock(); got != time.Minute {
		t.Fatalf("auto-lock preference %v", got)
	}
	h.clock.Advance(61 * time.Second)
	h.onUnlockScreen()
}

func TestPreferencesHoldNoSecrets(t *testing.T) {
	h := newHarness(t)
	h.win = test.NewWindow(nil) // closed by the shell, not by the test
	h.shell.win = h.win
	h.start()
	h.shell.prefs().setAutoLock(99)
	if got := h.shell.prefs().autoLock(); got != maxAutoLock*time.Minute {
		t.Errorf("auto-lock of 99 minutes read back as %v, want the 30-minute cap", got)
	}
	h.shell.prefs().setAutoLock(0)
	if got := h.shell.prefs().autoLock(); got != minAutoLock*time.Minute {
		t.Errorf("auto-lock of 0 read back as %v", got)
	}
	h.shell.close()
	if size, ok := h.shell.prefs().windowSize(); !ok || size.Width < 400 {
		t.Errorf("window size not remembered: %v %v", size, ok)
	}
}
