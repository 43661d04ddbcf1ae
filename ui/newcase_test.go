package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// unlocked is a harness on an unlocked vault with a profile ("Dana Alvarez") and
// the records service on the fake clock.
func unlocked(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	h.shell.records.Now = h.clock.Now
	return h
}

// field is the widget of the form row labelled label, in the dialog on top (the
// last such row on screen: overlays come after the window content).
func (h *harness) field(label string) fyne.CanvasObject {
	h.t.Helper()
	var found fyne.CanvasObject
	for _, o := range h.objects() {
		if f, ok := o.(*widget.Form); ok {
			for _, it := range f.Items {
				if it.Text == label {
					found = it.Widget
				}
			}
		}
	}
	if found == nil {
		h.t.Fatalf("no form field %q on screen", label)
	}
	return found
}

// entryField is the dialog entry labelled label (the first one in its row).
func (h *harness) entryField(label string) *dialogEntry {
	h.t.Helper()
	var first func(o fyne.CanvasObject) *dialogEntry
	first = func(o fyne.CanvasObject) *dialogEntry {
		switch x := o.(type) {
		case *dialogEntry:
			return x
		case *fyne.Container:
			for _, c := range x.Objects {
				if e := first(c); e != nil {
					return e
				}
			}
		}
		return nil
	}
	e := first(h.field(label))
	if e == nil {
		h.t.Fatalf("field %q is not an entry", label)
	}
	return e
}

// fill replaces the text of the dialog entry labelled label by typing.
func (h *harness) fill(label, text string) {
	h.t.Helper()
	e := h.entryField(label)
	e.SetText("")
	test.Type(e, text)
}

// texts lists the visible canvas texts (form hints and the messages under fields).
func (h *harness) texts() []string {
	var ts []string
	for _, o := range h.objects() {
		if t, ok := o.(*canvas.Text); ok && t.Visible() && t.Text != "" {
			ts = append(ts, t.Text)
		}
	}
	return ts
}

// lastButton is the last visible button labelled text: the one in the dialog on top.
func (h *harness) lastButton(text string) *widget.Button {
	h.t.Helper()
	var found *widget.Button
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			found = b
		}
		if b, ok := o.(*actionButton); ok && b.Text == text && b.Visible() {
			found = &b.Button
		}
	}
	if found == nil {
		h.t.Fatalf("no button %q on screen", text)
	}
	return found
}

// dialogOpen reports whether a dialog (or other overlay) is on show.
func (h *harness) dialogOpen() bool { return h.win.Canvas().Overlays().Top() != nil }

// press sends a key as the desktop driver does: to the focused widget, or to the
// window's handler when nothing is focused.
func (h *harness) press(key fyne.KeyName) {
	c := h.win.Canvas()
	ev := &fyne.KeyEvent{Name: key}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if on := c.OnTypedKey(); on != nil {
		on(ev)
	}
}

