package ui

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
)

// storeGuard notices store calls made from a UI callback. Fyne's test driver runs
// fyne.Do on the calling goroutine, so every callback of a test runs on the test's
// goroutine and the goroutine tells nothing: instead the shell marks its background
// work (Shell.offUI), and a call to the store outside that mark, while the guard is
// armed, was made by a UI callback.
type storeGuard struct {
	armed   atomic.Bool
	offUI   atomic.Int32 // background work running now
	ui      atomic.Int64 // the goroutine UI callbacks run on (the test's)
	mu      sync.Mutex
	onUI    []string // where each store call on the UI goroutine came from
	offCnt  atomic.Int32
	callCnt atomic.Int32
}

func (g *storeGuard) check(op string) {
	if !g.armed.Load() {
		return
	}
	g.callCnt.Add(1)
	if g.offUI.Load() > 0 {
		g.offCnt.Add(1)
		return
	}
	if goroutineID() != g.ui.Load() {
		// Another goroutine: one app started for itself (the search index's
		// build), never a UI callback, which the test driver runs on the test's.
		g.offCnt.Add(1)
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.onUI = append(g.onUI, op+" from "+uiCaller())
}

// arm starts noticing store calls; the calling goroutine (the test's, where the
// test driver runs every UI callback) is the UI goroutine.
func (g *storeGuard) arm() {
	g.ui.Store(goroutineID())
	g.armed.Store(true)
}

// goroutineID is the number runtime.Stack prints for the calling goroutine.
func goroutineID() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := strings.Fields(string(buf)) // "goroutine 18 [running]:"
	if len(f) < 2 {
		return -1
	}
	id, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return -1
	}
	return id
}

// violations are the store calls made from UI callbacks while armed.
func (g *storeGuard) violations() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.onUI...)
}

// uiCaller names the ui functions on the stack of a store call, innermost first,
// so a failure says which screen read the store.
func uiCaller() string {
	pc := make([]uintptr, 48)
	frames := runtime.CallersFrames(pc[:runtime.Callers(3, pc)])
	var names []string
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "casenotes/ui.") && !strings.HasSuffix(f.File, "_test.go") {
			names = append(names, strings.TrimPrefix(f.Function, "casenotes/ui."))
			if len(names) == 4 {
				break
			}
		}
		if !more {
			break
		}
	}
	return strings.Join(names, " < ")
}

// guardedStore is the real Badger store with every call checked by the guard.
type guardedStore struct {
	app.Store
	g *storeGuard
}

func (s guardedStore) View(fn func(app.Tx) error) error {
	s.g.check("View")
	return s.Store.View(fn)
}

func (s guardedStore) Update(fn func(app.Tx) error) error {
	s.g.check("Update")
	return s.Store.Update(fn)
}

func (s guardedStore) Load(fn func(app.Writer) error) error {
	s.g.check("Load")
	return s.Store.Load(fn)
}

func (s guardedStore) Dump(fn func(key, sealed []byte) error) error {
	s.g.check("Dump")
	return s.Store.Dump(fn)
}

// guardStore makes the vault's store, from the next unlock on, a guarded one, and
// marks the shell's background work; the guard starts disarmed.
func (h *harness) guardStore() *storeGuard {
	g := &storeGuard{}
	h.disk.guard = g
	h.shell.offUI = func(work func()) {
		g.offUI.Add(1)
		defer g.offUI.Add(-1)
		work()
	}
	return g
}

// seedCases writes n fictional cases (notes, checklists, tasks) and the practice's
// demo records into the locked vault.
func (h *harness) seedCases(n, notes int) {
	h.t.Helper()
	sess, err := h.vaults.Unlock(h.dir, []byte(goodPassphrase))
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := sess.Records("")
	if err != nil {
		h.t.Fatal(err)
	}
	r.Now = h.clock.Now
	if err := r.Seed(context.Background(), n, notes, nil); err != nil {
		h.t.Fatal(err)
	}
	if _, err := r.SeedPractice(); err != nil {
		h.t.Fatal(err)
	}
	if err := sess.Lock(); err != nil {
		h.t.Fatal(err)
	}
}

