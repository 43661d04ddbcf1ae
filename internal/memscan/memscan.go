// Package memscan is test support for the memory tests: after a vault locks, they read
// the process's own memory through /proc/self/mem and count the copies of what the
// session held (passphrase, keys, aliases, titles, note text).
//
// A test that looks for a secret must not hold it itself, or it would find its own
// copy: a [Secret] is kept only XOR-masked, unmasked into a buffer that is cleared
// after use ([Secret.With]), and [Scan] unmasks it on the fly while it compares.
//
// Only tests import this package (app/layering_test.go checks that). It imports
// nothing of Fyne or of the store, so the app package's tests stay free of cgo and of
// a display.
package memscan

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Secret is a byte string kept XOR-masked, so that the test holding it holds no
// plain copy.
type Secret struct{ b, mask []byte }

// NewSecret masks s. The caller clears s afterwards.
func NewSecret(s []byte) Secret {
	m := Secret{b: make([]byte, len(s)), mask: make([]byte, len(s))}
	for i := range s {
		m.mask[i] = byte(0x5a + i*7)
		m.b[i] = s[i] ^ m.mask[i]
	}
	return m
}

// Masked wraps bytes already masked elsewhere (value ^ mask, and the mask), such as
// the session keys app hands its tests.
func Masked(value, mask []byte) Secret { return Secret{b: value, mask: mask} }

// With passes the unmasked bytes to fn and clears them afterwards.
func (m Secret) With(fn func([]byte)) {
	b := make([]byte, len(m.b))
	for i := range b {
		b[i] = m.b[i] ^ m.mask[i]
	}
	fn(b)
	clear(b)
}

// Count counts the occurrences of the unmasked bytes in buf.
func (m Secret) Count(buf []byte) int {
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

// Scan counts each needle in the process's readable, writable memory (the heap,
// stacks and data; not the program's code or read-only data). It skips the test
// where /proc/self/mem cannot be read. With MEMDEBUG set in the environment it
// prints where each copy lies, with the bytes around it, to find its holder.
func Scan(t testing.TB, needles map[string]Secret) map[string]int {
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
				c := m.Count(buf[:got])
				counts[name] += c
				if c > 0 && os.Getenv("MEMDEBUG") != "" {
					first := m.b[0] ^ m.mask[0]
					for i := 0; i+len(m.b) <= got; i++ {
						if buf[i] == first && m.Count(buf[i:i+len(m.b)]) == 1 {
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

// childEnv marks the process RunAlone starts.
const childEnv = "CASENOTES_MEMSCAN_CHILD"

// RunAlone runs the calling test again in a process of its own and reports its
// outcome: in a package's full run other tests' vaults, windows, goroutines and
// garbage share the process, and what the scan finds should be the test's alone (a
// full ui run once counted 10 passphrase copies where the test alone counted 1).
//
// It returns true in that child process, where the caller goes on with the scan;
// in the parent it returns false once the child has finished, after logging the
// child's lines from the caller's file and failing t if the child failed.
func RunAlone(t *testing.T) (child bool) {
	t.Helper()
	if os.Getenv(childEnv) == "1" {
		return true
	}
	_, file, _, _ := runtime.Caller(1)
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, filepath.Base(file)) {
			t.Log(strings.TrimSpace(line))
		}
	}
	if err != nil {
		t.Fatalf("the memory scan failed in its own process: %v\n%s", err, out)
	}
	return false
}
