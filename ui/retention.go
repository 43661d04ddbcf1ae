package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// Settings' retention rows (issue 14): the agency's retention period for closed
// cases, and the closed cases whose period has ended, proposed for a person to
// review. Nothing is deleted on its own: each case is opened and deleted, with a
// reason, from its Overview.

// retentionRows are pairs of label and value for the settings grid.
func (v *settingsView) retentionRows() []fyne.CanvasObject {
	s := v.s
	months := widget.NewEntry()
	months.SetPlaceHolder("months, e.g. 84; empty: no period")
	if ps, err := s.records.PracticeSettings(); err == nil && ps.RetentionMonths > 0 {
		months.SetText(strconv.Itoa(ps.RetentionMonths))
	}
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Hide()
	save := widget.NewButton("Save period", func() {
		n := 0
		if t := strings.TrimSpace(months.Text); t != "" {
			var err error
			if n, err = strconv.Atoi(t); err != nil {
				msg.Importance = widget.DangerImportance
				say(msg, "Write the retention period as a number of months, or leave it empty.")
				return
			}
		}
		if _, err := s.records.SavePracticeSettings(app.PracticeSettings{RetentionMonths: n}); err != nil {
			msg.Importance = widget.DangerImportance
			say(msg, app.Sentence(err))
			return
		}
		msg.Importance = widget.SuccessImportance
		say(msg, "Saved. Closed cases are proposed for review once this period after closing has passed; nothing is deleted on its own.")
	})
	review := widget.NewButton("Closed cases due for review…", s.showRetentionReview)
	return []fyne.CanvasObject{
		subheading("Retention"), layout.NewSpacer(),
		fieldLabel("Keep closed cases"), months,
		layout.NewSpacer(), container.NewVBox(msg, container.NewHBox(save, review)),
	}
}

// showRetentionReview lists the closed cases whose retention period has ended.
func (s *Shell) showRetentionReview() {
	got, err := s.records.RetentionReview(s.clock.Now())
	var text string
	switch {
	case err != nil:
		text = app.Sentence(err)
	case got == nil:
		text = "No retention period is set, so no closed case is proposed for review."
	case len(got) == 0:
		text = "No closed case has reached the end of its retention period."
	}
	if text != "" {
		dialog.ShowInformation("Retention review", text, s.win)
		return
	}
	box := container.NewVBox(quiet(format.Count(len(got), "closed case has", "closed cases have") +
		" reached the end of the retention period. Review each: open it and delete it from its Overview, with a reason, or keep it. Nothing is deleted on its own."))
	for _, c := range got {
		line := caseLabel(c.Case.Number, c.Case.Alias) + " · closed " + format.Date(c.Case.Closed) + " · retention ended " + format.Date(c.Until)
		l := widget.NewLabel(line)
		if c.OnHold {
			l.SetText(line + " · on legal hold: kept")
			l.Importance = widget.LowImportance
		}
		box.Add(l)
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(620, 360))
	d := dialog.NewCustom("Retention review", "Close", scroll, s.win)
	s.closeOnEscape(d)
	d.Show()
}