func cases(t *testing.T, h *harness) []app.CaseSummary {
	t.Helper()
	cs, err := h.shell.records.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestNewCaseDialogCreatesCase(t *testing.T) {
	h := unlocked(t)
	var created []app.Case
	h.shell.showNewCase(func(c app.Case) { created = append(created, c) })
	h.sees("New case")
	h.sees(aliasFirst)
	if !slices.Contains(h.texts(), aliasHint) {
		t.Fatalf("the alias hint is missing; texts %q", h.texts())
	}
	for _, gone := range []string{"Legal name", "Date of birth", "School", "Addresses"} {
		for _, o := range h.objects() {
			if f, ok := o.(*widget.Form); ok {
				for _, it := range f.Items {
					if it.Text == gone {
						t.Fatalf("the New case form asks for %q", gone)
					}
				}
			}
		}
	}

	number := h.entryField("Case number")
	if h.win.Canvas().Focused() != number {
		t.Fatal("the cursor is not in the case number")
	}
	if got := h.entryField("Team").Text; got != "Dana Alvarez" {
		t.Fatalf("team prefilled with %q", got)
	}
	opened := h.field("Opened").(*dialogDateEntry)
	if opened.Date == nil || !opened.Date.Equal(dateOnlyUTC(h.clock.Now())) {
		t.Fatalf("opened defaults to %v", opened.Date)
	}

	// The number is checked as it is typed, one sentence under the field.
	test.Type(number, "2026 TF")
	if want := app.Sentence(app.ValidCaseNumber("2026 TF")); !slices.Contains(h.texts(), want) {
		t.Fatalf("no live message %q; texts %q", want, h.texts())
	}
	h.fill("Case number", "2026-TF-0500")
	if slices.Contains(h.texts(), app.Sentence(app.ValidCaseNumber("2026 TF"))) {
		t.Fatal("the message stays after the number was corrected")
	}
	h.fill("Title", "School outreach")
	h.fill("Jurisdiction", "Demo County")
	h.fill("Team", "Dana Alvarez, Adv. Kim")
	h.fill("Alias", "Lena K.")
	h.fill("Languages", "Ukrainian, English")
	h.field("Placement").(*dialogSelect).SetSelected(capitalise("group home"))
	h.field("Interpreter").(*dialogCheck).SetChecked(true)
	for _, o := range h.objects() {
		if c, ok := o.(*dialogCheck); ok && c.Text == capitalise("recruited by a peer") {
			c.SetChecked(true)
		}
	}
	test.Tap(h.button("Create case"))

	if len(created) != 1 {
		t.Fatalf("onCreated ran %d times; labels %q", len(created), h.labels())
	}
	if h.dialogOpen() {
		t.Fatal("the dialog stays open after creating the case")
	}
	cs := cases(t, h)
	if len(cs) != 1 || cs[0].Number != "2026-TF-0500" || cs[0].Alias != "Lena K." || cs[0].ID != created[0].ID {
		t.Fatalf("cases after creating: %+v", cs)
	}
	c, _ := h.shell.records.Case(cs[0].ID)
	if c.Title != "School outreach" || c.Jurisdiction != "Demo County" || strings.Join(c.Assigned, "|") != "Dana Alvarez|Adv. Kim" ||
		strings.Join(c.Tags, "|") != "recruited by a peer" || !c.Opened.Equal(dateOnlyUTC(h.clock.Now())) {
		t.Fatalf("case as stored: %+v", c)
	}
	ov, _ := h.shell.records.Overview(c.ID)
	v := ov.Victim
	if v.PlacementType != "group home" || !v.InterpreterNeeded || strings.Join(v.Languages, "|") != "Ukrainian|English" {
		t.Fatalf("victim as stored: %+v", v)
	}
	if ov.HasIdentity {
		t.Fatal("creating a case stored a legal identity")
	}
}

func TestNewCaseTabOrderFollowsReading(t *testing.T) {
	h := unlocked(t)
	f := h.shell.newCaseDialog(nil)
	// The left column (the case, then its indicators), then the right (the victim).
	want := []fyne.Focusable{f.fields.number, f.fields.title, f.fields.where, f.fields.opened, f.fields.team}
	for _, c := range f.fields.tags {
		want = append(want, c)
	}
	want = append(want, f.victim.alias, f.victim.age, f.victim.band, f.victim.gender, f.victim.languages,
		f.victim.interpreter, f.victim.placement, f.victim.guardian)
	c := h.win.Canvas()
	var got []fyne.Focusable
	for range 3 * len(want) {
		for _, w := range want {
			if c.Focused() == w && (len(got) == 0 || got[len(got)-1] != w) {
				got = append(got, w)
			}
		}
		if len(got) == len(want) {
			break
		}
		c.FocusNext()
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("Tab reached field %d out of reading order (%d fields reached in order)", i, min(i, len(got)))
		}
	}
}

func TestNewCaseDuplicateNumberKeepsTheForm(t *testing.T) {
	h := unlocked(t)
	if _, err := h.shell.records.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "First"}, app.Victim{Alias: "Rosa M."}); err != nil {
		t.Fatal(err)
	}
	f := h.shell.newCaseDialog(func(app.Case) { t.Fatal("onCreated ran for a duplicate") })
	h.fill("Case number", "2026-tf-0412")
	h.fill("Title", "Second")
	h.fill("Alias", "Ana P.")
	test.Tap(h.button("Create case"))

	_, err := h.shell.records.CreateCase(app.CaseInput{Number: "2026-tf-0412", Title: "x"}, app.Victim{Alias: "x"})
	if !errors.Is(err, app.ErrExists) {
		t.Fatalf("expected a duplicate, got %v", err)
	}
	h.sees(app.Sentence(err))
	if !strings.Contains(app.Sentence(err), "Case number") {
		t.Fatalf("the sentence does not name the field: %q", app.Sentence(err))
	}
	if !h.dialogOpen() || f.fields.number.Text != "2026-tf-0412" || f.fields.title.Text != "Second" || f.victim.alias.Text != "Ana P." {
		t.Fatal("the form did not stay open with what was typed")
	}
	if n := len(cases(t, h)); n != 1 {
		t.Fatalf("%d cases stored, want 1", n)
	}
}

