package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/export"
	"casenotes/ui/format"
)

// Settings: the vault's integrity and its copies. "Check the vault" opens every
// record and checks every digest (sess.Check), then the whole audit trail
// (sess.VerifyAudit); "last checkpoint left" says how far back the trail proves
// anything to someone outside this computer; backup writes one encrypted file,
// and restore puts a backup in place of this vault, keeping this one beside it.

// neverLeft is what Settings says while no checkpoint has left the machine.
const neverLeft = "Last left this computer: never. The audit trail proves nothing outside this computer until an export or backup carries a checkpoint."

// integrityRows are the Integrity section of the settings grid.
func (v *settingsView) integrityRows() []fyne.CanvasObject {
	result := container.NewVBox()
	check := newActionButton("Check the vault", nil, func() { v.checkVault(result) })
	left := widget.NewLabel("…")
	left.Wrapping = fyne.TextWrapWord
	v.showCheckpointLeft(left)
	backup := newActionButton("Back up…", nil, func() { v.backup(left) })
	restore := newActionButton("Restore from a backup…", nil, v.restore)
	return []fyne.CanvasObject{
		subheading("Integrity"), layout.NewSpacer(),
		fieldLabel("Check"), container.NewHBox(check),
		layout.NewSpacer(), settingsHint("Opens every record, checks every digest and the whole audit trail, and names each damaged case."),
		layout.NewSpacer(), result,
		fieldLabel("Checkpoints"), left,
		fieldLabel("Backup"), container.NewHBox(backup, restore),
		layout.NewSpacer(), settingsHint("A backup is one encrypted file that opens with this vault's passphrase or recovery key. " +
			"Restoring keeps the vault now here beside the restored one."),
	}
}

// showCheckpointLeft fills in when a checkpoint last left (read off the UI
// goroutine: it scans the stored checkpoints).
func (v *settingsView) showCheckpointLeft(l *widget.Label) {
	sess := v.s.session
	if sess == nil {
		return
	}
	var at time.Time
	var err error
	v.s.runInBackground(func() { at, err = sess.LastCheckpointLeft() }, func() {
		switch {
		case err != nil:
			l.SetText(app.Sentence(err))
		case at.IsZero():
			l.SetText(neverLeft)
		default:
			l.SetText("Last left this computer: " + format.DateTime(at) + " (in an export, a backup or a supervisor's copy).")
		}
	})
}

// checkVault runs the full check with progress and shows its one-line result, or
// each damaged case; damage also goes to the warning banner.
func (v *settingsView) checkVault(result *fyne.Container) {
	sess := v.s.session
	if sess == nil {
		return
	}
	var rep app.CheckReport
	var audit app.AuditReport
	v.s.runBusy("Checking the vault", "Opening every record and checking every digest, then the audit trail…",
		func(report func(int)) error {
			var err error
			if rep, err = sess.Check(report); err != nil {
				return err
			}
			audit, err = sess.VerifyAudit()
			return err
		}, func(err error) {
			if v.s.session != sess {
				return // locked meanwhile
			}
			result.Objects = nil
			if err != nil {
				l := errorLabel()
				say(l, "The check could not finish: "+app.Sentence(err))
				result.Add(l)
				result.Refresh()
				return
			}
			for _, line := range checkLines(rep, audit, v.s.clock.Now()) {
				l := widget.NewLabel(line)
				l.Wrapping = fyne.TextWrapWord
				if rep.OK() && audit.OK() {
					l.Importance = widget.SuccessImportance
				} else {
					l.Importance = widget.DangerImportance
					if v.s.main != nil && v.s.main.banner != nil {
						v.s.main.banner.reportProblem(line)
					}
				}
				result.Add(l)
			}
			result.Refresh()
		})
}

