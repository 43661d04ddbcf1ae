package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// topDialogEntries are the fields of the dialog on top, passwords or not, in order.
func (h *harness) topDialogEntries(password bool) []*dialogEntry {
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatal("no dialog on show")
	}
	var es []*dialogEntry
	for _, o := range relayout(nil, top) {
		if e, ok := o.(*dialogEntry); ok && e.Password == password && e.Visible() {
			es = append(es, e)
		}
	}
	return es
}

// passwordEntries are the password fields of the dialog on top.
func (h *harness) passwordEntries() []*dialogEntry { return h.topDialogEntries(true) }

// dialogEntries are the other text fields of the dialog on top.
func (h *harness) dialogEntries() []*dialogEntry { return h.topDialogEntries(false) }

// shownRecoveryKey reads the recovery key on screen.
func (h *harness) shownRecoveryKey() string {
	var lines []string
	for _, o := range h.objects() {
		if rt, ok := o.(*widget.RichText); ok {
			for _, seg := range rt.Segments {
				if ts, ok := seg.(*widget.TextSegment); ok && ts.Style.TextStyle.Monospace {
					lines = append(lines, ts.Text)
				}
			}
		}
	}
	return strings.Join(lines, "-")
}

// settingsUnlocked is an unlocked vault on the Settings screen; it returns the
// vault's first recovery key.
func settingsUnlocked(t *testing.T) (*harness, string) {
	t.Helper()
	h := newHarness(t)
	rk := h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	test.Tap(h.button(sectionSettings))
	return h, rk
}

// The quick passphrase change works from Settings while the vault is open (it
// failed with "already open in another Casenotes window" before) and says in one
// sentence what it does not do.
func TestQuickPassphraseChangeFromSettings(t *testing.T) {
	h, _ := settingsUnlocked(t)
	h.sees(quickChangeExplained)
	test.Tap(h.button("Change passphrase…"))
	es := h.passwordEntries()
	keyboard{es[0]}.typeText("not the passphrase at all")
	keyboard{es[1]}.typeText(otherPassphrase)
	keyboard{es[2]}.typeText(otherPassphrase)
	test.Tap(h.lastButton("Change passphrase"))
	h.sees("That passphrase does not open this vault.")
	typeInto(&es[0].Entry, goodPassphrase)
	test.Tap(h.lastButton("Change passphrase"))
	h.sees("Use the new passphrase from now on.")
	h.shell.Lock()
	if _, err := h.vaults.Unlock(h.dir, []byte(goodPassphrase)); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Fatalf("the old passphrase after the change: %v", err)
	}
	h.unlockWith(otherPassphrase)
	h.onMainView()
}

// Change every key: the current passphrase is checked, then every key changes
// with progress, the new recovery key is shown once as onboarding shows it, and the
// vault is locked: the new passphrase opens it, the old one and the old recovery
// key do not, the new recovery key does.
func TestChangeEveryKeyFromSettings(t *testing.T) {
	h, oldKey := settingsUnlocked(t)
	h.sees("Use this if the passphrase or the recovery key may be known to someone.")
	test.Tap(h.button("Change every key…"))
	h.sees(rekeyExplained)
	es := h.passwordEntries()
	if len(es) != 3 {
		t.Fatalf("%d passphrase fields; want current, new and repeat", len(es))
	}
	keyboard{es[0]}.typeText("not the passphrase at all")
	keyboard{es[1]}.typeText(otherPassphrase)
	keyboard{es[2]}.typeText(otherPassphrase)
	test.Tap(h.lastButton("Change every key"))
	h.sees("That passphrase does not open this vault.")
	if h.shell.session == nil {
		t.Fatal("a wrong current passphrase locked the vault")
	}
	typeInto(&es[0].Entry, goodPassphrase)
	test.Tap(h.lastButton("Change every key"))

	h.sees("Your recovery key")
	h.sees("Every key of the vault was changed")
	key := h.shownRecoveryKey()
	if key == "" || key == oldKey {
		t.Fatalf("recovery key shown %q (the old one was %q)", key, oldKey)
	}
	if h.shell.session != nil {
		t.Fatal("the vault is still unlocked after the change")
	}
	h.continueFromRecoveryKey()
	h.onUnlockScreen()
	h.sees("Unlock with your new passphrase.")
	if _, err := h.vaults.Unlock(h.dir, []byte(goodPassphrase)); !errors.Is(err, app.ErrWrongPassphrase) {
		t.Errorf("the old passphrase after the change: %v", err)
	}
	if _, err := h.vaults.UnlockWithRecoveryKey(h.dir, oldKey); !errors.Is(err, app.ErrWrongRecoveryKey) {
		t.Errorf("the old recovery key after the change: %v", err)
	}
	s, err := h.vaults.UnlockWithRecoveryKey(h.dir, key)
	if err != nil {
		t.Fatalf("the recovery key shown does not open the vault: %v", err)
	}
	s.Lock()
	h.unlockWith(otherPassphrase)
	h.onMainView()
}

