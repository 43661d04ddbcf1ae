package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

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
