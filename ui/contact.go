package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// A contact note's facts as fields (issue 14): who was present, the language used,
// the interpreter (name and language), the kind of setting (never an address) and how
// long it lasted. Shown under the note's kind; a draft's are edited in a dialog, a
// final note's never change.

// contactRow is the line under a contact note's header.
func (t *notesTab) contactRow() fyne.CanvasObject {
	n := t.cur
	if n == nil || n.Kind != app.NoteContact {
		return nil
	}
	box := container.NewStack()
	t.fillContactRow(box)
	return box
}

// fillContactRow shows the current note's facts in box, with the edit button on a
// draft. Only this row is redrawn after an edit: the note's text being typed stays
// as it is.
func (t *notesTab) fillContactRow(box *fyne.Container) {
	n := t.cur
	text := contactSummary(n.Contact)
	if text == "" {
		text = "No contact details yet: who was present, language, interpreter, setting, duration."
	}
	l := quiet(text)
	if n.Final() || t.ws.readOnly {
		box.Objects = []fyne.CanvasObject{l}
	} else {
		edit := widget.NewButton("Contact details…", func() { t.editContact(box) })
		edit.Importance = widget.LowImportance
		box.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, nil, edit, l)}
	}
	box.Refresh()
}

// contactSummary reads the facts on one line.
func contactSummary(d *app.ContactDetails) string {
	if d.Empty() {
		return ""
	}
	var parts []string
	if d.Setting != "" {
		parts = append(parts, capitalise(app.SettingTitle(d.Setting)))
	}
	if d.DurationMinutes > 0 {
		parts = append(parts, format.Count(d.DurationMinutes, "minute", "minutes"))
	}
	if len(d.Present) > 0 {
		parts = append(parts, "present: "+strings.Join(d.Present, ", "))
	}
	if d.Language != "" {
		parts = append(parts, "in "+d.Language)
	}
	if ip := d.Interpreter; ip != nil {
		parts = append(parts, "interpreter "+ip.Name+" ("+ip.Language+")")
	}
	return strings.Join(parts, " · ")
}

// editContact asks for a draft contact note's facts.
func (t *notesTab) editContact(row *fyne.Container) {
	ws := t.ws
	n := t.cur
	if n == nil {
		return
	}
	d := n.Contact
	if d == nil {
		d = &app.ContactDetails{}
	}
	present := newDialogEntry("e.g. youth, foster parent, Adv. Kim (commas between)")
	present.SetText(strings.Join(d.Present, ", "))
	language := newDialogEntry("e.g. Spanish")
	language.SetText(d.Language)
	interp, interpLang := newDialogEntry("interpreter's name"), newDialogEntry("language")
	if d.Interpreter != nil {
		interp.SetText(d.Interpreter.Name)
		interpLang.SetText(d.Interpreter.Language)
	}
	setting := newChoice(app.SettingTypes, "The kind of place, never an address")
	setting.Options = nil
	for _, s := range app.SettingTypes {
		setting.Options = append(setting.Options, capitalise(app.SettingTitle(s)))
	}
	setting.set(d.Setting)
	minutes := newDialogEntry("minutes")
	if d.DurationMinutes > 0 {
		minutes.SetText(strconv.Itoa(d.DurationMinutes))
	}
	form := widget.NewForm(
		widget.NewFormItem("Present", present), widget.NewFormItem("Language", language),
		widget.NewFormItem("Interpreter", container.NewGridWithColumns(2, interp, interpLang)),
		widget.NewFormItem("Setting", setting), widget.NewFormItem("Duration", minutes),
	)
	id := n.ID
	ws.formDialog("Contact details", "Save", form, func() string {
		out := &app.ContactDetails{Present: splitList(present.Text, ","), Language: language.Text, Setting: setting.value()}
		if strings.TrimSpace(interp.Text+interpLang.Text) != "" {
			out.Interpreter = &app.Interpreter{Name: interp.Text, Language: interpLang.Text}
		}
		if m := strings.TrimSpace(minutes.Text); m != "" {
			v, err := strconv.Atoi(m)
			if err != nil {
				return "Write the duration as a number of minutes."
			}
			out.DurationMinutes = v
		}
		saved, err := ws.records.SetContactDetails(ws.id, id, out)
		if err != nil {
			return app.Sentence(err)
		}
		if t.cur != nil && t.cur.ID == id {
			t.cur.Contact = saved.Contact
			t.fillContactRow(row)
		}
		return ""
	})
}
