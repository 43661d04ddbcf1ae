package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"casenotes/ui/format"
)

// runBusy runs work that cannot be cancelled safely (a check, a backup, a restore,
// a change of every key) off the UI goroutine, behind a dialog that says what it
// is doing, with a bar that moves while it works and, when work reports them, how
// many records it has done. done runs on the UI goroutine with work's error once
// the dialog is gone, always: unlike runWithProgress, even if the vault locked
// meanwhile, because what these do (a new recovery key to show, a restored vault
// to put in place) must be finished and said.
func (s *Shell) runBusy(title, what string, work func(report func(records int)) error, done func(error)) {
	bar := widget.NewProgressBarInfinite()
	count := quietLine("")
	d := dialog.NewCustomWithoutButtons(title, container.New(widthLayout{380}, container.NewVBox(paragraph(what), bar, count)), s.win)
	d.Show()
	var err error
	s.runInBackground(func() {
		err = work(func(n int) {
			fyne.Do(func() { count.SetText(format.Count(n, "record", "records") + " so far") })
		})
	}, func() {
		bar.Stop()
		d.Hide()
		done(err)
	})
}
