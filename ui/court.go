package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// courtTab is the case's court dates, with their outcomes, and the
// victim-notification log: the youth has a right to be told of proceedings, so every
// notification is recorded with who, how, when, what was said, the language and the
// interpreter.
type courtTab struct {
	sectionsTab
	hearings      []app.Hearing
	notifications []app.Notification
}

func (t *courtTab) build() fyne.CanvasObject { return t.frame(t.load) }

// load reads the hearings and the log off the UI goroutine and redraws the tab.
func (t *courtTab) load() {
	type court struct {
		hearings      []app.Hearing
		notifications []app.Notification
	}
	readSections(&t.sectionsTab, func(r *app.Records, id app.ID) (court, error) {
		var c court
		var err error
		if c.hearings, err = r.Hearings(id); err == nil {
			c.notifications, err = r.Notifications(id)
		}
		return c, err
	}, func(c court) {
		t.hearings, t.notifications = c.hearings, c.notifications
		t.redraw()
	})
}

func (t *courtTab) redraw() {
	ws := t.ws
	now := ws.now()
	objs := []fyne.CanvasObject{ws.section("Court dates", "Add court date…", t.addHearing)}
	if len(t.hearings) == 0 {
		objs = append(objs, quiet("No court dates yet. Upcoming hearings appear on the dashboard and the Tasks list until their outcome is recorded."))
	}
	for _, h := range t.hearings {
		objs = append(objs, t.hearingRow(h, now))
	}
	objs = append(objs, widget.NewSeparator(), ws.section("Victim-notification log", "Record notification…", t.addNotification))
	if len(t.notifications) == 0 {
		objs = append(objs, quiet("No notifications yet. Record each time the youth or their guardian is told about the proceedings."))
	}
	for _, n := range slices.Backward(t.notifications) {
		objs = append(objs, t.notificationRow(n))
	}
	t.box.Objects = objs
	t.box.Refresh()
}

// hearingRow is a hearing: when, where, type, and its outcome or what to do.
func (t *courtTab) hearingRow(h app.Hearing, now time.Time) fyne.CanvasObject {
	ws := t.ws
	when := widget.NewLabel(format.DateTime(h.At))
	what := wrapped(sentenceCase(h.Type) + " · " + h.Court)
	var right fyne.CanvasObject
	var outcome fyne.CanvasObject
	if h.Outcome != "" {
		when.Importance = widget.LowImportance
		outcome = quiet("Outcome: " + h.Outcome)
	} else {
		state := "upcoming"
		imp := widget.MediumImportance
		switch {
		case !now.Before(h.At):
			state, imp = "outcome not recorded", widget.DangerImportance
		case h.At.Sub(now) < 7*24*time.Hour:
			imp = widget.WarningImportance
		}
		when.Importance = imp
		outcome = quietLine(state)
		rec := widget.NewButton("Outcome…", func() { t.recordOutcome(h) })
		move := widget.NewButton("Reschedule…", func() { t.reschedule(h) })
		ws.guard(rec, move)
		right = container.NewVBox(container.NewHBox(move, rec)) // buttons keep their height
	}
	return container.NewBorder(nil, nil, container.New(widthLayout{200}, when), right, container.NewVBox(what, outcome))
}

// notificationRow is one entry of the log.
func (t *courtTab) notificationRow(n app.Notification) fyne.CanvasObject {
	head := format.DateTime(n.At) + " · " + sentenceCase(n.To) + " · " + sentenceCase(n.Method)
	var lang []string
	if n.Language != "" {
		lang = append(lang, "in "+n.Language)
	}
	if ip := n.Interpreter; ip != nil {
		lang = append(lang, "interpreter "+ip.Name+" ("+ip.Language+")")
	}
	if n.By != "" {
		lang = append(lang, "by "+n.By)
	}
	title := widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(title, wrapped(n.Summary), quiet(strings.Join(lang, " · ")))
}

