package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/internal/memscan"
)

// The memory test: after a vault locks, the process's memory is read through
// /proc/self/mem and searched for what the session held: the passphrase, the vault
// key, the records sub-key and the user's signing seed must not be there at all;
// aliases, titles and note text live in Go strings, which cannot be zeroed, and are
// counted (docs/SECURITY.md keeps the figures).
//
// The test itself must not hold what it looks for: every secret it passes in is
// built at run time from a random tag and kept only masked (internal/memscan).

func TestNothingSecretStaysInMemoryAfterLock(t *testing.T) {
	// The scan runs in a process of its own, so that what it finds is this
	// session's alone, not other tests' vaults, goroutines and garbage.
	if !memscan.RunAlone(t) {
		return
	}
	tag := strconv.FormatInt(int64(os.Getpid())*7919, 36)
	secret := func(s string) memscan.Secret {
		b := []byte(s + tag)
		m := memscan.NewSecret(b)
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
	pass.With(func(p []byte) { s, _, err = v.Create(dir, p) })
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	pass.With(func(p []byte) { s, err = v.Unlock(dir, p) })
	if err != nil {
		t.Fatal(err)
	}
	keys := app.SessionKeysForTest(s) // masked copies: the vault key, the records key, the signing seed
	r, _ := s.Records("Det. Alvarez")
	func() {
		var a, ti, b string
		alias.With(func(x []byte) { a = string(x) })
		title.With(func(x []byte) { ti = string(x) })
		body.With(func(x []byte) { b = string(x) })
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

	needles := map[string]memscan.Secret{"passphrase": pass, "alias": alias, "title": title, "note text": body}
	for i, k := range keys {
		needles[[]string{"vault key", "records key", "signing seed"}[i]] = memscan.Masked(k[0], k[1])
	}
	counts := memscan.Scan(t, needles)
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
