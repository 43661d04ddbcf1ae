package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/storage"
)

// fakeClock is a Clock the test moves by hand: Advance fires due timers in time
// order, synchronously, so no test sleeps.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	every   time.Duration // 0 for a one-shot timer
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Every(d time.Duration, f func()) func() {
	t := &fakeTimer{at: c.now.Add(d), every: d, f: f}
	c.timers = append(c.timers, t)
	return func() { t.stopped = true }
}

func (c *fakeClock) After(d time.Duration, f func()) func() {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() { t.stopped = true }
}

// Advance moves the clock forward by d, firing every timer that falls due.
func (c *fakeClock) Advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		var next *fakeTimer
		for _, t := range c.timers {
			if !t.stopped && !t.at.After(end) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		c.now = next.at
		if next.every > 0 {
			next.at = next.at.Add(next.every)
		} else {
			next.stopped = true
		}
		next.f()
	}
	c.now = end
	c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool { return t.stopped })
}

// harness is a Shell on a test window over a real vault directory, with the fake
// clock and slow work run inline.
type harness struct {
	t      *testing.T
	shell  *Shell
	win    fyne.Window
	clock  *fakeClock
	vaults *app.Vaults
	dir    string
	disk   *keepingDisk
}

const (
	goodPassphrase  = "copper lantern orchard velvet"
	otherPassphrase = "quiet harbour maple seventeen"
)

// keepingDisk is the real disk that keeps the store it opened last, for tests
// that must change records below the services (as an older version wrote them).
type keepingDisk struct {
	storage.Disk
	last app.Store
	// guard, when set, checks every call to the stores opened from then on
	// (offui_test.go).
	guard *storeGuard
}

func (d *keepingDisk) OpenStore(dir string, keys app.StoreKeys, create bool) (app.Store, error) {
	s, err := d.Disk.OpenStore(dir, keys, create)
	if err == nil && d.guard != nil {
		s = guardedStore{Store: s, g: d.guard}
	}
	d.last = s
	return s, err
}

// newHarness prepares a shell; start shows its first screen.
func newHarness(t *testing.T) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	clock := newFakeClock()
	disk := &keepingDisk{}
	vaults := app.NewVaults(disk)
	vaults.Now = clock.Now
	dir := filepath.Join(t.TempDir(), "vault")
	s := NewShell(a, w, vaults, dir)
	s.clock = clock
	s.background = func(f func()) { f() }
	t.Cleanup(func() { s.Lock() })
	return &harness{t: t, shell: s, win: w, clock: clock, vaults: vaults, dir: dir, disk: disk}
}

// withVault creates a vault with goodPassphrase and a profile, locks it, and
// returns the recovery key.
func (h *harness) withVault() string {
	h.t.Helper()
	sess, rk, err := h.vaults.Create(h.dir, []byte(goodPassphrase))
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := sess.Records("")
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Dana Alvarez", Role: app.RoleDetective}); err != nil {
		h.t.Fatal(err)
	}
	if err := sess.Lock(); err != nil {
		h.t.Fatal(err)
	}
	return rk.String()
}

func (h *harness) start() *harness {
	h.shell.Start()
	return h
}

// objects lists every object on the window, dialogs included, after laying the
// window out again from the top as the desktop driver does when a message appears
// (the test canvas does not).
func (h *harness) objects() []fyne.CanvasObject {
	c := h.win.Canvas()
	objs := relayout(nil, c.Content())
	for _, o := range c.Overlays().List() {
		objs = relayout(objs, o)
	}
	return objs
}

// relayout lays o out again at its current size, then its children, using the
// widgets' own renderers, and collects every object on the way.
func relayout(objs []fyne.CanvasObject, o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil {
		return objs
	}
	objs = append(objs, o)
	switch c := o.(type) {
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		r.Layout(c.Size())
		for _, child := range r.Objects() {
			objs = relayout(objs, child)
		}
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
		for _, child := range c.Objects {
			objs = relayout(objs, child)
		}
	}
	return objs
}

