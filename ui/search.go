package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/search"
	"casenotes/ui/format"
)

// The global search (Ctrl+K from any screen): every case's notes, addenda, titles,
// aliases, checklist notes, timeline, referrals and attachment names, best first.
// The index is built in memory after unlock (app/search) and dropped at lock; a
// privileged note's hit shows kind, author and date only, until it is opened.

// searchShortcut is Ctrl+K (Cmd+K on macOS). It is on the main menu, so it works
// while an entry has the keyboard focus.
var searchShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierShortcutDefault}

// searchDelay is how long typing pauses before the search runs.
const searchDelay = 150 * time.Millisecond

// startSearch builds the search index of a fresh session in the background.
func (s *Shell) startSearch() {
	s.search = nil
	records := s.records
	var ix *search.Index
	// Opening reads the store (who is searching), so it runs off the UI goroutine
	// like every other read; the build then runs in goroutines of its own.
	s.runInBackground(func() {
		if opened, err := search.OpenBehind(records, s.foreground); err == nil {
			ix = opened
		}
	}, func() {
		switch {
		case ix == nil:
		case s.records != records: // locked (or another vault) meanwhile
			ix.Close()
		default:
			s.search = ix
		}
	})
}

// searchView is the search dialog: a box, a line saying what it found, the hits.
type searchView struct {
	s      *Shell
	ix     *search.Index
	box    *dialogEntry
	kind   *dialogSelect
	status *widget.Label
	bar    *widget.ProgressBar
	list   *widget.List
	hits   []search.Hit
	query  string // the query of hits, for highlighting once opened
	d      dialog.Dialog

	seq       int    // the latest search asked for; older answers are dropped
	stopWait  func() // polls the index while it is being built
	stopDelay func()
}

const allKinds = "All kinds"

// showSearch opens the search dialog over whatever is on screen.
func (s *Shell) showSearch() { s.openSearch() }

// openSearch is showSearch, returning the view (nil while locked).
func (s *Shell) openSearch() *searchView {
	if s.session == nil || s.main == nil {
		return nil
	}
	if s.search == nil {
		s.startSearch()
	}
	if s.search == nil {
		return nil // still opening, a moment after unlock: the next Ctrl+K finds it
	}
	v := &searchView{s: s, ix: s.search}
	v.box = newDialogEntry(`Search every case: words, "a phrase", prefix*, -leave out`)
	v.box.OnChanged = func(string) { v.later() }
	v.box.OnSubmitted = func(string) { v.openHit(0) }
	kinds := []string{allKinds}
	kinds = append(kinds, noteKindTitles()...)
	v.kind = newDialogSelect(kinds)
	v.kind.SetSelected(allKinds)
	v.kind.OnChanged = func(string) { v.run() }
	v.status = quiet("Type a name, a nickname, a street, a phone fragment, a hotel.")
	v.bar = widget.NewProgressBar()
	v.bar.Hide()
	v.list = widget.NewList(func() int { return len(v.hits) }, searchRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(v.hits) {
			setSearchRow(o, v.hits[i])
		}
	})
	v.list.OnSelected = func(i widget.ListItemID) { v.openHit(i) }
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.New(widthLayout{200}, v.kind), v.box),
		v.status, v.bar)
	content := container.New(sizeLayout{fyne.NewSize(900, 560)}, container.NewBorder(top, nil, nil, nil, v.list))
	v.d = dialog.NewCustom("Search all cases", "Close", content, s.win)
	v.d.SetOnClosed(v.stop)
	v.box.setOnEscape(v.d.Hide) // Esc closes it, as every dialog (dialogs.go)
	v.kind.setOnEscape(v.d.Hide)
	s.closeOnEscape(v.d)
	v.d.Show()
	s.win.Canvas().Focus(v.box)
	if v.ix == nil {
		say(v.status, "Search is not available right now. Lock and unlock the vault to try again.")
	}
	return v
}

// stop ends the view's timers.
func (v *searchView) stop() {
	if v.stopWait != nil {
		v.stopWait()
		v.stopWait = nil
	}
	if v.stopDelay != nil {
		v.stopDelay()
		v.stopDelay = nil
	}
	v.seq++
}

// later runs the search once typing pauses.
func (v *searchView) later() {
	if v.stopDelay != nil {
		v.stopDelay()
	}
	v.stopDelay = v.s.clock.After(searchDelay, v.run)
}

// asTyped is the query as typed, with the last word a prefix while it is being
// typed ("quispe mart" finds Martínez), unless it is quoted, excluded or ends in
// a space.
func asTyped(text string) string {
	t := strings.TrimRight(text, " ")
	if t == "" || t != text || strings.HasSuffix(t, `"`) || strings.HasSuffix(t, "*") {
		return t
	}
	words := strings.Fields(t)
	last := words[len(words)-1]
	if strings.HasPrefix(last, "-") || strings.Count(t, `"`)%2 == 1 {
		return t
	}
	return t + "*"
}

