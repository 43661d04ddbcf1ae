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

// busyRow is what a screen shows while a slow step it cannot hand to runBusy
// runs (the passphrase KDF takes a second or more): a spinner and a quiet line
// saying what is happening, hidden until start, with the screen's controls
// disabled meanwhile so nothing is sent twice.
type busyRow struct {
	spinner  *widget.Activity
	status   *widget.Label
	controls []fyne.Disableable
}

// newBusyRow is a hidden busy row that disables controls while it runs.
func newBusyRow(controls ...fyne.Disableable) *busyRow {
	b := &busyRow{spinner: widget.NewActivity(), status: widget.NewLabel(""), controls: controls}
	b.spinner.Hide()
	b.status.Importance = widget.LowImportance
	return b
}

// row is the screen's buttons followed by the spinner and the line.
func (b *busyRow) row(buttons ...fyne.CanvasObject) *fyne.Container {
	return container.NewHBox(append(buttons, b.spinner, b.status)...)
}

// start shows the spinner and what (none if ""), and disables the controls.
func (b *busyRow) start(what string) {
	for _, c := range b.controls {
		c.Disable()
	}
	if what != "" {
		b.status.SetText(what)
	}
	b.spinner.Show()
	b.spinner.Start()
}

// say changes the line while the spinner runs.
func (b *busyRow) say(what string) { b.status.SetText(what) }

// stop hides the spinner and the line, and enables the controls again.
func (b *busyRow) stop() {
	b.status.SetText("")
	b.spinner.Stop()
	b.spinner.Hide()
	for _, c := range b.controls {
		c.Enable()
	}
}
