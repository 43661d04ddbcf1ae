package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// setWhen fills a date-and-time field of the dialog on top.
func (h *harness) setWhen(label string, t time.Time) {
	h.t.Helper()
	box, ok := h.field(label).(*fyne.Container)
	if !ok || len(box.Objects) != 2 {
		h.t.Fatalf("field %q is not a date and a time", label)
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	box.Objects[0].(*dialogDateEntry).SetDate(&d)
	box.Objects[1].(*dialogEntry).SetText(t.Local().Format("3:04 PM"))
}

// choose picks an option of the list choice labelled label, by its words.
func (h *harness) choose(label, option string) {
	h.t.Helper()
	c, ok := h.field(label).(*listChoice)
	if !ok {
		h.t.Fatalf("field %q is not a choice", label)
	}
	c.SetSelected(option)
	if c.Selected != option {
		h.t.Fatalf("field %q has no option %q: %q", label, option, c.Options)
	}
}

func (h *harness) submit(button string) {
	h.t.Helper()
	test.Tap(h.lastButton(button))
	if h.dialogOpen() {
		h.t.Fatalf("the dialog stays open; labels %q", h.labels())
	}
}

// The NCMEC report's clock on the References tab: "Report due in …" while the 24
// hours run, then overdue, read on the shell's (fake) clock; recording the report as
// made ends it.
func TestReferencesTabShowsTheNCMECClock(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabReferences)
	h.sees("No reference numbers yet.")
	test.Tap(h.button("Add reference…"))
	h.field("Kind").(*dialogSelect).SetSelectedIndex(1) // NCMEC report
	missing := h.clock.Now().Add(-3 * time.Hour)
	h.setWhen("Missing since", missing)
	h.submit("Save")
	h.sees("Report due in 21 hours")
	refs, _ := h.shell.records.References(c.ID)
	if len(refs) != 1 || refs[0].Kind != app.RefNCMEC {
		t.Fatalf("references %+v", refs)
	}
	h.clock.now = h.clock.now.Add(23 * time.Hour) // not Advance: the idle lock would run
	ws.references.load()
	h.sees("Report overdue by 2 hours")
	ws.references.list.Select(0)
	test.Tap(h.button("Report made…"))
	h.fill("NCMEC number", "NCMEC-2026-7731")
	h.submit("Save")
	h.sees("Reported 2 hours late")
	h.doesNotSee("Report overdue")
}

// A hearing added on the Court tab is on the Tasks screen until its outcome is
// recorded; a notification records the interpreter.
func TestCourtTabHearingsAndNotifications(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabCourt)
	test.Tap(h.button("Add court date…"))
	at := h.clock.Now().Add(50 * time.Hour).Truncate(time.Minute)
	h.setWhen("Date and time", at)
	h.field("Court").(*widget.SelectEntry).SetText("Demo County Juvenile Court")
	h.choose("Hearing", "Arraignment")
	h.submit("Add")
	h.sees("Arraignment · Demo County Juvenile Court")
	h.sees("upcoming")

	test.Tap(h.button("Record notification…"))
	h.choose("How", "Phone")
	h.fill("What was said", "Told the arraignment date.")
	box := h.field("Interpreter").(*fyne.Container)
	box.Objects[0].(*dialogEntry).SetText("Interpreter Ortiz")
	box.Objects[1].(*dialogEntry).SetText("Spanish")
	h.submit("Save")
	h.sees("interpreter Interpreter Ortiz (Spanish)")

	ws.leave()
	h.shell.main.show(sectionTasks)
	h.sees("Hearing: arraignment")
	h.clock.now = h.clock.now.Add(51 * time.Hour)
	h.shell.main.show(sectionTasks)
	h.sees("awaits outcome")
	hs, _ := h.shell.records.Hearings(c.ID)
	if _, err := h.shell.records.SetHearingOutcome(c.ID, hs[0].ID, "Plea entered."); err != nil {
		t.Fatal(err)
	}
	h.shell.main.show(sectionTasks)
	h.doesNotSee("Hearing: arraignment")
}

