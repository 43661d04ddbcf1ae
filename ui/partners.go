package ui

import (
	"bytes"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/export"
	"casenotes/ui/format"
)

// partnersView is the partner directory as a place of its own: the MDT's partners,
// their roles and contact details and the keys bundles are encrypted to, beside the
// one selected. Referrals, releases, meeting rosters and action items pick partners
// from it. The directory travels between offices as CSV; keys that come in a file
// wait until someone confirms their fingerprint with the partner.
type partnersView struct {
	s        *Shell
	records  *app.Records
	all      []app.DirectoryEntry
	list     *widget.List
	listBox  *fyne.Container
	detail   *fyne.Container
	msg      *widget.Label
	selected app.ID
}

const partnersHint = "Choose a partner, or add one. Referrals, releases and meeting rosters pick partners from here."

func newPartnersView(s *Shell) *partnersView { return &partnersView{s: s, records: s.records} }

func (v *partnersView) object() fyne.CanvasObject {
	v.msg = errorLabel()
	v.list = widget.NewList(func() int { return len(v.all) }, listRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		e := v.all[i]
		sub := categoryTitle(e.Category)
		if e.Role != "" {
			sub += " · " + e.Role
		}
		imp := widget.MediumImportance
		switch {
		case e.IsRevoked():
			sub, imp = "keys revoked "+format.Date(e.Revoked), widget.DangerImportance
		case e.PendingFingerprint != "" || e.PendingAgeRecipient != "":
			sub += " · keys to confirm"
			imp = widget.WarningImportance
		case e.SigningFingerprint != "" || e.AgeRecipient != "":
			sub += " · keys confirmed"
		}
		setListRow(o, e.Name(), sub, imp)
	})
	v.list.OnSelected = func(i widget.ListItemID) { v.selected = v.all[i].ID; v.show() }
	add := widget.NewButtonWithIcon("Add partner…", theme.ContentAddIcon(), func() {
		v.s.addPartnerFrom(app.PartnerInput{}, func(e app.DirectoryEntry) { v.selected = e.ID; v.load() })
	})
	add.Importance = widget.HighImportance
	imp := widget.NewButtonWithIcon("Import CSV…", theme.FolderOpenIcon(), v.importCSV)
	exp := widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), v.exportCSV)
	v.listBox = container.NewStack()
	v.detail = container.NewStack(emptyState(partnersHint))
	top := container.NewVBox(heading("Partners"),
		quiet("The MDT's partners: who they are, how to reach them and the keys that protect what is shared with them."),
		container.NewHBox(add, imp, exp), v.msg)
	v.load()
	return container.NewBorder(top, nil, nil, nil, listAndDetail(v.listBox, v.detail))
}

// load reads the directory off the UI goroutine and shows it.
func (v *partnersView) load() {
	records := v.records
	var all []app.DirectoryEntry
	var err error
	v.s.runInBackground(func() { all, err = records.Partners() }, func() {
		if v.s.records != records {
			return
		}
		if err == nil {
			v.all = all
		}
		fillList(v.listBox, v.list, len(all), err, "No partners yet. Add the MDT's partners, or import them from a CSV file.")
		v.show()
	})
}

func (v *partnersView) show() {
	for i, e := range v.all {
		if e.ID == v.selected {
			v.list.Select(i)
			v.detail.Objects = []fyne.CanvasObject{v.s.partnerDetail(e, v.load)}
			v.detail.Refresh()
			return
		}
	}
	v.detail.Objects = []fyne.CanvasObject{emptyState(partnersHint)}
	v.detail.Refresh()
}

// importCSV adds the partners of a CSV file, all or nothing.
func (v *partnersView) importCSV() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		data, err := io.ReadAll(io.LimitReader(r, app.MaxDirectoryFile+1))
		_ = r.Close()
		if err != nil {
			say(v.msg, "The file could not be read. Choose it again.")
			return
		}
		v.importData(data)
	}, v.s.win)
	d.SetOnClosed(v.s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// importData imports a directory file's bytes and says what happened.
func (v *partnersView) importData(data []byte) {
	sum, err := v.records.ImportDirectoryCSV(bytes.NewReader(data))
	if err != nil {
		say(v.msg, app.Sentence(err)+" Nothing was imported.")
		return
	}
	say(v.msg, "")
	v.load()
	dialog.ShowInformation("Partners imported", sum.String(), v.s.win)
}

// exportCSV writes the directory as CSV into a folder the user chooses.
func (v *partnersView) exportCSV() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		v.exportTo(u.Path())
	}, v.s.win)
	d.SetOnClosed(v.s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// exportTo writes partner-directory.csv in folder, never over an existing file.
func (v *partnersView) exportTo(folder string) {
	path := filepath.Join(folder, "partner-directory.csv")
	if _, err := os.Stat(path); err == nil {
		say(v.msg, "A partner-directory.csv is already in that folder. Choose another folder, or move the old file first.")
		return
	}
	var n int
	err := export.WriteFile(path, func(f *os.File) error {
		var err error
		n, err = v.records.ExportDirectoryCSV(f)
		return err
	})
	if err != nil {
		say(v.msg, "The directory could not be written there. Choose a folder you can write to.")
		return
	}
	say(v.msg, "")
	dialog.ShowInformation("Partners exported", format.Count(n, "partner", "partners")+" written to "+path+
		". Keys in it are asked to be confirmed again wherever it is imported.", v.s.win)
}
