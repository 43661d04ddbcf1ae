package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// roleLabels are the words a form shows for app.Roles.
var roleLabels = map[app.Role]string{
	app.RoleDetective:  "Detective / investigator",
	app.RoleAdvocate:   "Victim advocate",
	app.RoleProsecutor: "Prosecutor",
	app.RoleSupervisor: "Supervisor / MDT coordinator",
	app.RoleOther:      "Other partner",
}

// roleSelect offers app.Roles in their order, in words.
func roleSelect() *widget.Select {
	var opts []string
	for _, r := range app.Roles {
		opts = append(opts, roleLabels[r])
	}
	sel := widget.NewSelect(opts, nil)
	sel.PlaceHolder = "Choose your role"
	return sel
}

// roleOf is the role a roleSelect shows.
func roleOf(label string) app.Role {
	for r, l := range roleLabels {
		if l == label {
			return r
		}
	}
	return ""
}

// maxNameRunes is the longest display name app.Profile accepts.
const maxNameRunes = 80

// onboarding is the first-run screen: who is working, and the passphrase that
// protects the new vault.
type onboarding struct {
	s *Shell

	name, agency *textEntry
	role         *widget.Select
	pass, repeat *textEntry
	meter        *strengthMeter
	message      *widget.Label
	create       *actionButton
	busy         *busyRow
}

func (s *Shell) showOnboarding() {
	o := &onboarding{s: s}
	s.setScreen(o.build())
	s.win.Canvas().Focus(o.name)
}

func (o *onboarding) build() fyne.CanvasObject {
	o.name = newTextEntry("e.g. Dana Alvarez")
	o.role = roleSelect()
	o.agency = newTextEntry("e.g. Example County Sheriff's Office")

	o.meter = newStrengthMeter()
	o.pass = newPassphraseEntry("")
	o.pass.OnChanged = func(p string) { o.meter.update(p) }
	o.repeat = newPassphraseEntry("")
	// Enter in any field submits, as in the dialogs; a missing field is named and
	// gets the focus.
	for _, e := range []*textEntry{o.name, o.agency, o.pass, o.repeat} {
		e.OnSubmitted = func(string) { o.submit() }
	}

	o.message = errorLabel()
	o.create = newActionButton("Create vault", nil, o.submit)
	o.create.Importance = widget.HighImportance
	o.busy = newBusyRow(o.name, o.role, o.agency, o.pass, o.repeat, o.create)

	// One form, so the fields of both parts line up.
	form := widget.NewForm(
		&widget.FormItem{Text: "Your name", Widget: o.name, HintText: "Recorded as the author of your notes."},
		&widget.FormItem{Text: "Role", Widget: o.role},
		&widget.FormItem{Text: "Agency", Widget: o.agency},
		&widget.FormItem{Text: "", Widget: gap()},
		&widget.FormItem{Text: "Passphrase", Widget: o.pass},
		&widget.FormItem{Text: "", Widget: o.meter.object()},
		&widget.FormItem{Text: "Repeat it", Widget: o.repeat},
	)
	// The message goes as soon as what it names is fixed.
	fix := &fixWatch{msg: o.message, check: func() string { msg, _ := o.problem(); return msg }}
	watchEdits(form, fix.edited)
	return centredPanel(560, container.NewVBox(
		o.s.brand(),
		gap(),
		heading("Create your vault"),
		paragraph("Everything you keep in Casenotes is encrypted on this computer with a passphrase only you know. "+
			"Nobody can reset it for you: if it is forgotten, only the recovery key shown next opens the vault."),
		gap(),
		form,
		o.message,
		o.busy.row(o.create),
		gap(),
		container.NewHBox(quietLine("Moving to a new computer?"), o.s.restoreButton()),
	))
}

// problem is the first thing that stops the vault being created, or "".
func (o *onboarding) problem() (string, fyne.Focusable) {
	switch {
	case strings.TrimSpace(o.name.Text) == "":
		return "Enter your name: it is recorded as the author of your notes.", o.name
	case utf8.RuneCountInString(strings.TrimSpace(o.name.Text)) > maxNameRunes:
		return fmt.Sprintf("Your name can be at most %d characters.", maxNameRunes), o.name
	case o.role.Selected == "":
		return "Choose your role.", nil
	}
	if msg, inRepeat := newPassphraseProblem(o.pass.Text, o.repeat.Text); msg != "" {
		if inRepeat {
			return msg, o.repeat
		}
		return msg, o.pass
	}
	return "", nil
}

func (o *onboarding) submit() {
	if o.create.Disabled() {
		return
	}
	if msg, field := o.problem(); msg != "" {
		say(o.message, msg)
		if field != nil {
			o.s.win.Canvas().Focus(field)
		}
		return
	}
	say(o.message, "")
	o.setBusy(true)
	pass := []byte(o.pass.Text)
	profile := app.Profile{
		DisplayName: strings.TrimSpace(o.name.Text),
		Role:        roleOf(o.role.Selected),
		Agency:      strings.TrimSpace(o.agency.Text),
	}
	var sess *app.Session
	var key string
	var err error
	o.s.runInBackground(func() {
		s, rk, e := o.s.vaults.Create(o.s.dir, pass)
		clear(pass)
		sess, err = s, e
		if e == nil {
			key = rk.String()
			rk.Clear()
		}
	}, func() {
		o.setBusy(false)
		if err != nil {
			say(o.message, app.Sentence(err))
			return
		}
		o.pass.SetText("")
		o.repeat.SetText("")
		o.s.newProfile = &profile
		o.s.pending = sess
		o.s.showRecoveryKey(key)
	})
}

func (o *onboarding) setBusy(busy bool) {
	if busy {
		o.busy.start("Creating the vault…")
	} else {
		o.busy.stop()
	}
}
