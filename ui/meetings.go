package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/export"
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

// maxProposals bounds the proposals one dialog lists (those due longest come
// first); the rest wait for the next meeting.
const maxProposals = 60

// proposeAgenda lists the open cases due for review and those with overdue items,
// with the reasons, read off the UI goroutine; the checked ones join the agenda.
func (v *meetingsView) proposeAgenda(m app.Meeting) {
	records := v.records
	var proposed []app.AgendaProposal
	var err error
	v.s.runInBackground(func() { proposed, err = records.ProposeAgenda(m.At) }, func() {
		if !v.open() {
			return
		}
		if err != nil {
			dialog.ShowInformation("Propose agenda", app.Sentence(err), v.s.win)
			return
		}
		v.showProposals(m, proposed)
	})
}

func (v *meetingsView) showProposals(m app.Meeting, proposed []app.AgendaProposal) {
	var fresh []app.AgendaProposal
	for _, p := range proposed {
		if !slices.Contains(m.Cases, p.Case.ID) {
			fresh = append(fresh, p)
		}
	}
	if len(fresh) == 0 {
		dialog.ShowInformation("Propose agenda", "No other open case is due for review or has overdue items on "+format.Date(m.At)+".", v.s.win)
		return
	}
	box := container.NewVBox(quiet(format.Count(len(fresh), "case is", "cases are") + " due for review or have overdue items. Check the ones to add."))
	if more := len(fresh) - maxProposals; more > 0 {
		fresh = fresh[:maxProposals]
		box.Add(quiet(fmt.Sprintf("The %d due longest are listed; %s wait for the next meeting.", maxProposals, format.Count(more, "other", "others"))))
	}
	checks := make([]*widget.Check, len(fresh))
	for i, p := range fresh {
		checks[i] = widget.NewCheck(caseLabel(p.Case.Number, p.Case.Alias), nil)
		checks[i].SetChecked(i < 12)
		box.Add(checks[i])
		box.Add(container.NewPadded(quietLine(strings.Join(p.Reasons(), " · "))))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(560, 380))
	v.s.formDialog("Propose agenda", "Add to agenda", 600, scroll, func() string {
		if !v.open() {
			return app.Sentence(app.ErrLocked)
		}
		in := meetingInput(m)
		for i, p := range fresh {
			if checks[i].Checked {
				in.Cases = append(in.Cases, p.Case.ID)
			}
		}
		if _, err := v.records.UpdateMeeting(m.ID, in); err != nil {
			return app.Sentence(err)
		}
		v.load()
		return ""
	})
}

// addCase puts a case on the agenda by its number.
func (v *meetingsView) addCase(m app.Meeting) {
	number := newDialogEntry("case number, e.g. 2026-TF-0412")
	v.s.formDialog("Add a case to the agenda", "Add", 420, number, func() string {
		if !v.open() {
			return app.Sentence(app.ErrLocked)
		}
		c, err := v.records.CaseByNumber(strings.TrimSpace(number.Text))
		if err != nil {
			return app.Sentence(err)
		}
		if _, err := v.records.AddToAgenda(m.ID, c.ID); err != nil {
			return app.Sentence(err)
		}
		v.load()
		return ""
	})
}

