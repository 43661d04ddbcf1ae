package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// referencesTab is the case's reference numbers and reports: the mandated report to
// child welfare, the NCMEC report of a child missing from care with its 24-hour
// clock, tips and other agencies' case numbers.
type referencesTab struct {
	listTab[app.Reference]
}

const referencesHint = "Record the mandated report, an NCMEC report for a child missing from care (its 24-hour clock shows here and on the task list), tips and other agencies' case numbers."

func (t *referencesTab) build() fyne.CanvasObject {
	return t.listTab.build(listSpec[app.Reference]{
		addLabel: "Add reference…", add: t.add, hint: referencesHint,
		empty: "No reference numbers yet. " + referencesHint,
		read:  (*app.Records).References,
		id:    func(r app.Reference) app.ID { return r.ID },
		row: func(r app.Reference, o fyne.CanvasObject) {
			sub, imp := referenceSubline(r, t.ws.now())
			setListRow(o, r.Kind.Title()+" · "+orNone(r.Number), sub, imp)
		},
		details: t.details,
	})
}

// referenceSubline is a reference's second line: the NCMEC clock, or its details.
func referenceSubline(r app.Reference, now time.Time) (string, widget.Importance) {
	if c, ok := r.Clock(now); ok {
		imp := widget.MediumImportance
		switch {
		case c.Late && !c.Reported:
			imp = widget.DangerImportance
		case !c.Reported:
			imp = widget.WarningImportance
		}
		return capitalise(c.Sentence(r.MissingSince)), imp
	}
	switch r.Kind {
	case app.RefChildWelfare:
		return "reported " + format.DateTime(r.ReportedAt) + " · " + sentenceCase(r.Screening), widget.MediumImportance
	case app.RefTip:
		return sentenceCase(r.TipSource) + " · " + format.Date(r.ReportedAt), widget.MediumImportance
	}
	return r.Agency, widget.MediumImportance
}

// details are a reference's number and dates; an NCMEC report's clock, with its
// Report made button until it is.
func (t *referencesTab) details(r app.Reference) []fyne.CanvasObject {
	ws := t.ws
	form := widget.NewForm(formItem("Number", orNone(r.Number)))
	add := func(label, value string) {
		if value != "" {
			form.Append(label, wrapped(value))
		}
	}
	add("Agency", r.Agency)
	if r.Kind == app.RefNCMEC {
		add("Missing since", format.DateTime(r.MissingSince))
		add("Report due", format.DateTime(r.MissingSince.Add(app.NCMECReportWindow)))
		if r.ReportedAt.IsZero() {
			add("Reported", "not yet")
		}
	}
	if r.Kind == app.RefTip {
		add("Source", sentenceCase(r.TipSource))
		add("Received", format.Date(r.ReportedAt))
	} else {
		add("Reported", format.DateTime(r.ReportedAt))
	}
	add("Intake worker", r.IntakeWorker)
	if r.Screening != "" {
		add("Screening", sentenceCase(r.Screening))
	}
	add("Recorded", r.By+", "+format.DateTime(r.Created))
	parts := []fyne.CanvasObject{subheading(r.Kind.Title())}
	if c, ok := r.Clock(ws.now()); ok {
		line, imp := referenceSubline(r, ws.now())
		l := wrapped(line)
		l.Importance = imp
		parts = append(parts, l)
		if !c.Reported {
			made := widget.NewButton("Report made…", func() { t.reportMade(r) })
			made.Importance = widget.HighImportance
			ws.guard(made)
			parts = append(parts, form, container.NewHBox(made))
		} else {
			parts = append(parts, form)
		}
	} else {
		edit := widget.NewButton("Edit…", func() { t.edit(r) })
		ws.guard(edit)
		parts = append(parts, form, container.NewHBox(edit))
	}
	return parts
}

// reportMade records when the NCMEC report was made and the number NCMEC gave.
func (t *referencesTab) reportMade(r app.Reference) {
	ws := t.ws
	when := newWhenField(ws.now())
	number := newDialogEntry("the number NCMEC gave")
	number.SetText(r.Number)
	form := widget.NewForm(widget.NewFormItem("Reported", when.object()), widget.NewFormItem("NCMEC number", number))
	ws.formDialog("NCMEC report made", "Save", form, func() string {
		at, problem := when.value("report")
		if problem != "" {
			return problem
		}
		if at.IsZero() {
			return "Give the date and time the report was made."
		}
		in := r.Input()
		in.ReportedAt, in.Number = at, number.Text
		if _, err := ws.records.UpdateReference(ws.id, r.ID, in); err != nil {
			return app.Sentence(err)
		}
		t.load()
		ws.changed()
		return ""
	})
}

