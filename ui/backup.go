package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/export"
)

// Backing up from Settings (issue 8, item 11): the same encrypted, authenticated
// backup file `casenotes backup` writes, into a folder the user chooses, written
// through a temporary file so a failed backup leaves nothing behind. It opens with
// this vault's passphrase or recovery key (`casenotes restore --from FILE`).

// backupName is the file a backup taken on day is written to in its folder.
func backupName(day string) string { return "casenotes-backup-" + day + ".cnbackup" }

// backUp asks for a folder, then writes the backup there.
func (v *settingsView) backUp() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		v.s.writeBackup(u.Path())
	}, v.s.win)
	d.SetOnClosed(v.s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// writeBackup writes a backup of the open vault into dir behind a progress
// dialog and says in one sentence where it went, or what went wrong.
func (s *Shell) writeBackup(dir string) {
	if s.session == nil {
		return
	}
	path := filepath.Join(dir, backupName(s.clock.Now().Format("2006-01-02")))
	if _, err := os.Lstat(path); err == nil {
		dialog.ShowInformation("Backup not written", "A backup of today is already in that folder. Move it away or choose another folder.", s.win)
		return
	}
	bar := widget.NewProgressBarInfinite()
	wait := dialog.NewCustomWithoutButtons("Backing up", container.NewVBox(
		paragraph("Writing every record of the vault, encrypted, to "+path+"."), bar), s.win)
	wait.Show()
	sess := s.session
	var err error
	s.runInBackground(func() {
		err = export.WriteFile(path, func(f *os.File) error { return sess.Backup(f) })
	}, func() {
		bar.Stop()
		wait.Hide()
		if err != nil {
			dialog.ShowInformation("Backup not written", backupProblem(err), s.win)
			return
		}
		size := ""
		if fi, serr := os.Stat(path); serr == nil {
			size = fmt.Sprintf(" (%.1f MB)", float64(fi.Size())/1e6)
		}
		dialog.ShowInformation("Backup written", "The backup is in "+path+size+
			". It opens with this vault's passphrase or recovery key; keep it apart from this computer.", s.win)
	})
}

func backupProblem(err error) string {
	if errors.Is(err, export.ErrDestination) {
		return "The backup could not be written to that folder, so nothing was left there. Choose a folder you can write to, with free space."
	}
	return app.Sentence(err)
}
