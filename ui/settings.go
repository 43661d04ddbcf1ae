package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// settingsView holds what a user may change: the auto-lock delay, how the app
// looks, who they are, and the passphrase. Only the first two are preferences on
// disk; the profile lives in the vault.
type settingsView struct {
	s *Shell

	autoLock     *widget.Slider
	autoLockText *widget.Label
	theme        *widget.RadioGroup
	textSize     *widget.Select
	name, agency *widget.Entry
	role         *widget.Select
	profileMsg   *widget.Label
}

func newSettingsView(s *Shell) *settingsView { return &settingsView{s: s} }

func (v *settingsView) object() fyne.CanvasObject {
	p := v.s.prefs()

	minutes := int(p.autoLock() / time.Minute)
	v.autoLockText = widget.NewLabel(minutesText(minutes))
	v.autoLock = widget.NewSlider(minAutoLock, maxAutoLock)
	v.autoLock.Step = 1
	v.autoLock.SetValue(float64(minutes))
	v.autoLock.OnChanged = func(f float64) {
		v.autoLockText.SetText(minutesText(int(f)))
		v.s.setAutoLock(int(f))
	}

	v.theme = widget.NewRadioGroup([]string{"System", "Light", "Dark"}, nil)
	v.theme.Horizontal = true
	v.theme.Required = true
	v.theme.SetSelected(themeTitle(p.theme()))
	v.theme.OnChanged = func(choice string) {
		v.s.prefs().setTheme(strings.ToLower(choice))
		v.s.applyTheme()
	}

	var sizes []string
	current := ""
	for _, ts := range textScales {
		label := fmt.Sprintf("%s (%d%%)", ts.label, int(ts.scale*100+0.5))
		sizes = append(sizes, label)
		if ts.scale == p.textScale() {
			current = label
		}
	}
	v.textSize = widget.NewSelect(sizes, nil)
	v.textSize.SetSelected(current)
	v.textSize.OnChanged = func(string) {
		v.s.prefs().setTextScale(textScales[v.textSize.SelectedIndex()].scale)
		v.s.applyTheme()
	}

	v.name = widget.NewEntry()
	v.name.SetText(v.s.profile.DisplayName)
	v.role = roleSelect()
	if l, ok := roleLabels[v.s.profile.Role]; ok {
		v.role.SetSelected(l)
	}
	v.agency = widget.NewEntry()
	v.agency.SetText(v.s.profile.Agency)
	v.profileMsg = widget.NewLabel("")
	v.profileMsg.Wrapping = fyne.TextWrapWord
	v.profileMsg.Hide()
	if v.s.profile.DisplayName == "" {
		v.profileMsg.Importance = widget.WarningImportance
		say(v.profileMsg, "Enter your name and role: notes record who wrote them.")
	}
	saveProfile := widget.NewButton("Save", v.saveProfile)

	changePass := widget.NewButton("Change passphrase…", v.changePassphrase)

	hint := func(text string) fyne.CanvasObject {
		t := canvas.NewText(text, theme.Color(theme.ColorNamePlaceHolder))
		t.TextSize = theme.CaptionTextSize()
		return container.New(layout.NewCustomPaddedLayout(0, theme.Padding(), theme.InnerPadding(), 0), t)
	}
	// One grid for every section, so the fields of all sections line up.
	grid := container.New(layout.NewFormLayout(),
		subheading("Protection"), layout.NewSpacer(),
		fieldLabel("Lock after"), container.NewBorder(nil, nil, nil, v.autoLockText, v.autoLock),
		layout.NewSpacer(), hint("without keyboard or mouse activity. Ctrl+L locks at once."),

		subheading("Appearance"), layout.NewSpacer(),
		fieldLabel("Theme"), v.theme,
		fieldLabel("Text size"), v.textSize,

		subheading("About you"), layout.NewSpacer(),
		fieldLabel("Your name"), v.name,
		layout.NewSpacer(), hint("Recorded as the author of your notes."),
		fieldLabel("Role"), v.role,
		fieldLabel("Agency"), v.agency,
		layout.NewSpacer(), container.NewVBox(v.profileMsg, container.NewHBox(saveProfile)),

		subheading("Vault"), layout.NewSpacer(),
		fieldLabel("Location"), wrapped(v.s.dir),
		fieldLabel("Passphrase"), container.NewHBox(changePass),
	)
	grid.Objects = append(grid.Objects, v.keyRows()...)       // ui/settings_integrity.go
	grid.Objects = append(grid.Objects, v.sharingRows()...)   // ui/directory.go
	grid.Objects = append(grid.Objects, v.retentionRows()...) // ui/retention.go (issue 14)
	grid.Objects = append(grid.Objects, v.integrityRows()...) // ui/settings_integrity.go
	return container.NewVScroll(container.NewVBox(
		heading("Settings"),
		container.NewHBox(container.New(widthLayout{640}, grid)),
	))
}