// addHearing records a court date.
func (t *courtTab) addHearing() {
	ws := t.ws
	when := newWhenField(time.Time{})
	court := ws.s.newPartnerField("e.g. Demo County Juvenile Court")
	kind := newChoice(app.HearingTypes, "Choose the kind of hearing")
	form := widget.NewForm(widget.NewFormItem("Date and time", when.object()), widget.NewFormItem("Court", court.entry),
		widget.NewFormItem("Hearing", kind))
	ws.formDialog("Add court date", "Add", form, func() string {
		at, problem := when.value("hearing")
		if problem != "" {
			return problem
		}
		name, _ := court.value()
		if _, err := ws.records.AddHearing(ws.id, app.HearingInput{At: at, Court: name, Type: kind.value()}); err != nil {
			return app.Sentence(err)
		}
		t.load()
		ws.changed()
		return ""
	})
}

func (t *courtTab) recordOutcome(h app.Hearing) {
	ws := t.ws
	ws.askReason("Outcome of the "+strings.ToLower(sentenceCase(h.Type)), "Save",
		"What happened at the hearing, in a line (for example: continued to Mar 3; plea entered; protective order granted).",
		"", func(outcome string) error {
			if _, err := ws.records.SetHearingOutcome(ws.id, h.ID, outcome); err != nil {
				return err
			}
			t.load()
			ws.changed()
			return nil
		})
}

func (t *courtTab) reschedule(h app.Hearing) {
	ws := t.ws
	when := newWhenField(h.At)
	ws.formDialog("Reschedule hearing", "Save", widget.NewForm(widget.NewFormItem("New date and time", when.object())), func() string {
		at, problem := when.value("hearing")
		if problem != "" {
			return problem
		}
		if _, err := ws.records.RescheduleHearing(ws.id, h.ID, at); err != nil {
			return app.Sentence(err)
		}
		t.load()
		ws.changed()
		return ""
	})
}

// addNotification records a notification to the youth or their guardian.
func (t *courtTab) addNotification() {
	ws := t.ws
	when := newWhenField(ws.now())
	to := newChoice(app.NotifiedParties, "Who was told")
	to.set("youth")
	method := newChoice(app.NotificationMethods, "How")
	summary := newDialogEntry("what was said, in a line")
	language := newDialogEntry("e.g. Spanish")
	interp := newDialogEntry("interpreter's name, if one interpreted")
	interpLang := newDialogEntry("into which language")
	hearings := []string{"none"}
	var hearingIDs []app.ID
	for _, h := range t.hearings {
		hearings = append(hearings, format.Date(h.At)+" · "+sentenceCase(h.Type))
		hearingIDs = append(hearingIDs, h.ID)
	}
	about := newDialogSelect(hearings)
	about.SetSelectedIndex(0)
	form := widget.NewForm(
		widget.NewFormItem("When", when.object()), widget.NewFormItem("Told", to), widget.NewFormItem("How", method),
		widget.NewFormItem("What was said", summary), widget.NewFormItem("Language", language),
		widget.NewFormItem("Interpreter", container.NewGridWithColumns(2, interp, interpLang)),
		widget.NewFormItem("About the hearing", about),
	)
	ws.formDialog("Record notification", "Save", form, func() string {
		at, problem := when.value("notification")
		if problem != "" {
			return problem
		}
		in := app.NotificationInput{At: at, To: to.value(), Method: method.value(), Summary: summary.Text, Language: language.Text}
		if strings.TrimSpace(interp.Text+interpLang.Text) != "" {
			in.Interpreter = &app.Interpreter{Name: interp.Text, Language: interpLang.Text}
		}
		if i := about.SelectedIndex(); i > 0 {
			in.Hearing = hearingIDs[i-1]
		}
		if _, err := ws.records.AddNotification(ws.id, in); err != nil {
			return app.Sentence(err)
		}
		t.load()
		return ""
	})
}
