package ui

import (
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"casenotes/app"
	"casenotes/app/export"
	"casenotes/ui/format"
)

// finalize makes the minutes final after one sentence of what that means.
func (v *meetingsView) finalize(m app.Meeting) {
	d := dialog.NewCustomConfirm("Finalize minutes", "Finalize", "Cancel",
		container.New(widthLayout{380}, paragraph("The roster, agenda, discussion and decisions of this meeting will no longer change. Action items can still be marked done.")),
		func(ok bool) {
			if !ok || !v.open() {
				return
			}
			if _, err := v.records.FinalizeMinutes(m.ID); err != nil {
				dialog.ShowInformation("Finalize minutes", app.Sentence(err), v.s.win)
				return
			}
			v.load()
		}, v.s.win)
	v.s.closeOnEscape(d)
	d.Show()
}

// printMinutes writes the minutes as a PDF into a folder the user chooses.
func (v *meetingsView) printMinutes(m app.Meeting) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		v.writeMinutes(m, u.Path())
	}, v.s.win)
	d.SetOnClosed(v.s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// writeMinutes builds the minutes under the partner profile's rules and writes the
// PDF in folder, off the UI goroutine; it says what was withheld.
func (v *meetingsView) writeMinutes(m app.Meeting, folder string) {
	if v.s.session == nil {
		return
	}
	keys, err := v.s.session.UserKeys()
	if err != nil {
		dialog.ShowInformation("Minutes", app.Sentence(err), v.s.win)
		return
	}
	records, now := v.records, v.s.clock.Now()
	ex := export.ExporterOf(records, keys)
	var path string
	var mins *export.Minutes
	v.s.runInBackground(func() {
		mins, err = export.BuildMinutes(records, m.ID, ex, now)
		if err != nil {
			return
		}
		path = filepath.Join(folder, export.MinutesFileName(mins))
		if _, statErr := os.Stat(path); statErr == nil {
			err = errMinutesExist
			return
		}
		err = export.WriteFile(path, func(f *os.File) error { return export.WriteMinutesPDF(f, mins, export.Letter) })
	}, func() {
		switch {
		case err == errMinutesExist:
			dialog.ShowInformation("Minutes", "A file of that name is already in the folder. Choose another folder, or move the old file first.", v.s.win)
		case err != nil:
			dialog.ShowInformation("Minutes", "The minutes could not be written: "+app.Sentence(err), v.s.win)
		default:
			text := "Written to " + path + "."
			if n := len(mins.Withheld); n > 0 {
				text += fmt.Sprintf(" %s withheld under the partner profile's rules; the minutes list %s with the reason.",
					format.Count(n, "item was", "items were"), pick(n, "it", "them"))
			}
			dialog.ShowInformation("Minutes", text, v.s.win)
		}
	})
}

// errMinutesExist: the folder already holds minutes of that meeting's date.
var errMinutesExist = fmt.Errorf("minutes file exists")
