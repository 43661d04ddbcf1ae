package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// The tabs of the case workspace, in order.
const (
	tabOverview    = "Overview"
	tabNotes       = "Notes"
	tabChecklist   = "Checklist"
	tabTimeline    = "Timeline"
	tabReleases    = "Releases"
	tabReferrals   = "Referrals"
	tabAttachments = "Attachments"
	// The MDT practice (issue 14).
	tabReferences = "References"
	tabCourt      = "Court"
	tabOutcomes   = "Outcomes"
	tabActivity   = "Activity" // the case's audit trail (ui/activitylog.go)
)

var workspaceTabs = []string{tabOverview, tabNotes, tabChecklist, tabTimeline, tabReleases, tabReferrals, tabAttachments,
	tabReferences, tabCourt, tabOutcomes, tabActivity}

// Shortcuts of the case workspace. They are registered on the window canvas while a
// workspace is shown, and the note editor forwards them too (a focused entry
// otherwise swallows every shortcut it does not know).
var (
	nextTabShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: fyne.KeyModifierControl}
	newNoteShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	finaliseShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
)

// shownWorkspace is the workspace whose shortcuts a window's canvas carries, so a
// workspace that leaves after its successor was shown does not take the
// successor's shortcuts with it. Touched on the UI goroutine only.
var shownWorkspace = map[fyne.Window]*caseWorkspace{}

// workspaceTab is one tab of the workspace, built the first time it is shown.
type workspaceTab interface {
	build() fyne.CanvasObject
}

// caseWorkspace is one case, open beside the case list: a header that names the
// case by number and alias (never the legal name) and a tab per part of the
// record. It holds on to the records service it was opened with, and writes
// nothing once the vault has locked.
type caseWorkspace struct {
	s       *Shell
	records *app.Records
	id      app.ID

	ov       app.Overview
	loadErr  error
	readOnly bool

	header *widget.Label
	tabs   *container.AppTabs
	items  map[string]*container.TabItem
	parts  map[string]workspaceTab
	built  map[string]bool
	root   fyne.CanvasObject

	overview    *overviewTab
	notes       *notesTab
	checklist   *checklistTab
	timeline    *timelineTab
	releases    *releasesTab
	referrals   *referralsTab
	attachments *attachmentsTab
	references  *referencesTab
	court       *courtTab
	outcomes    *outcomesTab
	activity    *activityTab

	// onEdited, when set, runs after any change made here (the case, its victim
	// profile, its checklist or referrals),
	// so that a list showing the case can refresh its row.
	onEdited func()

	removeLockHook func()
	gone           bool
	// loaded: the case was read and the header and tabs built; wantTab is the tab
	// asked for before that.
	loaded  bool
	wantTab string
	reread  loadSlot // the case read again after a change
}

// newCaseWorkspace opens a case. Its shortcuts (Ctrl+Tab, Ctrl+N, Ctrl+S) and its
// lock hook (save the draft, hide the legal identity) are in force until leave.
func newCaseWorkspace(s *Shell, caseID app.ID) *caseWorkspace {
	ws := &caseWorkspace{s: s, records: s.records, id: caseID,
		items: map[string]*container.TabItem{}, parts: map[string]workspaceTab{}, built: map[string]bool{}}
	ws.overview = &overviewTab{ws: ws}
	ws.notes = newNotesTab(ws)
	ws.checklist = &checklistTab{ws: ws}
	ws.timeline = &timelineTab{listTab[app.TimelineEvent]{ws: ws}}
	ws.releases = &releasesTab{listTab[app.Release]{ws: ws}}
	ws.referrals = &referralsTab{listTab[app.Referral]{ws: ws}}
	ws.attachments = &attachmentsTab{listTab: listTab[app.Attachment]{ws: ws}}
	ws.references = &referencesTab{listTab[app.Reference]{ws: ws}}
	ws.court = &courtTab{sectionsTab: sectionsTab{ws: ws}}
	ws.outcomes = &outcomesTab{sectionsTab: sectionsTab{ws: ws}}
	ws.activity = &activityTab{ws: ws}
	ws.parts = map[string]workspaceTab{
		tabOverview: ws.overview, tabNotes: ws.notes, tabChecklist: ws.checklist, tabTimeline: ws.timeline,
		tabReleases: ws.releases, tabReferrals: ws.referrals, tabAttachments: ws.attachments,
		tabReferences: ws.references, tabCourt: ws.court, tabOutcomes: ws.outcomes, tabActivity: ws.activity,
	}
	ws.removeLockHook = s.OnBeforeLock(ws.leave)
	ws.addShortcuts()
	return ws
}

