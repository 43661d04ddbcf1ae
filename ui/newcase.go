package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// Words of the case forms.
const (
	aliasHint     = "An alias, never the legal name"
	placementHint = "The kind of placement only, never an address"
	numberHint    = "As your agency writes it, such as 2026-TF-0412"
	listHint      = "Separate them with commas"
	// aliasFirst says where the legal identity goes, under the victim's heading.
	aliasFirst = "Alias first. The legal identity is added later from the case overview, and kept apart."
	// notRecorded is the first choice of an optional list, to leave it empty.
	notRecorded = "Not recorded"
)

// Form widths: a short form, and the two-column New case form.
const (
	formWidth    = 460
	newCaseWidth = 900
)

// showNewCase opens the New case form: the case, its indicator tags, and the
// victim's profile, alias first. The legal identity is not asked here: it is added
// from the overview with its own action. A refused value (a duplicate number, a
// missing alias) is one sentence in the form, which keeps what was typed. Once the
// case is stored, onCreated runs with it.
func (s *Shell) showNewCase(onCreated func(app.Case)) {
	s.newCaseDialog(onCreated)
}

// newCaseForm is the New case form on show.
type newCaseForm struct {
	box    *formBox
	fields *caseFields
	victim *victimFields
}

func (s *Shell) newCaseDialog(onCreated func(app.Case)) *newCaseForm {
	r := s.records
	f := &newCaseForm{victim: newVictimFields(app.Victim{})}
	var inds []string
	var indErr error
	if r != nil {
		inds, indErr = r.Indicators()
	}
	team := []string(nil)
	if s.profile.DisplayName != "" {
		team = []string{s.profile.DisplayName}
	}
	today := dateOnlyUTC(s.clock.Now())
	f.fields = newCaseFields(app.Case{Assigned: team, Opened: today}, inds, true)

	var tags fyne.CanvasObject = f.fields.tagList(5)
	if indErr != nil {
		tags = failedLine(indErr)
	}
	left := container.NewVBox(subheading("Case"), f.fields.form(), fieldTitle("Indicators"), tags)
	right := container.NewVBox(subheading("Victim"), quiet(aliasFirst), f.victim.form())
	content := container.NewGridWithColumns(2, left, right)
	f.box = s.formDialog("New case", "Create case", newCaseWidth, content, func() string {
		if r == nil || s.records != r {
			return app.Sentence(app.ErrLocked)
		}
		in, problem := f.fields.input()
		if problem != "" {
			return problem
		}
		v, err := f.victim.input()
		if err != nil {
			return app.Sentence(err)
		}
		c, err := r.CreateCase(in, v)
		if err != nil {
			return app.Sentence(err)
		}
		if onCreated != nil {
			onCreated(c)
		}
		return ""
	})
	// What the form itself checks; the rest (a missing alias, a number in use)
	// only the records service knows, and the next edit clears its message.
	f.box.fix.check = func() string {
		if _, problem := f.fields.input(); problem != "" {
			return problem
		}
		if _, err := f.victim.input(); err != nil {
			return app.Sentence(err)
		}
		return ""
	}
	s.win.Canvas().Focus(f.fields.number)
	return f
}

// caseFields are the case's fields in a form: number (new cases only, checked as
// it is typed), title, jurisdiction, opening date (new cases only), team and tags.
type caseFields struct {
	c                          app.Case
	number, title, where, team *dialogEntry
	opened                     *dialogDateEntry
	tagNames                   []string
	tags                       []*dialogCheck
}

// newCaseFields fills the fields from c. allowed are the tags on offer (the vault's
// indicator list); tags already on the case are offered too.
func newCaseFields(c app.Case, allowed []string, isNew bool) *caseFields {
	f := &caseFields{c: c}
	if isNew {
		f.number = newDialogEntry("")
		f.number.Validator = func(s string) error {
			if err := app.ValidCaseNumber(s); err != nil {
				return sentenceError(app.Sentence(err))
			}
			return nil
		}
		f.opened = newDialogDateEntry()
		if !c.Opened.IsZero() {
			d := c.Opened
			f.opened.SetDate(&d)
		}
	}
	f.title = newDialogEntry("a short title, such as: Hotel outreach referral")
	f.title.SetText(c.Title)
	f.where = newDialogEntry("")
	f.where.SetText(c.Jurisdiction)
	f.team = newDialogEntry("")
	f.team.SetText(strings.Join(c.Assigned, ", "))
	f.tagNames = slices.Clone(allowed)
	for _, t := range c.Tags {
		if !slices.Contains(f.tagNames, t) {
			f.tagNames = append(f.tagNames, t)
		}
	}
	for _, name := range f.tagNames {
		check := newDialogCheck(capitalise(name))
		check.Checked = slices.Contains(c.Tags, name)
		f.tags = append(f.tags, check)
	}
	return f
}

// form is the case's fields but the tags.
func (f *caseFields) form() *widget.Form {
	form := widget.NewForm()
	if f.number != nil {
		form.Append("Case number", f.number)
		form.Items[len(form.Items)-1].HintText = numberHint
	}
	form.Append("Title", f.title)
	form.Append("Jurisdiction", f.where)
	if f.opened != nil {
		form.Append("Opened", f.opened)
	}
	form.Append("Team", f.team)
	form.Items[len(form.Items)-1].HintText = listHint
	return form
}

