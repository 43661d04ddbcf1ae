package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// Settings: the vault's keys. The quick passphrase change (settings.go) rewraps
// the vault key; "Change every key" and "New recovery key" are rekeys
// (sess.Rekey): every record sealed again under new keys, so what the old
// passphrase or recovery key could open is not the current vault any more.

// The one-sentence explanations, shown in Settings and in each dialog.
const (
	quickChangeExplained = "A quick change: only the passphrase that unlocks the vault key changes, so an old copy of the " +
		"vault still opens with the old passphrase."
	rekeyExplained = "Unlike the quick passphrase change, this seals every record again under new keys, so the old " +
		"passphrase, the old recovery key and old copies of the vault open nothing current; it then shows a new recovery key once."
	newRecoveryExplained = "The old recovery key will open nothing current: every key of the vault changes, your " +
		"passphrase stays, and the new recovery key is shown once."
)

// settingsHint is a quiet explanation under a settings field, at the body size
// (it is read, not glanced at) and wrapping.
func settingsHint(text string) fyne.CanvasObject {
	return quiet(text)
}

// keyRows follow the Passphrase row of the settings grid.
func (v *settingsView) keyRows() []fyne.CanvasObject {
	every := newActionButton("Change every key…", nil, func() { v.rekey(false) })
	recovery := newActionButton("New recovery key…", nil, func() { v.rekey(true) })
	return []fyne.CanvasObject{
		layout.NewSpacer(), settingsHint(quickChangeExplained),
		fieldLabel("Every key"), container.NewHBox(every),
		layout.NewSpacer(), settingsHint("Use this if the passphrase or the recovery key may be known to someone. " + rekeyExplained),
		fieldLabel("Recovery key"), container.NewHBox(recovery),
		layout.NewSpacer(), settingsHint("Use this if the recovery key may be lost or seen. " + newRecoveryExplained),
	}
}

// rekey asks for the current passphrase (and a new one, unless only the recovery
// key is replaced), changes every key with progress, shows the new recovery key
// once and leaves the vault locked: it opens with the new passphrase.
func (v *settingsView) rekey(keepPassphrase bool) {
	title, confirm, explain := "Change every key", "Change every key", rekeyExplained
	if keepPassphrase {
		title, confirm, explain = "New recovery key", "Make a new recovery key", newRecoveryExplained
	}
	current := newDialogPassphraseEntry()
	next := newDialogPassphraseEntry()
	repeat := newDialogPassphraseEntry()
	meter := newStrengthMeter()
	next.OnChanged = func(p string) { meter.update(p) }
	form := widget.NewForm(widget.NewFormItem("Current passphrase", current))
	if !keepPassphrase {
		form.Append("New passphrase", next)
		form.Append("", meter.object())
		form.Append("Repeat it", repeat)
	}
	warn := quiet("It can take a few minutes on a large vault; keep the computer on. The vault locks when it is done.")
	var box *formBox
	checking := false
	box = v.s.formDialog(title, confirm, 540, container.NewVBox(paragraph(explain), form, warn), func() string {
		if checking {
			return stayOpen
		}
		if current.Text == "" {
			return "Enter your current passphrase."
		}
		newPass := current.Text
		if !keepPassphrase {
			if p, _ := newPassphraseProblem(next.Text, repeat.Text); p != "" {
				return p
			}
			newPass = next.Text
		}
		sess := v.s.session
		if sess == nil {
			return app.Sentence(app.ErrLocked)
		}
		// The current passphrase is checked first (off the UI goroutine: it is a
		// key derivation), with the dialog open: a typing mistake must not become
		// the passphrase when only the recovery key is replaced.
		checking = true
		say(box.msg, "")
		old, chosen := []byte(current.Text), []byte(newPass)
		var err error
		v.s.runInBackground(func() {
			err = sess.VerifyPassphrase(old)
			clear(old)
		}, func() {
			checking = false
			if err != nil {
				clear(chosen)
				say(box.msg, app.Sentence(err))
				return
			}
			box.dialog.Hide()
			v.runRekey(sess, chosen, keepPassphrase)
		})
		return stayOpen
	})
	box.fix.check = func() string {
		if current.Text == "" {
			return "Enter your current passphrase."
		}
		if !keepPassphrase {
			p, _ := newPassphraseProblem(next.Text, repeat.Text)
			return p
		}
		return ""
	}
	v.s.win.Canvas().Focus(current)
}

// runRekey changes every key with progress. The idle lock is stopped while it runs
// (a lock part way would close the window on the new recovery key); whatever
// happens, the vault is locked at the end.
func (v *settingsView) runRekey(sess *app.Session, newPass []byte, keepPassphrase bool) {
	s := v.s
	s.stopIdleLock()
	vault := sess.VaultID()
	var key string
	s.runBusy("Changing every key", "Sealing every record again under new keys…", func(report func(int)) error {
		rk, err := sess.Rekey(newPass, report)
		clear(newPass)
		if err == nil {
			key = rk.String()
		}
		return err
	}, func(err error) {
		s.Lock() // the session is closed already; this shows the unlock screen and clears what the window held
		if err != nil {
			dialog.ShowInformation("Keys not changed",
				"The keys could not all be changed: "+app.Sentence(err)+" Unlock with your current passphrase and try again; "+
					"the change resumes where it stopped.", s.win)
			return
		}
		lead := "Every key of the vault was changed: the old recovery key, the old passphrase and old copies of the vault " +
			"open nothing current."
		if keepPassphrase {
			lead = "Every key of the vault was changed and this is its new recovery key: the old one opens nothing current. " +
				"Your passphrase is the same."
		}
		s.showRecoveryKeyThen(key, vault, lead, func() {
			s.showUnlock()
			what := "Unlock with your new passphrase."
			if keepPassphrase {
				what = "Unlock with your passphrase, as before."
			}
			dialog.ShowInformation("Keys changed", what+" Old backups still open with the old keys, but only as what they held.", s.win)
		})
	})
}
