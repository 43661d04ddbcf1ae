package ui

import (
	"bytes"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// One Import action on the case list takes what the empty states promise: a case
// file (casenotes-case/v1) or a bundle received from a partner. The two are told
// apart as the command line's import tells them apart: a bundle is an age file and
// starts with age's header; anything else is read as a case file, which is
// imported all or nothing.

// ageHeader starts every age file, so every bundle.
const ageHeader = "age-encryption.org/"

// importButton is the case list's "Import…" action.
func (c *caseList) importButton() *widget.Button {
	return widget.NewButtonWithIcon("Import…", theme.DownloadIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			data, err := io.ReadAll(io.LimitReader(r, maxBundleFile))
			_ = r.Close()
			if err != nil {
				dialog.ShowInformation("Import", "The file could not be read. Choose it again.", c.s.win)
				return
			}
			c.s.importFile(data, c.opened, c.reopen)
		}, c.s.win)
		d.SetOnClosed(c.s.forgetFileDialogFolder)
		d.Resize(fyne.NewSize(760, 520))
		d.Show()
	})
}

// reopen shows the case list again, with what an import added.
func (c *caseList) reopen() {
	c.leave()
	if c.s.main != nil {
		c.s.main.show(sectionCases)
	}
}

// importFile imports a chosen file's bytes: a bundle through the bundle's checks
// (opened runs with its case), a case file all or nothing (imported runs after).
func (s *Shell) importFile(data []byte, opened func(app.ID), imported func()) {
	if bytes.HasPrefix(data, []byte(ageHeader)) {
		s.receiveBundle(data, "", opened)
		return
	}
	s.importCaseFile(data, imported)
}

// importCaseFile imports a case file behind a progress dialog and says in one
// sentence what it stored, or why nothing was stored.
func (s *Shell) importCaseFile(data []byte, imported func()) {
	if s.session == nil || s.records == nil {
		return
	}
	bar := widget.NewProgressBarInfinite()
	wait := dialog.NewCustomWithoutButtons("Importing the case file", container.NewVBox(
		paragraph("Checking every case in the file, then storing them."), bar), s.win)
	wait.Show()
	records := s.records
	var sum app.ImportSummary
	var err error
	s.runInBackground(func() {
		sum, err = records.ImportCaseFile(bytes.NewReader(data))
	}, func() {
		bar.Stop()
		wait.Hide()
		if err != nil {
			dialog.ShowInformation("Case file not imported", app.Sentence(err)+" Nothing was imported.", s.win)
			return
		}
		dialog.ShowInformation("Case file imported", caseFileSummary(sum), s.win)
		if imported != nil {
			imported()
		}
	})
}

// caseFileSummary says in one sentence what an import stored, each count with the
// noun that fits it.
func caseFileSummary(s app.ImportSummary) string {
	return "Imported " + format.Count(s.Cases, "case", "cases") + ": " + strings.Join([]string{
		format.Count(s.Notes, "note", "notes"),
		format.Count(s.Addenda, "addendum", "addenda"),
		format.Count(s.ChecklistItems, "checklist item state", "checklist item states"),
		format.Count(s.Releases, "release", "releases"),
		format.Count(s.Referrals, "referral", "referrals"),
		format.Count(s.Events, "timeline event", "timeline events"),
	}, ", ") + "."
}
