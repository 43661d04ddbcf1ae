package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// inZone runs the test with the computer's time zone set to name.
func inZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no time zone data for %s here: %v", name, err)
	}
	old := time.Local
	time.Local = loc
	t.Cleanup(func() { time.Local = old })
	return loc
}

// activityVault is an unlocked vault whose trail holds more than a page: a case
// opened 120 times, and a case made and deleted.
func activityVault(t *testing.T) (*harness, app.Case) {
	t.Helper()
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	r := h.shell.records
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Hotel outreach referral"}, app.Victim{Alias: "Rosa M."})
	if err != nil {
		t.Fatal(err)
	}
	for range 120 {
		if _, err := r.OpenCase(c.ID); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0999", Title: "Opened in error"}, app.Victim{Alias: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteCase(gone.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	return h, c
}

// The vault's Activity screen: 100 entries a page, newest first, times in the
// computer's time zone, Older and Newer, and each filter (case number, a deleted
// case's too; user; action; dates) narrowing what is listed.
func TestActivityScreenPagesAndFilters(t *testing.T) {
	chicago := inZone(t, "America/Chicago")
	h, c := activityVault(t)
	test.Tap(h.button(sectionActivity))
	a := h.shell.main.activity
	if a == nil {
		t.Fatal("no Activity screen")
	}
	page, err := h.shell.records.AuditEntries(app.AuditFilter{}, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	total := int(page.Total)
	if len(a.rows) != activityPageSize || a.rows[0].Seq != uint64(total-1) || a.rows[99].Seq != uint64(total-100) {
		t.Fatalf("first page: %d rows from %d; want 100, newest (%d) first", len(a.rows), a.rows[0].Seq, total-1)
	}
	h.sees("Entries 1–100 of " + thousands(total) + " entries")
	h.sees("this computer's time zone, C")
	newest := a.rows[0]
	if got, want := cellText(a, newest, "Time"), newest.Time.In(chicago).Format("Jan 2, 2006, 3:04:05 PM"); got != want {
		t.Errorf("time shown %q; want Chicago time %q", got, want)
	}
	if !a.newer.Disabled() || a.older.Disabled() {
		t.Error("on the first page Newer must be off and Older on")
	}
	test.Tap(a.older)
	if a.offset != 100 || a.rows[0].Seq != uint64(total-101) {
		t.Fatalf("Older: offset %d, first %d", a.offset, a.rows[0].Seq)
	}
	h.sees("Entries 101–")
	test.Tap(a.newer)
	if a.offset != 0 || a.rows[0].Seq != uint64(total-1) {
		t.Fatalf("Newer: offset %d", a.offset)
	}

	// A case number, found through its tombstone once deleted.
	typeInto(&a.caseNo.Entry, "2026-TF-0999")
	a.caseNo.OnSubmitted(a.caseNo.Text)
	if len(a.rows) != 2 || a.rows[0].Action != app.ActCaseDeleted || cellText(a, a.rows[0], "Case") != "2026-TF-0999 (deleted)" {
		t.Fatalf("the deleted case's entries: %+v", a.rows)
	}
	h.sees("Entries 1–2 of 2 matching entries")
	typeInto(&a.caseNo.Entry, "NOPE-1")
	a.caseNo.OnSubmitted(a.caseNo.Text)
	h.sees("No case numbered NOPE-1")

	// An action, by its title; one user.
	typeInto(&a.caseNo.Entry, "")
	a.action.SetSelected("Case opened")
	if a.total != 120 || len(a.rows) != 100 {
		t.Fatalf("Case opened: %d matching, %d shown; want 120 and a page of 100", a.total, len(a.rows))
	}
	for _, r := range a.rows {
		if r.Action != app.ActCaseOpened || r.Case != c.ID {
			t.Fatalf("a %s entry listed under Case opened", r.Action)
		}
	}
	test.Tap(a.older)
	if len(a.rows) != 20 || !a.older.Disabled() {
		t.Errorf("second filtered page: %d rows", len(a.rows))
	}
	typeInto(&a.user.Entry, "somebody else")
	a.user.OnSubmitted(a.user.Text)
	h.sees("No entries match these filters.")

	// Dates: nothing before 2001; To before From is refused in one sentence.
	test.Tap(a.clear)
	if a.filter != (app.AuditFilter{}) || a.total != total {
		t.Fatalf("Clear filters left %+v (%d of %d)", a.filter, a.total, total)
	}
	long := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	a.until.SetDate(&long)
	h.sees("No entries match these filters.")
	later := long.AddDate(1, 0, 0)
	a.since.SetDate(&later)
	h.sees("The To date is before the From date.")

	// Choosing an entry shows all it records.
	test.Tap(a.clear)
	a.table.Select(widget.TableCellID{Row: 0, Col: 0})
	h.sees("Entry " + thousands(total-1))
}

// A case's Activity tab lists that case's entries only, its own view included.
func TestCaseActivityTabListsOnlyThatCase(t *testing.T) {
	h, c := activityVault(t)
	ws := h.openWorkspace(c.ID) // logs a view of the case
	ws.selectTab(tabActivity)
	a := ws.activity.log
	if a == nil || len(a.rows) != activityPageSize || a.total != 122 {
		t.Fatalf("case tab: %d rows of %d; want a page of the case's 122 entries (created, 121 views)", len(a.rows), a.total)
	}
	for _, r := range a.rows {
		if r.Case != c.ID {
			t.Fatalf("the case's tab lists %s of another case or none", r.Action)
		}
	}
	if a.caseNo != nil {
		t.Error("a case's tab has a case-number filter")
	}
	for _, col := range a.columns() {
		if col == "Case" {
			t.Error("a case's tab has a Case column")
		}
	}
}

// A checklist change names its item on screen (the entry holds only its id): the
// Details column shows the item's title, and the line below the table both the
// title and the whole id.
func TestActivityNamesTheChecklistItem(t *testing.T) {
	h, c := activityVault(t)
	r := h.shell.records
	items, err := r.Checklist(c.ID)
	if err != nil || len(items) == 0 {
		t.Fatalf("no checklist: %v", err)
	}
	it := items[0]
	if _, err := r.SetItemStatus(c.ID, it.ID, app.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabActivity)
	a := ws.activity.log
	row := -1
	for i, e := range a.rows {
		if e.Action == app.ActChecklistChanged && e.Object == it.ID {
			row = i
		}
	}
	if row < 0 {
		t.Fatal("the checklist change is not on the first page")
	}
	if got := cellText(a, a.rows[row], "Details"); got != it.Title {
		t.Errorf("Details shows %q; want the item's title %q", got, it.Title)
	}
	a.table.Select(widget.TableCellID{Row: row, Col: 0})
	if d := a.detail.Text; !strings.Contains(d, "“"+it.Title+"”") || !strings.Contains(d, it.ID.String()) {
		t.Errorf("the entry's line %q does not give the item's title and id", d)
	}
}

// A page whose read finishes after the vault locked shows nothing.
func TestActivityReadAfterLockShowsNothing(t *testing.T) {
	h, _ := activityVault(t)
	var later []func()
	h.shell.background = func(f func()) { later = append(later, f) }
	test.Tap(h.button(sectionActivity))
	a := h.shell.main.activity
	h.shell.Lock()
	h.shell.background = func(f func()) { f() }
	for _, f := range later {
		f()
	}
	if len(a.rows) != 0 {
		t.Errorf("a read finished after lock filled the screen with %d rows", len(a.rows))
	}
	h.onUnlockScreen()
}

func cellText(a *activityLog, r app.AuditRow, col string) string {
	s, _ := a.cell(r, col)
	return strings.TrimSpace(s)
}

// The trail tells a lock the user asked for (Ctrl+L) from one the idle timer made.
func TestIdleAndManualLocksAreLoggedApart(t *testing.T) {
	h := unlocked(t)
	count := func(action string) int {
		t.Helper()
		p, err := h.shell.records.AuditEntries(app.AuditFilter{Action: action}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		return p.Matching
	}
	idle0, manual0 := count(app.ActLockIdle), count(app.ActLock) // the harness locked the new vault once
	h.clock.Advance(10*time.Minute + time.Second)
	h.onUnlockScreen()
	h.unlockWith(goodPassphrase)
	if idle, manual := count(app.ActLockIdle)-idle0, count(app.ActLock)-manual0; idle != 1 || manual != 0 {
		t.Fatalf("after the idle lock: %d idle and %d manual lock entries more; want 1 and 0", idle, manual)
	}
	h.shortcut(lockShortcut)
	h.onUnlockScreen()
	h.unlockWith(goodPassphrase)
	if idle, manual := count(app.ActLockIdle)-idle0, count(app.ActLock)-manual0; idle != 1 || manual != 1 {
		t.Fatalf("after Ctrl+L: %d idle and %d manual lock entries more; want 1 and 1", idle, manual)
	}
}
