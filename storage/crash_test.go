package storage

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"casenotes/app"
)

// crashRecord is the deterministic key and value of record n in the crash test.
func crashRecord(n int) (app.Key, string) {
	var id app.ID
	copy(id[:], fmt.Sprintf("rec-%012d", n))
	return app.Key{Type: app.RecTestRecords, Order: uint64(n), ID: id},
		strings.Repeat(fmt.Sprintf("acknowledged note %d; ", n), 1+n%40)
}

// TestCrashChild is the child process of TestCrashKeepsAcknowledgedRecords: it saves
// records one by one and prints each acknowledgement once Update has returned.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("CASENOTES_CRASH_DIR")
	if dir == "" {
		t.Skip("runs only as the child process of TestCrashKeepsAcknowledgedRecords")
	}
	raw, _ := hex.DecodeString(os.Getenv("CASENOTES_CRASH_KEY"))
	key := app.StoreKeys{AtRest: raw[:32], Records: raw[32:]}
	start, _ := strconv.Atoi(os.Getenv("CASENOTES_CRASH_START"))
	s, err := Open(dir, key, Options{})
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	for n := start; ; n++ {
		k, v := crashRecord(n)
		if err := s.Update(func(tx app.Tx) error { return tx.Put(k, []byte(v)) }); err != nil {
			fmt.Println("put failed:", err)
			os.Exit(1)
		}
		fmt.Println("ack", n)
	}
}

// TestCrashKeepsAcknowledgedRecords kills a saving process with SIGKILL at random
// moments, 20 times, and checks after each that every acknowledged record is
// present and intact.
func TestCrashKeepsAcknowledgedRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 20 child processes; skipped in -short mode")
	}
	dir, key := t.TempDir(), testKeys()
	acked := -1
	next := 0
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(),
			"CASENOTES_CRASH_DIR="+dir,
			"CASENOTES_CRASH_KEY="+hex.EncodeToString(append(bytes.Clone(key.AtRest), key.Records...)),
			"CASENOTES_CRASH_START="+strconv.Itoa(next))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		if l := <-lines; l != "ready" {
			t.Fatalf("round %d: child said %q", round, l)
		}
		kill := time.After(time.Duration(5+rng.IntN(120)) * time.Millisecond)
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				if n, found := strings.CutPrefix(l, "ack "); found {
					acked, _ = strconv.Atoi(n)
				} else {
					t.Fatalf("round %d: child said %q", round, l)
				}
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
				kill = nil
			}
		}
		cmd.Wait()
		next = acked + 1
		// Every acknowledged record must be there, byte for byte.
		s, err := Open(dir, key, Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		for n := 0; n <= acked; n++ {
			k, want := crashRecord(n)
			got, err := get(s, k)
			if err != nil || string(got) != want {
				t.Fatalf("round %d: acknowledged record %d lost or damaged: %v", round, n, err)
			}
		}
		s.Close()
	}
	if acked < 20 {
		t.Errorf("only %d records acknowledged in 20 rounds; the test did not exercise much", acked+1)
	}
	t.Logf("%d acknowledged records survived 20 SIGKILLs", acked+1)
}
