package ui

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// attachmentsTab is the case's files (documents, reports, filings, signed
// releases), kept encrypted inside the vault, and its evidence references: where
// the agency's evidence system keeps what must never be copied here.
type attachmentsTab struct {
	listTab[app.Attachment] // the files; its frame is the tab's own
	refs                    []app.EvidenceReference
	refBox                  *fyne.Container
}

const attachmentsHint = "Choose a file to save a copy of it or to delete it."

func (t *attachmentsTab) build() fyne.CanvasObject {
	ws := t.ws
	t.spec = listSpec[app.Attachment]{
		hint:  attachmentsHint,
		empty: "No files yet. Add reports, court filings or signed releases: Add file…",
		id:    func(a app.Attachment) app.ID { return a.ID },
		row: func(a app.Attachment, o fyne.CanvasObject) {
			setListRow(o, a.Name, sentenceCase(a.Kind)+" · "+byteSize(a.Size)+" · "+format.DateTime(a.Added), widget.MediumImportance)
		},
		details: t.details,
	}
	t.newList()
	t.refBox = container.NewVBox()

	advice := widget.NewLabel(app.EvidenceReferenceAdvice)
	advice.Wrapping = fyne.TextWrapWord
	advice.Importance = widget.WarningImportance
	addFile := widget.NewButtonWithIcon("Add file…", theme.MailAttachmentIcon(), t.chooseFile)
	addRef := widget.NewButtonWithIcon("Add evidence reference…", theme.ContentAddIcon(), t.addReference)
	ws.guard(addFile, addRef)
	limit := quiet(fmt.Sprintf("Files up to %d MiB. Images, video and audio are refused: add an evidence reference for them.", app.MaxAttachmentSize>>20))
	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, advice),
		container.NewHBox(addFile, addRef),
		limit,
	)
	t.load()
	refs := container.NewBorder(widget.NewLabelWithStyle("Evidence references", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewVScroll(t.refBox))
	files := container.NewBorder(widget.NewLabelWithStyle("Files", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, t.listBox)
	lists := container.NewVSplit(files, refs)
	lists.Offset = 0.6
	return listAndDetail(container.NewBorder(top, nil, nil, nil, lists), t.detail)
}

func (t *attachmentsTab) load() {
	type lists struct {
		files        []app.Attachment
		refs         []app.EvidenceReference
		fErr, refErr error
	}
	readCase(t.ws, &t.slot, func(r *app.Records, id app.ID) (lists, error) {
		var l lists
		l.files, l.fErr = r.Attachments(id)
		l.refs, l.refErr = r.EvidenceReferences(id)
		return l, nil
	}, func(l lists, _ error) { t.showLists(l.files, l.fErr, l.refs, l.refErr) })
}

// showLists draws the files and evidence references read.
func (t *attachmentsTab) showLists(files []app.Attachment, err error, refs []app.EvidenceReference, refErr error) {
	t.fill(files, err)
	t.list.UnselectAll()

	switch {
	case refErr != nil:
		t.refBox.Objects = []fyne.CanvasObject{failedLine(refErr)}
	case len(refs) == 0:
		t.refBox.Objects = []fyne.CanvasObject{quiet("No evidence references yet.")}
	default:
		t.refs = refs
		t.refBox.Objects = nil
		for _, r := range refs {
			line := r.System + " · " + r.ReferenceID
			if r.Description != "" {
				line += " · " + r.Description
			}
			l := wrapped(line)
			sub := quietLine(r.AddedBy + ", " + format.DateTime(r.Added))
			t.refBox.Add(container.NewVBox(l, sub))
		}
	}
	t.refBox.Refresh()
}

// byteSize is a file size in words: "12 KiB", "3.4 MiB".
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KiB", (n+1<<9)>>10)
	default:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
}

// details are a file's kind, size, type and checksum, with Save a copy and
// Delete.
func (t *attachmentsTab) details(file app.Attachment) []fyne.CanvasObject {
	ws := t.ws
	msg := errorLabel()
	form := widget.NewForm(
		formItem("Kind", sentenceCase(file.Kind)),
		formItem("Size", byteSize(file.Size)),
		formItem("Type", file.ContentType),
		formItem("Added", file.AddedBy+", "+format.DateTime(file.Added)),
		formItem("SHA-256", file.SHA256),
	)
	save := widget.NewButtonWithIcon("Save a copy…", theme.DocumentSaveIcon(), func() { t.saveCopy(file, msg) })
	del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() {
		ws.confirmDelete("Delete file", "Delete "+file.Name+" from this case? It cannot be brought back.", "Delete", func() {
			if !ws.open() {
				return
			}
			if err := ws.records.DeleteAttachment(ws.id, file.ID); err != nil {
				say(msg, app.Sentence(err))
				return
			}
			t.selected = app.ID{}
			t.load()
		})
	})
	del.Importance = widget.LowImportance
	ws.guard(del)
	note := quiet("Casenotes keeps files encrypted and does not open them in other programs. A saved copy is not encrypted: keep it only as long as you need it.")
	return []fyne.CanvasObject{subheading(file.Name), form, container.NewHBox(save, del), msg, note}
}