// reviewCase records what the meeting discussed and decided about a case: short
// points (by reference to final notes, never privileged ones) and decisions, each
// with its topic.
func (v *meetingsView) reviewCase(m app.Meeting, s app.CaseSummary, rv app.CaseReview) {
	notes, err := v.records.Notes(s.ID)
	if err != nil {
		dialog.ShowInformation("Review", app.Sentence(err), v.s.win)
		return
	}
	refs, refIDs := []string{"no note"}, []app.ID{{}}
	for _, n := range notes {
		if n.Final() && n.Sensitivity != app.SensitivityAdvocatePrivileged {
			refs = append(refs, sentenceCase(string(n.Kind))+" note of "+format.Date(n.Created)+" by "+n.Author)
			refIDs = append(refIDs, n.ID)
		}
	}
	type pointRow struct {
		topic   *listChoice
		summary *dialogEntry
		note    *dialogSelect
	}
	type decisionRow struct {
		topic *listChoice
		text  *dialogEntry
	}
	var points []pointRow
	var decisions []decisionRow
	pointBox, decisionBox := container.NewVBox(), container.NewVBox()
	addPoint := func(p app.ReviewPoint) {
		r := pointRow{topic: infoChoice(app.ReviewKinds), summary: newDialogEntry("what was said, in a line; detail belongs in notes"), note: newDialogSelect(refs)}
		if p.Kind != "" {
			r.topic.set(string(p.Kind))
		}
		r.summary.SetText(p.Summary)
		r.note.SetSelectedIndex(0)
		if len(p.Notes) > 0 {
			if i := slices.Index(refIDs, p.Notes[0]); i > 0 {
				r.note.SetSelectedIndex(i)
			}
		}
		points = append(points, r)
		pointBox.Add(container.NewBorder(nil, nil, container.New(widthLayout{170}, r.topic), nil,
			container.NewVBox(r.summary, r.note)))
	}
	addDecision := func(d app.Decision) {
		r := decisionRow{topic: infoChoice(app.ReviewKinds), text: newDialogEntry("what the meeting decided")}
		if d.Kind != "" {
			r.topic.set(string(d.Kind))
		}
		r.text.SetText(d.Text)
		decisions = append(decisions, r)
		decisionBox.Add(container.NewBorder(nil, nil, container.New(widthLayout{170}, r.topic), nil, r.text))
	}
	for _, p := range rv.Points {
		addPoint(p)
	}
	if len(rv.Points) == 0 {
		addPoint(app.ReviewPoint{})
	}
	for _, d := range rv.Decisions {
		addDecision(d)
	}
	if len(rv.Decisions) == 0 {
		addDecision(app.Decision{})
	}
	morePoint := widget.NewButtonWithIcon("Another point", theme.ContentAddIcon(), func() { addPoint(app.ReviewPoint{}); pointBox.Refresh() })
	moreDecision := widget.NewButtonWithIcon("Another decision", theme.ContentAddIcon(), func() { addDecision(app.Decision{}); decisionBox.Refresh() })
	morePoint.Importance, moreDecision.Importance = widget.LowImportance, widget.LowImportance
	content := container.NewVBox(
		quiet("Discuss by reference: name the final notes a point draws on, never their text. Advocate-privileged notes, the legal identity, contact details and locations are never part of a review."),
		fieldLabel("Discussion"), pointBox, container.NewHBox(morePoint),
		fieldLabel("Decisions"), decisionBox, container.NewHBox(moreDecision))
	scroll := container.NewVScroll(content)
	scroll.SetMinSize(fyne.NewSize(640, 420))
	v.s.formDialog("Review of "+caseLabel(s.Number, s.Alias), "Save review", 680, scroll, func() string {
		if !v.open() {
			return app.Sentence(app.ErrLocked)
		}
		var in app.ReviewInput
		for _, p := range points {
			pt := app.ReviewPoint{Kind: app.InfoKind(p.topic.value()), Summary: p.summary.Text}
			if i := p.note.SelectedIndex(); i > 0 {
				pt.Notes = []app.ID{refIDs[i]}
			}
			in.Points = append(in.Points, pt)
		}
		for _, d := range decisions {
			in.Decisions = append(in.Decisions, app.Decision{Kind: app.InfoKind(d.topic.value()), Text: d.text.Text})
		}
		if _, err := v.records.RecordReview(m.ID, s.ID, in); err != nil {
			return app.Sentence(err)
		}
		v.loadMeeting()
		return ""
	})
}

