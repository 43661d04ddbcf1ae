package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/export"
	"casenotes/ui/format"
)

// The export wizard: recipient (from the partner directory), profile, format; then
// the preview of exactly what will leave, with the withheld list and the releases
// relied on; then the folder; then a progress bar; and at the end the file's SHA-256
// and the signer fingerprint to read to the recipient over the phone. The rules are
// app/export's: this screen only shows and asks.

// Format choices as the wizard names them.
var exportFormats = []struct{ label, id string }{
	{"PDF summary", "pdf"},
	{"Signed, encrypted bundle", "bundle"},
	{"Markdown", "md"},
	{"JSON", "json"},
}

const (
	noRecipient   = "No one named (only what needs no release)"
	sealToKey     = "The partner's key"
	sealToPass    = "A passphrase (for a prosecutor without Casenotes)"
	wizardWidth   = 760
	previewHeight = 420
)

type exportWizard struct {
	ws       *caseWorkspace
	s        *Shell
	d        *dialog.CustomDialog
	body     *fyne.Container
	partners []app.DirectoryEntry

	recipient *dialogSelect
	profile   *widget.RadioGroup
	rule      *widget.Label
	format    *dialogSelect
	identity  *dialogCheck
	pageSize  *widget.RadioGroup
	seal      *widget.RadioGroup
	pass      *widget.Entry
	pass2     *widget.Entry
	folder    *dialogEntry
	msg       *widget.Label
	progress  *widget.ProgressBar

	doc *export.Document
}

// showExport opens the export wizard for the workspace's case.
func (ws *caseWorkspace) showExport() {
	if ws.readOnly {
		return
	}
	w := &exportWizard{ws: ws, s: ws.s, msg: errorLabel()}
	w.partners, _ = ws.records.Partners()
	w.body = container.NewStack()
	w.d = dialog.NewCustomWithoutButtons("Export case "+ws.ov.Case.Number, container.New(widthLayout{wizardWidth}, w.body), ws.s.win)
	w.choose()
	ws.s.closeOnEscape(w.d)
	w.d.Resize(fyne.NewSize(wizardWidth+40, 640))
	w.d.Show()
}

func (w *exportWizard) show(content fyne.CanvasObject, buttons ...fyne.CanvasObject) {
	w.body.Objects = []fyne.CanvasObject{container.NewBorder(nil, container.NewVBox(w.msg), nil, nil, content)}
	w.body.Refresh()
	w.d.SetButtons(buttons)
}

