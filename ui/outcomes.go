package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// outcomesTab is what the case led to: people by pseudonymous reference (never
// their details), charges and their dispositions, sentences, restitution and
// forfeiture, the child-welfare outcome, services outcomes and linked cases.
type outcomesTab struct {
	sectionsTab
	people  []app.Person
	charges []app.Charge
	outcome app.CaseOutcome
	links   []app.LinkedCase
}

func (t *outcomesTab) build() fyne.CanvasObject { return t.frame(t.load) }

// load reads the people, charges, outcomes and links off the UI goroutine and
// redraws the tab.
func (t *outcomesTab) load() {
	type outcomes struct {
		people  []app.Person
		charges []app.Charge
		outcome app.CaseOutcome
		links   []app.LinkedCase
	}
	readSections(&t.sectionsTab, func(r *app.Records, id app.ID) (o outcomes, err error) {
		if o.people, err = r.People(id); err != nil {
			return o, err
		}
		if o.charges, err = r.Charges(id); err != nil {
			return o, err
		}
		if o.outcome, err = r.Outcome(id); err != nil {
			return o, err
		}
		o.links, err = r.CaseLinks(id)
		return o, err
	}, func(o outcomes) {
		t.people, t.charges, t.outcome, t.links = o.people, o.charges, o.outcome, o.links
		t.redraw()
	})
}

func (t *outcomesTab) reference(id app.ID) string {
	for _, p := range t.people {
		if p.ID == id {
			return p.Reference
		}
	}
	return "a person no longer recorded"
}

func (t *outcomesTab) redraw() {
	ws := t.ws
	objs := []fyne.CanvasObject{ws.section("People", "Add person…", func() { t.personForm(app.Person{}) }),
		quiet("By pseudonymous reference only (\"Suspect A\", \"Buyer 2\"), with their relationship to the youth: never a name or details.")}
	for _, p := range t.people {
		p := p
		edit := widget.NewButton("Edit…", func() { t.personForm(p) })
		ws.guard(edit)
		line := p.Reference + " · " + p.Role + " · " + p.Relationship
		l := widget.NewLabel(line)
		if p.AllegedOffender() {
			l.TextStyle.Bold = true
		}
		objs = append(objs, container.NewBorder(nil, nil, nil, edit, l))
	}
	objs = append(objs, widget.NewSeparator(), ws.section("Charges", "Add charge…", func() { t.chargeForm(app.Charge{}) }))
	if len(t.charges) == 0 {
		objs = append(objs, quiet("No charges recorded."))
	}
	for _, c := range t.charges {
		c := c
		upd := widget.NewButton("Update…", func() { t.chargeForm(c) })
		ws.guard(upd)
		head := fmt.Sprintf("%s · %s · against %s", c.Statute, format.Count(c.Counts, "count", "counts"), t.reference(c.Against))
		var detail []string
		d := sentenceCase(c.Disposition)
		if !c.DispositionDate.IsZero() {
			d += " " + format.Date(c.DispositionDate)
		}
		detail = append(detail, d)
		if c.Sentence != "" {
			detail = append(detail, c.Sentence)
		}
		if c.Restitution > 0 {
			detail = append(detail, "restitution "+c.Restitution.String())
		}
		if c.Forfeiture > 0 {
			detail = append(detail, "forfeiture "+c.Forfeiture.String())
		}
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewVBox(upd), container.NewVBox(wrapped(head), quiet(strings.Join(detail, " · ")))))
	}
	objs = append(objs, widget.NewSeparator(), ws.section("Child welfare and services", "Record outcome…", t.outcomeForm))
	o := t.outcome
	if o.ChildWelfare == "" && len(o.Services) == 0 {
		objs = append(objs, quiet("No outcome recorded yet."))
	}
	if o.ChildWelfare != "" {
		line := "Child welfare: " + sentenceCase(o.ChildWelfare)
		if !o.ChildWelfareDate.IsZero() {
			line += " · " + format.Date(o.ChildWelfareDate)
		}
		objs = append(objs, wrapped(line))
	}
	for _, s := range o.Services {
		line := serviceTitle(s.Service) + ": " + sentenceCase(s.Result)
		if !s.Date.IsZero() {
			line += " · " + format.Date(s.Date)
		}
		objs = append(objs, wrapped(line))
	}
	objs = append(objs, widget.NewSeparator(), ws.section("Linked cases", "Link case…", t.linkForm))
	if len(t.links) == 0 {
		objs = append(objs, quiet("No linked cases. Link co-victims and related cases of this vault by their number."))
	}
	for _, l := range t.links {
		l := l
		name := caseLabel(l.Number, l.Alias)
		if l.Gone {
			name = "a case deleted since"
		}
		rm := widget.NewButton("Remove", func() {
			ws.confirmDelete("Remove link", "The link is removed from both cases; the cases stay as they are.", "Remove", func() {
				if err := ws.records.RemoveCaseLink(ws.id, l.ID); err == nil {
					t.load()
				}
			})
		})
		rm.Importance = widget.LowImportance
		ws.guard(rm)
		objs = append(objs, container.NewBorder(nil, nil, nil, rm, widget.NewLabel(sentenceCase(l.Relation)+": "+name)))
	}
	t.box.Objects = objs
	t.box.Refresh()
}

