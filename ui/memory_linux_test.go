package ui

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"casenotes/app"

	"fyne.io/fyne/v2/test"
)

// The desktop app's memory after lock: the same scan as app's memory test, with the
// whole app in the process (the unlock screen's field, the case list, the workspace
// and Fyne's own caches). The passphrase must be gone; aliases and titles, which
// Go strings in Fyne's widgets and caches held, are counted (docs/SECURITY.md).
// The scanner is app/memory_linux_test.go's, repeated here: test packages cannot
// share test code.

type masked struct{ b, mask []byte }

func maskOf(s []byte) masked {
	m := masked{b: make([]byte, len(s)), mask: make([]byte, len(s))}
	for i := range s {
		m.mask[i] = byte(0x5a + i*7)
		m.b[i] = s[i] ^ m.mask[i]
	}
	return m
}

// with passes the unmasked bytes to fn and clears them afterwards.
func (m masked) with(fn func([]byte)) {
	b := make([]byte, len(m.b))
	for i := range b {
		b[i] = m.b[i] ^ m.mask[i]
	}
	fn(b)
	clear(b)
}

// count counts the occurrences of the unmasked bytes in buf.
func (m masked) count(buf []byte) int {
	if len(m.b) == 0 {
		return 0
	}
	first := m.b[0] ^ m.mask[0]
	n := 0
	for i := 0; i+len(m.b) <= len(buf); i++ {
		if buf[i] != first {
			continue
		}
		j := 1
		for j < len(m.b) && buf[i+j] == m.b[j]^m.mask[j] {
			j++
		}
		if j == len(m.b) {
			n++
		}
	}
	return n
}

// scanMemory counts each needle in the process's readable, writable memory (the
// heap, stacks and data; not the program's code or read-only data).
func scanMemory(t *testing.T, needles map[string]masked) map[string]int {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("this test reads /proc/self/mem, which this system does not offer: %v", err)
	}
	mem, err := os.Open("/proc/self/mem")
	if err != nil {
		t.Skipf("this test reads /proc/self/mem, which this system does not offer: %v", err)
	}
	defer mem.Close()
	counts := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !strings.HasPrefix(f[1], "rw") {
			continue
		}
		if len(f) >= 6 && (strings.HasPrefix(f[5], "[v") || f[5] == "[vsyscall]") {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		start, _ := strconv.ParseUint(lo, 16, 64)
		end, _ := strconv.ParseUint(hi, 16, 64)
		for at := start; at < end; at += 1 << 20 {
			n := min(end-at, 1<<20+64)
			buf := make([]byte, n)
			got, _ := mem.ReadAt(buf, int64(at))
			for name, m := range needles {
				c := m.count(buf[:got])
				counts[name] += c
				if c > 0 && os.Getenv("MEMDEBUG") != "" {
					first := m.b[0] ^ m.mask[0]
					for i := 0; i+len(m.b) <= got; i++ {
						if buf[i] == first && m.count(buf[i:i+len(m.b)]) == 1 {
							lo := max(i-48, 0)
							fmt.Printf("%s at %x in %s (%s): before %x after %q\n", name, at+uint64(i), f[0], strings.Join(f[5:], " "), buf[lo:i], buf[i:min(i+160, got)])
						}
					}
				}
			}
			clear(buf)
		}
	}
	return counts
}

func TestNothingSecretStaysInTheAppAfterLock(t *testing.T) {
	// The scan runs in a process of its own: in the package's full run the test
	// driver's app, its text caches and every other test's windows share the
	// process (a full run once counted 10 copies where a run of its own counts 1).
	if os.Getenv("CASENOTES_MEMSCAN_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNothingSecretStaysInTheAppAfterLock$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "CASENOTES_MEMSCAN_CHILD=1")
		out, err := cmd.CombinedOutput()
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "memory_linux_test.go") {
				t.Log(strings.TrimSpace(line))
			}
		}
		if err != nil {
			t.Fatalf("the memory scan failed in its own process: %v\n%s", err, out)
		}
		return
	}
	tag := strconv.FormatInt(int64(os.Getpid())*104729, 36)
	secret := func(s string) masked {
		b := []byte(s + tag)
		m := maskOf(b)
		clear(b)
		return m
	}
	pass := secret("amber lighthouse quietly ninety ")
	alias := secret("Uialiasmark ")
	title := secret("Uititlemark ")

	h := newHarness(t)
	pass.with(func(p []byte) {
		s, _, err := h.vaults.Create(h.dir, p)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := s.Records("")
		r.SaveProfile(app.Profile{DisplayName: "Dana Alvarez", Role: app.RoleDetective})
		var a, ti string
		alias.with(func(x []byte) { a = string(x) })
		title.with(func(x []byte) { ti = string(x) })
		if _, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: ti}, app.Victim{Alias: a}); err != nil {
			t.Fatal(err)
		}
		s.Lock()
	})
	h.start()
	// Typed a key at a time, as a person types: the test makes no string of it.
	es := h.entries()
	h.win.Canvas().Focus(es[0])
	pass.with(func(p []byte) {
		for _, c := range p {
			es[0].TypedRune(rune(c))
		}
	})
	test.Tap(h.button("Unlock"))
	h.onMainView()
	test.Tap(h.button("Cases"))
	c, _ := h.shell.records.CaseByNumber("2026-TF-0412")
	h.openWorkspace(c.ID)
	h.shell.Lock()
	h.onUnlockScreen()

	counts := scanMemory(t, map[string]masked{"passphrase": pass, "alias": alias, "title": title})
	t.Logf("copies in the app's memory after lock: passphrase %d, alias %d, title %d", counts["passphrase"], counts["alias"], counts["title"])
	// Known gap (docs/SECURITY.md): one copy of the passphrase typed on the unlock
	// screen stays reachable from Fyne's widgets after the lock (a 48-byte string
	// whose holder is not found yet; the app-level test finds none). The test holds
	// the line there, so that any new holder fails it.
	if counts["passphrase"] > 1 {
		t.Errorf("%d copies of the passphrase are in memory after lock; at most 1 is known", counts["passphrase"])
	}
}
