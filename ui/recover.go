package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// recoveryScreen opens the vault with the recovery key and sets a new passphrase,
// for a user who forgot theirs or is locked out.
type recoveryScreen struct {
	s *Shell

	key          *textEntry
	pass, repeat *textEntry
	meter        *strengthMeter
	message      *widget.Label
	submitBtn    *actionButton
	back         *actionButton
	busy         *busyRow
	working      bool
}

func (s *Shell) showRecovery() {
	r := &recoveryScreen{s: s}
	s.setScreen(r.build())
	s.win.Canvas().Focus(r.key)
}

func (r *recoveryScreen) build() fyne.CanvasObject {
	r.key = newTextEntry("XXXXX-XXXXX-XXXXX-XXXXX …")
	r.key.MultiLine = true
	r.key.TextStyle = fyne.TextStyle{Monospace: true}
	r.key.Wrapping = fyne.TextWrapBreak
	r.key.SetMinRowsVisible(3)
	r.meter = newStrengthMeter()
	r.pass = newPassphraseEntry("")
	r.pass.OnChanged = func(p string) { r.meter.update(p) }
	r.repeat = newPassphraseEntry("")
	r.pass.OnSubmitted = func(string) { r.submit() }
	r.repeat.OnSubmitted = func(string) { r.submit() }
	r.message = errorLabel()
	r.submitBtn = newActionButton("Set passphrase and unlock", nil, r.submit)
	r.submitBtn.Importance = widget.HighImportance
	r.back = newActionButton("Back", nil, func() { r.s.showUnlock() })
	r.busy = newBusyRow(r.key, r.pass, r.repeat, r.submitBtn, r.back)

	form := widget.NewForm(
		&widget.FormItem{Text: "Recovery key", Widget: r.key,
			HintText: "Spaces, dashes and lower case are fine."},
		&widget.FormItem{Text: "New passphrase", Widget: r.pass},
		&widget.FormItem{Text: "", Widget: r.meter.object()},
		&widget.FormItem{Text: "Repeat it", Widget: r.repeat},
	)
	// The message goes as soon as what it names is fixed.
	fix := &fixWatch{msg: r.message, check: func() string { msg, _ := r.problem(); return msg }}
	watchEdits(form, fix.edited)
	return centredPanel(560, container.NewVBox(
		r.s.brand(),
		gap(),
		heading("Use the recovery key"),
		paragraph("Type the recovery key you stored when the vault was created, then choose a new passphrase. "+
			"The old passphrase stops working."),
		form,
		r.message,
		r.busy.row(r.submitBtn, r.back),
	))
}

func (r *recoveryScreen) problem() (string, fyne.Focusable) {
	if strings.TrimSpace(r.key.Text) == "" {
		return "Type the recovery key.", r.key
	}
	if msg, inRepeat := newPassphraseProblem(r.pass.Text, r.repeat.Text); msg != "" {
		if inRepeat {
			return msg, r.repeat
		}
		return msg, r.pass
	}
	return "", nil
}

func (r *recoveryScreen) submit() {
	if r.working {
		return
	}
	if msg, field := r.problem(); msg != "" {
		say(r.message, msg)
		r.s.win.Canvas().Focus(field)
		return
	}
	r.setBusy(true)
	key := r.key.Text
	pass := []byte(r.pass.Text)
	var sess *app.Session
	var err error
	// After the last lock's close, which writes the header this rewrites.
	r.s.afterClose(func() {
		err = r.s.vaults.ResetPassphrase(r.s.dir, key, pass)
		if err == nil {
			sess, err = r.s.vaults.Unlock(r.s.dir, pass)
		}
		clear(pass)
	}, func() {
		r.setBusy(false)
		if err != nil {
			say(r.message, recoveryProblem(err))
			r.s.win.Canvas().Focus(r.key)
			return
		}
		r.key.SetText("")
		r.pass.SetText("")
		r.repeat.SetText("")
		r.s.unlocked(sess)
	})
}

func (r *recoveryScreen) setBusy(busy bool) {
	r.working = busy
	if busy {
		say(r.message, "")
		r.busy.start("Checking the recovery key…")
		r.s.migrationLine = r.busy.say
	} else {
		r.s.migrationLine = nil
		r.busy.stop()
	}
}

// recoveryProblem says what is wrong with a recovery key in one sentence, naming
// the mistyped group when the key's checksums can tell.
func recoveryProblem(err error) string {
	switch {
	case errors.Is(err, app.ErrRecoveryKeyFormat):
		// The error reads "recovery key mistyped: recovery key: group 5 of 13 has a
		// typing mistake"; keep the part that says where.
		why := err.Error()
		if i := strings.LastIndex(why, ": "); i >= 0 {
			why = why[i+2:]
		}
		if why == "" {
			return app.Sentence(err)
		}
		return strings.ToUpper(why[:1]) + why[1:] + ". Compare it with the key as written down."
	case errors.Is(err, app.ErrWrongPassphrase):
		return "That recovery key does not open this vault. Check that it is the key for this vault."
	default:
		return app.Sentence(err)
	}
}
