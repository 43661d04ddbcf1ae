package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-pdf/fpdf"

	"casenotes/app"
	"casenotes/ui/format"
)

// Suggested names when saving the recovery key as text or as a PDF.
const (
	recoveryFileName = "casenotes-recovery-key.txt"
	recoveryPDFName  = "casenotes-recovery-key.pdf"
)

// showRecoveryKey shows the new vault's recovery key, once. Continue stays disabled
// until the user says the key is stored.
func (s *Shell) showRecoveryKey(key string) {
	var vault app.ID
	if s.pending != nil {
		vault = s.pending.VaultID()
	}
	s.showRecoveryKeyThen(key, vault, "", func() {
		sess := s.pending
		s.pending = nil
		if sess != nil {
			s.unlocked(sess)
		}
	})
}

// showRecoveryKeyThen shows a recovery key once, as onboarding does, with lead (if
// any) above it saying why there is a new one; Continue runs then.
func (s *Shell) showRecoveryKeyThen(key string, vault app.ID, lead string, then func()) {
	block := recoveryKeyBlock(key)
	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		s.copyToClipboard(key)
	})
	saveBtn := widget.NewButtonWithIcon("Save as text file…", theme.DocumentSaveIcon(), func() {
		s.saveRecoveryKey(key)
	})
	created := s.clock.Now() // the vault (or the key) was made a moment ago
	pdfBtn := widget.NewButtonWithIcon("Save as PDF…", theme.DocumentPrintIcon(), func() {
		s.saveRecoveryKeyPDF(key, vault, created)
	})
	cont := widget.NewButton("Continue", then)
	cont.Importance = widget.HighImportance
	cont.Disable()
	stored := widget.NewCheck("I have stored the recovery key somewhere safe", func(on bool) {
		if on {
			cont.Enable()
		} else {
			cont.Disable()
		}
	})
	top := []fyne.CanvasObject{s.brand(), gap(), heading("Your recovery key")}
	if lead != "" {
		top = append(top, paragraph(lead))
	}
	s.setScreen(centredPanel(560, container.NewVBox(append(top,
		paragraph("This key opens the vault if the passphrase is ever forgotten. It is shown only this once "+
			"and Casenotes keeps no copy: write it down, or save it and move the file to safe storage."),
		block,
		container.NewHBox(copyBtn, pdfBtn, saveBtn),
		paragraph("Keep it apart from this computer, as carefully as evidence: anyone with this key and the laptop can read the vault. "+
			"A saved file must not stay on this computer (print the PDF, then delete it); a copied key is cleared from the clipboard after 30 seconds."),
		gap(),
		stored,
		container.NewHBox(cont),
	)...)))
}

// recoveryKeyBlock is the key in large monospace type on a quiet panel.
func recoveryKeyBlock(key string) fyne.CanvasObject {
	var segs []widget.RichTextSegment
	for _, line := range format.RecoveryKeyLines(key) {
		segs = append(segs, &widget.TextSegment{
			Text: line,
			Style: widget.RichTextStyle{
				Alignment: fyne.TextAlignCenter,
				SizeName:  theme.SizeNameHeadingText,
				TextStyle: fyne.TextStyle{Monospace: true},
			},
		})
	}
	text := widget.NewRichText(segs...)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	return container.NewStack(bg, container.NewPadded(text))
}

// recoveryKeyFile is the text saved by "Save as text file…".
func recoveryKeyFile(key string) string {
	var b strings.Builder
	b.WriteString("Casenotes recovery key\n\n")
	for _, line := range format.RecoveryKeyLines(key) {
		fmt.Fprintf(&b, "    %s\n", line)
	}
	b.WriteString("\nThis key opens the Casenotes vault if its passphrase is forgotten.\n" +
		"Keep it off the computer that holds the vault, as carefully as evidence,\n" +
		"and delete any copy of this file left on that computer.\n")
	return b.String()
}

// saveRecoveryKey asks where to save the key as a text file and warns that the
// file must not stay on this computer.
func (s *Shell) saveRecoveryKey(key string) {
	s.saveKeyFile(recoveryFileName, func(w io.Writer) error {
		_, err := io.WriteString(w, recoveryKeyFile(key))
		return err
	})
}

