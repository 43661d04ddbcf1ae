package app_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"casenotes/app"
)

// The memory test: after a vault locks, the process's memory is read through
// /proc/self/mem and searched for what the session held: the passphrase, the vault
// key, the records sub-key and the user's signing seed must not be there at all;
// aliases, titles and note text live in Go strings, which cannot be zeroed, and are
// counted (docs/SECURITY.md keeps the figures).
//
// The test itself must not hold what it looks for: every secret it passes in is
// built at run time from a random tag, kept only XOR-masked, and unmasked into a
// buffer that is cleared after use; the search unmasks on the fly.

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
							fmt.Printf("%s at %x in %s (%s): before %x\n", name, at+uint64(i), f[0], strings.Join(f[5:], " "), buf[lo:i])
						}
					}
				}
			}
			clear(buf)
		}
	}
	return counts
}

func TestNothingSecretStaysInMemoryAfterLock(t *testing.T) {
	// The scan runs in a process of its own: in the package's full run, other
	// tests' vaults, goroutines and garbage share the process, and what the scan
	// finds should be this session's alone.
	if os.Getenv("CASENOTES_MEMSCAN_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNothingSecretStaysInMemoryAfterLock$", "-test.count=1", "-test.v")
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
	tag := strconv.FormatInt(int64(os.Getpid())*7919, 36)
	secret := func(s string) masked {
		b := []byte(s + tag)
		m := maskOf(b)
		clear(b)
		return m
	}
	pass := secret("violet orchard lantern quietly seventeen ")
	alias := secret("Aliasmark ")
	title := secret("Titlemark ")
	body := secret("Bodymark of a note about the placement ")

	v, _, _ := newVaults(t)
	dir := filepath.Join(t.TempDir(), "vault")
	var s *app.Session
	var err error
	pass.with(func(p []byte) { s, _, err = v.Create(dir, p) })
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	pass.with(func(p []byte) { s, err = v.Unlock(dir, p) })
	if err != nil {
		t.Fatal(err)
	}
	keys := app.SessionKeysForTest(s) // masked copies: the vault key, the records key, the signing seed
	r, _ := s.Records("Det. Alvarez")
	func() {
		var a, ti, b string
		alias.with(func(x []byte) { a = string(x) })
		title.with(func(x []byte) { ti = string(x) })
		body.with(func(x []byte) { b = string(x) })
		c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: ti}, app.Victim{Alias: a})
		if err != nil {
			t.Fatal(err)
		}
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact, Body: b})
		if err != nil {
			t.Fatal(err)
		}
		r.FinaliseNote(c.ID, n.ID)
		r.Notes(c.ID)
		r.ListCases(app.CaseFilter{})
		r.OpenCase(c.ID)
		s.UserKeys()
	}()
	r = nil
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	s = nil

	needles := map[string]masked{"passphrase": pass, "alias": alias, "title": title, "note text": body}
	for i, k := range keys {
		needles[[]string{"vault key", "records key", "signing seed"}[i]] = masked{b: k[0], mask: k[1]}
	}
	counts := scanMemory(t, needles)
	var report []string
	for _, name := range []string{"passphrase", "vault key", "records key", "signing seed", "alias", "title", "note text"} {
		report = append(report, fmt.Sprintf("%s %d", name, counts[name]))
	}
	t.Logf("copies in memory after lock: %s", strings.Join(report, ", "))
	for _, secret := range []string{"passphrase", "vault key", "records key", "signing seed"} {
		if counts[secret] > 0 {
			t.Errorf("%d copies of the %s are in memory after lock", counts[secret], secret)
		}
	}
}