func TestNewCaseRefusesMissingAlias(t *testing.T) {
	h := unlocked(t)
	created := 0
	h.shell.showNewCase(func(app.Case) { created++ })
	h.fill("Case number", "2026-TF-0600")
	h.fill("Title", "Bus station outreach")
	h.fill("Alias", "   ")
	test.Tap(h.button("Create case"))
	h.sees("Alias is required.")
	if n := len(cases(t, h)); n != 0 || created != 0 {
		t.Fatalf("%d cases stored without an alias", n)
	}
	// Enter in a field submits too; the age must be a number.
	h.fill("Alias", "Mia")
	h.fill("Age", "fifteen")
	h.win.Canvas().Focus(h.entryField("Age"))
	h.press(fyne.KeyReturn)
	h.sees("Age is not a number of years.")
	h.fill("Age", "15")
	h.press(fyne.KeyReturn)
	if cs := cases(t, h); len(cs) != 1 || cs[0].Alias != "Mia" || created != 1 {
		t.Fatalf("cases after Enter: %+v", cs)
	}
}

func TestEscClosesDialogs(t *testing.T) {
	h := unlocked(t)
	c := h.win.Canvas()
	before := c.OnTypedKey()

	// From a focused field.
	h.shell.showNewCase(nil)
	h.entryField("Title").FocusGained()
	c.Focus(h.entryField("Title"))
	h.press(fyne.KeyEscape)
	if h.dialogOpen() {
		t.Fatal("Esc in a field did not close the dialog")
	}
	// From a focused select and check.
	f := h.shell.newCaseDialog(nil)
	c.Focus(f.victim.placement)
	h.press(fyne.KeyEscape)
	if h.dialogOpen() {
		t.Fatal("Esc on a select did not close the dialog")
	}
	f = h.shell.newCaseDialog(nil)
	c.Focus(f.fields.tags[0])
	h.press(fyne.KeyEscape)
	if h.dialogOpen() {
		t.Fatal("Esc on a check did not close the dialog")
	}
	// With nothing focused: the window's handler closes the newest dialog first.
	h.shell.newCaseDialog(nil)
	h.shell.newCaseDialog(nil)
	c.Unfocus()
	h.press(fyne.KeyEscape)
	if n := len(c.Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs after one Esc, want 1", n)
	}
	h.press(fyne.KeyEscape)
	if h.dialogOpen() {
		t.Fatal("the second Esc did not close the last dialog")
	}
	if _, ok := windowEscapes[h.win]; ok {
		t.Fatal("the Esc handler stayed after every dialog closed")
	}
	if c.OnTypedKey() == nil || before == nil {
		t.Fatal("the window's own key handler was not put back")
	}
	// Keys other than Esc still reach the window's handler (the idle timer).
	h.shell.newCaseDialog(nil)
	c.Unfocus()
	h.press(fyne.KeyA)
	if !h.dialogOpen() {
		t.Fatal("a key other than Esc closed the dialog")
	}
}

func TestEditCaseTitleChangesHeader(t *testing.T) {
	h, c := workspaceCase(t)
	edited := 0
	ws := h.openWorkspace(c.ID)
	ws.onEdited = func() { edited++ }
	h.sees("2026-TF-0412 · “Rosa M.” · open · Det. Alvarez, Adv. Kim")

	test.Tap(h.button("Edit case…"))
	if got := h.entryField("Title").Text; got != "Hotel outreach referral" {
		t.Fatalf("title prefilled with %q", got)
	}
	h.fill("Title", "Hotel and bus station outreach")
	h.fill("Team", "Det. Alvarez, Adv. Kim, ADA Brooks")
	h.fill("Jurisdiction", "Demo County")
	test.Tap(h.button("Save"))
	if h.dialogOpen() {
		t.Fatalf("the dialog stays open; labels %q", h.labels())
	}
	h.sees("2026-TF-0412 · “Rosa M.” · open · Det. Alvarez, Adv. Kim, ADA Brooks")
	h.sees("Hotel and bus station outreach") // the overview
	h.sees("Demo County")
	got, _ := h.shell.records.Case(c.ID)
	if got.Title != "Hotel and bus station outreach" || got.Number != "2026-TF-0412" || strings.Join(got.Tags, "|") != "missing from care" {
		t.Fatalf("case after editing: %+v", got)
	}
	if edited != 1 {
		t.Fatalf("onEdited ran %d times", edited)
	}

	// A refused value names the field and keeps the dialog open.
	test.Tap(h.button("Edit case…"))
	h.fill("Title", "")
	test.Tap(h.button("Save"))
	h.sees("Title is required.")
	h.press(fyne.KeyEscape)
	if h.dialogOpen() {
		t.Fatal("Esc did not close the edit dialog")
	}
}

