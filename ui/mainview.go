package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// The places of the main view, in sidebar order.
const (
	sectionDashboard = "Dashboard"
	sectionCases     = "Cases"
	sectionTasks     = "Tasks"
	sectionMeetings  = "Meetings"
	sectionPartners  = "Partners"
	sectionReports   = "Reports"  // ui/reports.go
	sectionActivity  = "Activity" // ui/activitylog.go
	sectionSettings  = "Settings"
)

// mainView is the unlocked window: a sidebar with the few places a user goes, and
// the chosen place beside it.
type mainView struct {
	s        *Shell
	buttons  map[string]*widget.Button
	content  *fyne.Container
	leave    func()           // stops the shown section's timers
	cases    *caseList        // the case list, while Cases is shown
	banner   *integrityBanner // ui/integritybanner.go
	activity *activityLog     // the Activity section, while shown
	// slot is the content area's: each section shown begins a read in it, so a
	// section read for a screen the user already left is dropped.
	slot loadSlot
}

type sectionInfo struct {
	name     string
	icon     func() fyne.Resource // theme icons are looked up once the app runs
	shortcut fyne.KeyName
}

var sections = []sectionInfo{
	{sectionDashboard, theme.HomeIcon, fyne.Key1},
	{sectionCases, theme.FolderOpenIcon, fyne.Key2},
	{sectionTasks, theme.ListIcon, fyne.Key3},
	{sectionMeetings, theme.CalendarIcon, fyne.Key4},
	{sectionPartners, theme.AccountIcon, fyne.Key5},
	{sectionReports, theme.GridIcon, fyne.Key6},
	{sectionActivity, theme.HistoryIcon, fyne.Key7},
	{sectionSettings, theme.SettingsIcon, fyne.Key8},
}

func (s *Shell) showMain() {
	m := &mainView{s: s, buttons: map[string]*widget.Button{}}
	s.main = m
	s.setScreen(m.build(), m.stop)
	m.show(s.section)
}

func (m *mainView) build() fyne.CanvasObject {
	nav := container.NewVBox()
	for _, sec := range sections {
		b := widget.NewButtonWithIcon(sec.name, sec.icon(), func() { m.show(sec.name) })
		b.Alignment = widget.ButtonAlignLeading
		m.buttons[sec.name] = b
		nav.Add(b)
	}
	lock := newActionButton("Lock", theme.LogoutIcon(), m.s.Lock)
	lock.Alignment = widget.ButtonAlignLeading
	lock.Importance = widget.LowImportance
	who := quiet(m.s.profile.DisplayName)
	who.Truncation = fyne.TextTruncateEllipsis
	who.Wrapping = fyne.TextWrapOff
	side := container.NewBorder(
		container.NewVBox(subheading(windowTitle), nav),
		container.NewVBox(widget.NewSeparator(), who, lock),
		nil, nil,
	)
	m.content = container.NewStack()
	sideBox := container.New(widthLayout{190}, container.NewPadded(side))
	// Sidebar first, so Tab goes through it before the content (reading order).
	body := container.New(leadingWidth{}, container.NewHBox(sideBox, widget.NewSeparator()), m.content)
	m.banner = newIntegrityBanner(m.s)
	return container.NewBorder(m.banner.box, nil, nil, nil, body)
}