func (t *outcomesTab) personForm(p app.Person) {
	ws := t.ws
	ref := newDialogEntry("e.g. Suspect A")
	ref.SetText(p.Reference)
	role := newChoice(app.PersonRoles, "Choose a role")
	role.set(p.Role)
	rel := newChoice(app.Relationships, "Relationship to the youth")
	rel.set(p.Relationship)
	if p.Relationship == "" {
		rel.set("unknown")
	}
	form := widget.NewForm(widget.NewFormItem("Reference", ref), widget.NewFormItem("Role", role), widget.NewFormItem("Relationship", rel))
	title := "Add person"
	if !p.ID.IsZero() {
		title = "Edit " + p.Reference
	}
	ws.formDialog(title, "Save", container.NewVBox(form,
		quiet("Suspects and buyers are alleged offenders: a release they sign is never relied on.")), func() string {
		in := app.PersonInput{Reference: ref.Text, Role: role.value(), Relationship: rel.value()}
		var err error
		if p.ID.IsZero() {
			_, err = ws.records.AddPerson(ws.id, in)
		} else {
			_, err = ws.records.UpdatePerson(ws.id, p.ID, in)
		}
		if err != nil {
			return app.Sentence(err)
		}
		t.load()
		return ""
	})
}

func (t *outcomesTab) chargeForm(c app.Charge) {
	ws := t.ws
	var refs []string
	var ids []app.ID
	for _, p := range t.people {
		if p.AllegedOffender() {
			refs = append(refs, p.Reference)
			ids = append(ids, p.ID)
		}
	}
	if len(refs) == 0 {
		ws.s.formDialog("Add charge", "Close", 420, paragraph("Record the charged person first, as a suspect or buyer under People."), func() string { return "" })
		return
	}
	statute := newDialogEntry("e.g. Demo Penal Code 236.1(c)")
	statute.SetText(c.Statute)
	counts := newDialogEntry("1")
	if c.Counts > 0 {
		counts.SetText(strconv.Itoa(c.Counts))
	}
	against := newDialogSelect(refs)
	for i, id := range ids {
		if id == c.Against {
			against.SetSelectedIndex(i)
		}
	}
	if against.SelectedIndex() < 0 {
		against.SetSelectedIndex(0)
	}
	filed, decided := newDialogDateEntry(), newDialogDateEntry()
	if !c.Filed.IsZero() {
		d := c.Filed
		filed.SetDate(&d)
	}
	if !c.DispositionDate.IsZero() {
		d := c.DispositionDate
		decided.SetDate(&d)
	}
	disp := newChoice(app.Dispositions, "")
	disp.set(c.Disposition)
	if c.Disposition == "" {
		disp.set("pending")
	}
	sentence := newDialogEntry("only after a plea or a conviction")
	sentence.SetText(c.Sentence)
	restitution, forfeiture := newDialogEntry("dollars, e.g. 1500.00"), newDialogEntry("dollars")
	if c.Restitution > 0 {
		restitution.SetText(strings.TrimPrefix(c.Restitution.String(), "$"))
	}
	if c.Forfeiture > 0 {
		forfeiture.SetText(strings.TrimPrefix(c.Forfeiture.String(), "$"))
	}
	form := widget.NewForm(
		widget.NewFormItem("Statute", statute), widget.NewFormItem("Counts", counts), widget.NewFormItem("Against", against),
		widget.NewFormItem("Filed", filed), widget.NewFormItem("Disposition", disp), widget.NewFormItem("Disposition date", decided),
		widget.NewFormItem("Sentence", sentence), widget.NewFormItem("Restitution", restitution), widget.NewFormItem("Forfeiture", forfeiture),
	)
	ws.formDialog("Charge", "Save", form, func() string {
		n, err := strconv.Atoi(strings.TrimSpace(counts.Text))
		if err != nil {
			return "Counts must be a number from 1 to 999."
		}
		in := app.ChargeInput{Statute: statute.Text, Counts: n, Against: ids[against.SelectedIndex()], Disposition: disp.value(), Sentence: sentence.Text}
		if filed.Date != nil {
			in.Filed = *filed.Date
		}
		if decided.Date != nil {
			in.DispositionDate = *decided.Date
		}
		if in.Restitution, err = app.ParseDollars("restitution", restitution.Text); err != nil {
			return app.Sentence(err)
		}
		if in.Forfeiture, err = app.ParseDollars("forfeiture", forfeiture.Text); err != nil {
			return app.Sentence(err)
		}
		if c.ID.IsZero() {
			_, err = ws.records.AddCharge(ws.id, in)
		} else {
			_, err = ws.records.UpdateCharge(ws.id, c.ID, in)
		}
		if err != nil {
			return app.Sentence(err)
		}
		t.load()
		return ""
	})
}