// checkLines is what a check found: one line when all is well, else one per
// damaged case, damage outside cases, and the audit trail's first bad entry.
func checkLines(rep app.CheckReport, audit app.AuditReport, now time.Time) []string {
	if rep.OK() && audit.OK() {
		count := func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return thousands(n) + " " + many
		}
		return []string{fmt.Sprintf("Checked %s in %s and %s on %s: no damage found.",
			count(rep.Records, "record", "records"), count(rep.Cases, "case", "cases"),
			count(int(audit.Checked), "audit entry", "audit entries"), format.DateTime(now))}
	}
	var lines []string
	for _, p := range rep.Problems {
		lines = append(lines, p.String())
	}
	if !audit.OK() {
		lines = append(lines, audit.Problem)
	}
	return lines
}

// backupFileName is the suggested name of today's backup.
func backupFileName(now time.Time) string {
	return "casenotes-backup-" + now.Local().Format("2006-01-02") + ".cnbak"
}

// folderField is a folder entry with a Choose… button (Fyne's folder dialog; tests
// type the path).
func (v *settingsView) folderField(placeholder string) (*dialogEntry, fyne.CanvasObject) {
	e := newDialogEntry(placeholder)
	if home, err := os.UserHomeDir(); err == nil {
		e.SetText(home)
	}
	choose := widget.NewButton("Choose…", func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				e.SetText(u.Path())
			}
		}, v.s.win)
		d.SetOnClosed(v.s.forgetFileDialogFolder)
		d.Resize(fyne.NewSize(760, 520))
		d.Show()
	})
	return e, container.NewBorder(nil, nil, nil, choose, e)
}

// backup writes an encrypted backup into a chosen folder, atomically, then marks
// the checkpoint it carries as gone out of the machine.
func (v *settingsView) backup(left *widget.Label) {
	name := backupFileName(v.s.clock.Now())
	folder, field := v.folderField("the folder to save the backup in")
	var box *formBox
	box = v.s.formDialog("Back up the vault", "Back up", 560, container.NewVBox(
		paragraph("The backup is one encrypted file, "+name+", that opens with this vault's passphrase or recovery key. "+
			"Keep it away from this computer, on a drive locked away."),
		widget.NewForm(widget.NewFormItem("Save it in", field)),
	), func() string {
		dir := strings.TrimSpace(folder.Text)
		if st, err := os.Stat(dir); dir == "" || err != nil || !st.IsDir() {
			return "Choose a folder that exists to save the backup in."
		}
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return "A file of that name is already in the folder. Choose another folder, or move the old backup first."
		}
		sess := v.s.session
		if sess == nil {
			return app.Sentence(app.ErrLocked)
		}
		var size int64
		box.dialog.Hide() // first: hiding a dialog also removes the ones shown above it
		v.s.runBusy("Backing up", "Checking every record and writing "+name+"…", func(func(int)) error {
			err := export.WriteFile(path, func(f *os.File) error { return sess.Backup(f) })
			if err != nil {
				return err
			}
			if st, err := os.Stat(path); err == nil {
				size = st.Size()
			}
			return sess.MarkCheckpointLeft(nil)
		}, func(err error) {
			switch {
			case err != nil && fileExists(path):
				dialog.ShowInformation("Backup written", "The backup is written to "+path+", but Settings could not record "+
					"its checkpoint as gone out: "+app.Sentence(err), v.s.win)
			case err != nil:
				dialog.ShowInformation("No backup made", backupProblem(err), v.s.win)
			default:
				dialog.ShowInformation("Backup written", fmt.Sprintf("%s (%s) is written in %s; move it off this computer.",
					name, byteSize(size), dir), v.s.win)
				v.showCheckpointLeft(left)
			}
		})
		return stayOpen // hidden already
	})
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// backupProblem is one sentence for a backup that could not be made.
func backupProblem(err error) string {
	switch {
	case errors.Is(err, export.ErrDestination):
		return "The backup could not be written in that folder (no permission, or it was removed); nothing was written. Choose another folder."
	case errors.Is(err, app.ErrIntegrity):
		return "The vault is damaged, so no backup was made: a damaged copy would hide the damage. Run Check the vault to see where."
	}
	return app.Sentence(err)
}