// add records a reference: the form shows the fields of the chosen kind.
func (t *referencesTab) add() { t.form(app.Reference{}) }

func (t *referencesTab) edit(r app.Reference) { t.form(r) }

// form asks for a reference of a kind (new: the kind first).
func (t *referencesTab) form(r app.Reference) {
	ws := t.ws
	var kindIDs []string
	for _, k := range app.ReferenceKinds {
		kindIDs = append(kindIDs, string(k))
	}
	kinds := newDialogSelect(nil)
	var titles []string
	for _, k := range app.ReferenceKinds {
		titles = append(titles, k.Title())
	}
	kinds.Options = titles
	number := newDialogEntry("")
	number.SetText(r.Number)
	agency := ws.s.newPartnerField("e.g. Demo County Child Welfare")
	agency.entry.SetText(r.Agency)
	reported := newWhenField(r.ReportedAt)
	missing := newWhenField(r.MissingSince)
	worker := newDialogEntry("")
	worker.SetText(r.IntakeWorker)
	screening := newChoice(app.ScreeningDecisions, "")
	screening.set(r.Screening)
	if r.Screening == "" {
		screening.set("pending")
	}
	source := newChoice(app.TipSources, "Choose the source")
	source.set(r.TipSource)
	items := map[string]*widget.FormItem{
		"number":    widget.NewFormItem("Reference number", number),
		"agency":    widget.NewFormItem("Agency", agency.entry),
		"reported":  widget.NewFormItem("Reported", reported.object()),
		"missing":   widget.NewFormItem("Missing since", missing.object()),
		"worker":    widget.NewFormItem("Intake worker", worker),
		"screening": widget.NewFormItem("Screening", screening),
		"source":    widget.NewFormItem("Source", source),
	}
	fields := map[app.ReferenceKind][]string{
		app.RefChildWelfare: {"reported", "agency", "worker", "number", "screening"},
		app.RefNCMEC:        {"missing", "number"},
		app.RefTip:          {"source", "reported", "number"},
		app.RefAgencyCase:   {"agency", "number"},
	}
	form := widget.NewForm()
	hint := quiet("")
	kindItem := widget.NewFormItem("Kind", kinds)
	show := func(k app.ReferenceKind) {
		form.Items = []*widget.FormItem{kindItem}
		for _, f := range fields[k] {
			form.AppendItem(items[f])
		}
		switch k {
		case app.RefNCMEC:
			hint.SetText("The report is due 24 hours after the missing episode began; the case shows the clock until you record the report as made.")
			reported.clock.SetPlaceHolder("e.g. 3:30 PM")
		case app.RefTip:
			hint.SetText("The date the tip came in; the time may be left as it is.")
		default:
			hint.SetText("")
		}
		form.Refresh()
	}
	kinds.OnChanged = func(string) {
		if i := kinds.SelectedIndex(); i >= 0 {
			show(app.ReferenceKinds[i])
		}
	}
	if r.Kind != "" {
		kinds.SetSelectedIndex(max(0, indexOf(kindIDs, string(r.Kind))))
		kinds.Disable()
	} else {
		kinds.SetSelectedIndex(0)
	}
	title := "Add reference"
	if r.Kind != "" {
		title = "Edit reference"
	}
	ws.formDialog(title, "Save", container.NewVBox(form, hint), func() string {
		i := kinds.SelectedIndex()
		if i < 0 {
			return "Choose the kind of reference."
		}
		k := app.ReferenceKinds[i]
		in := app.ReferenceInput{Kind: k, Number: number.Text}
		has := func(f string) bool { return indexOf(fields[k], f) >= 0 }
		var problem string
		if has("agency") {
			in.Agency, in.PartnerID = agency.value()
		}
		if has("reported") {
			if in.ReportedAt, problem = reported.value("report"); problem != "" {
				return problem
			}
		}
		if has("missing") {
			if in.MissingSince, problem = missing.value("missing episode"); problem != "" {
				return problem
			}
		}
		if has("worker") {
			in.IntakeWorker = worker.Text
		}
		if has("screening") {
			in.Screening = screening.value()
		}
		if has("source") {
			in.TipSource = source.value()
		}
		var saved app.Reference
		var err error
		if r.ID.IsZero() {
			saved, err = ws.records.AddReference(ws.id, in)
		} else {
			saved, err = ws.records.UpdateReference(ws.id, r.ID, in)
		}
		if err != nil {
			return app.Sentence(err)
		}
		t.selected = saved.ID
		t.load()
		ws.changed()
		return ""
	})
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
