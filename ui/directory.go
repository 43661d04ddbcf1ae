package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// The partner directory and the user's own keys: the one place that names the
// partners a case is shared with, their age recipients and signing fingerprints.
// Adding a partner's key asks the user to confirm that the fingerprint was read
// back to the partner over the phone.

// sharingRows are the Settings rows about sharing: the user's own age recipient and
// signing fingerprint (with copy buttons, to give to partners), the partner
// directory and the confidentiality notice printed on exports. Pairs of label and
// value for the settings grid.
func (v *settingsView) sharingRows() []fyne.CanvasObject {
	s := v.s
	mono := func(text string) *widget.Label {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.Wrapping = fyne.TextWrapBreak
		return l
	}
	recipient, fingerprint := "", ""
	if s.session != nil {
		if keys, err := s.session.UserKeys(); err == nil {
			recipient, fingerprint = keys.AgeRecipient(), keys.SigningFingerprint()
		}
	}
	copyRcpt := widget.NewButton("Copy", func() { s.copyToClipboard(recipient) })
	copyFP := widget.NewButton("Copy", func() { s.copyToClipboard(fingerprint) })
	partners := widget.NewButton("Partner directory…", s.showDirectory)

	notice := newDialogTextArea("", 4)
	if st, err := s.records.Settings(); err == nil {
		notice.SetText(st.Notice())
	}
	noticeMsg := widget.NewLabel("")
	noticeMsg.Wrapping = fyne.TextWrapWord
	noticeMsg.Hide()
	saveNotice := widget.NewButton("Save notice", func() {
		text := notice.Text
		if strings.TrimSpace(text) == app.DefaultConfidentialityNotice {
			text = ""
		}
		if _, err := s.records.SaveSettings(app.VaultSettings{ConfidentialityNotice: text}); err != nil {
			noticeMsg.Importance = widget.DangerImportance
			say(noticeMsg, app.Sentence(err))
			return
		}
		noticeMsg.Importance = widget.SuccessImportance
		say(noticeMsg, "Saved. Exports carry this notice on every page.")
	})
	return []fyne.CanvasObject{
		subheading("Sharing"), layout.NewSpacer(),
		fieldLabel("Your age recipient"), container.NewBorder(nil, nil, nil, copyRcpt, mono(recipient)),
		fieldLabel("Your signing fingerprint"), container.NewBorder(nil, nil, nil, copyFP, mono(fingerprint)),
		layout.NewSpacer(), quiet("Give both to partners; read the fingerprint to them over the phone."),
		fieldLabel("Partners"), container.NewHBox(partners),
		fieldLabel("Confidentiality notice"), notice,
		layout.NewSpacer(), container.NewVBox(noticeMsg, container.NewHBox(saveNotice)),
	}
}

// showDirectory goes to the partner directory (the Partners section).
func (s *Shell) showDirectory() {
	if s.main != nil {
		s.main.show(sectionPartners)
	}
}

// categoryTitle reads a partner category as words.
func categoryTitle(c app.Partner) string { return app.PartnerTitle(string(c)) }

func (s *Shell) partnerDetail(e app.DirectoryEntry, changed func()) fyne.CanvasObject {
	form := widget.NewForm()
	for _, f := range [][2]string{{"Organization", e.Organization}, {"Person", e.Person},
		{"Category", categoryTitle(e.Category)}, {"Role", e.Role}, {"Phone", e.Phone}, {"Email", e.Email},
		{"Age recipient", e.AgeRecipient}, {"Signing fingerprint", e.SigningFingerprint}} {
		if f[1] != "" {
			form.AppendItem(formItem(f[0], f[1]))
		}
	}
	title := subheading(e.Name())
	title.Wrapping = fyne.TextWrapWord // a long name never widens the window
	box := container.NewVBox(title, form)
	if !e.KeysConfirmed.IsZero() {
		box.Add(quiet("Keys confirmed by " + e.KeysConfirmedBy + " on " + format.Date(e.KeysConfirmed) + "."))
	}
	if e.PendingAgeRecipient != "" || e.PendingFingerprint != "" {
		pend := widget.NewForm()
		if e.PendingAgeRecipient != "" {
			pend.AppendItem(formItem("Age recipient", e.PendingAgeRecipient))
		}
		if e.PendingFingerprint != "" {
			pend.AppendItem(formItem("Signing fingerprint", e.PendingFingerprint))
		}
		warn := paragraph("These keys came from an imported file and are not used until you confirm them: nothing is encrypted to them and no bundle signed by them is accepted.")
		warn.Importance = widget.WarningImportance
		confirm := widget.NewButton("Confirm keys…", func() { s.confirmPendingKeys(e, changed) })
		box.Add(subheading("Keys waiting for confirmation"))
		box.Add(warn)
		box.Add(pend)
		box.Add(container.NewHBox(confirm))
	}
	if e.IsRevoked() {
		l := paragraph("Keys revoked on " + format.Date(e.Revoked) + ": " + e.RevokedReason + " Nothing is sent to them and no bundle signed by them is accepted. Add a new entry for their new key.")
		l.Importance = widget.DangerImportance
		box.Add(l)
		return container.NewVScroll(box)
	}
	if e.AgeRecipient != "" || e.SigningFingerprint != "" {
		revoke := widget.NewButton("Revoke keys…", func() {
			reason := newDialogEntry("e.g. laptop reported stolen")
			s.formDialog("Revoke "+e.Name()+"'s keys", "Revoke", 480,
				container.NewVBox(paragraph("From now on nothing is exported to these keys and no bundle signed by them is accepted. This cannot be undone."), reason),
				func() string {
					if _, err := s.records.RevokePartnerKeys(e.ID, reason.Text); err != nil {
						return app.Sentence(err)
					}
					changed()
					return ""
				})
		})
		revoke.Importance = widget.DangerImportance
		box.Add(container.NewHBox(revoke))
	}
	return container.NewVScroll(box)
}