// restore asks for a backup file and its passphrase, checks and rebuilds it beside
// this vault while this one stays open, then locks, puts the restored vault in
// place (this one is kept beside it) and asks to unlock it.
func (v *settingsView) restore() {
	file := newDialogEntry("the backup file")
	choose := widget.NewButton("Choose…", func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				file.SetText(r.URI().Path())
				_ = r.Close()
			}
		}, v.s.win)
		d.SetOnClosed(v.s.forgetFileDialogFolder)
		d.Resize(fyne.NewSize(760, 520))
		d.Show()
	})
	pass := newDialogPassphraseEntry()
	var box *formBox
	box = v.s.formDialog("Restore from a backup", "Restore", 560, container.NewVBox(
		paragraph("The vault then holds what the backup holds: work saved after the backup was made is not in it. "+
			"The vault now here is kept, locked, in a folder beside it; nothing is deleted."),
		widget.NewForm(
			widget.NewFormItem("Backup file", container.NewBorder(nil, nil, nil, choose, file)),
			widget.NewFormItem("Its passphrase", pass),
		),
		quiet("The passphrase is the one the vault had when the backup was made."),
	), func() string {
		path := strings.TrimSpace(file.Text)
		if path == "" {
			return "Choose the backup file."
		}
		if pass.Text == "" {
			return "Enter the passphrase the vault had when the backup was made."
		}
		f, err := os.Open(path)
		if err != nil {
			return "That file cannot be read. Choose the backup file again."
		}
		if st, err := f.Stat(); err != nil || st.IsDir() {
			f.Close()
			return "That is a folder, not a backup file. Choose the backup file."
		}
		box.dialog.Hide() // first: hiding a dialog also removes the ones shown above it
		v.runRestore(f, []byte(pass.Text))
		return stayOpen // hidden already
	})
	v.s.win.Canvas().Focus(file)
}

// runRestore stages the restore with progress, then swaps it in.
func (v *settingsView) runRestore(f *os.File, pass []byte) {
	s := v.s
	dir := s.dir
	var staged *app.StagedRestore
	s.runBusy("Restoring", "Checking the backup and rebuilding the vault beside this one…", func(func(int)) error {
		var err error
		staged, err = s.vaults.StageRestore(f, dir, app.Credential{Passphrase: pass})
		clear(pass)
		f.Close()
		return err
	}, func(err error) {
		if err != nil {
			dialog.ShowInformation("Nothing restored", restoreProblem(err), s.win)
			return
		}
		// The vault in use closes before it is moved aside: the lock's close runs in
		// the background, and the swap after it (an unlock typed meanwhile waits).
		s.Lock()
		var aside string
		var swapErr error
		s.afterClose(func() {
			aside, swapErr = s.vaults.SwapIn(staged)
			if swapErr != nil {
				_ = s.vaults.Discard(staged)
			}
		}, func() {
			if swapErr != nil {
				dialog.ShowInformation("Nothing restored", "The backup was checked, but it could not be put in place: "+
					app.Sentence(swapErr)+" This vault is as it was.", s.win)
				return
			}
			dialog.ShowInformation("Vault restored", "The vault now holds the backup; the one it replaced is kept in "+aside+
				". Unlock with the passphrase it had when the backup was made. Checkpoints issued after the backup was made "+
				"(in later exports) can no longer be proven from this vault.", s.win)
		})
	})
}

// restoreProblem is one sentence for a backup that could not be restored.
func restoreProblem(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrPermission):
		return "The backup file could not be opened. Choose it again."
	case errors.Is(err, app.ErrWrongRecoveryKey):
		return "That recovery key does not open this backup; nothing was restored. Use the recovery key the vault had when the backup was made."
	case errors.Is(err, app.ErrNotBackup):
		return "That file is not a Casenotes backup; nothing was restored. Choose a file written by Back up."
	case errors.Is(err, app.ErrWrongPassphrase):
		return "That passphrase does not open this backup; nothing was restored. Use the passphrase the vault had when the backup was made."
	case errors.Is(err, app.ErrIntegrity):
		return "The backup is damaged or was altered, so nothing was restored. Use another backup."
	}
	return app.Sentence(err)
}
