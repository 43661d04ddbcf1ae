package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// timelineTab is the case's dated events in date order: the rough timeline a
// partner may need without reading the notes.
type timelineTab struct {
	listTab[app.TimelineEvent]
}

// What the detail pane says before an event is chosen: how to add the first one
// on an empty timeline, else how to see an event's source.
const (
	timelineFirstHint = "Add the first event with Add event…: when the child went missing or was found, an interview, a placement or a court date."
	timelineHint      = "Choose an event on the left to see its source and who recorded it."
)

func (t *timelineTab) build() fyne.CanvasObject {
	return t.listTab.build(listSpec[app.TimelineEvent]{
		addLabel: "Add event…", add: t.addEvent, hint: timelineHint, firstHint: timelineFirstHint,
		empty: "No events yet. Record missing episodes, placements, interviews and court dates: Add event…",
		read:  (*app.Records).Timeline,
		id:    func(e app.TimelineEvent) app.ID { return e.ID },
		row: func(e app.TimelineEvent, o fyne.CanvasObject) {
			setListRow(o, format.Date(e.Date)+" · "+sentenceCase(string(e.Kind)), e.Description, widget.MediumImportance)
		},
		details:      t.details,
		forgetOnLoad: true, // nothing chosen: the detail pane says what to do
	})
}

// details are an event's date, kind and source, and its Delete button.
func (t *timelineTab) details(e app.TimelineEvent) []fyne.CanvasObject {
	ws := t.ws
	msg := errorLabel()
	id := e.ID
	form := widget.NewForm(
		formItem("Date", format.Date(e.Date)),
		formItem("Kind", sentenceCase(string(e.Kind))),
		formItem("Source", orNone(e.Source)),
		formItem("Recorded", e.By+", "+format.DateTime(e.Created)),
	)
	del := widget.NewButtonWithIcon("Delete event", theme.DeleteIcon(), func() {
		ws.confirmDelete("Delete event", "Delete this event from the timeline? Only do this for an event recorded by mistake.", "Delete", func() {
			if !ws.open() {
				return
			}
			if err := ws.records.DeleteTimelineEvent(ws.id, id); err != nil {
				say(msg, app.Sentence(err))
				return
			}
			t.selected = app.ID{}
			t.load()
			ws.changed()
		})
	})
	del.Importance = widget.LowImportance
	ws.guard(del)
	return []fyne.CanvasObject{subheading(e.Description), form, container.NewHBox(del), msg}
}

// addEvent records a dated event.
func (t *timelineTab) addEvent() {
	ws := t.ws
	var kinds []string
	for _, k := range app.EventKinds {
		kinds = append(kinds, sentenceCase(string(k)))
	}
	kind := widget.NewSelect(kinds, nil)
	kind.PlaceHolder = "Choose a kind of event"
	date := widget.NewDateEntry()
	source := newDialogEntry("")
	source.SetPlaceHolder("for example: CPS report, school")
	desc := newDialogEntry("")
	desc.SetPlaceHolder("one line; detail belongs in a note")
	form := widget.NewForm(
		widget.NewFormItem("Kind", kind),
		widget.NewFormItem("Date", date),
		widget.NewFormItem("Source", source),
		widget.NewFormItem("What happened", desc),
	)
	ws.formDialog("Add timeline event", "Add event", form, func() string {
		in := app.TimelineInput{Source: source.Text, Description: desc.Text}
		for i, k := range app.EventKinds {
			if kinds[i] == kind.Selected {
				in.Kind = k
			}
		}
		if date.Date != nil {
			in.Date = *date.Date
		}
		if _, err := ws.records.AddTimelineEvent(ws.id, in); err != nil {
			return app.Sentence(err)
		}
		t.load() // the list in date order, nothing chosen
		ws.changed()
		return ""
	})
}
