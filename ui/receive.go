package ui

import (
	"bytes"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/app/export"
	"casenotes/ui/format"
)

// Opening a received bundle from the case list (its Import action, importfile.go): the bundle is verified with the
// user's own key (or the passphrase the sender gave), its signer checked against
// the partner directory, and only then is the case added: read-only for a partner's
// export, as an ordinary case for a transfer. A signer not in the directory is shown
// by fingerprint, to be compared with the sender over the phone before anything is
// imported.

// maxBundleFile bounds what the app reads of a chosen file.
const maxBundleFile = export.MaxKept + 64<<20

// opened shows an imported case in the list.
func (c *caseList) opened(id app.ID) {
	c.leave()
	c.s.lastCase, c.s.lastTab = id, ""
	if c.s.main != nil {
		c.s.main.show(sectionCases)
	}
}

// isPassphraseBundle reports whether an age file is sealed to a passphrase.
func isPassphraseBundle(data []byte) bool {
	head := data[:min(len(data), 512)]
	return bytes.Contains(head, []byte("\n-> scrypt "))
}

// receiveBundle imports a bundle's bytes; confirmed is a signer fingerprint the user
// has confirmed on screen ("" at first). done runs with the case once imported.
func (s *Shell) receiveBundle(data []byte, confirmed string, done func(app.ID)) {
	if isPassphraseBundle(data) && confirmed == "" {
		s.askBundlePassphrase(data, done)
		return
	}
	s.importBundle(data, nil, confirmed, done)
}

func (s *Shell) askBundlePassphrase(data []byte, done func(app.ID)) {
	pass := widget.NewPasswordEntry()
	s.formDialog("Open bundle", "Open", 480, container.NewVBox(
		paragraph("This bundle is sealed with a passphrase. Enter the passphrase the sender gave you."), pass),
		func() string {
			if pass.Text == "" {
				return "Enter the bundle's passphrase."
			}
			s.importBundle(data, []byte(pass.Text), "", done)
			return ""
		})
}

func (s *Shell) importBundle(data []byte, pass []byte, confirmed string, done func(app.ID)) {
	if s.session == nil {
		return
	}
	keys, err := s.session.UserKeys()
	if err != nil {
		dialog.ShowInformation("Bundle", app.Sentence(err), s.win)
		return
	}
	ids, err := export.Identities([]byte(keys.AgeIdentity()), pass)
	if err != nil {
		dialog.ShowInformation("Bundle", app.Sentence(err), s.win)
		return
	}
	var res export.ImportResult
	s.runInBackground(func() {
		res, err = export.ImportBundle(s.records, bytes.NewReader(data), export.ReadOptions{Identities: ids},
			export.SignerCheck{Expected: confirmed, Directory: s.records})
	}, func() {
		if errors.Is(err, export.ErrUnknownSigner) {
			b, rerr := export.ReadBundle(bytes.NewReader(data), export.ReadOptions{Identities: ids})
			if rerr == nil {
				s.confirmSigner(b, data, pass, done)
				return
			}
		}
		if err != nil {
			dialog.ShowInformation("Bundle not imported", receiveProblem(err), s.win)
			return
		}
		what := "It is read-only: it is the sender's record."
		if res.Doc.Profile == export.Transfer.Name {
			what = "It is now an ordinary case, with a note of where it came from."
		} else if res.Updated {
			what = "The earlier bundle's notes and history are kept."
		}
		dialog.ShowInformation("Case "+res.Number+" imported",
			"Verified and signed by "+res.Bundle.SignerFingerprint+" ("+res.Bundle.Manifest.Exporter.Name+"). "+what, s.win)
		if done != nil {
			done(res.Case)
		}
	})
}

// confirmSigner shows an unknown signer's fingerprint and imports only after the
// user confirms it matches what the sender read to them.
func (s *Shell) confirmSigner(b *export.Bundle, data, pass []byte, done func(app.ID)) {
	m := b.Manifest
	fp := widget.NewLabelWithStyle(b.SignerFingerprint, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	check := newDialogCheck("The sender read me this fingerprint over the phone and it matches")
	s.formDialog("Check who signed this bundle", "Import", 560, container.NewVBox(
		paragraph("Case "+m.CaseNumber+", exported by "+m.Exporter.Name+" ("+m.Exporter.Agency+"). The signer's key is not in your partner directory."),
		fp, check), func() string {
		if !check.Checked {
			return "Compare the fingerprint with the sender first, then tick the box."
		}
		s.importBundle(data, pass, b.SignerFingerprint, done)
		return ""
	})
}

func receiveProblem(err error) string {
	var ve *export.VerifyError
	switch {
	case errors.As(err, &ve):
		return "The bundle failed verification: " + ve.What + ". Nothing was imported; ask the sender for a new one."
	case errors.Is(err, app.ErrBundleNotNewer):
		return "This bundle, or a newer one of the same case, was already imported; nothing changed."
	}
	return app.Sentence(err)
}

// receivedMark is what a case received in a bundle adds to its read-only banner:
// when the sender exported it and the key that signed it ("" for other cases).
func (ws *caseWorkspace) receivedMark() string {
	h, ok, err := ws.records.ReceivedHistory(ws.id)
	if err != nil || !ok {
		return ""
	}
	last := h.Latest()
	mark := ", exported " + format.DateTime(last.Exported) + ", signed by " + last.SignerFingerprint
	if n := len(h.Bundles); n > 1 {
		mark += fmt.Sprintf(" (%d bundles received)", n)
	}
	return mark
}
