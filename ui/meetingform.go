package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// newMeeting sets up a meeting: date and time, title, roster from the directory.
func (v *meetingsView) newMeeting() {
	now := v.s.clock.Now()
	start := time.Date(now.Year(), now.Month(), now.Day(), 14, 0, 0, 0, time.Local).AddDate(0, 0, 1)
	v.meetingForm("New case review meeting", "Create", app.MeetingInput{At: start, Title: "MDT case review"}, func(in app.MeetingInput) error {
		m, err := v.records.CreateMeeting(in)
		if err == nil {
			v.selected = m.ID
			v.load()
		}
		return err
	})
}

func (v *meetingsView) editMeeting(m app.Meeting) {
	v.meetingForm("Edit meeting", "Save", meetingInput(m), func(in app.MeetingInput) error {
		_, err := v.records.UpdateMeeting(m.ID, in)
		if err == nil {
			v.load()
		}
		return err
	})
}

// meetingForm asks for a meeting's date, title and roster. Members come from the
// directory, or are typed (and can be added to the directory later).
func (v *meetingsView) meetingForm(title, confirm string, in app.MeetingInput, save func(app.MeetingInput) error) {
	when := newWhenField(in.At)
	name := newDialogEntry("MDT case review")
	name.SetText(in.Title)
	roster := slices.Clone(in.Roster)
	rosterBox := container.NewVBox()
	var redraw func()
	redraw = func() {
		rosterBox.Objects = nil
		for i, a := range roster {
			i := i
			label := a.Person
			if a.Organization != "" {
				label = strings.TrimPrefix(label+" at "+a.Organization, " at ")
			}
			if !a.PartnerID.IsZero() {
				if e, err := v.records.PartnerByID(a.PartnerID); err == nil {
					label = e.Name()
				}
			}
			remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				roster = slices.Delete(roster, i, i+1)
				redraw()
			})
			remove.Importance = widget.LowImportance
			rosterBox.Add(container.NewBorder(nil, nil, nil, remove, widget.NewLabel(label)))
		}
		if len(roster) == 0 {
			rosterBox.Add(quiet("No members yet. With none, a new meeting takes the roster of the one before it."))
		}
		rosterBox.Refresh()
	}
	redraw()
	member := v.s.newPartnerField("a partner from the directory, or a name")
	addMember := widget.NewButton("Add", func() {
		text, id := member.value()
		if text == "" {
			return
		}
		a := app.AttendeeInput{PartnerID: id}
		if id.IsZero() {
			a.Person, a.Organization = app.SplitPartnerName(text)
			if a.Person == "" {
				a.Person, a.Organization = a.Organization, ""
			}
		}
		roster = append(roster, a)
		member.entry.SetText("")
		redraw()
	})
	form := widget.NewForm(
		widget.NewFormItem("Date and time", when.object()),
		widget.NewFormItem("Title", name),
		widget.NewFormItem("Roster", rosterBox),
		widget.NewFormItem("", container.NewBorder(nil, nil, nil, addMember, member.entry)),
	)
	v.s.formDialog(title, confirm, 620, form, func() string {
		if !v.open() {
			return app.Sentence(app.ErrLocked)
		}
		at, problem := when.value("meeting")
		if problem != "" {
			return problem
		}
		in.At, in.Title, in.Roster = at, name.Text, roster
		if err := save(in); err != nil {
			return app.Sentence(err)
		}
		return ""
	})
}