// continueFromRecoveryKey ticks "I have stored the recovery key" and continues.
func (h *harness) continueFromRecoveryKey() {
	h.t.Helper()
	for _, o := range h.objects() {
		if c, ok := o.(*widget.Check); ok && strings.HasPrefix(c.Text, "I have stored") {
			c.SetChecked(true)
		}
	}
	test.Tap(h.button("Continue"))
}

// New recovery key: a rekey that keeps the passphrase; a mistyped current
// passphrase must not become the passphrase.
func TestNewRecoveryKeyFromSettings(t *testing.T) {
	h, oldKey := settingsUnlocked(t)
	test.Tap(h.button("New recovery key…"))
	h.sees(newRecoveryExplained)
	es := h.passwordEntries()
	if len(es) != 1 {
		t.Fatalf("%d passphrase fields; want the current one only", len(es))
	}
	keyboard{es[0]}.typeText(goodPassphrase + "x")
	test.Tap(h.lastButton("Make a new recovery key"))
	h.sees("That passphrase does not open this vault.")
	typeInto(&es[0].Entry, goodPassphrase)
	test.Tap(h.lastButton("Make a new recovery key"))
	key := h.shownRecoveryKey()
	if key == "" || key == oldKey {
		t.Fatalf("recovery key shown %q", key)
	}
	h.sees("Your passphrase is the same.")
	h.continueFromRecoveryKey()
	if _, err := h.vaults.UnlockWithRecoveryKey(h.dir, oldKey); !errors.Is(err, app.ErrWrongRecoveryKey) {
		t.Errorf("the old recovery key still opens the vault: %v", err)
	}
	h.unlockWith(goodPassphrase)
	h.onMainView()
}