// object is the workspace for the detail pane: a quiet placeholder at once, the
// case's header and tabs once it is read off the UI goroutine, and the shown
// tab's content in the post after that.
func (ws *caseWorkspace) object() fyne.CanvasObject {
	if ws.root != nil {
		return ws.root
	}
	box := container.NewStack(loading())
	ws.root = box
	readOff(ws.s, ws.alive, func(r *app.Records) (app.Overview, error) {
		return r.OpenCase(ws.id) // the audit trail records the view
	}, func(ov app.Overview, err error) {
		ws.ov, ws.loadErr = ov, err
		ws.readOnly = ov.Case.ReadOnly
		showRead(box, ws.build())
		ws.loaded = true
		if ws.wantTab != "" {
			ws.selectTab(ws.wantTab)
		}
		// The header and the tab bar are one piece of UI work, the tab's content
		// (the overview's forms, most of it) the next: in one go, opening a case
		// kept the UI goroutine 50-60 ms at 10,000 cases. Posted last, so that
		// what queued meanwhile (input, a frame) runs in between.
		ws.s.post(func() {
			if ws.alive() && ws.tabs != nil {
				ws.ensureBuilt(ws.tab())
			}
		})
	})
	return ws.root
}

// alive reports whether the workspace is still open on the unlocked vault: reads
// for one that was left are dropped.
func (ws *caseWorkspace) alive() bool { return !ws.gone && ws.open() }

// build is the case read: its header and tabs.
func (ws *caseWorkspace) build() fyne.CanvasObject {
	if ws.loadErr != nil {
		return failed("Case", ws.loadErr)
	}
	ws.header = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ws.header.Truncation = fyne.TextTruncateEllipsis
	ws.setHeader()
	// Export sits on the case header (UI.md); a received case has none: it cannot
	// be exported as one's own.
	exportBtn := widget.NewButtonWithIcon("Export", theme.DocumentSaveIcon(), ws.showExport)
	if ws.readOnly {
		exportBtn.Hide()
	}
	top := container.NewVBox(container.NewBorder(nil, nil, nil, exportBtn, ws.header))
	if ws.readOnly {
		top.Add(readOnlyBanner(ws.ov.Case.Origin + ws.receivedMark()))
	}
	// All tabs at once: each Append lays every tab button out again, which made
	// opening a case cost a twelfth of a second in tab buttons alone.
	items := make([]*container.TabItem, 0, len(workspaceTabs))
	for _, name := range workspaceTabs {
		it := container.NewTabItem(name, container.NewStack())
		ws.items[name] = it
		items = append(items, it)
	}
	ws.tabs = container.NewAppTabs(items...)
	ws.tabs.OnSelected = func(it *container.TabItem) { ws.ensureBuilt(it.Text) }
	return container.NewBorder(top, nil, nil, nil, ws.tabs)
}

// readCase is readOff for one part of a workspace: read gets the case's ID, and
// the result is dropped once the workspace is left or slot began a newer read.
func readCase[T any](ws *caseWorkspace, slot *loadSlot, read func(r *app.Records, id app.ID) (T, error), apply func(T, error)) {
	if !ws.alive() {
		return
	}
	current, id := slot.begin(), ws.id
	readOff(ws.s, func() bool { return ws.alive() && current() },
		func(r *app.Records) (T, error) { return read(r, id) }, apply)
}

// readOnlyBanner is the one line every received case carries.
func readOnlyBanner(origin string) fyne.CanvasObject {
	if origin == "" {
		origin = "a partner"
	}
	l := widget.NewLabel("Received from " + origin + " — read-only")
	l.Importance = widget.WarningImportance
	l.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), nil, l)
}

// setHeader names the case: number, alias, status and team.
func (ws *caseWorkspace) setHeader() {
	c := ws.ov.Case
	parts := []string{caseLabel(c.Number, ws.ov.Victim.Alias), strings.ToLower(statusTitle(c.Status))}
	if len(c.Assigned) > 0 {
		parts = append(parts, strings.Join(c.Assigned, ", "))
	}
	ws.header.SetText(strings.Join(parts, " · "))
}