func TestCloseCaseWithReason(t *testing.T) {
	h, c := workspaceCase(t)
	h.openWorkspace(c.ID)
	test.Tap(h.button("Change status…"))
	status := h.field("Status").(*dialogSelect)
	reason := h.entryField("Reason")
	if status.Selected != "Open" || !reason.Disabled() {
		t.Fatalf("status form starts at %q, reason disabled %v", status.Selected, reason.Disabled())
	}
	status.SetSelected("Closed")
	if reason.Disabled() {
		t.Fatal("the reason is disabled for closing")
	}
	test.Tap(h.button("Change status"))
	h.sees("Closing reason is required.")

	test.Type(reason, "Services complete; victim safe with family")
	test.Tap(h.button("Change status"))
	h.sees(closeSentence)
	test.Tap(h.lastButton("Cancel")) // the confirmation's, over the form
	if got, _ := h.shell.records.Case(c.ID); got.Status != app.CaseOpen {
		t.Fatal("cancelling the confirmation closed the case")
	}
	if !h.dialogOpen() || reason.Text != "Services complete; victim safe with family" {
		t.Fatal("cancelling the confirmation lost the form")
	}
	test.Tap(h.button("Change status"))
	test.Tap(h.button("Close case"))
	got, _ := h.shell.records.Case(c.ID)
	if got.Status != app.CaseClosed || got.ClosedReason != "Services complete; victim safe with family" {
		t.Fatalf("case after closing: %+v", got)
	}
	if h.dialogOpen() {
		t.Fatal("a dialog stays open after closing the case")
	}
	if _, ok := windowEscapes[h.win]; ok {
		t.Fatal("the Esc handler stayed after the form and its confirmation closed")
	}
	h.sees("2026-TF-0412 · “Rosa M.” · closed · Det. Alvarez, Adv. Kim")
	h.sees("Closed (Services complete; victim safe with family)")

	// Reopening needs no reason and no confirmation.
	test.Tap(h.button("Change status…"))
	h.field("Status").(*dialogSelect).SetSelected("Open")
	test.Tap(h.button("Change status"))
	if got, _ := h.shell.records.Case(c.ID); got.Status != app.CaseOpen || got.ClosedReason != "" {
		t.Fatalf("case after reopening: %+v", got)
	}
	h.sees("· open ·")
}

func TestEditVictimProfileAndAddIdentity(t *testing.T) {
	h := unlocked(t)
	c, err := h.shell.records.CreateCase(app.CaseInput{Number: "2026-TF-0700", Title: "Online contact"},
		app.Victim{Alias: "Sam", AgeBand: "12-14", Screening: &app.Screening{Tool: "Demo tool", Date: h.clock.Now(), Screener: "Adv. Kim", Concern: "high"}})
	if err != nil {
		t.Fatal(err)
	}
	h.openWorkspace(c.ID)
	test.Tap(h.button("Edit victim profile…"))
	if h.entryField("Alias").Text != "Sam" || h.field("Age") == nil {
		t.Fatal("the profile is not prefilled")
	}
	h.fill("Alias", "Sam R.")
	h.field("Placement").(*dialogSelect).SetSelected(capitalise("foster care"))
	test.Tap(h.button("Save"))
	h.sees("2026-TF-0700 · “Sam R.” · open")
	ov, _ := h.shell.records.Overview(c.ID)
	if ov.Victim.Alias != "Sam R." || ov.Victim.PlacementType != "foster care" || ov.Victim.AgeBand != "12-14" || ov.Victim.Screening == nil {
		t.Fatalf("victim after editing: %+v", ov.Victim)
	}
	if cs := cases(t, h); cs[0].Alias != "Sam R." {
		t.Fatalf("the case list still has alias %q", cs[0].Alias)
	}

	// The legal identity: its own action and dialog, then hidden behind Reveal.
	test.Tap(h.button("Add legal identity…"))
	h.sees(identityApart)
	test.Tap(h.button("Save identity"))
	h.sees("Nothing to save")
	h.fill("Legal name", "Samuel Example")
	h.fill("Date of birth", "2012-06-01") // not the US way of writing it
	test.Tap(h.button("Save identity"))
	h.sees("Write the date of birth as MM/DD/YYYY, for example 05/04/2010.")
	h.fill("Date of birth", "13/40/2012")
	test.Tap(h.button("Save identity"))
	h.sees("Write the date of birth as MM/DD/YYYY")
	h.fill("Date of birth", "06/01/2012")
	h.fill("Addresses", "1 Fictional Way\n2 Demo Road")
	test.Tap(h.button("Save identity"))
	if h.dialogOpen() {
		t.Fatalf("the identity dialog stays open; labels %q", h.labels())
	}
	h.doesNotSee("Samuel Example")
	h.button("Reveal legal identity")
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == "Add legal identity…" && b.Visible() {
			t.Fatal("Add legal identity… is still offered once one is recorded")
		}
	}
	id, err := h.shell.records.RevealIdentity(c.ID, "test")
	if err != nil || id.LegalName != "Samuel Example" || id.DateOfBirth != "2012-06-01" || len(id.Addresses) != 2 {
		t.Fatalf("identity as stored: %+v, %v", id, err)
	}
}