// addPartnerFrom asks for a partner's details and keys, starting from what is known
// (a partner typed as free text on a referral, a release or a roster); keys are saved
// only once the user confirms the fingerprint was read back over the phone. added
// gets the new entry.
func (s *Shell) addPartnerFrom(pre app.PartnerInput, added func(app.DirectoryEntry)) {
	org, person := newDialogEntry("e.g. Demo County Prosecutor's Office"), newDialogEntry("e.g. Ana Ruiz")
	org.SetText(pre.Organization)
	person.SetText(pre.Person)
	var cats []string
	for _, c := range app.Partners {
		cats = append(cats, c.Title())
	}
	category := newDialogSelect(cats)
	if pre.Category != "" {
		category.SetSelected(categoryTitle(pre.Category))
	}
	role, phone, email := newDialogEntry("e.g. assistant district attorney"), newDialogEntry(""), newDialogEntry("")
	rcpt, fp := newDialogEntry("age1…"), newDialogEntry("five groups of four, e.g. 3f2a 9c01 77de 0b4e 1a2c")
	confirm := newDialogCheck("I read the fingerprint back to the partner over the phone and it matches")
	form := widget.NewForm(
		widget.NewFormItem("Organization", org), widget.NewFormItem("Person", person),
		widget.NewFormItem("Category", category), widget.NewFormItem("Role", role),
		widget.NewFormItem("Phone", phone), widget.NewFormItem("Email", email),
		widget.NewFormItem("Age recipient", rcpt), widget.NewFormItem("Signing fingerprint", fp),
		widget.NewFormItem("", confirm),
	)
	s.formDialog("Add a partner", "Add", 620, form, func() string {
		if category.SelectedIndex() < 0 {
			return "Choose the partner's category."
		}
		e, err := s.records.AddPartner(app.PartnerInput{Organization: org.Text, Person: person.Text,
			Category: app.Partners[category.SelectedIndex()], Role: role.Text, Phone: phone.Text, Email: email.Text,
			AgeRecipient: rcpt.Text, SigningFingerprint: fp.Text, KeysConfirmed: confirm.Checked})
		if err != nil {
			return app.Sentence(err)
		}
		added(e)
		return ""
	})
}

// confirmPendingKeys takes imported keys into use once the user has read the
// fingerprint back to the partner over the phone.
func (s *Shell) confirmPendingKeys(e app.DirectoryEntry, changed func()) {
	check := newDialogCheck("I read the fingerprint back to the partner over the phone and it matches")
	fp := e.PendingFingerprint
	if fp == "" {
		fp = "(no signing key)"
	}
	mono := widget.NewLabelWithStyle(fp, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	s.formDialog("Confirm "+e.Name()+"'s keys", "Confirm", 520,
		container.NewVBox(paragraph("Call the partner on a number you already know and read this fingerprint to them. Confirm only if it matches what they read from their own Casenotes."), mono, check),
		func() string {
			if _, err := s.records.ConfirmPartnerKeys(e.ID, check.Checked); err != nil {
				return app.Sentence(err)
			}
			changed()
			return ""
		})
}