// A meeting set up on the Meetings screen: the roster from the directory, the
// agenda proposed, attendance marked, a case reviewed and an action item given,
// which then shows on the Tasks screen with its owner.
func TestMeetingsScreen(t *testing.T) {
	h, c := workspaceCase(t)
	r := h.shell.records
	ada, err := r.AddPartner(app.PartnerInput{Organization: "Demo County Prosecutor's Office", Person: "ADA Ruiz", Category: "prosecution"})
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(h.button("Meetings"))
	h.sees("No meetings yet.")
	test.Tap(h.button("New meeting…"))
	for _, o := range h.objects() {
		if e, ok := o.(*widget.SelectEntry); ok && e.PlaceHolder == "a partner from the directory, or a name" {
			e.SetText("ADA Ruiz at Demo County Prosecutor's Office")
		}
	}
	test.Tap(h.lastButton("Add"))
	h.sees("ADA Ruiz at Demo County Prosecutor's Office")
	meetingAt := h.clock.Now().AddDate(0, 2, 0) // the case is due for review by then
	h.setWhen("Date and time", meetingAt)
	h.submit("Create")
	ms, _ := r.Meetings()
	if len(ms) != 1 || len(ms[0].Roster) != 1 || ms[0].Roster[0].PartnerID != ada.ID {
		t.Fatalf("meetings %+v", ms)
	}
	h.sees("No cases on the agenda yet.")

	test.Tap(h.button("Propose agenda…"))
	h.sees("never reviewed")
	h.submit("Add to agenda")
	h.sees(caseLabel(c.Number, "Rosa M."))
	h.sees("not reviewed yet")

	for _, o := range h.objects() {
		if ch, ok := o.(*widget.Check); ok && ch.Text == "" {
			ch.SetChecked(true) // the roster's one member
		}
	}
	if m, _ := r.Meeting(ms[0].ID); !m.Roster[0].Attended {
		t.Fatal("attendance not saved")
	}

	test.Tap(h.button("Review…"))
	for _, o := range h.objects() {
		if e, ok := o.(*dialogEntry); ok && strings.HasPrefix(e.PlaceHolder, "what was said") {
			e.SetText("Interview done; charging decision pending.")
		}
		if e, ok := o.(*dialogEntry); ok && e.PlaceHolder == "what the meeting decided" {
			e.SetText("Prosecutor to decide on charges.")
		}
	}
	h.submit("Save review")
	h.sees("• Case status: Interview done; charging decision pending.")
	h.sees("Decision: Prosecutor to decide on charges.")

	test.Tap(h.button("Action item…"))
	h.fill("Action", "Charging decision")
	h.field("Owner").(*widget.SelectEntry).SetText("ADA Ruiz at Demo County Prosecutor's Office")
	due := dateOnlyUTC(h.clock.Now().AddDate(0, 0, -3)) // overdue: the top of the task list
	h.field("Due").(*dialogDateEntry).SetDate(&due)
	h.submit("Add")
	h.sees("Charging decision · ADA Ruiz at Demo County Prosecutor's Office")
	items, _ := r.MeetingActions(ms[0].ID)
	if len(items) != 1 || items[0].OwnerID != ada.ID {
		t.Fatalf("action items %+v", items)
	}

	test.Tap(h.button("Tasks"))
	h.sees("Action: Charging decision")
}