func (ws *caseWorkspace) ensureBuilt(name string) {
	if ws.built[name] || ws.gone {
		return
	}
	part, it := ws.parts[name], ws.items[name]
	if part == nil || it == nil {
		return
	}
	ws.built[name] = true
	// Laid out in place, not refreshed widget by widget: the tab's widgets were
	// made a moment ago (showRead).
	showRead(it.Content.(*fyne.Container), part.build())
}

// tab is the name of the tab on show, for the shell to reopen it after unlocking.
func (ws *caseWorkspace) tab() string {
	if ws.tabs == nil || ws.tabs.Selected() == nil {
		return tabOverview
	}
	return ws.tabs.Selected().Text
}

// selectTab shows the tab with that name; an unknown name does nothing. Asked
// while the case is being read, it shows the tab once the case is there.
func (ws *caseWorkspace) selectTab(name string) {
	ws.object()
	if !ws.loaded {
		ws.wantTab = name
		return
	}
	it := ws.items[name]
	if it == nil || ws.tabs == nil {
		return
	}
	ws.tabs.Select(it)
	ws.ensureBuilt(name)
}

// nextTab moves to the next tab, after the last back to the first (Ctrl+Tab).
func (ws *caseWorkspace) nextTab() {
	if ws.tabs == nil || len(ws.tabs.Items) == 0 {
		return
	}
	ws.selectTab(ws.tabs.Items[(ws.tabs.SelectedIndex()+1)%len(ws.tabs.Items)].Text)
}

// handleShortcut runs a workspace shortcut and reports whether it was one.
func (ws *caseWorkspace) handleShortcut(sc fyne.Shortcut) bool {
	if ws.gone || ws.tabs == nil {
		return false
	}
	switch sc.ShortcutName() {
	case nextTabShortcut.ShortcutName():
		ws.nextTab()
	case newNoteShortcut.ShortcutName():
		ws.selectTab(tabNotes)
		ws.notes.newNote()
	case finaliseShortcut.ShortcutName():
		if ws.tab() == tabNotes {
			ws.notes.askFinalise()
		}
	default:
		return false
	}
	return true
}

func (ws *caseWorkspace) addShortcuts() {
	win := ws.s.win
	if old := shownWorkspace[win]; old != nil && old != ws {
		old.removeShortcuts()
	}
	shownWorkspace[win] = ws
	c := win.Canvas()
	for _, sc := range []fyne.Shortcut{nextTabShortcut, newNoteShortcut, finaliseShortcut} {
		c.AddShortcut(sc, func(sc fyne.Shortcut) { ws.handleShortcut(sc) })
	}
}

func (ws *caseWorkspace) removeShortcuts() {
	win := ws.s.win
	if shownWorkspace[win] != ws {
		return
	}
	delete(shownWorkspace, win)
	c := win.Canvas()
	for _, sc := range []fyne.Shortcut{nextTabShortcut, newNoteShortcut, finaliseShortcut} {
		c.RemoveShortcut(sc)
	}
}

// leave closes the workspace: the draft on screen is saved (while the vault is
// still open), a revealed legal identity is hidden, timers stop and the shortcuts
// go. The shell calls it when another case is chosen, the section changes or the
// vault locks (it is also a before-lock hook). Calling it twice does nothing.
func (ws *caseWorkspace) leave() {
	if ws.gone {
		return
	}
	ws.gone = true
	ws.removeShortcuts()
	if ws.removeLockHook != nil {
		ws.removeLockHook()
	}
	ws.notes.leave()
	ws.overview.hideIdentity()
}

// deleted closes the workspace of a case that was just deleted and shows the case
// list without it.
func (ws *caseWorkspace) deleted() {
	ws.leave()
	if ws.s.lastCase == ws.id {
		ws.s.lastCase, ws.s.lastTab = app.ID{}, ""
	}
	if ws.s.main != nil {
		ws.s.main.show(sectionCases)
	}
}

// open reports whether the vault this workspace was opened on is still unlocked:
// after a lock nothing may be read or written through it.
func (ws *caseWorkspace) open() bool {
	return ws.records != nil && ws.s.records == ws.records
}

// now is the screen clock (the shell's, so tests are deterministic).
func (ws *caseWorkspace) now() time.Time { return ws.s.clock.Now() }

