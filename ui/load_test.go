package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// heldBackground keeps the shell's background work until the test runs it, in
// the order it chooses: a slow read made visible.
type heldBackground struct{ work []func() }

func (b *heldBackground) hold(f func()) { b.work = append(b.work, f) }

// run runs the held work in the order given by idx (indexes into what was held).
func (b *heldBackground) run(idx ...int) {
	held := b.work
	b.work = nil
	for _, i := range idx {
		held[i]()
	}
}

// TestStaleReadDoesNotOverwriteANewerScreen clicks Cases and then Tasks before
// either read is done: whichever read finishes last, the window shows Tasks.
func TestStaleReadDoesNotOverwriteANewerScreen(t *testing.T) {
	for _, order := range [][]int{{0, 1}, {1, 0}} {
		h := newHarness(t)
		h.withVault()
		h.seedCases(3, 1)
		h.start()
		h.unlockWith(goodPassphrase)
		h.onMainView()
		b := &heldBackground{}
		h.shell.background = b.hold
		test.Tap(h.button("Cases"))
		test.Tap(h.button("Tasks"))
		h.sees(loadingText)
		if len(b.work) != 2 {
			t.Fatalf("want the two section reads held, got %d", len(b.work))
		}
		b.run(order...)
		h.sees("due in the next 60 days")
		h.doesNotSee(loadingText)
		if h.shell.section != sectionTasks || h.shell.main.cases != nil {
			t.Fatalf("order %v: section %s, case list %v", order, h.shell.section, h.shell.main.cases != nil)
		}
		if es := h.entries(); len(es) != 0 {
			t.Fatalf("order %v: the case list's search box shows over Tasks", order)
		}
		if len(b.work) != 0 {
			t.Fatalf("order %v: the stale read started more work (%d)", order, len(b.work))
		}
		h.shell.background = func(f func()) { f() }
	}
}
