package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// windowSizes are the screens every screen of the app must fit without the window
// growing: a 1280x800 laptop and a 1920x1080 monitor.
var windowSizes = []fyne.Size{defaultWindowSize, fyne.NewSize(1280, 800), fyne.NewSize(1920, 1080)}

// fitsCheck fails if the window content needs more room than size: the desktop
// driver then grows the window by itself.
func (h *harness) fitsCheck(screen string, size fyne.Size) {
	h.t.Helper()
	h.win.Resize(size)
	h.objects()
	if m := h.win.Canvas().Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
		h.t.Errorf("%s needs %.0fx%.0f, more than a %.0fx%.0f window: the window would grow by itself",
			screen, m.Width, m.Height, size.Width, size.Height)
	}
}

// TestEveryScreenFitsWithoutGrowingTheWindow opens each screen, every workspace
// tab and long notes (a draft, and a final one with an addendum by someone with a
// long name) in the default window, at 1280x800 and at 1920x1080, with the real
// theme's sizes, and checks none needs a larger window than that.
func TestEveryScreenFitsWithoutGrowingTheWindow(t *testing.T) {
	for _, size := range windowSizes {
		t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
			h := newHarness(t)
			// The real app's theme and sizes, not the test driver's.
			h.shell.baseTheme = theme.DefaultTheme() // the real app's sizes, not the test driver's
			h.withVault()
			h.start()
			h.fitsCheck("the unlock screen", size)
			h.unlockWith(goodPassphrase)
			h.withCases()
			r := h.shell.records
			c, _ := r.CaseByNumber("2026-TF-0412")
			long := strings.Repeat("She described the hotel, the car and the people who drove her there. ", 80)
			// A final note by someone with a long name, with an addendum, and a
			// draft: the two ways a note opens.
			r.User = "Detective Sergeant Alexandra Montgomery-Castellanos"
			n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteSupervisorReview, Body: long, Sensitivity: app.SensitivityAdvocatePrivileged})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := r.AddAddendum(c.ID, n.ID, long); err != nil {
				t.Fatal(err)
			}
			if _, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteInterviewReference, Body: long}); err != nil {
				t.Fatal(err)
			}
			r.User = ""
			fillPractice(t, r, c.ID, h.clock.Now())
			for _, sec := range []string{"Dashboard", "Tasks", "Meetings", "Partners", "Reports", "Activity", "Settings", "Cases"} {
				test.Tap(h.button(sec))
				h.fitsCheck(sec, size)
				if sec == "Meetings" || sec == "Partners" {
					for _, o := range h.objects() {
						if l, ok := o.(*widget.List); ok {
							l.Select(0)
						}
					}
					h.fitsCheck(sec+" with the first one chosen", size)
				}
			}
			var list *widget.List
			for _, o := range h.objects() {
				if l, ok := o.(*widget.List); ok {
					list = l
				}
			}
			if list == nil {
				t.Fatal("no case list")
			}
			for i, cs := range h.shell.main.cases.shown {
				if cs.ID == c.ID {
					list.Select(i)
				}
			}
			ws := h.shell.main.cases.ws
			if ws == nil || ws.id != c.ID {
				t.Fatal("the case is not open")
			}
			for _, tab := range workspaceTabs {
				ws.selectTab(tab)
				h.fitsCheck("the "+tab+" tab", size)
			}
			ws.selectTab(tabNotes)
			ws.notes.list.Select(0)
			h.fitsCheck("a long draft opened", size)
			ws.notes.list.Select(1)
			h.fitsCheck("a long final note with an addendum opened", size)
		})
	}
}

// TestDefaultWindowFitsTheWorkspace: with no saved size the window opens large
// enough for the case list beside a case, and within a 1280x800 screen; a size the
// user chose is used instead, and saved again when the window closes.
func TestDefaultWindowFitsTheWorkspace(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	got := h.win.Canvas().Size()
	if got.Width < 1200 || got.Height < 740 || got.Width > 1280 || got.Height > 800 {
		t.Errorf("default window %.0fx%.0f; want at least 1200x740 and at most 1280x800", got.Width, got.Height)
	}
	// A size the user chose, saved at closing, is the next window's size.
	h.win.Resize(fyne.NewSize(1500, 900))
	w := test.NewWindow(nil) // closed by the shell, not by the test's cleanup
	s := NewShell(h.shell.app, w, h.vaults, h.dir)
	s.clock, s.background = h.clock, func(f func()) { f() }
	s.Start()
	w.Resize(fyne.NewSize(1400, 850))
	s.close()
	if got, ok := h.shell.prefs().windowSize(); !ok || got != fyne.NewSize(1400, 850) {
		t.Errorf("saved size %v (%v), want 1400x850", got, ok)
	}
	again := NewShell(h.shell.app, h.win, h.vaults, h.dir)
	again.clock, again.background = h.clock, func(f func()) { f() }
	again.Start()
	if got := h.win.Canvas().Size(); got != fyne.NewSize(1400, 850) {
		t.Errorf("window %.0fx%.0f after a restart, want the saved 1400x850", got.Width, got.Height)
	}
	again.Lock()
}

// fillPractice gives the vault the MDT practice's records, with long texts: the demo
// directory and meeting, and a case's references, hearing, people and charge.
func fillPractice(t *testing.T, r *app.Records, c app.ID, now time.Time) {
	t.Helper()
	if _, err := r.AddPartner(app.PartnerInput{Organization: "Demo County Office of the Public Defender and Juvenile Justice Services",
		Person: "Detective Sergeant Alexandra Montgomery-Castellanos", Category: "juvenile-justice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SeedPractice(); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := r.AddReference(c, app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: now.Add(-2 * time.Hour)})
	must(err)
	_, err = r.AddReference(c, app.ReferenceInput{Kind: app.RefAgencyCase, Agency: "Demo Regional Human Trafficking Task Force and Federal Partners", Number: "HTTF-2026-000123-ALPHA"})
	must(err)
	_, err = r.AddHearing(c, app.HearingInput{At: now.Add(30 * time.Hour), Court: "Demo County Superior Court, Juvenile Division, Department 12", Type: "preliminary-hearing"})
	must(err)
	_, err = r.AddNotification(c, app.NotificationInput{At: now.Add(-time.Hour), To: "parent-or-guardian", Method: "phone",
		Summary: strings.Repeat("Told the hearing date and what to expect. ", 6), Language: "Spanish",
		Interpreter: &app.Interpreter{Name: "Interpreter Ortiz-Fernandez", Language: "Spanish"}})
	must(err)
	p, err := r.AddPerson(c, app.PersonInput{Reference: "Suspect A", Role: "suspect", Relationship: "online contact"})
	must(err)
	_, err = r.AddCharge(c, app.ChargeInput{Statute: "Demo Penal Code 236.1(c)(1) and (2), human trafficking of a minor", Counts: 12, Against: p.ID,
		Disposition: "convicted", DispositionDate: now, Sentence: strings.Repeat("Years in state prison. ", 8), Restitution: 123456789})
	must(err)
}