// choose is the first step: who, which profile, which format.
func (w *exportWizard) choose() {
	say(w.msg, "")
	if w.recipient == nil {
		names := []string{noRecipient}
		for _, p := range w.partners {
			if !p.IsRevoked() {
				names = append(names, p.Name())
			}
		}
		w.recipient = newDialogSelect(names)
		w.recipient.SetSelectedIndex(0)
		var profiles []string
		for _, p := range export.Profiles {
			profiles = append(profiles, p.Name)
		}
		w.rule = wrapped("")
		w.profile = widget.NewRadioGroup(profiles, func(name string) {
			if p, err := export.ProfileByName(name); err == nil {
				w.rule.SetText(p.Rule)
			}
		})
		w.profile.Horizontal = true
		w.profile.Required = true
		w.profile.SetSelected(export.Prosecutor.Name)
		var formats []string
		for _, f := range exportFormats {
			formats = append(formats, f.label)
		}
		w.format = newDialogSelect(formats)
		w.format.SetSelectedIndex(0)
		w.identity = newDialogCheck("Include the legal identity where a release covers this recipient (on a page of its own)")
		w.pageSize = widget.NewRadioGroup([]string{"Letter", "A4"}, nil)
		w.pageSize.Horizontal = true
		w.pageSize.Required = true
		w.pageSize.SetSelected("Letter")
		w.seal = widget.NewRadioGroup([]string{sealToKey, sealToPass}, nil)
		w.seal.Required = true
		w.seal.SetSelected(sealToKey)
		w.pass = widget.NewPasswordEntry()
		w.pass.PlaceHolder = "at least 12 characters, several unrelated words"
		w.pass2 = widget.NewPasswordEntry()
		// The sealing choices matter only for a bundle, the passphrase only when
		// sealing to one: otherwise they are shown disabled.
		enable := func() {
			bundle := w.selectedFormat() == "bundle"
			usePass := bundle && w.seal.Selected == sealToPass
			for _, d := range []fyne.Disableable{w.pass, w.pass2} {
				if usePass {
					d.Enable()
				} else {
					d.Disable()
				}
			}
			if bundle {
				w.seal.Enable()
			} else {
				w.seal.Disable()
			}
			if w.selectedFormat() == "pdf" || bundle {
				w.pageSize.Enable()
			} else {
				w.pageSize.Disable()
			}
		}
		w.format.OnChanged = func(string) { enable() }
		w.seal.OnChanged = func(string) { enable() }
		enable()
	}
	form := widget.NewForm(
		widget.NewFormItem("Recipient", w.recipient),
		widget.NewFormItem("Profile", w.profile),
		widget.NewFormItem("", w.rule),
		widget.NewFormItem("Format", w.format),
		widget.NewFormItem("Paper", w.pageSize),
		widget.NewFormItem("", w.identity),
		widget.NewFormItem("Seal a bundle to", w.seal),
		widget.NewFormItem("Passphrase", w.pass),
		widget.NewFormItem("Repeat it", w.pass2),
	)
	hint := quiet("Nothing is written yet: the next step shows exactly what will leave and what is withheld, and why.")
	if log, err := w.ws.records.Exports(w.ws.id); err == nil && len(log) > 0 {
		last := log[len(log)-1]
		hint.SetText(fmt.Sprintf("Last exported %s to %s (%s, %s). ", format.DateTime(last.At), last.Recipient, last.Profile, last.Format) + hint.Text)
	}
	cancel := widget.NewButton("Cancel", w.d.Hide)
	next := widget.NewButton("Preview", w.buildPreview)
	next.Importance = widget.HighImportance
	w.show(container.NewVScroll(container.NewVBox(form, hint)), cancel, next)
}

func (w *exportWizard) selectedProfile() export.Profile {
	p, _ := export.ProfileByName(w.profile.Selected)
	return p
}

func (w *exportWizard) selectedFormat() string {
	return exportFormats[max(0, w.format.SelectedIndex())].id
}

func (w *exportWizard) selectedPartner() (app.DirectoryEntry, bool) {
	name := w.recipient.Selected
	for _, p := range w.partners {
		if p.Name() == name && !p.IsRevoked() {
			return p, true
		}
	}
	return app.DirectoryEntry{}, false
}

// check is what the wizard refuses before building a preview, one sentence each.
func (w *exportWizard) check() string {
	p, format := w.selectedProfile(), w.selectedFormat()
	partner, named := w.selectedPartner()
	switch {
	case p.Everything && format != "bundle":
		return "A transfer is written only as a signed, encrypted bundle. Choose the bundle format."
	case format == "bundle" && w.seal.Selected == sealToKey && (!named || partner.AgeRecipient == ""):
		return "This recipient has no age key in the partner directory. Add their key in Settings, or seal the bundle with a passphrase."
	case format == "bundle" && w.seal.Selected == sealToPass && p.Everything:
		return "A transfer goes only to a colleague's key, never to a passphrase."
	case format == "bundle" && w.seal.Selected == sealToPass && len([]rune(w.pass.Text)) < 12:
		return "Choose a passphrase of at least 12 characters, several unrelated words."
	case format == "bundle" && w.seal.Selected == sealToPass && w.pass.Text != w.pass2.Text:
		return "The two passphrases differ. Type the same passphrase twice."
	}
	return ""
}