// changed re-reads the case after a change in one tab that others summarise: the
// header and the overview (progress, deadlines, counts).
func (ws *caseWorkspace) changed() {
	readCase(ws, &ws.reread, func(r *app.Records, id app.ID) (app.Overview, error) { return r.Overview(id) },
		func(ov app.Overview, err error) {
			if err == nil {
				ws.ov = ov
				if ws.header != nil {
					ws.setHeader()
				}
			}
			if ws.built[tabOverview] {
				ws.overview.refresh()
			}
			if ws.onEdited != nil {
				ws.onEdited()
			}
		})
}

// guard disables editing controls on a received (read-only) case.
func (ws *caseWorkspace) guard(controls ...fyne.Disableable) {
	if !ws.readOnly {
		return
	}
	for _, c := range controls {
		c.Disable()
	}
}

// formDialog is the shell's formDialog at the usual form width: content with Cancel
// and a confirm button; submit returns a sentence when something is wrong (shown in
// the dialog, which stays open) or "" when done (the dialog closes).
func (ws *caseWorkspace) formDialog(title, confirm string, content fyne.CanvasObject, submit func() string) dialog.Dialog {
	return ws.form(title, confirm, content, submit).dialog
}

// form is the shell's form dialog at the workspace's width, whose submit first
// checks that the vault is still open on this workspace: a submit after a lock says
// so in one sentence and writes nothing.
func (ws *caseWorkspace) form(title, confirm string, content fyne.CanvasObject, submit func() string) *formBox {
	return ws.s.formDialog(title, confirm, formWidth, content, func() string {
		if !ws.open() {
			return app.Sentence(app.ErrLocked)
		}
		return submit()
	})
}

// askReason asks for a short reason, with the cursor in its field, and hands it to
// save; a refusal (an empty reason, say) shows as one sentence and keeps the dialog.
func (ws *caseWorkspace) askReason(title, confirm, prompt, placeholder string, save func(reason string) error) {
	reason := newDialogEntry(placeholder)
	ws.formDialog(title, confirm, container.NewVBox(paragraph(prompt), reason), func() string {
		if err := save(reason.Text); err != nil {
			return app.Sentence(err)
		}
		return ""
	})
	ws.s.win.Canvas().Focus(reason)
}

// askReasonOff is askReason for a change that can take long: save runs off the UI
// goroutine behind a busy dialog saying what it does, then done runs on the UI
// goroutine once the form is gone. A refusal shows in the form as one sentence and
// keeps it open. A vault locked meanwhile skips done: the lock has replaced the
// screen.
func (ws *caseWorkspace) askReasonOff(title, confirm, prompt, placeholder, what string,
	save func(r *app.Records, reason string) error, done func()) {
	reason := newDialogEntry(placeholder)
	var box *formBox
	saving := false
	box = ws.form(title, confirm, container.NewVBox(paragraph(prompt), reason), func() string {
		if saving {
			return stayOpen
		}
		saving = true
		say(box.msg, "")
		r, text := ws.records, reason.Text
		ws.s.runBusy(title, what, func(func(int)) error { return save(r, text) }, func(err error) {
			saving = false
			if err != nil {
				say(box.msg, app.Sentence(err))
				return
			}
			box.dialog.Hide()
			if ws.open() {
				done()
			}
		})
		return stayOpen
	})
	ws.s.win.Canvas().Focus(reason)
}

// confirm asks one sentence before something that cannot be undone; action is
// the main button.
func (ws *caseWorkspace) confirm(title, sentence, action string, then func()) {
	ws.ask(title, sentence, action, widget.HighImportance, then)
}

// confirmDelete asks one sentence before deleting something: the Delete button is
// styled as destructive, not as the main action.
func (ws *caseWorkspace) confirmDelete(title, sentence, action string, then func()) {
	ws.ask(title, sentence, action, widget.DangerImportance, then)
}

// ask is a confirmation dialog with the sentence alone: Fyne's NewConfirm draws a
// large question-mark icon behind the text, which reads as a watermark over it.
func (ws *caseWorkspace) ask(title, sentence, action string, imp widget.Importance, then func()) {
	text := paragraph(sentence)
	d := dialog.NewCustomConfirm(title, action, "Cancel", container.New(widthLayout{380}, text), func(ok bool) {
		if ok {
			then()
		}
	}, ws.s.win)
	d.SetConfirmImportance(imp)
	ws.s.closeOnEscape(d)
	d.Show()
}

// formItem is a form row whose value wraps.
func formItem(label, value string) *widget.FormItem {
	return widget.NewFormItem(label, wrapped(value))
}
