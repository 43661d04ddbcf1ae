package ui

import (
	"errors"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// Restoring a backup (issue 8, item 11): on a computer with no vault yet, the
// first screen offers to rebuild the vault from a backup file (the one Settings
// or `casenotes backup` writes) instead of creating an empty one. The backup's
// passphrase or recovery key is checked against the backup itself and every
// record verified before anything is written (app.Vaults.Restore); the restored
// vault then opens on the unlock screen with that same passphrase. A running
// vault is never overwritten: restoring into a vault that exists is refused.

// restoreButton is the onboarding's "Restore from a backup…" action.
func (s *Shell) restoreButton() *widget.Button {
	b := widget.NewButton("Restore from a backup…", func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path := r.URI().Path()
			_ = r.Close()
			s.askRestoreCredential(path)
		}, s.win)
		d.SetOnClosed(s.forgetFileDialogFolder)
		d.Resize(fyne.NewSize(760, 520))
		d.Show()
	})
	b.Importance = widget.LowImportance
	return b
}

// askRestoreCredential asks for the passphrase the vault had when the backup was
// written, or its recovery key.
func (s *Shell) askRestoreCredential(path string) {
	pass := widget.NewPasswordEntry()
	pass.PlaceHolder = "Passphrase, or the recovery key"
	s.formDialog("Restore from a backup", "Restore", 520, container.NewVBox(
		paragraph("Type the passphrase the vault had when this backup was written, or its recovery key."), pass),
		func() string {
			if strings.TrimSpace(pass.Text) == "" {
				return "Type the backup's passphrase or recovery key."
			}
			s.restoreBackup(path, pass.Text)
			return ""
		})
}

// restoreBackup rebuilds the vault from the backup at path behind a progress
// dialog, then shows the unlock screen; every failure is one sentence and leaves
// no vault behind.
func (s *Shell) restoreBackup(path, secret string) {
	bar := widget.NewProgressBarInfinite()
	wait := dialog.NewCustomWithoutButtons("Restoring", container.NewVBox(
		paragraph("Checking every record of the backup, then rebuilding the vault."), bar), s.win)
	wait.Show()
	var err error
	s.runInBackground(func() {
		// The passphrase first; what it does not open is tried as the recovery key.
		pass := []byte(secret)
		defer clear(pass)
		err = s.restoreFrom(path, app.Credential{Passphrase: pass})
		if errors.Is(err, app.ErrWrongPassphrase) {
			if kerr := s.restoreFrom(path, app.Credential{RecoveryKey: secret}); kerr == nil || errors.Is(kerr, app.ErrWrongRecoveryKey) {
				err = kerr
			}
		}
	}, func() {
		bar.Stop()
		wait.Hide()
		if err != nil {
			msg := restoreProblem(err)
			if errors.Is(err, app.ErrWrongPassphrase) || errors.Is(err, app.ErrWrongRecoveryKey) {
				// Both were tried: say so in one sentence.
				msg = "That does not open this backup. Type the passphrase the vault had when the backup was written, or its recovery key."
			}
			dialog.ShowInformation("Nothing restored", msg, s.win)
			return
		}
		s.showUnlock()
		dialog.ShowInformation("Vault restored", "The vault was rebuilt from the backup. Unlock it with the same passphrase or recovery key.", s.win)
	})
}

func (s *Shell) restoreFrom(path string, cred app.Credential) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.vaults.Restore(f, s.dir, cred)
}