// outcomeForm records the child-welfare outcome or a service's outcome.
func (t *outcomesTab) outcomeForm() {
	ws := t.ws
	var ofWhat []string
	ofWhat = append(ofWhat, "Child welfare")
	for _, s := range app.ServiceTypes {
		ofWhat = append(ofWhat, serviceTitle(s)+" service")
	}
	what := newDialogSelect(ofWhat)
	what.SetSelectedIndex(0)
	welfare := newChoice(app.ChildWelfareOutcomes, "Where child welfare's involvement ended")
	welfare.set(t.outcome.ChildWelfare)
	result := newChoice(app.ServiceResults, "How the service turned out")
	date := newDialogDateEntry()
	resultItem := widget.NewFormItem("Result", welfare)
	form := widget.NewForm(widget.NewFormItem("Outcome of", what), resultItem, widget.NewFormItem("Date", date))
	what.OnChanged = func(string) {
		if what.SelectedIndex() == 0 {
			resultItem.Widget = welfare
		} else {
			resultItem.Widget = result
		}
		form.Refresh()
	}
	ws.formDialog("Record outcome", "Save", form, func() string {
		var d = dateOrZero(date)
		var err error
		if i := what.SelectedIndex(); i <= 0 {
			_, err = ws.records.SetChildWelfareOutcome(ws.id, welfare.value(), d)
		} else {
			_, err = ws.records.SetServiceOutcome(ws.id, app.ServiceOutcome{Service: app.ServiceTypes[i-1], Result: result.value(), Date: d})
		}
		if err != nil {
			return app.Sentence(err)
		}
		t.load()
		return ""
	})
}

func (t *outcomesTab) linkForm() {
	ws := t.ws
	number := newDialogEntry("the other case's number")
	rel := newChoice(app.LinkRelations, "")
	rel.set("co-victim")
	form := widget.NewForm(widget.NewFormItem("Case number", number), widget.NewFormItem("Relation", rel))
	ws.formDialog("Link a case", "Link", container.NewVBox(form, quiet("The link shows on both cases.")), func() string {
		if _, err := ws.records.AddCaseLink(ws.id, number.Text, rel.value()); err != nil {
			return app.Sentence(err)
		}
		t.load()
		return ""
	})
}