// The Partners screen imports a CSV all or nothing; an imported key waits until the
// user confirms its fingerprint.
func TestPartnersImportAndConfirmKeys(t *testing.T) {
	h := unlocked(t)
	test.Tap(h.button("Partners"))
	h.sees("No partners yet.")
	v := newPartnersView(h.shell)
	h.shell.main.content.Objects = []fyne.CanvasObject{v.object()}
	v.importData([]byte("organization,category,email\nDemo Shelter,victim-services,not-an-address\n"))
	h.sees("Row 1: email is not an e-mail address")
	if ps, _ := h.shell.records.Partners(); len(ps) != 0 {
		t.Fatal("a bad file imported partners")
	}
	v.importData([]byte("format,casenotes-directory/v1\norganization,person,category,signing_fingerprint\n" +
		"Demo County Prosecutor's Office,ADA Ruiz,prosecution,3f2a 9c01 77de 0b4e 1a2c\n"))
	h.sees("1 have keys that wait until you confirm their fingerprints")
	test.Tap(h.lastButton("OK"))
	v.list.Select(0)
	h.sees("Keys waiting for confirmation")
	test.Tap(h.button("Confirm keys…"))
	test.Tap(h.lastButton("Confirm"))
	h.sees("Keys are not confirmed")
	for _, o := range h.objects() {
		if c, ok := o.(*dialogCheck); ok && strings.HasPrefix(c.Text, "I read the fingerprint back") {
			c.SetChecked(true)
		}
	}
	h.submit("Confirm")
	if _, found, _ := h.shell.records.PartnerBySigner("3f2a 9c01 77de 0b4e 1a2c"); !found {
		t.Fatal("the confirmed key is not in use")
	}
	h.doesNotSee("Keys waiting for confirmation")
}

// typeInDialog types into the last one-line dialog entry on screen (a reason).
func (h *harness) typeInDialog(text string) {
	h.t.Helper()
	var last *dialogEntry
	for _, o := range h.objects() {
		if e, ok := o.(*dialogEntry); ok && e.Visible() {
			last = e
		}
	}
	if last == nil {
		h.t.Fatal("no entry in the dialog")
	}
	last.SetText(text)
}

// Deleting a case from its Overview asks for a reason and is blocked while a legal
// hold is in place; the deleted case leaves a tombstone.
func TestOverviewDeleteAndLegalHold(t *testing.T) {
	h, c := workspaceCase(t)
	h.openWorkspace(c.ID)
	r := h.shell.records
	test.Tap(h.button("Place legal hold…"))
	test.Tap(h.lastButton("Place hold"))
	h.sees("Reason for the hold is required.")
	h.typeInDialog("Records request from the defense")
	h.submit("Place hold")
	h.sees("(Records request from the defense): the case cannot be deleted")
	if !h.button("Delete case…").Disabled() {
		t.Fatal("Delete is offered on a case on legal hold")
	}
	test.Tap(h.button("Lift legal hold…"))
	h.typeInDialog("Request answered")
	h.submit("Lift hold")

	test.Tap(h.button("Delete case…"))
	h.sees("Deleting destroys the case's key")
	test.Tap(h.lastButton("Delete"))
	h.sees("Reason for deleting is required.")
	h.typeInDialog("Opened by mistake")
	h.submit("Delete")
	if _, err := r.Case(c.ID); err == nil {
		t.Fatal("the case is still there")
	}
	ts, err := r.Tombstones()
	if err != nil || len(ts) != 1 || ts[0].Reason != "Opened by mistake" || len(ts[0].Holds) != 1 {
		t.Fatalf("tombstones %+v %v", ts, err)
	}
	h.doesNotSee("Rosa M.")
}

// Contact details of a draft contact note are fields, saved without touching the
// note's text.
func TestContactDetailsOnAContactNote(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabNotes)
	h.shortcut(newNoteShortcut)
	ws.notes.body.SetText("Met at the CAC.")
	test.Tap(h.button("Contact details…"))
	h.fill("Present", "youth, Adv. Kim")
	h.fill("Language", "Spanish")
	h.choose("Setting", "Children's advocacy center")
	h.fill("Duration", "45")
	h.submit("Save")
	h.sees("Children's advocacy center · 45 minutes · present: youth, Adv. Kim · in Spanish")
	if ws.notes.body.Text != "Met at the CAC." {
		t.Fatalf("the note's text changed: %q", ws.notes.body.Text)
	}
	n, _ := h.shell.records.Note(c.ID, ws.notes.cur.ID)
	if n.Contact == nil || n.Contact.DurationMinutes != 45 || n.Contact.Setting != "childrens-advocacy-center" {
		t.Fatalf("stored %+v", n.Contact)
	}
	test.Tap(h.button("Contact details…"))
	h.choose("Setting", "Phone")
	h.fill("Duration", "ninety")
	test.Tap(h.lastButton("Save"))
	h.sees("Write the duration as a number of minutes.")
}
