package ui

import (
	"os"
	"strconv"
	"testing"

	"casenotes/app"
	"casenotes/internal/memscan"

	"fyne.io/fyne/v2/test"
)

// The desktop app's memory after lock: the same scan as app's memory test, with the
// whole app in the process (the unlock screen's field, the case list, the workspace
// and Fyne's own caches). The passphrase must be gone; aliases and titles, which
// Go strings in Fyne's widgets and caches held, are counted (docs/SECURITY.md).
// The scanner is internal/memscan, which app's memory test uses too.

func TestNothingSecretStaysInTheAppAfterLock(t *testing.T) {
	// The scan runs in a process of its own: in the package's full run the test
	// driver's app, its text caches and every other test's windows share the
	// process (a full run once counted 10 copies where a run of its own counts 1).
	if !memscan.RunAlone(t) {
		return
	}
	tag := strconv.FormatInt(int64(os.Getpid())*104729, 36)
	secret := func(s string) memscan.Secret {
		b := []byte(s + tag)
		m := memscan.NewSecret(b)
		clear(b)
		return m
	}
	pass := secret("amber lighthouse quietly ninety ")
	alias := secret("Uialiasmark ")
	title := secret("Uititlemark ")

	h := newHarness(t)
	pass.With(func(p []byte) {
		s, _, err := h.vaults.Create(h.dir, p)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := s.Records("")
		r.SaveProfile(app.Profile{DisplayName: "Dana Alvarez", Role: app.RoleDetective})
		var a, ti string
		alias.With(func(x []byte) { a = string(x) })
		title.With(func(x []byte) { ti = string(x) })
		if _, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: ti}, app.Victim{Alias: a}); err != nil {
			t.Fatal(err)
		}
		s.Lock()
	})
	h.start()
	// Typed a key at a time, as a person types: the test makes no string of it.
	es := h.entries()
	h.win.Canvas().Focus(es[0])
	pass.With(func(p []byte) {
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

	counts := memscan.Scan(t, map[string]memscan.Secret{"passphrase": pass, "alias": alias, "title": title})
	t.Logf("copies in the app's memory after lock: passphrase %d, alias %d, title %d", counts["passphrase"], counts["alias"], counts["title"])
	// Known gap (docs/SECURITY.md): one copy of the passphrase typed on the unlock
	// screen stays reachable from Fyne's widgets after the lock (a 48-byte string
	// whose holder is not found yet; the app-level test finds none). The test holds
	// the line there, so that any new holder fails it.
	if counts["passphrase"] > 1 {
		t.Errorf("%d copies of the passphrase are in memory after lock; at most 1 is known", counts["passphrase"])
	}
	// The alias and the title stay reachable from Fyne's caches of rendered text
	// until they expire (a minute; the app releases memory again then): 11 and 5
	// copies, the same in 27 of 27 runs. More is freed memory the release did not
	// overwrite: the releases that left other processors' cached spans alone
	// (app/memory.go) failed this check in 53 of 54 and 40 of 42 runs.
	if counts["alias"] > 11 || counts["title"] > 5 {
		t.Errorf("%d copies of the alias and %d of the title are in memory after lock; at most 11 and 5 are known (Fyne's caches)", counts["alias"], counts["title"])
	}
}
