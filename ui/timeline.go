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
	ws       *caseWorkspace
	slot     loadSlot
	events   []app.TimelineEvent
	list     *widget.List
	listBox  *fyne.Container
	detail   *fyne.Container
	selected app.ID
}

// What the detail pane says before an event is chosen: how to add the first one
// on an empty timeline, else how to see an event's source.
const (
	timelineFirstHint = "Add the first event with Add event…: when the child went missing or was found, an interview, a placement or a court date."
	timelineHint      = "Choose an event on the left to see its source and who recorded it."
)

func (t *timelineTab) build() fyne.CanvasObject {
	t.list = widget.NewList(func() int { return len(t.events) }, listRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		e := t.events[i]
		setListRow(o, format.Date(e.Date)+" · "+sentenceCase(string(e.Kind)), e.Description, widget.MediumImportance)
	})
	t.list.OnSelected = func(i widget.ListItemID) { t.selected = t.events[i].ID; t.showEvent() }
	var obj fyne.CanvasObject
	t.listBox, t.detail, obj = t.ws.listTab("Add event…", t.addEvent, timelineFirstHint)
	t.load()
	return obj
}

func (t *timelineTab) load() {
	readCase(t.ws, &t.slot, func(r *app.Records, id app.ID) ([]app.TimelineEvent, error) { return r.Timeline(id) },
		func(events []app.TimelineEvent, err error) {
			if err == nil {
				t.events = events
				t.list.UnselectAll()
				t.selected = app.ID{} // nothing chosen: the detail pane says what to do
			}
			fillList(t.listBox, t.list, len(events), err, "No events yet. Record missing episodes, placements, interviews and court dates: Add event…")
			t.showEvent()
		})
}

func (t *timelineTab) showEvent() {
	var e *app.TimelineEvent
	for i := range t.events {
		if t.events[i].ID == t.selected {
			e = &t.events[i]
		}
	}
	if e == nil {
		hint := timelineHint
		if len(t.events) == 0 {
			hint = timelineFirstHint
		}
		t.detail.Objects = []fyne.CanvasObject{emptyState(hint)}
		t.detail.Refresh()
		return
	}
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
			t.showEvent()
			ws.changed()
		})
	})
	del.Importance = widget.LowImportance
	ws.guard(del)
	t.detail.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(
		subheading(e.Description), form, container.NewHBox(del), msg))}
	t.detail.Refresh()
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
		e, err := ws.records.AddTimelineEvent(ws.id, in)
		if err != nil {
			return app.Sentence(err)
		}
		t.selected = e.ID
		t.load()
		t.showEvent()
		ws.changed()
		return ""
	})
}