// assertMarkup compares the laid-out window with a golden master in testdata/.
func (h *harness) assertMarkup(name string) {
	h.t.Helper()
	h.objects()
	test.AssertRendersToMarkup(h.t, name, h.win.Canvas())
}

// button finds the visible button labelled text.
func (h *harness) button(text string) *widget.Button {
	h.t.Helper()
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
		if b, ok := o.(*actionButton); ok && b.Text == text && b.Visible() {
			return &b.Button
		}
	}
	h.t.Fatalf("no button %q on screen; labels: %q", text, h.labels())
	return nil
}

// entries lists the entries on screen in reading order.
func (h *harness) entries() []*widget.Entry {
	var es []*widget.Entry
	for _, o := range h.objects() {
		switch e := o.(type) {
		case *widget.Entry:
			es = append(es, e)
		case *textEntry: // the app's own fields
			es = append(es, &e.Entry)
		case *dialogEntry: // a dialog's entry that closes it on Esc
			es = append(es, &e.Entry)
		}
	}
	return es
}

// asLabel is the text widget o as a Label: a Label itself, or for a list row's
// rowText a Label holding its whole text and importance (a copy to read, not to
// change). It is the one place the helpers learn about text widgets other than
// Label, so that every check that reads a screen's text (label, sees, labels)
// reads the rows too.
func asLabel(o fyne.CanvasObject) (*widget.Label, bool) {
	switch l := o.(type) {
	case *widget.Label:
		return l, true
	case *rowText:
		c := &widget.Label{Text: l.Text, TextStyle: l.TextStyle, Importance: l.Importance, Truncation: fyne.TextTruncateEllipsis}
		c.Hidden = !l.Visible()
		return c, true
	}
	return nil, false
}

// labels lists the text of every visible label on screen.
func (h *harness) labels() []string {
	var ls []string
	for _, o := range h.objects() {
		if l, ok := asLabel(o); ok && l.Visible() && l.Text != "" {
			ls = append(ls, l.Text)
		}
	}
	return ls
}

// label finds a visible label whose text contains part.
func (h *harness) label(part string) *widget.Label {
	for _, o := range h.objects() {
		if l, ok := asLabel(o); ok && l.Visible() && strings.Contains(l.Text, part) {
			return l
		}
	}
	return nil
}

// sees fails unless a visible label contains part.
func (h *harness) sees(part string) {
	h.t.Helper()
	if h.label(part) == nil {
		h.t.Fatalf("expected to see %q; labels: %q", part, h.labels())
	}
}

// doesNotSee fails if a visible label contains part.
func (h *harness) doesNotSee(part string) {
	h.t.Helper()
	if l := h.label(part); l != nil {
		h.t.Fatalf("did not expect to see %q, found %q", part, l.Text)
	}
}

// typeInto replaces an entry's text by typing, as a user would.
func typeInto(e *widget.Entry, text string) {
	e.SetText("")
	test.Type(e, text)
}

// unlockWith types a passphrase on the unlock screen and taps Unlock.
func (h *harness) unlockWith(pass string) {
	h.t.Helper()
	es := h.entries()
	if len(es) != 1 {
		h.t.Fatalf("unlock screen has %d entries, want 1", len(es))
	}
	typeInto(es[0], pass)
	test.Tap(h.button("Unlock"))
}

// onUnlockScreen fails unless the unlock screen is showing.
func (h *harness) onUnlockScreen() {
	h.t.Helper()
	h.sees("Enter your passphrase to open the vault.")
}

// onMainView fails unless the unlocked main view is showing.
func (h *harness) onMainView() {
	h.t.Helper()
	if h.shell.session == nil {
		h.t.Fatalf("vault is not unlocked; labels: %q", h.labels())
	}
	h.button("Lock")
	h.button("Dashboard")
}

// meterWord is what the passphrase strength meter says.
func (h *harness) meterWord() string {
	for _, o := range h.objects() {
		if l, ok := o.(*widget.Label); ok {
			switch l.Text {
			case "Weak", "Fair", "Good", "Strong":
				return l.Text
			}
		}
	}
	return ""
}