// saveRecoveryKeyPDF asks where to save the key as a one-page PDF, to print and
// keep apart from the computer.
func (s *Shell) saveRecoveryKeyPDF(key string, vault app.ID, created time.Time) {
	s.saveKeyFile(recoveryPDFName, func(w io.Writer) error {
		return writeRecoveryKeyPDF(w, key, vault, created)
	})
}

// chooseSaveFile asks the user where to save a file, suggesting name, and calls
// save with the writer (nil when cancelled). Tests replace it: Fyne's file dialog
// cannot be driven by the test driver.
var chooseSaveFile = func(s *Shell, name string, save func(fyne.URIWriteCloser, error)) {
	d := dialog.NewFileSave(save, s.win)
	d.SetFileName(name)
	d.SetOnClosed(s.forgetFileDialogFolder)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// saveKeyFile writes the recovery key, through write, straight to the place the
// user chose (nothing goes through a temporary file), then says to move it off
// this computer.
func (s *Shell) saveKeyFile(name string, write func(io.Writer) error) {
	chooseSaveFile(s, name, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowInformation("Not saved", app.Sentence(err), s.win)
			return
		}
		if w == nil {
			return // cancelled
		}
		werr := ownerOnly(w)
		if werr == nil {
			werr = write(w)
		}
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			dialog.ShowInformation("Not saved",
				"The recovery key could not be written there. Choose another place, such as a USB stick.", s.win)
			return
		}
		dialog.ShowInformation("Recovery key saved",
			"Move "+w.URI().Name()+" off this computer now, for example to a USB stick kept locked away "+
				"or onto paper, and delete the copy left here.", s.win)
	})
}

// writeRecoveryKeyPDF writes the recovery key as a clean one-page PDF (US Letter,
// which also fits on A4): the title, the vault it opens and when that was made,
// the key in large monospace type, four groups a line, and what to do with the
// page. The key is on the page, not in the document's metadata.
func writeRecoveryKeyPDF(w io.Writer, key string, vault app.ID, created time.Time) error {
	const margin = 25.0 // mm
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetTitle("Casenotes recovery key", true)
	pdf.SetCreator("Casenotes", true)
	pdf.SetCreationDate(created.UTC())
	pdf.SetModificationDate(created.UTC())
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	width := pageW - 2*margin

	pdf.SetFont("Helvetica", "B", 22)
	pdf.CellFormat(width, 12, "Casenotes recovery key", "", 1, "L", false, 0, "")
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "", 11)
	pdf.SetTextColor(80, 80, 80)
	if !vault.IsZero() {
		pdf.CellFormat(width, 6, "Vault  "+vault.String(), "", 1, "L", false, 0, "")
	}
	pdf.CellFormat(width, 6, "Created  "+format.Date(created), "", 1, "L", false, 0, "")
	pdf.Ln(8)

	lines := format.RecoveryKeyLines(key)
	const lineH = 13.0
	top := pdf.GetY()
	boxH := float64(len(lines))*lineH + 12
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetFillColor(246, 246, 246)
	pdf.SetLineWidth(0.3)
	pdf.RoundedRect(margin, top, width, boxH, 3, "1234", "FD")
	pdf.SetY(top + 6)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Courier", "B", 24)
	for _, line := range lines {
		pdf.CellFormat(width, lineH, line, "", 1, "C", false, 0, "")
	}
	pdf.SetY(top + boxH + 10)

	pdf.SetFont("Helvetica", "", 12)
	pdf.MultiCell(width, 6.5,
		"This key opens the Casenotes vault if its passphrase is forgotten. Keep this page apart from the "+
			"computer that holds the vault, locked away as carefully as evidence: anyone with this key and that "+
			"computer can read every case in it.", "", "L", false)
	pdf.Ln(3)
	pdf.SetTextColor(80, 80, 80)
	pdf.MultiCell(width, 6.5,
		"Once it is printed, delete this file from the computer. Casenotes keeps no copy of the key.",
		"", "L", false)
	return pdf.Output(w)
}