// run searches in the background and shows the answer if it is still wanted.
func (v *searchView) run() {
	if v.ix == nil || v.s.session == nil {
		return
	}
	text := asTyped(v.box.Text)
	if strings.TrimSpace(text) == "" {
		v.hits = nil
		v.list.Refresh()
		say(v.status, "Type a name, a nickname, a street, a phone fragment, a hotel.")
		v.status.Importance = widget.LowImportance
		return
	}
	q := search.Query{Text: text, Limit: 100}
	if k := v.kind.Selected; k != "" && k != allKinds {
		q.Kind = noteKindOf(k)
	}
	v.seq++
	seq := v.seq
	var res search.Results
	var err error
	records := v.s.records
	v.s.runInBackground(func() { res, err = v.ix.Search(q) }, func() {
		if seq != v.seq || v.s.records != records {
			return // a newer search, or the vault locked
		}
		v.show(q.Text, res, err)
	})
}

// show puts an answer on screen.
func (v *searchView) show(query string, res search.Results, err error) {
	v.status.Importance = widget.LowImportance
	switch {
	case errors.Is(err, search.ErrBuilding):
		v.waitForIndex()
		return
	case errors.Is(err, app.ErrInvalid):
		say(v.status, app.Sentence(err))
		return
	case err != nil:
		v.status.Importance = widget.DangerImportance
		say(v.status, app.Sentence(err))
		return
	}
	v.bar.Hide()
	v.hits, v.query = res.Hits, query
	v.list.UnselectAll()
	v.list.Refresh()
	v.list.ScrollToTop()
	switch {
	case res.Total == 0:
		say(v.status, "No matches. Check the spelling, or use fewer words.")
	case res.Total > len(res.Hits):
		say(v.status, fmt.Sprintf("%s matches, best first; the best %d are shown. Add a word to narrow them.",
			thousands(res.Total), len(res.Hits)))
	default:
		say(v.status, format.Count(res.Total, "match", "matches")+", best first. Enter opens the first.")
	}
}

// waitForIndex shows the build's progress and searches again once it is ready.
func (v *searchView) waitForIndex() {
	if v.stopWait != nil {
		return
	}
	update := func() {
		if v.s.session == nil {
			return
		}
		done, total, ready := v.ix.Progress()
		if ready {
			v.stopWait()
			v.stopWait = nil
			v.bar.Hide()
			v.run()
			return
		}
		v.bar.Show()
		if total > 0 {
			v.bar.SetValue(float64(min(done, total)) / float64(total))
		}
		say(v.status, fmt.Sprintf("Preparing search: %s of %s cases read. The app works as usual meanwhile.",
			thousands(min(done, total)), thousands(total)))
	}
	v.stopWait = v.s.clock.Every(250*time.Millisecond, update)
	update()
}

// openHit opens the case of a hit on the tab that shows it, a note with the words
// it was found by marked.
func (v *searchView) openHit(i int) {
	if i < 0 || i >= len(v.hits) || v.s.session == nil {
		return
	}
	h := v.hits[i]
	v.d.Hide()
	v.s.openFound(h, v.query)
}

// searchTab is the workspace tab that shows what a hit found.
func searchTab(src app.SearchSource) string {
	switch src {
	case app.SourceNote, app.SourceAddendum:
		return tabNotes
	case app.SourceChecklist:
		return tabChecklist
	case app.SourceTimeline:
		return tabTimeline
	case app.SourceReferral:
		return tabReferrals
	case app.SourceAttachment:
		return tabAttachments
	}
	return tabOverview
}

// openFound goes to the Cases section with the hit's case open on the right tab,
// and for a note, the note open with the words found marked.
func (s *Shell) openFound(h search.Hit, query string) {
	m := s.main
	if m == nil || s.session == nil {
		return
	}
	records := s.records
	var sum app.CaseSummary
	var err error
	s.runInBackground(func() { sum, err = records.CaseSummary(h.Case) }, func() {
		if s.records != records || s.main != m {
			return
		}
		if err != nil {
			dialog.ShowInformation("Search", app.Sentence(err), s.win)
			return
		}
		tab := searchTab(h.Source)
		s.lastCase, s.lastTab = h.Case, tab
		if s.section != sectionCases || m.cases == nil {
			m.show(sectionCases)
		}
		c := m.cases
		if c == nil || c.detail == nil {
			return
		}
		if c.ws == nil || c.ws.id != h.Case {
			c.showCase(sum)
		}
		c.reselect()
		if c.ws == nil {
			return
		}
		c.ws.selectTab(tab)
		if tab == tabNotes && !h.Note.IsZero() {
			c.ws.notes.highlightNote, c.ws.notes.highlight = h.Note, query
			c.ws.notes.open(h.Note)
			c.ws.notes.syncSelection()
		}
	})
}

