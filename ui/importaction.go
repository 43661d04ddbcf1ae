package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// One Import action on the case list for everything that brings cases in: a case
// file (casenotes-case/v1 JSON) or a bundle a partner sent, told apart as the
// command line does (a bundle is an age file: it starts "age-encryption.org/").
// A bundle goes through receive.go (verified, signer checked, then read-only); a
// case file is imported all or nothing, with progress and a one-sentence result.

// ageHeader starts every age file, and so every bundle.
const ageHeader = "age-encryption.org/"

// chooseOpenFile asks the user for a file and hands over its contents (nil when
// cancelled). Tests replace it: Fyne's file dialog cannot be driven by the test
// driver.
var chooseOpenFile = func(s *Shell, got func(data []byte, err error)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			got(nil, err)
			return
		}
		s.readChosenFile(r, maxBundleFile, got)
	}, s.win)
	d.SetOnClosed(s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// errFileTooLarge: the chosen file is larger than an import takes (maxBundleFile).
var errFileTooLarge = errors.New("file too large to import")

// readChosenFile reads a chosen file off the UI goroutine, behind a busy dialog (a
// case file of thousands of cases is hundreds of megabytes, perhaps on a USB
// drive), and hands its contents to got on the UI goroutine. A file larger than
// limit is refused whole (errFileTooLarge), not cut short.
func (s *Shell) readChosenFile(r io.ReadCloser, limit int, got func(data []byte, err error)) {
	var data []byte
	s.runBusy("Import", "Reading the file.", func(func(int)) error {
		defer r.Close()
		var err error
		data, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
		if err == nil && len(data) > limit {
			data, err = nil, errFileTooLarge
		}
		return err
	}, func(err error) { got(data, err) })
}

// importButton is the case list's Import action.
func (c *caseList) importButton() *widget.Button {
	return widget.NewButtonWithIcon("Import…", theme.DownloadIcon(), func() {
		chooseOpenFile(c.s, func(data []byte, err error) {
			switch {
			case errors.Is(err, errFileTooLarge):
				dialog.ShowInformation("Import", fmt.Sprintf("The file is larger than an import takes (%d MB); nothing was imported.",
					maxBundleFile>>20), c.s.win)
			case err != nil:
				dialog.ShowInformation("Import", "The file could not be read. Choose it again.", c.s.win)
			case data != nil:
				c.s.importFile(data, c.opened, func() {
					if c.s.main != nil {
						c.s.main.show(sectionCases)
					}
				})
			}
		})
	})
}

// importFile imports a bundle or a case file; opened runs with a bundle's case,
// listed after a case file's cases are in.
func (s *Shell) importFile(data []byte, opened func(app.ID), listed func()) {
	if s.session == nil || s.records == nil {
		return
	}
	if bytes.HasPrefix(data, []byte(ageHeader)) {
		s.receiveBundle(data, "", opened)
		return
	}
	records := s.records
	var sum app.ImportSummary
	s.runBusy("Importing", "Checking the case file and adding its cases…", func(func(int)) error {
		var err error
		sum, err = records.ImportCaseFile(bytes.NewReader(data))
		return err
	}, func(err error) {
		if s.records != records {
			return // locked meanwhile; the import itself is whole or nothing
		}
		if err != nil {
			dialog.ShowInformation("Nothing imported", importProblem(err), s.win)
			return
		}
		dialog.ShowInformation("Imported", importSummary(sum), s.win)
		if listed != nil {
			listed()
		}
	})
}

// importSummary says in one sentence what an import stored.
func importSummary(s app.ImportSummary) string {
	return "Imported " + format.Count(s.Cases, "case", "cases") + " with " + strings.Join([]string{
		format.Count(s.Notes, "note", "notes"),
		format.Count(s.Addenda, "addendum", "addenda"),
		format.Count(s.ChecklistItems, "checklist item state", "checklist item states"),
		format.Count(s.Releases, "release", "releases"),
		format.Count(s.Referrals, "referral", "referrals"),
		format.Count(s.Events, "timeline event", "timeline events"),
	}, ", ") + "."
}

// importProblem says why a case file was refused (the app's sentence names the
// field and the case, never the text in it) and that nothing was imported.
func importProblem(err error) string {
	var fe *app.FieldError
	if errors.As(err, &fe) || errors.Is(err, app.ErrInvalid) {
		return app.Sentence(err) + " Nothing was imported; choose a case file (casenotes-case/v1) or a bundle."
	}
	return app.Sentence(err)
}