// addAction gives a case an action item with an owner and a due date; it goes on
// the task list.
func (v *meetingsView) addAction(m app.Meeting, s app.CaseSummary) {
	title := newDialogEntry("e.g. Confirm the therapy intake date")
	topic := infoChoice(app.ReviewKinds)
	owner := v.s.newPartnerField("a partner from the directory, or a person")
	due := newDialogDateEntry()
	form := widget.NewForm(
		widget.NewFormItem("Action", title),
		widget.NewFormItem("Topic", topic),
		widget.NewFormItem("Owner", owner.entry),
		widget.NewFormItem("Due", due),
	)
	v.s.formDialog("Action item for "+caseLabel(s.Number, s.Alias), "Add", 560, form, func() string {
		if !v.open() {
			return app.Sentence(app.ErrLocked)
		}
		in := app.ActionInput{Title: title.Text, Kind: app.InfoKind(topic.value())}
		in.Owner, in.OwnerPartner = owner.value()
		if due.Date != nil {
			in.Due = *due.Date
		}
		if _, err := v.records.AddActionItem(m.ID, s.ID, in); err != nil {
			return app.Sentence(err)
		}
		v.loadMeeting()
		return ""
	})
}

// finalize makes the minutes final after one sentence of what that means.
func (v *meetingsView) finalize(m app.Meeting) {
	d := dialog.NewCustomConfirm("Finalize minutes", "Finalize", "Cancel",
		container.New(widthLayout{380}, paragraph("The roster, agenda, discussion and decisions of this meeting will no longer change. Action items can still be marked done.")),
		func(ok bool) {
			if !ok || !v.open() {
				return
			}
			if _, err := v.records.FinalizeMinutes(m.ID); err != nil {
				dialog.ShowInformation("Finalize minutes", app.Sentence(err), v.s.win)
				return
			}
			v.load()
		}, v.s.win)
	v.s.closeOnEscape(d)
	d.Show()
}

// printMinutes writes the minutes as a PDF into a folder the user chooses.
func (v *meetingsView) printMinutes(m app.Meeting) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		v.writeMinutes(m, u.Path())
	}, v.s.win)
	d.SetOnClosed(v.s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// writeMinutes builds the minutes under the partner profile's rules and writes the
// PDF in folder, off the UI goroutine; it says what was withheld.
func (v *meetingsView) writeMinutes(m app.Meeting, folder string) {
	if v.s.session == nil {
		return
	}
	keys, err := v.s.session.UserKeys()
	if err != nil {
		dialog.ShowInformation("Minutes", app.Sentence(err), v.s.win)
		return
	}
	records, now := v.records, v.s.clock.Now()
	ex := export.ExporterOf(records, keys)
	var path string
	var mins *export.Minutes
	v.s.runInBackground(func() {
		mins, err = export.BuildMinutes(records, m.ID, ex, now)
		if err != nil {
			return
		}
		path = filepath.Join(folder, export.MinutesFileName(mins))
		if _, statErr := os.Stat(path); statErr == nil {
			err = errMinutesExist
			return
		}
		err = export.WriteFile(path, func(f *os.File) error { return export.WriteMinutesPDF(f, mins, export.Letter) })
	}, func() {
		switch {
		case err == errMinutesExist:
			dialog.ShowInformation("Minutes", "A file of that name is already in the folder. Choose another folder, or move the old file first.", v.s.win)
		case err != nil:
			dialog.ShowInformation("Minutes", "The minutes could not be written: "+app.Sentence(err), v.s.win)
		default:
			text := "Written to " + path + "."
			if n := len(mins.Withheld); n > 0 {
				text += fmt.Sprintf(" %s withheld under the partner profile's rules; the minutes list %s with the reason.",
					format.Count(n, "item was", "items were"), pick(n, "it", "them"))
			}
			dialog.ShowInformation("Minutes", text, v.s.win)
		}
	})
}

// errMinutesExist: the folder already holds minutes of that meeting's date.
var errMinutesExist = fmt.Errorf("minutes file exists")