// walkScreens goes where a user goes after unlocking: the dashboard, the case
// list, a case with every tab and a note open, and the Tasks screen.
func (h *harness) walkScreens() {
	h.t.Helper()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	h.sees("open cases")
	test.Tap(h.button("Cases"))
	m := h.shell.main
	if m.cases == nil || m.cases.list == nil || len(m.cases.shown) == 0 {
		h.t.Fatalf("the case list shows no case; labels: %q", h.labels())
	}
	m.cases.list.Select(0)
	ws := m.cases.ws
	if ws == nil {
		h.t.Fatal("choosing a case opened no workspace")
	}
	for _, tab := range workspaceTabs {
		ws.selectTab(tab)
		if ws.tab() != tab {
			h.t.Fatalf("tab %s did not open (on %s)", tab, ws.tab())
		}
	}
	ws.selectTab(tabNotes)
	if len(ws.notes.notes) == 0 {
		h.t.Fatal("the seeded case shows no notes")
	}
	ws.notes.list.Select(0)
	if ws.notes.cur == nil {
		h.t.Fatal("choosing a note opened nothing")
	}
	test.Tap(h.button("Tasks"))
	h.sees("due in the next 60 days")
}

// TestNoStoreCallFromAUICallback walks unlock, dashboard, case list, a case
// workspace (every tab, a note) and Tasks with every store call checked: each
// must run as the shell's background work, none in a UI callback.
func TestNoStoreCallFromAUICallback(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.seedCases(12, 3)
	g := h.guardStore()
	h.start()
	g.arm()
	h.walkScreens()
	g.armed.Store(false)
	if v := g.violations(); len(v) > 0 {
		t.Errorf("%d store calls ran in UI callbacks:\n%s", len(v), strings.Join(v, "\n"))
	}
	if g.offCnt.Load() == 0 {
		t.Error("the guard saw no background store call: it is not watching the vault's store")
	}
	t.Logf("%d store calls checked", g.callCnt.Load())
}

// guardedMainView is a new vault, unlocked on the main view, with its store guarded
// (the guard disarmed).
func guardedMainView(t *testing.T) (*harness, *storeGuard) {
	t.Helper()
	h := newHarness(t)
	h.withVault()
	g := h.guardStore()
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	return h, g
}

// TestStoreGuardCatchesAReadInAUICallback shows the guard can fail: a store read
// made straight from a button's callback is reported, with where it came from.
func TestStoreGuardCatchesAReadInAUICallback(t *testing.T) {
	h, g := guardedMainView(t)
	g.arm()
	readOnUI := func() { _, _ = h.shell.records.ListCases(app.CaseFilter{}) }
	readOnUI()
	g.armed.Store(false)
	v := g.violations()
	if len(v) != 1 || !strings.HasPrefix(v[0], "View") {
		t.Fatalf("want one View reported, got %q", v)
	}
	t.Log(v[0])
}

// TestDeletingACaseRunsOffTheUIGoroutine deletes a case from its Overview with every
// store call checked: a case of thousands of records is deleted in stages, so the
// deletion (and its refusal, an empty reason) runs as background work, never in the
// form's callback.
func TestDeletingACaseRunsOffTheUIGoroutine(t *testing.T) {
	h, g := guardedMainView(t)
	r := h.shell.records
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0510", Title: "Opened twice"}, app.Victim{Alias: "L."})
	if err != nil {
		t.Fatal(err)
	}
	h.openWorkspace(c.ID)
	g.arm()
	test.Tap(h.button("Delete case…"))
	test.Tap(h.lastButton("Delete"))
	h.sees("Reason for deleting is required.")
	h.typeInDialog("Opened by mistake")
	h.submit("Delete")
	g.armed.Store(false)
	if v := g.violations(); len(v) > 0 {
		t.Errorf("%d store calls ran in UI callbacks:\n%s", len(v), strings.Join(v, "\n"))
	}
	if g.offCnt.Load() == 0 {
		t.Error("the guard saw no background store call")
	}
	if _, err := r.Case(c.ID); err == nil {
		t.Fatal("the case is still there")
	}
	h.doesNotSee("Opened twice")
}