// buildPreview builds the document once; the preview shows it and the file is
// written from this same value.
func (w *exportWizard) buildPreview() {
	if problem := w.check(); problem != "" {
		say(w.msg, problem)
		return
	}
	if !w.ws.open() || w.s.session == nil {
		return
	}
	to := export.Recipient{}
	if p, ok := w.selectedPartner(); ok {
		to = export.Recipient{Organization: p.Organization, Person: p.Person, Category: string(p.Category), AgeRecipient: p.AgeRecipient}
	}
	keys, err := w.s.session.UserKeys()
	if err != nil {
		say(w.msg, app.Sentence(err))
		return
	}
	opts := export.Options{Profile: w.selectedProfile(), Recipient: to, IncludeIdentity: w.identity.Checked}
	ex := export.ExporterOf(w.ws.records, keys)
	var doc *export.Document
	w.s.runInBackground(func() {
		doc, err = export.Build(w.ws.records, w.ws.id, ex, opts)
	}, func() {
		if err != nil {
			say(w.msg, exportProblem(err))
			return
		}
		w.doc = doc
		w.preview()
	})
}

// preview is the second step: exactly what will leave.
func (w *exportWizard) preview() {
	say(w.msg, "")
	pv := w.doc.Preview()
	box := container.NewVBox()
	intro := fmt.Sprintf("%s for %s. %d of %d final notes, %s not exported.", pv.Title, pv.Recipient,
		pv.Counts.NotesIncluded, pv.Counts.FinalNotes, countText(pv.Counts.Drafts, "draft", "drafts"))
	box.Add(paragraph(intro))
	withheld := subheading(fmt.Sprintf("Withheld (%d)", len(pv.Withheld)))
	box.Add(withheld)
	if len(pv.Withheld) == 0 {
		box.Add(paragraph("Nothing is withheld."))
	}
	// Each withheld item carries the theme's warning icon; its text stays in the
	// foreground color, which reads at WCAG AA in both themes (the warning color
	// on a light background does not).
	for _, s := range pv.Withheld {
		box.Add(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, paragraph(s)))
	}
	if len(pv.ReliedOn) > 0 {
		box.Add(subheading("Releases relied on"))
		for _, r := range pv.ReliedOn {
			box.Add(paragraph("• " + r))
		}
	}
	box.Add(subheading("What will leave"))
	for _, sec := range pv.Sections {
		box.Add(widget.NewLabelWithStyle(sec.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		rows := sec.Rows
		if len(rows) > 12 {
			rows = append(rows[:12:12], fmt.Sprintf("… and %d more", len(sec.Rows)-12))
		}
		for _, r := range rows {
			box.Add(quietRow(r))
		}
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(wizardWidth, previewHeight))

	if w.folder == nil {
		w.folder = newDialogEntry("the folder to write the file in")
		if home, err := os.UserHomeDir(); err == nil {
			w.folder.SetText(home)
		}
	}
	choose := widget.NewButton("Choose…", func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				w.folder.SetText(u.Path())
			}
		}, w.s.win)
		d.SetOnClosed(w.s.forgetFileDialogFolder)
		d.Resize(fyne.NewSize(760, 520))
		d.Show()
	})
	name := export.FileName(w.doc.Case.Number, w.doc.Profile, w.selectedFormat())
	dest := container.NewBorder(nil, nil, widget.NewLabel("Save "+name+" in"), choose, w.folder)
	back := widget.NewButton("Back", w.choose)
	write := widget.NewButton("Export file", w.write)
	write.Importance = widget.HighImportance
	w.show(container.NewBorder(nil, dest, nil, nil, scroll), back, write)
}