// tagList is a check per indicator tag, one a line, in a box that shows about rows
// of them and scrolls the rest: the list is long and the form should stay short.
func (f *caseFields) tagList(rows int) fyne.CanvasObject {
	if len(f.tags) == 0 {
		return quiet("The vault has no indicator tags. Settings holds the list.")
	}
	list := container.NewVBox()
	for _, c := range f.tags {
		list.Add(c)
	}
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(0, float32(rows)*f.tags[0].MinSize().Height))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(scroll))
}

// input is the case as typed, or a sentence saying what to fix first.
func (f *caseFields) input() (app.CaseInput, string) {
	in := app.CaseInput{
		Number: f.c.Number, Title: f.title.Text, Jurisdiction: f.where.Text,
		Assigned: splitList(f.team.Text, ","),
	}
	if f.number != nil {
		in.Number = strings.TrimSpace(f.number.Text)
		if err := app.ValidCaseNumber(in.Number); err != nil {
			return in, app.Sentence(err)
		}
	}
	if f.opened != nil {
		if f.opened.Text != "" && (f.opened.Date == nil || f.opened.Validate() != nil) {
			return in, "The opening date is not a date. Pick one from the calendar."
		}
		if f.opened.Date != nil {
			in.Opened = *f.opened.Date
		}
	}
	for i, c := range f.tags {
		if c.Checked {
			in.Tags = append(in.Tags, f.tagNames[i])
		}
	}
	return in, ""
}

// victimFields are the victim's profile in a form, alias first: alias, age or age
// band, gender, languages, interpreter, placement type and who holds care. Fields
// the form does not show (the screening) are kept as they were.
type victimFields struct {
	v                                  app.Victim
	alias, age, gender, languages      *dialogEntry
	band, placement, guardian          *dialogSelect
	interpreter                        *dialogCheck
	bandOpts, placementOpts, guardOpts []string
}

func newVictimFields(v app.Victim) *victimFields {
	f := &victimFields{v: v}
	f.alias = newDialogEntry("such as: Rosa M.")
	f.alias.SetText(v.Alias)
	f.age = newDialogEntry("years")
	if v.Age > 0 {
		f.age.SetText(strconv.Itoa(v.Age))
	}
	f.band, f.bandOpts = choice(app.AgeBands, v.AgeBand, "or an age band")
	f.gender = newDialogEntry("as the young person describes it")
	f.gender.SetText(v.Gender)
	f.languages = newDialogEntry("such as: Spanish, English")
	f.languages.SetText(strings.Join(v.Languages, ", "))
	f.interpreter = newDialogCheck("An interpreter is needed")
	f.interpreter.Checked = v.InterpreterNeeded
	f.placement, f.placementOpts = choice(app.PlacementTypes, v.PlacementType, "Choose the kind of placement")
	f.guardian, f.guardOpts = choice(app.GuardianTypes, v.GuardianType, "Who holds care (never a name)")
	return f
}

// choice is a select over a controlled list, sentence-cased, with "Not recorded"
// first so the value can be left empty; opts are the values behind the options.
func choice(values []string, selected, placeholder string) (*dialogSelect, []string) {
	opts := append([]string{""}, values...)
	names := []string{notRecorded}
	for _, v := range values {
		names = append(names, capitalise(v))
	}
	s := newDialogSelect(names)
	s.PlaceHolder = placeholder
	if i := slices.Index(opts, selected); i > 0 {
		s.SetSelectedIndex(i)
	}
	return s, opts
}

// chosen is the value behind a choice's selection ("" for none).
func chosen(s *dialogSelect, opts []string) string {
	if i := s.SelectedIndex(); i >= 0 && i < len(opts) {
		return opts[i]
	}
	return ""
}

func (f *victimFields) form() *widget.Form {
	age := container.New(leadingWidth{80}, f.age, f.band) // in reading (and Tab) order
	form := widget.NewForm(
		widget.NewFormItem("Alias", f.alias),
		widget.NewFormItem("Age", age),
		widget.NewFormItem("Gender", f.gender),
		widget.NewFormItem("Languages", f.languages),
		widget.NewFormItem("Interpreter", f.interpreter),
		widget.NewFormItem("Placement", f.placement),
		widget.NewFormItem("Care held by", f.guardian),
	)
	form.Items[0].HintText = aliasHint
	form.Items[3].HintText = listHint
	form.Items[5].HintText = placementHint
	return form
}

// input is the profile as typed. The records service checks it again; this only
// turns the age into a number.
func (f *victimFields) input() (app.Victim, error) {
	v := f.v
	v.Alias = f.alias.Text
	v.Age = 0
	if s := strings.TrimSpace(f.age.Text); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return v, app.Invalid("age", "is not a number of years")
		}
		v.Age = n
	}
	v.AgeBand = chosen(f.band, f.bandOpts)
	v.Gender = f.gender.Text
	v.Languages = splitList(f.languages.Text, ",")
	v.InterpreterNeeded = f.interpreter.Checked
	v.PlacementType = chosen(f.placement, f.placementOpts)
	v.GuardianType = chosen(f.guardian, f.guardOpts)
	return v, nil
}
