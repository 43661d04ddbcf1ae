package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// meetingsView is the MDT's case review meetings: the list on the left, the chosen
// meeting on the right with its roster and attendance, its agenda of cases (proposed
// from the cases due for review and those with overdue items) with what was
// discussed, decided and given as action items, and its minutes.
type meetingsView struct {
	s        *Shell
	records  *app.Records
	all      []app.Meeting
	list     *widget.List
	listBox  *fyne.Container
	detail   *fyne.Container
	selected app.ID
	shown    *meetingData
}

// meetingData is one meeting with what the detail pane shows of it, read off the UI
// goroutine.
type meetingData struct {
	m       app.Meeting
	cases   map[app.ID]app.CaseSummary // agenda cases still in the vault
	reviews map[app.ID]app.CaseReview
	actions []app.ActionItem
}

const meetingsHint = "Choose a meeting, or set up the next one: New meeting…"

func newMeetingsView(s *Shell) *meetingsView { return &meetingsView{s: s, records: s.records} }

func (v *meetingsView) object() fyne.CanvasObject {
	v.list = widget.NewList(func() int { return len(v.all) }, listRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		m := v.all[i]
		state := "draft"
		if m.Final() {
			state = "minutes final"
		}
		setListRow(o, m.Title, format.DateTime(m.At)+" · "+format.Count(len(m.Cases), "case", "cases")+" · "+state, widget.MediumImportance)
	})
	v.list.OnSelected = func(i widget.ListItemID) { v.selected = v.all[i].ID; v.loadMeeting() }
	add := widget.NewButtonWithIcon("New meeting…", theme.ContentAddIcon(), v.newMeeting)
	add.Importance = widget.HighImportance
	v.listBox = container.NewStack()
	v.detail = container.NewStack(emptyState(meetingsHint))
	top := container.NewVBox(heading("Meetings"),
		quiet("MDT case reviews: who attended, which cases were reviewed, what was decided and who does what by when."),
		container.NewHBox(add))
	v.load()
	split := container.NewHSplit(container.New(widthLayout{260}, v.listBox), container.NewPadded(v.detail))
	split.Offset = 0.28
	return container.NewBorder(top, nil, nil, nil, split)
}

// open reports whether the vault this view was made on is still unlocked.
func (v *meetingsView) open() bool { return v.s.records == v.records && v.records != nil }

// load reads the meetings off the UI goroutine.
func (v *meetingsView) load() {
	records := v.records
	var all []app.Meeting
	var err error
	v.s.runInBackground(func() { all, err = records.Meetings() }, func() {
		if !v.open() {
			return
		}
		if err == nil {
			v.all = all
		}
		fillList(v.listBox, v.list, len(all), err, "No meetings yet. Set up the next case review with New meeting…")
		for i, m := range v.all {
			if m.ID == v.selected {
				v.list.Select(i) // nothing happens when it is already selected
				break
			}
		}
		v.loadMeeting()
	})
}

// loadMeeting reads the selected meeting and everything its pane shows.
func (v *meetingsView) loadMeeting() {
	if v.selected.IsZero() {
		v.detail.Objects = []fyne.CanvasObject{emptyState(meetingsHint)}
		v.detail.Refresh()
		return
	}
	records, id := v.records, v.selected
	var md *meetingData
	var err error
	v.s.runInBackground(func() { md, err = readMeetingData(records, id) }, func() {
		if !v.open() || v.selected != id {
			return
		}
		if err != nil {
			v.detail.Objects = []fyne.CanvasObject{failedLine(err)}
			v.detail.Refresh()
			return
		}
		v.shown = md
		v.detail.Objects = []fyne.CanvasObject{v.meetingPane(md)}
		v.detail.Refresh()
	})
}

func readMeetingData(r *app.Records, id app.ID) (*meetingData, error) {
	m, err := r.Meeting(id)
	if err != nil {
		return nil, err
	}
	md := &meetingData{m: m, cases: map[app.ID]app.CaseSummary{}, reviews: map[app.ID]app.CaseReview{}}
	for _, c := range m.Cases {
		s, err := r.CaseSummary(c)
		if err != nil {
			continue // deleted since
		}
		md.cases[c] = s
		if rv, ok, err := r.Review(id, c); err != nil {
			return nil, err
		} else if ok {
			md.reviews[c] = rv
		}
	}
	md.actions, err = r.MeetingActions(id)
	return md, err
}

// meetingPane is one meeting: its header and actions, roster, agenda.
func (v *meetingsView) meetingPane(md *meetingData) fyne.CanvasObject {
	m := md.m
	state := quiet("Draft minutes: attendance, reviews and action items can still change.")
	if m.Final() {
		state = quiet("Minutes finalized " + format.DateTime(m.Finalized) + " by " + m.FinalizedBy + ". They no longer change; action items still move on.")
	}
	edit := widget.NewButton("Edit…", func() { v.editMeeting(m) })
	propose := widget.NewButton("Propose agenda…", func() { v.proposeAgenda(m) })
	addCase := widget.NewButton("Add case…", func() { v.addCase(m) })
	printBtn := widget.NewButtonWithIcon("Print minutes…", theme.DocumentPrintIcon(), func() { v.printMinutes(m) })
	final := widget.NewButton("Finalize minutes…", func() { v.finalize(m) })
	if m.Final() {
		for _, b := range []*widget.Button{edit, propose, addCase, final} {
			b.Disable()
		}
	}
	title := subheading(m.Title + " · " + format.DateTime(m.At))
	title.Wrapping = fyne.TextWrapWord
	parts := []fyne.CanvasObject{
		title, state,
		container.NewHBox(edit, propose, addCase, printBtn, final),
		widget.NewSeparator(),
		subheading("Roster and attendance"),
	}
	parts = append(parts, v.rosterRows(m)...)
	parts = append(parts, widget.NewSeparator(), subheading("Agenda"))
	if len(m.Cases) == 0 {
		parts = append(parts, quiet("No cases on the agenda yet. Propose agenda… lists the open cases due for review and those with overdue items."))
	}
	for _, c := range m.Cases {
		parts = append(parts, v.agendaCase(md, c)...)
	}
	return container.NewVScroll(container.NewVBox(parts...))
}