func quietRow(text string) *widget.Label {
	l := widget.NewLabel("   " + text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.MediumImportance
	return l
}

func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// write is the last step: the file, with a progress bar, through a temporary file
// beside the destination (nothing is left there if it fails).
func (w *exportWizard) write() {
	if !w.ws.open() || w.s.session == nil {
		return
	}
	folder := strings.TrimSpace(w.folder.Text)
	if st, err := os.Stat(folder); folder == "" || err != nil || !st.IsDir() {
		say(w.msg, "Choose a folder that exists to write the export in.")
		return
	}
	format := w.selectedFormat()
	path := filepath.Join(folder, export.FileName(w.doc.Case.Number, w.doc.Profile, format))
	if _, err := os.Stat(path); err == nil {
		say(w.msg, "A file of that name is already in the folder. Choose another folder, or move the old file first.")
		return
	}
	keys, err := w.s.session.UserKeys()
	if err != nil {
		say(w.msg, app.Sentence(err))
		return
	}
	say(w.msg, "")
	w.progress = widget.NewProgressBar()
	w.show(container.NewVBox(paragraph("Writing "+filepath.Base(path)+"…"), w.progress))
	seal := export.Seal{}
	if w.seal.Selected == sealToPass {
		seal.Passphrase = []byte(w.pass.Text)
	} else if p, ok := w.selectedPartner(); ok {
		seal.Recipient = p.AgeRecipient
	}
	size := export.Letter
	if w.pageSize.Selected == "A4" {
		size = export.A4
	}
	progress := func(done, total int) {
		fyne.Do(func() { w.progress.SetValue(float64(done) / float64(max(1, total))) })
	}
	sum := sha256.New()
	records, doc := w.ws.records, w.doc
	w.s.runInBackground(func() {
		err = export.WriteFile(path, func(f *os.File) error {
			out := io.MultiWriter(f, sum)
			switch format {
			case "pdf":
				return export.WritePDF(out, doc, size)
			case "md":
				return export.WriteMarkdown(out, doc)
			case "json":
				return export.WriteJSON(out, doc)
			}
			return export.WriteBundle(out, export.BundleInput{Doc: doc, Records: records, Signing: keys.SigningKey(),
				Seal: seal, PageSize: size, Progress: progress, Attest: export.Attester(w.s.session, doc)})
		})
		clear(seal.Passphrase)
	}, func() {
		if err != nil {
			say(w.msg, exportProblem(err))
			w.preview()
			return
		}
		w.progress.SetValue(1)
		digest := hex.EncodeToString(sum.Sum(nil))
		if err := export.Record(records, doc, format, digest); err != nil {
			say(w.msg, "The file was written, but the export could not be recorded in the case: "+app.Sentence(err))
		}
		w.done(path, digest, keys.SigningFingerprint())
	})
}

// done shows what to read to the recipient over the phone.
func (w *exportWizard) done(path, sum, fingerprint string) {
	readable := groupHex(sum)
	copySum := widget.NewButton("Copy", func() { w.s.copyToClipboard(sum) })
	copyFP := widget.NewButton("Copy", func() { w.s.copyToClipboard(fingerprint) })
	mono := func(s string) *widget.Label {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	form := widget.NewForm(
		widget.NewFormItem("File", wrapped(path)),
		widget.NewFormItem("SHA-256", container.NewBorder(nil, nil, nil, copySum, mono(readable))),
		widget.NewFormItem("Signer fingerprint", container.NewBorder(nil, nil, nil, copyFP, mono(fingerprint))),
	)
	tell := paragraph("Read the SHA-256 and the signer fingerprint to the recipient over the phone, so they can check " +
		"that the file they received is this one and that it came from you.")
	closeBtn := widget.NewButton("Close", w.d.Hide)
	closeBtn.Importance = widget.HighImportance
	w.show(container.NewVBox(subheading("Exported"), form, tell), closeBtn)
}

// groupHex splits a hex string into groups of four for reading aloud.
func groupHex(s string) string {
	var parts []string
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, s[i:min(i+4, len(s))])
	}
	return strings.Join(parts, " ")
}

// exportProblem is one sentence for an export that could not be made.
func exportProblem(err error) string {
	switch {
	case errors.Is(err, export.ErrDestination):
		return "The export could not be written in that folder (no permission, or it was removed); nothing was written. Choose another folder."
	case errors.Is(err, export.ErrReceivedCase):
		return "This case was received from a partner and cannot be exported as your own."
	}
	return app.Sentence(err)
}
