package app_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"casenotes/app"
)

// mtPartner adds a directory entry.
func mtPartner(t testing.TB, r *app.Records, org, person string, cat app.Partner) app.DirectoryEntry {
	t.Helper()
	e, err := r.AddPartner(app.PartnerInput{Organization: org, Person: person, Category: cat})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A case review meeting from the proposed agenda to the action items on the task
// list: cases due for review (by each case's interval) and cases with overdue
// checklist items are proposed, the roster comes from the directory with a typed
// guest, attendance is marked, the discussion refers to notes by reference only
// (never a privileged note or a draft), and action items are tasks until done.
func TestCaseReviewMeeting(t *testing.T) {
	r, _ := clVault(t)
	user := r.User
	clUseTemplate(t, r, clTaskTemplate)
	meetingDay := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	r.Now = func() time.Time { return meetingDay.Add(-time.Hour) }

	due := clCase(t, r, "2026-1", clDay(2026, 1, 20))    // opened 49 days before: due for review
	weekly := clCase(t, r, "2026-2", clDay(2026, 3, 1))  // opened 9 days before, reviewed every 7 days
	fresh := clCase(t, r, "2026-3", clDay(2026, 3, 9))   // opened the day before: not due
	late := clCase(t, r, "2026-4", clDay(2026, 3, 5))    // item "a" due Mar 5: overdue
	closed := clCase(t, r, "2026-5", clDay(2025, 12, 1)) // closed: never proposed
	ia := clItemIDs(t, r, fresh.ID)
	if _, err := r.SetItemStatus(fresh.ID, ia["a"], app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetItemStatus(weekly.ID, clItemIDs(t, r, weekly.ID)["a"], app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetItemStatus(due.ID, clItemIDs(t, r, due.ID)["a"], app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetItemStatus(due.ID, clItemIDs(t, r, due.ID)["b"], app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetCaseStatus(closed.ID, app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	_, err := r.SetReviewInterval(weekly.ID, 400)
	assertFieldError(t, err, "review interval", app.ErrInvalid)
	if _, err := r.SetReviewInterval(weekly.ID, 7); err != nil {
		t.Fatal(err)
	}

	proposed, err := r.ProposeAgenda(meetingDay)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, p := range proposed {
		numbers = append(numbers, p.Case.Number)
	}
	if !slices.Equal(numbers, []string{"2026-1", "2026-2", "2026-4"}) {
		t.Fatalf("proposed %v; want the two due for review (longest first), then the one with an overdue item", numbers)
	}
	if rs := proposed[0].Reasons(); len(rs) != 2 || rs[0] != "due for review since Feb 19, 2026, never reviewed" || rs[1] != "1 overdue checklist item" {
		t.Errorf("reasons %q", rs)
	}
	if rs := proposed[2].Reasons(); len(rs) != 1 || rs[0] != "1 overdue checklist item" {
		t.Errorf("reasons %q", rs)
	}

	prosecutor := mtPartner(t, r, "Demo County Prosecutor's Office", "ADA Ruiz", "prosecution")
	shelter := mtPartner(t, r, "Demo Youth Shelter", "", "victim-services")
	before := dumpStore(t, r.Store())
	_, err = r.CreateMeeting(app.MeetingInput{Title: "March review"})
	assertFieldError(t, err, "meeting date", app.ErrInvalid)
	_, err = r.CreateMeeting(app.MeetingInput{At: meetingDay, Roster: []app.AttendeeInput{{Person: " "}}})
	assertFieldError(t, err, "roster member 1: name", app.ErrInvalid)
	_, err = r.CreateMeeting(app.MeetingInput{At: meetingDay, Roster: []app.AttendeeInput{{PartnerID: app.NewID()}}})
	assertFieldError(t, err, "partner", app.ErrInvalid)
	assertSameStore(t, before, dumpStore(t, r.Store()))

	var agenda []app.ID
	for _, p := range proposed {
		agenda = append(agenda, p.Case.ID)
	}
	m, err := r.CreateMeeting(app.MeetingInput{At: meetingDay, Title: "March MDT case review", Cases: agenda,
		Roster: []app.AttendeeInput{{PartnerID: prosecutor.ID}, {PartnerID: shelter.ID},
			{Person: "Coordinator Diaz", Organization: "Demo CAC", Category: "other"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Roster) != 3 || m.Roster[0].Name() != "ADA Ruiz at Demo County Prosecutor's Office" || m.Roster[0].Category != "prosecution" {
		t.Fatalf("roster %+v", m.Roster)
	}
	for _, a := range m.Roster[:2] {
		if _, err := r.SetAttendance(m.ID, a.ID, true); err != nil {
			t.Fatal(err)
		}
	}

	// Discussion by reference: a final standard note may be named; a privileged note
	// or a draft may not; legal identity and advocate notes are never topics.
	note, _ := r.AddNote(due.ID, app.NoteInput{Kind: app.NoteContact, Body: "Met at the CAC with the advocate."})
	if _, err := r.FinaliseNote(due.ID, note.ID); err != nil {
		t.Fatal(err)
	}
	priv, _ := r.AddNote(due.ID, app.NoteInput{Kind: app.NoteService, Body: "Privileged counseling detail.", Sensitivity: app.SensitivityAdvocatePrivileged})
	if _, err := r.FinaliseNote(due.ID, priv.ID); err != nil {
		t.Fatal(err)
	}
	draft, _ := r.AddNote(due.ID, app.NoteInput{Kind: app.NoteObservation, Body: "draft"})
	for _, tc := range []struct {
		in    app.ReviewInput
		field string
	}{
		{app.ReviewInput{Points: []app.ReviewPoint{{Summary: "See note", Notes: []app.ID{priv.ID}}}}, "note reference"},
		{app.ReviewInput{Points: []app.ReviewPoint{{Summary: "See note", Notes: []app.ID{draft.ID}}}}, "note reference"},
		{app.ReviewInput{Points: []app.ReviewPoint{{Summary: "See note", Notes: []app.ID{app.NewID()}}}}, "note reference"},
		{app.ReviewInput{Points: []app.ReviewPoint{{Kind: app.InfoIdentity, Summary: "Name"}}}, "discussion point 1: topic"},
		{app.ReviewInput{Decisions: []app.Decision{{Kind: app.InfoAdvocateNotes, Text: "x"}}}, "decision 1: topic"},
	} {
		_, err := r.RecordReview(m.ID, due.ID, tc.in)
		assertFieldError(t, err, tc.field, app.ErrInvalid)
	}
	rv, err := r.RecordReview(m.ID, due.ID, app.ReviewInput{
		Points: []app.ReviewPoint{{Summary: "Interview done; charging decision pending.", Notes: []app.ID{note.ID}},
			{Kind: app.InfoServices, Summary: "Shelter placement stable."}},
		Decisions: []app.Decision{{Text: "Prosecutor to decide on charges by the next review."}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rv.Points) != 2 || rv.Points[0].Kind != app.InfoCaseStatus || rv.By != user {
		t.Errorf("review %+v", rv)
	}
	// The case's next review moves an interval after the meeting.
	p, _ := r.CasePractice(due.ID)
	if !p.LastReviewed.Equal(clDay(2026, 3, 10)) || !p.NextReview(due.Opened).Equal(clDay(2026, 4, 9)) {
		t.Errorf("practice %+v, next %v", p, p.NextReview(due.Opened))
	}

	// Action items: an owner (person or partner) and a due date; they are tasks.
	_, err = r.AddActionItem(m.ID, due.ID, app.ActionInput{Title: "Charging decision", Due: clDay(2026, 3, 20)})
	assertFieldError(t, err, "owner", app.ErrInvalid)
	_, err = r.AddActionItem(m.ID, due.ID, app.ActionInput{Title: "Charging decision", Owner: "ADA Ruiz"})
	assertFieldError(t, err, "due date", app.ErrInvalid)
	_, err = r.AddActionItem(m.ID, fresh.ID, app.ActionInput{Title: "x", Owner: "y", Due: clDay(2026, 3, 20)})
	assertFieldError(t, err, "case", app.ErrInvalid)
	act, err := r.AddActionItem(m.ID, due.ID, app.ActionInput{Title: "Charging decision", OwnerPartner: prosecutor.ID, Due: clDay(2026, 3, 20)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddActionItem(m.ID, late.ID, app.ActionInput{Title: "Update the screening", Owner: "Adv. Kim", Due: clDay(2026, 3, 12)}); err != nil {
		t.Fatal(err)
	}
	tasks, err := r.UpcomingAndOverdue(meetingDay, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, tk := range tasks {
		if tk.Kind == app.TaskAction {
			actions = append(actions, tk.CaseNumber+" "+tk.Title+" · "+tk.Partner)
		}
	}
	want := []string{"2026-4 Action: Update the screening · Adv. Kim", "2026-1 Action: Charging decision · ADA Ruiz at Demo County Prosecutor's Office"}
	if !slices.Equal(actions, want) {
		t.Fatalf("action tasks %q, want %q", actions, want)
	}
	if _, err := r.SetActionDone(due.ID, act.ID, true); err != nil {
		t.Fatal(err)
	}
	tasks, _ = r.UpcomingAndOverdue(meetingDay, 30*24*time.Hour)
	if slices.ContainsFunc(tasks, func(tk app.Task) bool { return tk.Item == act.ID }) {
		t.Error("a done action item is still a task")
	}

	// Finalizing needs attendance and a review of every case left on the agenda.
	_, err = r.FinalizeMinutes(m.ID)
	assertFieldError(t, err, "agenda", app.ErrInvalid)
	if _, err := r.UpdateMeeting(m.ID, app.MeetingInput{At: m.At, Title: m.Title, Cases: []app.ID{due.ID, late.ID},
		Roster: []app.AttendeeInput{{PartnerID: prosecutor.ID, Attended: true}, {PartnerID: shelter.ID, Attended: true},
			{Person: "Coordinator Diaz", Organization: "Demo CAC", Category: "other"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RecordReview(m.ID, late.ID, app.ReviewInput{Points: []app.ReviewPoint{{Summary: "Screening overdue."}}}); err != nil {
		t.Fatal(err)
	}
	fin, err := r.FinalizeMinutes(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !fin.Final() || fin.FinalizedBy != user {
		t.Errorf("finalized %+v", fin)
	}
	frozen := dumpStore(t, r.Store())
	for name, call := range map[string]func() error{
		"RecordReview": func() error { _, err := r.RecordReview(m.ID, due.ID, app.ReviewInput{}); return err },
		"AddActionItem": func() error {
			_, err := r.AddActionItem(m.ID, due.ID, app.ActionInput{Title: "x", Owner: "y", Due: meetingDay})
			return err
		},
		"SetAttendance": func() error { _, err := r.SetAttendance(m.ID, m.Roster[2].ID, true); return err },
		"AddToAgenda":   func() error { _, err := r.AddToAgenda(m.ID, fresh.ID); return err },
	} {
		if err := call(); !errors.Is(err, app.ErrFinal) {
			t.Errorf("%s after the minutes were finalized: %v", name, err)
		}
	}
	assertSameStore(t, frozen, dumpStore(t, r.Store()))
	// Action items still move on after the minutes are final.
	if _, err := r.SetActionDone(due.ID, act.ID, false); err != nil {
		t.Fatal(err)
	}

	// The next meeting takes the roster of this one, attendance cleared.
	next, err := r.CreateMeeting(app.MeetingInput{At: meetingDay.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Roster) != 3 || next.Roster[0].Attended || next.Title != "MDT case review" {
		t.Errorf("next meeting %+v", next)
	}
	ms, _ := r.Meetings()
	if len(ms) != 2 || ms[0].ID != next.ID {
		t.Errorf("meetings not most recent first")
	}
	items, _ := r.MeetingActions(m.ID)
	if len(items) != 2 || items[0].Case != due.ID {
		t.Errorf("meeting actions %+v", items)
	}
	if revs, _ := r.CaseReviews(due.ID); len(revs) != 1 || revs[0].Meeting != m.ID {
		t.Errorf("case reviews %+v", revs)
	}
}

// Deleting a case takes its reviews and action items (and their tasks) with it; the
// meeting keeps its agenda and reads the case as gone.
func TestMeetingOutlivesADeletedCase(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	m, err := r.CreateMeeting(app.MeetingInput{At: testNow, Cases: []app.ID{c.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddActionItem(m.ID, c.ID, app.ActionInput{Title: "Call the school", Owner: "Adv. Kim", Due: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	tasks, _ := r.UpcomingAndOverdue(testNow, 30*24*time.Hour)
	if len(tasks) != 0 {
		t.Errorf("tasks of a deleted case: %+v", tasks)
	}
	if items, err := r.MeetingActions(m.ID); err != nil || len(items) != 0 {
		t.Errorf("actions %+v %v", items, err)
	}
}

// BenchmarkProposeAgenda proposes a meeting's agenda from 10,000 open cases, each
// due for review (so each case's practice record is read): the figure for a large
// task force's vault.
func BenchmarkProposeAgenda(b *testing.B) {
	r := newTestRecords(b)
	if err := app.WriteBareCases(r, 10_000); err != nil {
		b.Fatal(err)
	}
	at := testNow.AddDate(0, 2, 0)
	b.ReportAllocs()
	for b.Loop() {
		got, err := r.ProposeAgenda(at)
		if err != nil || len(got) != 10_000 {
			b.Fatalf("%d proposed, %v", len(got), err)
		}
	}
}