// fieldLabel names a field in a settings grid.
func fieldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func (v *settingsView) saveProfile() {
	p := app.Profile{DisplayName: v.name.Text, Role: roleOf(v.role.Selected), Agency: v.agency.Text}
	if p.Role == "" {
		v.profileMsg.Importance = widget.DangerImportance
		say(v.profileMsg, "Choose your role.")
		return
	}
	saved, err := v.s.records.SaveProfile(p)
	if err != nil {
		v.profileMsg.Importance = widget.DangerImportance
		say(v.profileMsg, app.Sentence(err))
		return
	}
	v.s.profile = saved
	v.profileMsg.Importance = widget.SuccessImportance
	say(v.profileMsg, "Saved.")
}

// changePassphrase asks for the current passphrase and a new one (twice), then
// rewraps the vault key; no record is rewritten.
func (v *settingsView) changePassphrase() {
	current := newDialogPassphraseEntry()
	meter := newStrengthMeter()
	next := newDialogPassphraseEntry()
	next.OnChanged = func(p string) { meter.update(p) }
	repeat := newDialogPassphraseEntry()
	msg := errorLabel()
	busy := newBusyRow() // its spinner alone shows, under the form
	var d *dialog.CustomDialog
	var working bool
	problem := func() string {
		if current.Text == "" {
			return "Enter your current passphrase."
		}
		p, _ := newPassphraseProblem(next.Text, repeat.Text)
		return p
	}
	submit := func() {
		if working {
			return
		}
		if p := problem(); p != "" {
			say(msg, p)
			return
		}
		working = true
		say(msg, "")
		busy.start("")
		oldPass, newPass := []byte(current.Text), []byte(next.Text)
		var err error
		sess := v.s.session
		v.s.runInBackground(func() {
			// The open vault's own session: a second unlock of it would fail.
			err = app.ErrLocked
			if sess != nil {
				if err = sess.VerifyPassphrase(oldPass); err == nil {
					err = sess.ChangePassphrase(newPass)
				}
			}
			clear(oldPass)
			clear(newPass)
		}, func() {
			working = false
			busy.stop()
			if err != nil {
				say(msg, app.Sentence(err))
				return
			}
			d.Hide()
			dialog.ShowInformation("Passphrase changed",
				"Use the new passphrase from now on. The recovery key has not changed.", v.s.win)
		})
	}
	repeat.OnSubmitted = func(string) { submit() }
	form := widget.NewForm(
		widget.NewFormItem("Current passphrase", current),
		widget.NewFormItem("New passphrase", next),
		widget.NewFormItem("", meter.object()),
		widget.NewFormItem("Repeat it", repeat),
	)
	content := container.New(widthLayout{540}, container.NewVBox(paragraph(quickChangeExplained), form, msg, busy.spinner))
	change := newActionButton("Change passphrase", nil, submit)
	change.Importance = widget.HighImportance
	cancel := newActionButton("Cancel", nil, func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Change passphrase", content, v.s.win)
	d.SetButtons([]fyne.CanvasObject{cancel, change})
	wireFields(form, d.Hide, submit)
	watchEdits(form, (&fixWatch{msg: msg, check: problem}).edited)
	v.s.closeOnEscape(d)
	d.Show()
	v.s.win.Canvas().Focus(current)
}

func minutesText(m int) string {
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

func themeTitle(t string) string {
	switch t {
	case themeLight:
		return "Light"
	case themeDark:
		return "Dark"
	}
	return "System"
}