// searchRow is a hit's row: the case, what was found, who and when on one line,
// then two lines of the snippet.
func searchRow() fyne.CanvasObject {
	icon := widget.NewIcon(theme.DocumentIcon())
	head := widget.NewRichText()
	head.Truncation = fyne.TextTruncateEllipsis
	snip := widget.NewRichText()
	snip.Wrapping = fyne.TextWrapWord
	// Two lines of text, however the theme sizes them: every row the same height.
	two := widget.NewRichTextWithText("Two\nlines").MinSize().Height
	snipBox := container.New(sizeLayout{fyne.NewSize(0, two)}, snip)
	return container.NewBorder(nil, nil, container.NewVBox(icon), nil, container.NewVBox(head, snipBox))
}

// setSearchRow fills a row with a hit.
func setSearchRow(o fyne.CanvasObject, h search.Hit) {
	row := o.(*fyne.Container)
	body := row.Objects[0].(*fyne.Container)
	icon := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Icon)
	head := body.Objects[0].(*widget.RichText)
	snip := body.Objects[1].(*fyne.Container).Objects[0].(*widget.RichText)
	who := format.Date(h.Date)
	if h.Author != "" {
		who = h.Author + " · " + who
	}
	head.Segments = []widget.RichTextSegment{
		&widget.TextSegment{Text: h.CaseNumber + " · " + h.Alias + " · " + hitWhat(h),
			Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: "   " + who, Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder}},
	}
	head.Refresh()
	if h.Privileged {
		icon.SetResource(privilegedIcon)
		snip.Segments = []widget.RichTextSegment{&widget.TextSegment{
			Text:  privilegedBadge + ": open the note to read it.",
			Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Italic: true}, ColorName: theme.ColorNamePlaceHolder},
		}}
	} else {
		icon.SetResource(theme.DocumentIcon())
		snip.Segments = highlightSegments(h.Snippet, h.Highlights)
	}
	snip.Refresh()
}

// hitWhat names what a hit found.
func hitWhat(h search.Hit) string {
	switch h.Source {
	case app.SourceNote:
		if h.Draft {
			return noteKindTitle(h.Kind) + " note (draft)"
		}
		return noteKindTitle(h.Kind) + " note"
	case app.SourceAddendum:
		return "Addendum to a " + strings.ToLower(noteKindTitle(h.Kind)) + " note"
	case app.SourceCase:
		return "Case title or alias"
	case app.SourceChecklist:
		return "Checklist: " + h.Label
	case app.SourceTimeline:
		return "Timeline event"
	case app.SourceReferral:
		return "Referral"
	case app.SourceAttachment:
		return "Attachment"
	}
	return ""
}

// highlightSegments is text with the ranges in bold, for a rich text.
func highlightSegments(text string, ranges [][2]int) []widget.RichTextSegment {
	plain := widget.RichTextStyle{Inline: true}
	found := widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}
	var out []widget.RichTextSegment
	at := 0
	for _, r := range ranges {
		if r[0] < at || r[1] > len(text) || r[0] >= r[1] {
			continue
		}
		if r[0] > at {
			out = append(out, &widget.TextSegment{Text: text[at:r[0]], Style: plain})
		}
		out = append(out, &widget.TextSegment{Text: text[r[0]:r[1]], Style: found})
		at = r[1]
	}
	if at < len(text) {
		out = append(out, &widget.TextSegment{Text: text[at:], Style: plain})
	}
	return out
}

// highlighted is a note's or addendum's text with the words a search found in
// bold, or the plain wrapped text when there is no search to show.
func highlighted(text, query string) fyne.CanvasObject {
	if query == "" {
		return wrapped(text)
	}
	ranges := search.Highlight(text, query)
	if len(ranges) == 0 {
		return wrapped(text)
	}
	rt := widget.NewRichText(highlightSegments(text, ranges)...)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// sizeLayout gives its objects a fixed minimum size (a zero dimension: their
// own), so rows of a list are all the same height and a dialog opens at a useful
// size.
type sizeLayout struct{ size fyne.Size }

func (l sizeLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := l.size
	for _, o := range objs {
		m := o.MinSize()
		if l.size.Width == 0 {
			s.Width = max(s.Width, m.Width)
		}
		if l.size.Height == 0 {
			s.Height = max(s.Height, m.Height)
		}
	}
	return s
}

func (l sizeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// thousands writes n with thousands separators: 10,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