// saveCopy writes the file where the user chooses. Every chunk is checked as it is
// read; if a check fails, the partial copy is deleted and the reason shown.
func (t *attachmentsTab) saveCopy(a app.Attachment, msg *widget.Label) {
	ws := t.ws
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			say(msg, "The copy could not be saved there. Choose another folder.")
			return
		}
		if w == nil || !ws.open() {
			if w != nil {
				_ = w.Close()
			}
			return
		}
		var copyErr error
		ws.s.runInBackground(func() {
			if err := ownerOnly(w); err != nil {
				copyErr = err
				return
			}
			r, err := ws.records.OpenAttachment(ws.id, a.ID)
			if err != nil {
				copyErr = err
				return
			}
			_, copyErr = io.Copy(w, r)
			_ = r.Close()
			if copyErr == nil {
				copyErr = ws.records.AttachmentSaved(ws.id, a.ID)
			}
		}, func() {
			cerr := w.Close()
			switch {
			case copyErr != nil:
				_ = storage.Delete(w.URI())
				say(msg, app.Sentence(copyErr))
			case cerr != nil:
				say(msg, "The copy could not be written completely. Check the disk and try again.")
			default:
				say(msg, "")
				dialog.ShowInformation("Copy saved", "Saved "+w.URI().Name()+". It is not encrypted: delete it when you no longer need it.", ws.s.win)
			}
		})
	}, ws.s.win)
	d.SetFileName(a.Name)
	d.SetOnClosed(ws.s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// chooseFile asks for a file, then its kind, then stores it.
func (t *attachmentsTab) chooseFile() {
	ws := t.ws
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		t.askKind(r)
	}, ws.s.win)
	d.SetOnClosed(ws.s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// askKind asks what the chosen file is, then adds it.
func (t *attachmentsTab) askKind(r fyne.URIReadCloser) {
	ws := t.ws
	var kinds []string
	for _, k := range app.AttachmentKinds {
		kinds = append(kinds, sentenceCase(k))
	}
	kind := widget.NewSelect(kinds, nil)
	kind.SetSelected(kinds[0])
	content := container.NewVBox(paragraph("Add "+r.URI().Name()+" to this case as:"), kind)
	chosen := ""
	dlg := ws.formDialog("Add file", "Add file", content, func() string {
		chosen = app.AttachmentOther
		for i, name := range kinds {
			if name == kind.Selected {
				chosen = app.AttachmentKinds[i]
			}
		}
		return ""
	})
	// The file is added once this dialog has gone: sealing a large file takes a
	// second or more, so it runs behind a progress dialog, off the UI goroutine.
	dlg.SetOnClosed(func() {
		if chosen == "" {
			_ = r.Close()
			return
		}
		t.addInBackground(r, chosen)
	})
}

// addInBackground stores the file behind a progress dialog, then selects it, or
// says in one sentence why it was not added.
func (t *attachmentsTab) addInBackground(r fyne.URIReadCloser, kind string) {
	ws := t.ws
	var a app.Attachment
	ws.s.runWithProgress("Adding file", "Encrypting "+r.URI().Name()+" into the vault…",
		func(context.Context, func(int, int)) error {
			var err error
			a, err = t.add(r, kind)
			return err
		},
		func(err error) {
			if err != nil {
				dialog.ShowInformation("File not added", app.Sentence(err), ws.s.win)
				return
			}
			if !ws.open() {
				return
			}
			t.selected = a.ID
			t.load()
		})
}

// add stores the file; it runs in the background (see askKind).
func (t *attachmentsTab) add(r fyne.URIReadCloser, kind string) (app.Attachment, error) {
	defer r.Close()
	return t.ws.records.AddAttachment(t.ws.id, r.URI().Name(), r, -1, kind)
}

// addReference records where the agency's evidence system keeps an item.
func (t *attachmentsTab) addReference() {
	ws := t.ws
	system, ref, desc := newDialogEntry(""), newDialogEntry(""), newDialogEntry("")
	system.SetPlaceHolder("for example: County DEMS")
	ref.SetPlaceHolder("the item's ID in that system")
	desc.SetPlaceHolder("optional, without describing the content")
	form := widget.NewForm(
		widget.NewFormItem("Evidence system", system),
		widget.NewFormItem("Reference ID", ref),
		widget.NewFormItem("Description", desc),
	)
	ws.formDialog("Add evidence reference", "Add reference", form, func() string {
		if _, err := ws.records.AddEvidenceReference(ws.id, system.Text, ref.Text, desc.Text); err != nil {
			return app.Sentence(err)
		}
		t.load()
		return ""
	})
}