// Check the vault: one line when sound; after a record is changed below the app,
// a line naming the damaged case, in the error color, and the warning banner.
func TestCheckTheVaultFromSettings(t *testing.T) {
	h, _ := settingsUnlocked(t)
	r := h.shell.records
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Hotel outreach referral"}, app.Victim{Alias: "Rosa M."})
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(h.button(sectionSettings))
	test.Tap(h.button("Check the vault"))
	ok := h.label("no damage found")
	if ok == nil || ok.Importance != widget.SuccessImportance || !strings.Contains(ok.Text, "in 1 case") {
		t.Fatalf("sound vault: labels %q", h.labels())
	}

	// Change the victim record below the app (as a flipped byte that still
	// decrypts would): the case's digest no longer holds.
	err = h.disk.last.Update(func(tx app.Tx) error {
		return tx.Scan(app.RecVictim, c.ID, func(k app.Key, v []byte) error {
			return tx.Put(k, bytes.Replace(v, []byte("Rosa M."), []byte("Rosa N."), 1))
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(h.button("Check the vault"))
	bad := h.label("Case 2026-TF-0412:")
	if bad == nil || bad.Importance != widget.DangerImportance {
		t.Fatalf("damaged case not named; labels %q", h.labels())
	}
	h.doesNotSee("no damage found")
	if l := h.label("This vault failed an integrity check"); l == nil || !strings.Contains(l.Text, "Case 2026-TF-0412:") {
		t.Fatalf("no warning banner naming the case; labels %q", h.labels())
	}
	test.Tap(h.button(sectionDashboard))
	h.sees("This vault failed an integrity check")
}

// The warning banner: an audit entry changed below the app after the last
// verified one is found at the next unlock; the banner names it, stays on every
// screen, has nothing to dismiss it, and comes back at each unlock until the trail
// is sound.
func TestAuditProblemBannerStaysWhileUnlocked(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.unlockWith(goodPassphrase)
	h.doesNotSee("failed an integrity check")
	if _, err := h.shell.records.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "T"}, app.Victim{Alias: "R."}); err != nil {
		t.Fatal(err)
	}
	var seq uint64
	err := h.disk.last.Update(func(tx app.Tx) error {
		return tx.Scan(app.RecAudit, app.ID{}, func(k app.Key, v []byte) error {
			var e map[string]any
			if json.Unmarshal(v, &e) != nil || e["action"] != app.ActCaseCreated {
				return nil
			}
			seq = k.Order
			e["action"] = app.ActCaseOpened
			b, _ := json.Marshal(e)
			return tx.Put(k, b)
		})
	})
	if err != nil || seq == 0 {
		t.Fatalf("tampering: %v (entry %d)", err, seq)
	}
	h.shell.Lock()
	for range 2 {
		h.unlockWith(goodPassphrase)
		l := h.label("This vault failed an integrity check")
		if l == nil || !strings.Contains(l.Text, "Audit entry ") {
			t.Fatalf("no banner naming the entry; labels %q", h.labels())
		}
		for _, sec := range []string{sectionCases, sectionTasks, sectionActivity, sectionSettings} {
			test.Tap(h.button(sec))
			h.sees("This vault failed an integrity check")
		}
		for _, o := range h.objects() {
			if b, ok := o.(*actionButton); ok && b.Text == "OK" && b.Visible() {
				t.Fatal("the warning can be dismissed")
			}
		}
		h.shell.Lock()
		h.doesNotSee("failed an integrity check")
	}
}

// The unlock's notices show after unlocking (here: a damaged header repaired from
// its spare), each with OK to put it away.
func TestUnlockNoticesShowAfterUnlock(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	main := filepath.Join(h.dir, "vault.json")
	b, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x20
	if err := os.WriteFile(main, b, 0o600); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.unlockWith(goodPassphrase)
	h.onMainView()
	h.sees("repaired from its spare copy")
	test.Tap(h.button("OK"))
	h.doesNotSee("repaired from its spare copy")
}

// Last checkpoint left: never, until a backup from Settings carries one; the backup
// is written whole into the chosen folder, readable by its owner only, with a
// one-sentence result.
func TestBackupFromSettingsAndCheckpointLeft(t *testing.T) {
	h, _ := settingsUnlocked(t)
	h.sees(neverLeft)
	test.Tap(h.button("Back up…"))
	folder := t.TempDir()
	typeInto(&h.dialogEntries()[0].Entry, folder)
	test.Tap(h.lastButton("Back up"))
	name := backupFileName(h.clock.Now())
	h.sees(name + " (")
	fi, err := os.Stat(filepath.Join(folder, name))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("the backup is %o: readable by others", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(folder); len(entries) != 1 {
		t.Errorf("the folder holds %d files; want the backup alone", len(entries))
	}
	h.doesNotSee(neverLeft)
	h.sees("Last left this computer: Mar 2, 2026, ")

	// A second backup the same day does not overwrite the first.
	test.Tap(h.button("Back up…"))
	typeInto(&h.dialogEntries()[0].Entry, folder)
	test.Tap(h.lastButton("Back up"))
	h.sees("A file of that name is already in the folder.")
}

// backupBetweenTwoCases creates a case, backs the vault up to a file, then creates
// another: the restored vault must hold the first and not the second.
func backupBetweenTwoCases(t *testing.T, h *harness) (backup string, before, after app.Case) {
	t.Helper()
	r := h.shell.records
	before, _ = r.CreateCase(app.CaseInput{Number: "2026-TF-0412", Title: "Before"}, app.Victim{Alias: "R."})
	backup = filepath.Join(t.TempDir(), "vault.cnbak")
	f, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.shell.session.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	after, _ = r.CreateCase(app.CaseInput{Number: "2026-TF-0413", Title: "After"}, app.Victim{Alias: "S."})
	return backup, before, after
}

// Restore from Settings: the backup is checked and rebuilt beside the vault, the
// vault locks, the restored one takes its place (the replaced one is kept beside
// it), and unlocking shows what the backup held, not what came after.
func TestRestoreFromSettings(t *testing.T) {
	h, _ := settingsUnlocked(t)
	backup, before, after := backupBetweenTwoCases(t, h)

	test.Tap(h.button(sectionSettings))
	test.Tap(h.button("Restore from a backup…"))
	typeInto(&h.dialogEntries()[0].Entry, filepath.Join(t.TempDir(), "no-such-file"))
	typeInto(&h.passwordEntries()[0].Entry, goodPassphrase)
	test.Tap(h.lastButton("Restore"))
	h.sees("That file cannot be read.")
	notBackup := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notBackup, []byte("just some text, not a backup at all"), 0o600)
	typeInto(&h.dialogEntries()[0].Entry, notBackup)
	test.Tap(h.lastButton("Restore"))
	h.sees("That file is not a Casenotes backup; nothing was restored.")
	if h.shell.session == nil {
		t.Fatal("a refused restore locked the vault")
	}

	test.Tap(h.button("Restore from a backup…"))
	typeInto(&h.dialogEntries()[0].Entry, backup)
	typeInto(&h.passwordEntries()[0].Entry, goodPassphrase)
	test.Tap(h.lastButton("Restore"))
	h.onUnlockScreen()
	h.sees("The vault now holds the backup; the one it replaced is kept in " + h.dir + "-before-restore-")
	h.sees("can no longer be proven from this vault")
	h.unlockWith(goodPassphrase)
	h.onMainView()
	if _, err := h.shell.records.Case(before.ID); err != nil {
		t.Errorf("the restored vault lacks the case in the backup: %v", err)
	}
	if _, err := h.shell.records.Case(after.ID); err == nil {
		t.Error("the restored vault holds a case made after the backup")
	}
}
