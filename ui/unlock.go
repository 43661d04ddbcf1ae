package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// unlockScreen asks for the passphrase. After five wrong ones it counts down the
// lockout, second by second, and points to the recovery key, which still works.
type unlockScreen struct {
	s *Shell

	pass    *textEntry
	unlock  *actionButton
	message *widget.Label
	busy    *busyRow // the field and the button are enabled by setBusy: a lockout keeps them off

	lockedUntil time.Time
	stopTick    func()
	working     bool
}

func (s *Shell) showUnlock() {
	u := &unlockScreen{s: s}
	s.setScreen(u.build(), u.stopCountdown)
	if until, ok := s.vaults.Lockout(s.dir); ok {
		u.startCountdown(until)
	}
	s.win.Canvas().Focus(u.pass)
}

func (u *unlockScreen) build() fyne.CanvasObject {
	u.pass = newPassphraseEntry("Passphrase")
	u.pass.OnSubmitted = func(string) { u.submit() }
	u.unlock = newActionButton("Unlock", nil, u.submit)
	u.unlock.Importance = widget.HighImportance
	u.message = errorLabel()
	u.busy = newBusyRow()
	recoverBtn := newActionButton("Use recovery key", nil, func() { u.s.showRecovery() })
	recoverBtn.Importance = widget.LowImportance

	return centredPanelAt(24*theme.Padding(), 420, container.NewVBox(
		u.s.brand(),
		gap(),
		heading("Unlock"),
		paragraph("Enter your passphrase to open the vault."),
		u.pass,
		u.message,
		u.busy.row(u.unlock),
		gap(),
		widget.NewSeparator(),
		container.NewHBox(quietLine("Forgot the passphrase?"), recoverBtn),
	))
}

func (u *unlockScreen) submit() {
	if u.working || !u.lockedUntil.IsZero() || u.pass.Text == "" {
		return
	}
	u.setBusy(true)
	pass := []byte(u.pass.Text)
	u.pass.SetText("") // the field holds no copy while the key is derived, or after
	var sess *app.Session
	var err error
	// After the last lock's close: until Badger has closed, the vault's directory
	// is locked and opening it fails as "in use".
	u.s.afterClose(func() {
		sess, err = u.s.vaults.Unlock(u.s.dir, pass)
		clear(pass)
	}, func() {
		u.setBusy(false)
		var lo *app.LockoutError
		switch {
		case err == nil:
			u.pass.SetText("")
			u.s.unlocked(sess)
		case errors.As(err, &lo) && !lo.Unreadable:
			u.pass.SetText("")
			u.startCountdown(lo.Until)
		default:
			u.pass.SetText("")
			say(u.message, app.Sentence(err))
			u.s.win.Canvas().Focus(u.pass)
		}
	})
}

func (u *unlockScreen) setBusy(busy bool) {
	u.working = busy
	if busy {
		u.pass.Disable()
		u.unlock.Disable()
		say(u.message, "")
		u.busy.start("Unlocking…")
		u.s.migrationLine = u.busy.say
		return
	}
	u.s.migrationLine = nil
	u.busy.stop()
	if u.lockedUntil.IsZero() {
		u.pass.Enable()
		u.unlock.Enable()
	}
}

// startCountdown refuses passphrases until the lockout ends, saying how long is
// left each second.
func (u *unlockScreen) startCountdown(until time.Time) {
	u.stopCountdown()
	u.lockedUntil = until
	u.pass.Disable()
	u.unlock.Disable()
	u.tick()
	if !u.lockedUntil.IsZero() {
		u.stopTick = u.s.clock.Every(time.Second, u.tick)
	}
}

func (u *unlockScreen) tick() {
	left := u.lockedUntil.Sub(u.s.clock.Now())
	if left <= 0 {
		u.stopCountdown()
		u.lockedUntil = time.Time{}
		say(u.message, "")
		if !u.working {
			u.pass.Enable()
			u.unlock.Enable()
			u.s.win.Canvas().Focus(u.pass)
		}
		return
	}
	say(u.message, fmt.Sprintf("Too many attempts. Try again in %s, or use the recovery key.", clockDuration(left)))
}

func (u *unlockScreen) stopCountdown() {
	if u.stopTick != nil {
		u.stopTick()
		u.stopTick = nil
	}
}

// clockDuration writes a duration as m:ss, rounded up to the second, as a
// countdown reads.
func clockDuration(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}