// show switches the content area to a section.
func (m *mainView) show(name string) {
	m.stop()
	m.cases = nil
	current := m.slot.begin()
	var obj fyne.CanvasObject
	switch name {
	case sectionCases:
		m.cases = newCaseList(m.s, current)
		obj = m.cases.object()
		m.leave = m.cases.leave
	case sectionTasks:
		obj = newTaskList(m.s, current).object()
	case sectionMeetings:
		obj = newMeetingsView(m.s).object()
	case sectionPartners:
		obj = newPartnersView(m.s).object()
	case sectionReports:
		obj = newReportsView(m.s).object()
	case sectionActivity:
		m.activity = newActivityLog(m.s, app.ID{})
		obj = container.NewBorder(heading("Activity"), nil, nil, nil, m.activity.object())
	case sectionSettings:
		obj = newSettingsView(m.s).object()
	default:
		name = sectionDashboard
		obj = newDashboard(m.s, current).object()
	}
	m.s.section = name
	for n, b := range m.buttons {
		if n == name {
			b.Importance = widget.MediumImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	m.content.Objects = []fyne.CanvasObject{container.NewPadded(obj)}
	m.content.Refresh()
}

func (m *mainView) stop() {
	if m.leave != nil {
		m.leave()
		m.leave = nil
	}
}

// mainMenu is the window's menu while unlocked. Its shortcuts work even while an
// entry has the keyboard focus (Fyne offers a focused entry the shortcut first and
// drops what it does not know, but checks the main menu before that), which is
// what makes Ctrl+L lock from anywhere.
func (s *Shell) mainMenu() *fyne.MainMenu {
	var items []*fyne.MenuItem
	for _, sec := range sections {
		it := fyne.NewMenuItem(sec.name, func() {
			if s.main != nil && s.session != nil {
				s.main.show(sec.name)
			}
		})
		it.Shortcut = &desktop.CustomShortcut{KeyName: sec.shortcut, Modifier: fyne.KeyModifierShortcutDefault}
		items = append(items, it)
	}
	find := fyne.NewMenuItem("Find case", s.findCase)
	find.Shortcut = findShortcut
	find.Icon = theme.SearchIcon()
	all := fyne.NewMenuItem("Search all cases", s.showSearch)
	all.Shortcut = searchShortcut
	all.Icon = theme.SearchIcon()
	items = append(items, fyne.NewMenuItemSeparator(), find, all)
	lock := fyne.NewMenuItem("Lock", s.Lock)
	lock.Shortcut = lockShortcut
	lock.Icon = theme.LogoutIcon()
	items = append(items, fyne.NewMenuItemSeparator(), lock)
	return fyne.NewMainMenu(fyne.NewMenu("Casenotes", items...))
}

// findShortcut is Ctrl+F (Cmd+F on macOS): it is on the main menu, like Ctrl+L, so
// it works while an entry has the keyboard focus.
var findShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}

// findCase goes to the case list, keeping it (and the open case) if it is already
// shown, and puts the keyboard in its search box.
func (s *Shell) findCase() {
	m := s.main
	if m == nil || s.session == nil {
		return
	}
	if s.section != sectionCases || m.cases == nil {
		m.show(sectionCases)
	}
	switch {
	case m.cases == nil:
	case m.cases.search != nil:
		s.win.Canvas().Focus(m.cases.search)
	default: // still loading (or no cases: then there is no search box)
		m.cases.wantSearch = true
	}
}

// runWithProgress runs work that can take more than a second off the UI goroutine,
// behind a dialog saying what it is doing, with a bar that work moves by calling
// report and a Cancel button that cancels ctx (give work only what can stop
// safely). done runs on the UI goroutine with work's error once the dialog is
// gone; it does not run if the vault locked meanwhile (the lock already replaced
// the window content and closed the dialog).
func (s *Shell) runWithProgress(title, what string,
	work func(ctx context.Context, report func(done, total int)) error, done func(error)) {
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	status := paragraph(what)
	var stop *widget.Button
	stop = widget.NewButton("Cancel", func() {
		cancel()
		stop.Disable()
		status.SetText("Stopping after the current step…")
	})
	d := dialog.NewCustomWithoutButtons(title, container.New(widthLayout{360}, container.NewVBox(status, bar)), s.win)
	d.SetButtons([]fyne.CanvasObject{stop})
	d.Show()
	records := s.records
	var err error
	s.runInBackground(func() {
		err = work(ctx, func(n, total int) {
			fyne.Do(func() { bar.SetValue(float64(n) / float64(max(total, 1))) })
		})
	}, func() {
		cancel()
		d.Hide()
		if s.records != records || s.session == nil {
			return
		}
		done(err)
	})
}
