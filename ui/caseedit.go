package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// Sentences of the case's editing actions.
const (
	closeSentence = "Close this case? Its deadlines leave the task list until someone reopens it."
	// identityApart is the one line the legal identity form opens with.
	identityApart = "The legal identity is stored apart from the case and shown only when someone deliberately reveals it."
)

// The overview's editing actions, each disabled on a received (read-only) case.
// After a change the header and the overview read the case again.

// caseActions are "Edit case…" and "Change status…", under the case's details.
func (o *overviewTab) caseActions() fyne.CanvasObject {
	ws := o.ws
	edit := widget.NewButtonWithIcon("Edit case…", theme.DocumentCreateIcon(), ws.editCase)
	status := widget.NewButton("Change status…", ws.changeStatus)
	ws.guard(edit, status)
	return container.NewHBox(edit, status)
}

// victimActions is "Edit victim profile…", under the profile.
func (o *overviewTab) victimActions() fyne.CanvasObject {
	ws := o.ws
	edit := widget.NewButtonWithIcon("Edit victim profile…", theme.DocumentCreateIcon(), ws.editVictim)
	ws.guard(edit)
	return container.NewHBox(edit)
}

// identityActions is "Add legal identity…" while none is recorded.
func (o *overviewTab) identityActions() fyne.CanvasObject {
	ws := o.ws
	if ws.ov.HasIdentity {
		return nil
	}
	add := widget.NewButtonWithIcon("Add legal identity…", theme.ContentAddIcon(), ws.addIdentity)
	ws.guard(add)
	return container.NewHBox(add)
}

// edited reads the case again after an edit (header and overview) and tells whoever
// lists the case.
func (ws *caseWorkspace) edited() {
	ws.changed() // which tells the list too
}

// editCase changes the case's title, jurisdiction, team and indicator tags.
func (ws *caseWorkspace) editCase() {
	if !ws.open() || ws.readOnly {
		return
	}
	c := ws.ov.Case
	inds, err := ws.records.Indicators()
	f := newCaseFields(c, inds, false)
	var tags fyne.CanvasObject = f.tagList(6)
	if err != nil {
		tags = failedLine(err)
	}
	content := container.NewVBox(f.form(), fieldTitle("Indicators"), tags)
	ws.form("Edit case "+c.Number, "Save", content, func() string {
		in, problem := f.input()
		if problem != "" {
			return problem
		}
		if err != nil {
			in.Tags = c.Tags // the list could not be read: the tags stay as they are
		}
		if _, err := ws.records.UpdateCase(ws.id, in); err != nil {
			return app.Sentence(err)
		}
		ws.edited()
		return ""
	})
	ws.s.win.Canvas().Focus(f.title)
}

// changeStatus moves the case between open, inactive and closed. Closing needs a
// reason and asks first.
func (ws *caseWorkspace) changeStatus() {
	if !ws.open() || ws.readOnly {
		return
	}
	c := ws.ov.Case
	var names []string
	for _, st := range app.CaseStatuses {
		names = append(names, statusTitle(st))
	}
	status := newDialogSelect(names)
	reason := newDialogEntry("such as: services complete")
	reason.SetText(c.ClosedReason)
	form := widget.NewForm(
		widget.NewFormItem("Status", status),
		widget.NewFormItem("Reason", reason),
	)
	form.Items[1].HintText = "Required to close the case; kept until it reopens"
	status.OnChanged = func(string) {
		if status.SelectedIndex() == closedIndex() {
			reason.Enable()
		} else {
			reason.Disable()
		}
		form.Refresh() // the label follows
	}
	status.SetSelected(statusTitle(c.Status))
	confirmed := false
	var box *formBox
	box = ws.form("Change status", "Change status", form, func() string {
		i := status.SelectedIndex()
		if i < 0 {
			return "Choose a status."
		}
		st := app.CaseStatuses[i]
		if st == app.CaseClosed {
			if strings.TrimSpace(reason.Text) == "" {
				return app.Sentence(app.Invalid("closing reason", "is required"))
			}
			if c.Status != app.CaseClosed && !confirmed {
				ws.confirm("Close case", closeSentence, "Close case", func() {
					confirmed = true
					box.submit()
				})
				return stayOpen
			}
		}
		if _, err := ws.records.SetCaseStatus(ws.id, st, reason.Text); err != nil {
			return app.Sentence(err)
		}
		ws.edited()
		return ""
	})
	ws.s.win.Canvas().Focus(status)
}

// closedIndex is where "Closed" is among the statuses offered.
func closedIndex() int {
	for i, st := range app.CaseStatuses {
		if st == app.CaseClosed {
			return i
		}
	}
	return -1
}

// editVictim changes the victim's profile, alias first.
func (ws *caseWorkspace) editVictim() {
	if !ws.open() || ws.readOnly {
		return
	}
	f := newVictimFields(ws.ov.Victim)
	ws.form("Edit victim profile", "Save", f.form(), func() string {
		v, err := f.input()
		if err != nil {
			return app.Sentence(err)
		}
		if _, err := ws.records.SetVictim(ws.id, v); err != nil {
			return app.Sentence(err)
		}
		ws.edited()
		return ""
	})
	ws.s.win.Canvas().Focus(f.alias)
}

// addIdentity records the legal identity, which is kept apart from the case and
// shown only through a deliberate reveal. The form shows what is typed into it and
// nothing else: it never reads an identity back.
func (ws *caseWorkspace) addIdentity() {
	if !ws.open() || ws.readOnly {
		return
	}
	name := newDialogEntry("")
	dob := newDialogEntry(format.EntryHint)
	school := newDialogEntry("")
	addresses := newDialogEntry("one address a line")
	addresses.MultiLine = true
	addresses.Wrapping = fyne.TextWrapWord
	addresses.SetMinRowsVisible(3)
	phones := newDialogEntry("")
	form := widget.NewForm(
		widget.NewFormItem("Legal name", name),
		widget.NewFormItem("Date of birth", dob),
		widget.NewFormItem("School", school),
		widget.NewFormItem("Addresses", addresses),
		widget.NewFormItem("Contact numbers", phones),
	)
	form.Items[4].HintText = listHint
	content := container.NewVBox(quiet(identityApart), form)
	ws.form("Add legal identity", "Save identity", content, func() string {
		born := ""
		if typed := strings.TrimSpace(dob.Text); typed != "" {
			d, err := format.ParseEntryDate(typed)
			if err != nil {
				return "Write the date of birth as " + format.EntryHint + ", for example 05/04/2010."
			}
			born = d.Format(time.DateOnly) // as the vault keeps it
		}
		id := app.Identity{
			LegalName: strings.TrimSpace(name.Text), DateOfBirth: born, School: strings.TrimSpace(school.Text),
			Addresses: splitList(addresses.Text, "\n"), ContactNumbers: splitList(phones.Text, ","),
		}
		if id.LegalName == "" && id.DateOfBirth == "" && id.School == "" && len(id.Addresses) == 0 && len(id.ContactNumbers) == 0 {
			return "Nothing to save: fill in at least one field, or cancel."
		}
		if err := ws.records.SetIdentity(ws.id, id); err != nil {
			return app.Sentence(err)
		}
		ws.changed()
		if ws.overview.identity != nil {
			ws.overview.identity.hide() // the Reveal button, now that there is one
		}
		return ""
	})
	ws.s.win.Canvas().Focus(name)
}
