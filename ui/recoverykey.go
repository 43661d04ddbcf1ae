package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// recoveryFileName is the suggested name when saving the recovery key as text.
const recoveryFileName = "casenotes-recovery-key.txt"

// showRecoveryKey shows the new vault's recovery key, once. Continue stays disabled
// until the user says the key is stored.
func (s *Shell) showRecoveryKey(key string) {
	block := recoveryKeyBlock(key)
	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		s.copyToClipboard(key)
	})
	saveBtn := widget.NewButtonWithIcon("Save as text file…", theme.DocumentSaveIcon(), func() {
		s.saveRecoveryKey(key)
	})
	cont := widget.NewButton("Continue", func() {
		sess := s.pending
		s.pending = nil
		if sess != nil {
			s.unlocked(sess)
		}
	})
	cont.Importance = widget.HighImportance
	cont.Disable()
	stored := widget.NewCheck("I have stored the recovery key somewhere safe", func(on bool) {
		if on {
			cont.Enable()
		} else {
			cont.Disable()
		}
	})
	s.setScreen(centredPanel(560, container.NewVBox(
		s.brand(),
		gap(),
		heading("Your recovery key"),
		paragraph("This key opens the vault if the passphrase is ever forgotten. It is shown only this once "+
			"and Casenotes keeps no copy: write it down, or save it and move the file to safe storage."),
		block,
		container.NewHBox(copyBtn, saveBtn),
		paragraph("Keep it apart from this computer, as carefully as evidence: anyone with this key and the laptop can read the vault. "+
			"A saved file must not stay on this computer; a copied key is cleared from the clipboard after 30 seconds."),
		gap(),
		stored,
		container.NewHBox(cont),
	)))
}

// recoveryKeyLines splits the grouped key into lines of four groups, for reading
// aloud and copying onto paper.
func recoveryKeyLines(key string) []string {
	groups := strings.Split(key, "-")
	var lines []string
	for i := 0; i < len(groups); i += 4 {
		lines = append(lines, strings.Join(groups[i:min(i+4, len(groups))], "-"))
	}
	return lines
}

// recoveryKeyBlock is the key in large monospace type on a quiet panel.
func recoveryKeyBlock(key string) fyne.CanvasObject {
	var segs []widget.RichTextSegment
	for _, line := range recoveryKeyLines(key) {
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
	for _, line := range recoveryKeyLines(key) {
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
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowInformation("Not saved", app.Sentence(err), s.win)
			return
		}
		if w == nil {
			return // cancelled
		}
		_, werr := w.Write([]byte(recoveryKeyFile(key)))
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			dialog.ShowInformation("Not saved",
				"The recovery key could not be written there. Choose another place, such as a USB stick.", s.win)
			return
		}
		dialog.ShowInformation("Recovery key saved",
			"Move "+w.URI().Name()+" off this computer now, for example to a USB stick kept locked away, "+
				"and delete the copy left here.", s.win)
	}, s.win)
	d.SetFileName(recoveryFileName)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}
