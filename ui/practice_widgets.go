package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// Small form pieces the MDT practice's screens share: a select of a controlled list
// shown in words, a date-and-time field, and a partner field that picks from the
// directory or takes free text.

// listChoice is a select over a controlled list of ids, shown in words. Like the
// other dialog fields it closes its dialog on Esc.
type listChoice struct {
	widget.Select
	escape
	ids []string
}

// newChoice offers ids ("preliminary-hearing") as words ("Preliminary hearing").
func newChoice(ids []string, placeholder string) *listChoice {
	var labels []string
	for _, id := range ids {
		labels = append(labels, sentenceCase(id))
	}
	return newListChoice(ids, labels, placeholder)
}

func newListChoice(ids, labels []string, placeholder string) *listChoice {
	c := &listChoice{ids: ids}
	c.Options, c.PlaceHolder = labels, placeholder
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey passes Esc on to close the dialog.
func (c *listChoice) TypedKey(k *fyne.KeyEvent) {
	if !c.escaped(k) {
		c.Select.TypedKey(k)
	}
}

// value is the chosen id, "" when none is.
func (c *listChoice) value() string {
	if i := c.SelectedIndex(); i >= 0 && i < len(c.ids) {
		return c.ids[i]
	}
	return ""
}

// set chooses an id.
func (c *listChoice) set(id string) {
	for i, v := range c.ids {
		if v == id {
			c.SetSelectedIndex(i)
		}
	}
}

// infoChoice is a choice of review topics (kinds of information), in words.
func infoChoice(kinds []app.InfoKind) *listChoice {
	var ids, labels []string
	for _, k := range kinds {
		ids = append(ids, string(k))
		labels = append(labels, capitalise(k.Label()))
	}
	c := newListChoice(ids, labels, "")
	c.SetSelectedIndex(0)
	return c
}

// whenField is a date and a time of day, read in the computer's time zone.
type whenField struct {
	date  *dialogDateEntry
	clock *dialogEntry
}

// newWhenField starts at t (zero: empty).
func newWhenField(t time.Time) *whenField {
	w := &whenField{date: newDialogDateEntry(), clock: newDialogEntry("e.g. 3:30 PM")}
	if !t.IsZero() {
		l := t.Local()
		d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
		w.date.SetDate(&d)
		w.clock.SetText(format.Clock(t))
	}
	return w
}

func (w *whenField) object() fyne.CanvasObject {
	return container.NewGridWithColumns(2, w.date, w.clock)
}

// value is the moment entered; ok is false with a sentence when the time does not
// read. Both empty is the zero time.
func (w *whenField) value(what string) (time.Time, string) {
	clock := strings.TrimSpace(w.clock.Text)
	if w.date.Date == nil {
		if clock == "" {
			return time.Time{}, ""
		}
		return time.Time{}, "Choose the date of the " + what + "."
	}
	h, m, ok := parseClock(clock)
	if !ok {
		return time.Time{}, "Write the time of the " + what + " as 3:30 PM or 15:30."
	}
	d := *w.date.Date
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, time.Local), ""
}

// parseClock reads "3:30 PM", "3 pm", "15:30" or "" (midnight is not assumed: ""
// is refused).
func parseClock(s string) (hour, minute int, ok bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), ".", ""))
	pm, am := strings.HasSuffix(s, "PM"), strings.HasSuffix(s, "AM")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "PM"), "AM"))
	if s == "" {
		return 0, 0, false
	}
	hs, ms, hasMin := strings.Cut(s, ":")
	h, err := strconv.Atoi(hs)
	if err != nil {
		return 0, 0, false
	}
	m := 0
	if hasMin {
		if m, err = strconv.Atoi(ms); err != nil || len(ms) != 2 || m > 59 {
			return 0, 0, false
		}
	}
	switch {
	case pm || am:
		if h < 1 || h > 12 {
			return 0, 0, false
		}
		h %= 12
		if pm {
			h += 12
		}
	case h < 0 || h > 23:
		return 0, 0, false
	}
	return h, m, true
}

// partnerField picks a partner from the directory or takes one typed as free text.
type partnerField struct {
	entry *widget.SelectEntry
	all   []app.DirectoryEntry
}

// newPartnerField offers the directory's entries (read off the UI goroutine) and
// takes free text too.
func (s *Shell) newPartnerField(placeholder string) *partnerField {
	p := &partnerField{entry: widget.NewSelectEntry(nil)}
	p.entry.SetPlaceHolder(placeholder)
	records := s.records
	var all []app.DirectoryEntry
	s.runInBackground(func() { all, _ = records.Partners() }, func() {
		p.all = nil
		var names []string
		for _, e := range all {
			p.all = append(p.all, e)
			names = append(names, e.Name())
		}
		p.entry.SetOptions(names)
	})
	return p
}

// value is the partner as typed and, when it names a directory entry, its ID.
func (p *partnerField) value() (string, app.ID) {
	text := strings.TrimSpace(p.entry.Text)
	for _, e := range p.all {
		if strings.EqualFold(e.Name(), text) {
			return e.Name(), e.ID
		}
	}
	return text, app.ID{}
}

// addToDirectoryButton turns a partner typed as free text into a directory entry,
// then runs link with it (to link the record that named the partner).
func (s *Shell) addToDirectoryButton(text string, category app.Partner, link func(app.DirectoryEntry)) *widget.Button {
	b := widget.NewButton("Add to the directory…", func() {
		s.addPartnerFrom(app.PartnerEntryFor(text, category), link)
	})
	b.Importance = widget.LowImportance
	return b
}

// dateOrZero is a date entry's date, or the zero time.
func dateOrZero(e *dialogDateEntry) time.Time {
	if e.Date == nil {
		return time.Time{}
	}
	return *e.Date
}
