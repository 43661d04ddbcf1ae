package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"casenotes/app"
	"casenotes/app/search"
)

// oursResult is what the ours step measured.
type oursResult struct {
	Unlock       time.Duration `json:"unlock"`         // passphrase KDF and opening the store
	CaseList     time.Duration `json:"case_list"`      // the whole case list (ListCases), read after unlock
	FirstPage    time.Duration `json:"first_page"`     // the case list again, warm: what the screen pays per refresh
	Cases        int           `json:"cases"`          //
	Build        time.Duration `json:"build"`          // search.Open to ready
	BuildCPU     time.Duration `json:"build_cpu"`      // CPU time the process spent meanwhile (less moved by the machine's load)
	Docs         int           `json:"docs"`           // searchable records indexed
	RSSUnlocked  memPoint      `json:"rss_unlocked"`   // after unlock and the case list
	RSSIndexed   memPoint      `json:"rss_indexed"`    // index ready
	RSSSearched  memPoint      `json:"rss_searched"`   // after every query
	RSSLocked    memPoint      `json:"rss_locked"`     // after the lock dropped the index
	HeapIndexed  uint64        `json:"heap_indexed"`   // Go heap in use with the index
	SaveWithout  time.Duration `json:"save_without"`   // median note save, no index
	SaveWith     time.Duration `json:"save_with"`      // median note save, index following
	VaultBytes   int64         `json:"vault_bytes"`    //
	Classes      []classResult `json:"classes"`        //
	Load         string        `json:"load"`           // load average when it ran
	Procs        int           `json:"procs"`          //
	When         time.Time     `json:"when"`           //
	NoteBytesAvg int           `json:"note_bytes_avg"` // average note length
}

// saveBody is a note of typical length for the save measurement.
const saveBody = "[Demo] Met with the young person at the children's advocacy center with the advocate present. " +
	"Discussed the safety plan, the triggers we agreed on and who the safe adults are. Phone call with the " +
	"placement at 6:15 PM; the young person is settled and ate dinner. Hotel records subpoenaed from Harborview " +
	"Inn for the nights of Friday and the following weekend. Spoke with Inés Quispe-Martínez, the young person's " +
	"aunt, who asked for a call back at 555-0142. La joven dijo que Flaco la llevó al Starlite Motel el viernes."

func ours(c config) error {
	var qs []queryClass
	if err := readJSON(filepath.Join(c.out, "queries.json"), &qs); err != nil {
		return fmt.Errorf("run the prepare step first: %w", err)
	}
	res := oursResult{Load: loadAverage(), Procs: runtime.GOMAXPROCS(0), When: time.Now().UTC()}
	s, r, took, err := c.unlock()
	if err != nil {
		return err
	}
	res.Unlock = took
	start := time.Now()
	list, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		return err
	}
	res.CaseList, res.Cases = time.Since(start), len(list)
	start = time.Now()
	if _, err := r.ListCases(app.CaseFilter{}); err != nil {
		return err
	}
	res.FirstPage = time.Since(start)
	runtime.GC()
	res.RSSUnlocked = mem()

	caseID := list[0].ID
	before, err := saves(r, caseID, 30)
	if err != nil {
		return err
	}

	if f := os.Getenv("BENCH_CPUPROFILE"); f != "" {
		w, err := os.Create(f)
		if err == nil {
			pprof.StartCPUProfile(w)
			defer w.Close()
		}
	}
	start = time.Now()
	cpu0 := cpuTime()
	ix, err := search.Open(r)
	if err != nil {
		return err
	}
	if err := ix.Wait(context.Background()); err != nil {
		return err
	}
	res.Build = time.Since(start)
	res.BuildCPU = cpuTime() - cpu0
	pprof.StopCPUProfile()
	// The index hands the build's garbage back to the system in the background
	// once it is ready; do it here too, so the figure does not depend on when that
	// goroutine got the CPU.
	debug.FreeOSMemory()
	res.RSSIndexed = mem()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.HeapIndexed = ms.HeapInuse
	if f := os.Getenv("BENCH_HEAPPROFILE"); f != "" {
		w, err := os.Create(f)
		if err == nil {
			pprof.WriteHeapProfile(w)
			w.Close()
		}
	}

	with, err := saves(r, caseID, 30)
	if err != nil {
		return err
	}
	res.SaveWith = with.pct(0.5)
	res.Docs = ix.Size()

	// Queries, for the memory they leave behind (their times come from the
	// compare step, where every engine runs under the same load).
	for _, cl := range qs {
		var lat latencies
		hits := -1
		for range max(c.runs/4, 1) {
			for _, q := range cl.Queries {
				sq := ourQuery(q)
				t0 := time.Now()
				out, err := ix.Search(sq)
				lat = append(lat, time.Since(t0))
				if err != nil {
					return fmt.Errorf("%s: %w", q.Text, err)
				}
				if hits < 0 {
					hits = out.Total
				}
			}
		}
		res.Classes = append(res.Classes, classResult{Name: cl.Name, P50: lat.pct(0.5), P99: lat.pct(0.99), Runs: len(lat), Hits: hits})
	}
	res.RSSSearched = mem()
	// Saves again with the index gone, so the saves without it bracket the saves
	// with it in time (the disk and the load drift).
	ix.Close()
	after, err := saves(r, caseID, 30)
	if err != nil {
		return err
	}
	res.SaveWithout = append(before, after...).pct(0.5)
	if err := s.Lock(); err != nil {
		return err
	}
	<-ix.Released()
	time.Sleep(500 * time.Millisecond)
	res.RSSLocked = mem()
	res.VaultBytes = dirSize(c.vault)
	return writeJSON(filepath.Join(c.out, "ours.json"), res)
}

// saves adds n notes of typical length (each one synced write) and deletes them
// again, and returns the time of each add.
func saves(r *app.Records, caseID app.ID, n int) (latencies, error) {
	var lat latencies
	var ids []app.ID
	for range n {
		t0 := time.Now()
		note, err := r.AddNote(caseID, app.NoteInput{Kind: app.NoteContact, Body: saveBody})
		lat = append(lat, time.Since(t0))
		if err != nil {
			return nil, err
		}
		ids = append(ids, note.ID)
	}
	for _, id := range ids {
		if err := r.DeleteNote(caseID, id); err != nil {
			return nil, err
		}
	}
	return lat, nil
}

// memPoint is resident memory at one moment: in all, anonymous (the Go heap:
// the index, Badger's caches) and file-backed (pages of the store's memory-mapped
// files, which the system drops first when memory is short).
type memPoint struct {
	RSS  uint64 `json:"rss"`
	Anon uint64 `json:"anon"`
	File uint64 `json:"file"`
}

func mem() memPoint {
	return memPoint{RSS: rss(), Anon: statusKB("RssAnon:"), File: statusKB("RssFile:") + statusKB("RssShmem:")}
}

func statusKB(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// rss is the process's resident memory.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func dirSize(dir string) int64 {
	var n int64
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}
