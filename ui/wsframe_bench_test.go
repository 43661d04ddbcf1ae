package ui

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casenotes/app"
	"casenotes/storage"
)

// BenchmarkCaseWorkspaceFirstFrame opens one case after another from the case list
// and measures the UI goroutine's part of it: each result posted to the UI
// goroutine is run and timed (its thread's CPU) apart from the reads, which run
// first, in the order they were started. ui-max-ms is the most CPU one posted piece
// used (what the stall benchmark's case step reports as max-ui-cpu-ms), ui-sum-ms
// the UI work of one case opened in all. CASENOTES_STALL_VAULT and
// CASENOTES_STALL_CASES choose the vault as for BenchmarkUIStall (200 cases
// unless set).
func BenchmarkCaseWorkspaceFirstFrame(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	a := test.NewTempApp(b)
	vaults := app.NewVaults(&storage.Disk{})
	n := 200
	dir := stallVault(b, vaults, n)
	w := test.NewTempWindow(b, nil)
	s := NewShell(a, w, vaults, dir)
	var queue []func()
	s.background = func(f func()) { queue = append(queue, f) }
	var maxCPU, sumCPU time.Duration
	s.post = func(f func()) {
		start := threadCPU()
		f()
		used := threadCPU() - start
		maxCPU, sumCPU = max(maxCPU, used), sumCPU+used
	}
	drain := func() {
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			f()
		}
	}
	s.Start()
	drain()
	typeAndUnlock(b, w, goodPassphrase)
	drain()
	s.main.show(sectionCases)
	drain()
	cases := len(s.main.cases.shown)
	if cases < 2 {
		b.Fatalf("%d cases shown", cases)
	}
	var worsts []time.Duration // the most CPU of one posted piece, each case opened
	var total time.Duration
	i := 0
	for b.Loop() {
		// Applying the theme empties Fyne's caches of measured text and drawn
		// icons, as the stall benchmark's shell start does before each walk: a
		// case opened for the first time measures its texts anew.
		s.applyTheme()
		maxCPU, sumCPU = 0, 0
		start := threadCPU()
		s.main.cases.list.Select(i % min(cases, 50))
		selectCPU := threadCPU() - start
		drain()
		if !s.main.cases.ws.loaded {
			b.Fatal("the case did not load")
		}
		worsts = append(worsts, max(maxCPU, selectCPU))
		total += sumCPU + selectCPU
		i++
	}
	slices.Sort(worsts)
	b.ReportMetric(float64(worsts[len(worsts)/2].Microseconds())/1000, "ui-max-p50-ms")
	b.ReportMetric(float64(worsts[len(worsts)-1].Microseconds())/1000, "ui-max-ms")
	b.ReportMetric(float64(total.Microseconds())/1000/float64(i), "ui-sum-ms")
	s.Lock()
}