// rosterRows are the roster's members with a check for attendance.
func (v *meetingsView) rosterRows(m app.Meeting) []fyne.CanvasObject {
	if len(m.Roster) == 0 {
		return []fyne.CanvasObject{quiet("No roster yet. Edit… adds members from the partner directory.")}
	}
	grid := container.NewVBox()
	for _, a := range m.Roster {
		a := a
		check := widget.NewCheck("", nil)
		check.SetChecked(a.Attended)
		check.OnChanged = func(on bool) {
			if !v.open() {
				return
			}
			if _, err := v.records.SetAttendance(m.ID, a.ID, on); err != nil {
				dialog.ShowInformation("Attendance", app.Sentence(err), v.s.win)
			}
			v.loadMeeting()
		}
		if m.Final() {
			check.Disable()
		}
		var right fyne.CanvasObject
		if a.PartnerID.IsZero() && !m.Final() {
			right = v.s.addToDirectoryButton(a.Name(), a.Category, func(e app.DirectoryEntry) { v.relinkAttendee(m, a, e) })
		}
		// The name wraps: a long name never widens the window.
		name := wrapped(a.Name() + " · " + categoryTitle(a.Category))
		grid.Add(container.NewBorder(nil, nil, check, right, name))
	}
	return []fyne.CanvasObject{grid}
}

// relinkAttendee replaces a typed roster member by the directory entry made from them.
func (v *meetingsView) relinkAttendee(m app.Meeting, old app.Attendee, e app.DirectoryEntry) {
	in := meetingInput(m)
	for i, a := range m.Roster {
		if a.ID == old.ID {
			in.Roster[i] = app.AttendeeInput{PartnerID: e.ID, Attended: a.Attended}
		}
	}
	if _, err := v.records.UpdateMeeting(m.ID, in); err != nil {
		dialog.ShowInformation("Roster", app.Sentence(err), v.s.win)
	}
	v.loadMeeting()
}

// meetingInput is a meeting as an input, for changing part of it.
func meetingInput(m app.Meeting) app.MeetingInput {
	in := app.MeetingInput{At: m.At, Title: m.Title, Cases: slices.Clone(m.Cases)}
	for _, a := range m.Roster {
		in.Roster = append(in.Roster, app.AttendeeInput{PartnerID: a.PartnerID, Person: a.Person,
			Organization: a.Organization, Category: a.Category, Attended: a.Attended})
	}
	return in
}

// agendaCase is one case of the agenda: what was recorded about it and its action
// items.
func (v *meetingsView) agendaCase(md *meetingData, c app.ID) []fyne.CanvasObject {
	s, ok := md.cases[c]
	if !ok {
		return []fyne.CanvasObject{quiet("A case deleted since the meeting.")}
	}
	m := md.m
	rv, reviewed := md.reviews[c]
	status := quietLine("not reviewed yet")
	if reviewed {
		status = quietLine(format.Count(len(rv.Points), "point", "points") + " · " + format.Count(len(rv.Decisions), "decision", "decisions"))
	}
	review := widget.NewButton("Review…", func() { v.reviewCase(m, s, rv) })
	act := widget.NewButton("Action item…", func() { v.addAction(m, s) })
	if m.Final() {
		review.Disable()
		act.Disable()
	}
	title := widget.NewLabelWithStyle(caseLabel(s.Number, s.Alias), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	out := []fyne.CanvasObject{container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(review, act)), container.NewHBox(title, status))}
	for _, p := range rv.Points {
		l := wrapped("• " + capitalise(p.Kind.Label()) + ": " + p.Summary + noteCount(len(p.Notes)))
		out = append(out, l)
	}
	for _, d := range rv.Decisions {
		out = append(out, wrapped("Decision: "+d.Text))
	}
	for _, a := range md.actions {
		if a.Case != c {
			continue
		}
		a := a
		done := widget.NewCheck("", func(on bool) {
			if !v.open() {
				return
			}
			if _, err := v.records.SetActionDone(a.Case, a.ID, on); err != nil {
				dialog.ShowInformation("Action item", app.Sentence(err), v.s.win)
			}
			v.loadMeeting()
		})
		done.SetChecked(!a.Open())
		due := widget.NewLabel(format.Due(a.Due, a.Open() && format.DayDiff(v.s.clock.Now(), a.Due) < 0, v.s.clock.Now()))
		if a.Open() {
			due.Importance = dueImportance(a.Due, format.DayDiff(v.s.clock.Now(), a.Due) < 0, v.s.clock.Now())
		} else {
			due.SetText("done " + format.Date(a.Done))
			due.Importance = widget.LowImportance
		}
		what := wrapped(a.Title + " · " + a.Owner)
		out = append(out, container.NewBorder(nil, nil, container.NewHBox(done, container.New(widthLayout{130}, due)), nil, what))
	}
	return append(out, gap())
}

func noteCount(n int) string {
	if n == 0 {
		return ""
	}
	return " (" + format.Count(n, "note", "notes") + " by reference)"
}
