package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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

// fieldTitle names a part of a form that is not a single field.
func fieldTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// leadingWidth lays out a row: the first object this wide, the next one filling
// the rest. Unlike a border layout, it keeps the objects in reading order, which is
// the order Tab follows.
type leadingWidth struct{ width float32 }

func (l leadingWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(l.width, 0)
	for i, o := range objs {
		m := o.MinSize()
		if i > 0 {
			s.Width += theme.Padding() + m.Width
		}
		s.Height = max(s.Height, m.Height)
	}
	return s
}

func (l leadingWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(l.width, size.Height))
	x := l.width + theme.Padding()
	for _, o := range objs[1:] {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(max(size.Width-x, 0), size.Height))
	}
}

// splitList splits typed text into trimmed, non-empty parts.
func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sentenceError is a validation message already written for people: a form shows
// it under its field as it is.
type sentenceError string

func (e sentenceError) Error() string { return string(e) }

// formBox is a form dialog on show: content, a message line for what is wrong, and
// Cancel and a confirm button.
type formBox struct {
	dialog *dialog.CustomDialog
	msg    *widget.Label
	// submit does what the confirm button does (Enter in a one-line field too).
	submit func()
}

// stayOpen, returned by a form's submit, keeps the dialog open without a message:
// the submit asked a question first and submits again once it is answered.
const stayOpen = "\x00stay open"

// formDialog shows content, width wide at least, with Cancel and a confirm button.
// submit returns a sentence when something is wrong (shown in the dialog, which
// stays open with what was typed) or "" when done (the dialog closes). Esc closes
// it: from the dialog's own fields (dialogEntry and the like) and with nothing
// focused.
func (s *Shell) formDialog(title, confirm string, width float32, content fyne.CanvasObject, submit func() string) *formBox {
	f := &formBox{msg: errorLabel()}
	f.submit = func() {
		switch problem := submit(); problem {
		case "":
			f.dialog.Hide()
		case stayOpen:
		default:
			say(f.msg, problem)
		}
	}
	ok := widget.NewButton(confirm, f.submit)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { f.dialog.Hide() })
	body := container.New(widthLayout{width}, container.NewVBox(content, f.msg))
	f.dialog = dialog.NewCustomWithoutButtons(title, body, s.win)
	f.dialog.SetButtons([]fyne.CanvasObject{cancel, ok})
	wireFields(content, f.dialog.Hide, f.submit)
	s.closeOnEscape(f.dialog)
	f.dialog.Show()
	return f
}

// Esc closes dialogs. Fyne hands a key to the focused widget only, and its entries,
// selects and checks keep Esc to themselves; so the fields of a form dialog are
// dialogEntry, dialogDateEntry, dialogSelect and dialogCheck, which pass Esc on to
// close their dialog, and with nothing focused the window's key handler closes the
// dialog on top (closeOnEscape).

// escape is what a dialog field does on Esc.
type escape struct{ onEscape func() }

func (e *escape) setOnEscape(f func()) { e.onEscape = f }

// escaped runs onEscape for Esc and reports whether it did.
func (e *escape) escaped(k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyEscape || e.onEscape == nil {
		return false
	}
	e.onEscape()
	return true
}

type escapable interface{ setOnEscape(func()) }

// dialogEntry is an entry that closes its dialog on Esc.
type dialogEntry struct {
	widget.Entry
	escape
}

func newDialogEntry(placeholder string) *dialogEntry {
	e := &dialogEntry{}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = placeholder
	return e
}

func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if !e.escaped(k) {
		e.Entry.TypedKey(k)
	}
}

// dialogDateEntry is a date entry that closes its dialog on Esc.
type dialogDateEntry struct {
	widget.DateEntry
	escape
}

func newDialogDateEntry() *dialogDateEntry {
	e := &dialogDateEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

func (e *dialogDateEntry) TypedKey(k *fyne.KeyEvent) {
	if !e.escaped(k) {
		e.DateEntry.TypedKey(k)
	}
}

// dialogSelect is a select that closes its dialog on Esc.
type dialogSelect struct {
	widget.Select
	escape
}

func newDialogSelect(options []string) *dialogSelect {
	s := &dialogSelect{}
	s.Options = options
	s.ExtendBaseWidget(s)
	return s
}

func (s *dialogSelect) TypedKey(k *fyne.KeyEvent) {
	if !s.escaped(k) {
		s.Select.TypedKey(k)
	}
}

// dialogCheck is a check that closes its dialog on Esc.
type dialogCheck struct {
	widget.Check
	escape
}

func newDialogCheck(text string) *dialogCheck {
	c := &dialogCheck{}
	c.Text = text
	c.ExtendBaseWidget(c)
	return c
}

func (c *dialogCheck) TypedKey(k *fyne.KeyEvent) {
	if !c.escaped(k) {
		c.Check.TypedKey(k)
	}
}

// wireFields makes every dialog field in o close the dialog on Esc, and Enter in a
// one-line entry submit the form.
func wireFields(o fyne.CanvasObject, close, submit func()) {
	switch x := o.(type) {
	case *dialogEntry:
		x.setOnEscape(close)
		if !x.MultiLine && x.OnSubmitted == nil {
			x.OnSubmitted = func(string) { submit() }
		}
	case escapable:
		x.setOnEscape(close)
	case *fyne.Container:
		for _, c := range x.Objects {
			wireFields(c, close, submit)
		}
	case *widget.Form:
		for _, it := range x.Items {
			wireFields(it.Widget, close, submit)
		}
	case *container.Scroll:
		wireFields(x.Content, close, submit)
	}
}

// escapeStack is, for one window, the dialogs that Esc closes, the newest last, and
// the key handler their handler stands in front of.
type escapeStack struct {
	closers []*func()
	prev    func(*fyne.KeyEvent)
}

// windowEscapes is touched on the UI goroutine only.
var windowEscapes = map[fyne.Window]*escapeStack{}

// closeOnEscape makes Esc, typed with nothing focused, close d (the newest such
// dialog first). It uses d's on-closed callback.
func (s *Shell) closeOnEscape(d dialog.Dialog) {
	w := s.win
	c := w.Canvas()
	st := windowEscapes[w]
	release := func() {
		if windowEscapes[w] == st {
			c.SetOnTypedKey(st.prev)
			delete(windowEscapes, w)
		}
	}
	if st == nil {
		st = &escapeStack{prev: c.OnTypedKey()}
		windowEscapes[w] = st
		c.SetOnTypedKey(func(k *fyne.KeyEvent) {
			if k.Name == fyne.KeyEscape && len(st.closers) > 0 {
				if c.Overlays().Top() != nil {
					(*st.closers[len(st.closers)-1])()
					return
				}
				// The dialogs went with the screen they were on (a lock).
				st.closers = nil
				release()
			}
			if st.prev != nil {
				st.prev(k)
			}
		})
	}
	hide := d.Hide
	st.closers = append(st.closers, &hide)
	d.SetOnClosed(func() {
		st.closers = slices.DeleteFunc(st.closers, func(f *func()) bool { return f == &hide })
		if len(st.closers) == 0 {
			release()
		}
	})
}
