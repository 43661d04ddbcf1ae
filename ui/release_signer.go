package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
)

// Releases that fit minors (issue 14): who signed (the youth, a parent or guardian,
// a caseworker, with the relationship), the person of the case they are, and the
// warning when that person is recorded as an alleged offender; a recipient typed as
// free text can be added to the partner directory.

// signerFields are the release form's signer fields.
type signerFields struct {
	kind         *dialogSelect
	relationship *dialogEntry
	name         *dialogEntry
}

func (t *releasesTab) newSignerFields() *signerFields {
	var kinds []string
	for _, k := range app.SignerKinds {
		kinds = append(kinds, capitalise(k.Title()))
	}
	f := &signerFields{kind: newDialogSelect(kinds), relationship: newDialogEntry("e.g. mother, legal guardian, county caseworker"),
		name: newDialogEntry("optional, as written on the release")}
	f.kind.PlaceHolder = "Who signed"
	return f
}

func (f *signerFields) items() []*widget.FormItem {
	return []*widget.FormItem{widget.NewFormItem("Signed by", f.kind), widget.NewFormItem("Relationship", f.relationship),
		widget.NewFormItem("Signer's name", f.name)}
}

// value is the signer as entered (an unchosen kind is refused by app in a sentence).
func (f *signerFields) value() app.ReleaseSigner {
	s := app.ReleaseSigner{Relationship: f.relationship.Text, Name: f.name.Text}
	if i := f.kind.SelectedIndex(); i >= 0 {
		s.Kind = app.SignerKinds[i]
	}
	return s
}

// signerRows say who signed, and warn when the signer is recorded as an alleged
// offender (exports then do not rely on the release).
func (t *releasesTab) signerRows(r app.Release, form *widget.Form) []fyne.CanvasObject {
	ws := t.ws
	form.Append("Signed by", wrapped(capitalise(r.Signer.String())))
	if r.Signer == nil || r.Signer.Person.IsZero() {
		return nil
	}
	people, err := ws.records.People(ws.id)
	if err != nil {
		return []fyne.CanvasObject{failedLine(err)}
	}
	for _, p := range people {
		if p.ID != r.Signer.Person {
			continue
		}
		form.Append("Signer is", wrapped(p.Reference+" ("+p.Role+", "+p.Relationship+")"))
		if p.AllegedOffender() {
			l := paragraph("Signed by someone recorded in this case as an alleged offender (" + p.Reference + "): exports never rely on this release. A release must be signed by the youth or a non-offending parent or guardian.")
			l.Importance = widget.DangerImportance
			return []fyne.CanvasObject{l}
		}
	}
	return nil
}

// practiceButtons: link the signer to a person of the case, and add a recipient typed
// as free text to the partner directory.
func (t *releasesTab) practiceButtons(r app.Release) []fyne.CanvasObject {
	ws := t.ws
	var out []fyne.CanvasObject
	if r.Signer != nil && (r.Signer.Kind == app.SignerParent || r.Signer.Kind == app.SignerCaseworker) {
		link := widget.NewButton("Signer is…", func() { t.linkSigner(r) })
		ws.guard(link)
		out = append(out, link)
	}
	if r.PartnerID.IsZero() && !ws.readOnly {
		out = append(out, ws.s.addToDirectoryButton(r.Recipient.String(), r.Recipient.Category, func(e app.DirectoryEntry) {
			if _, err := ws.records.LinkReleasePartner(ws.id, r.ID, e.ID); err == nil {
				t.load()
			}
		}))
	}
	return out
}

// linkSigner records which person of the case signed.
func (t *releasesTab) linkSigner(r app.Release) {
	ws := t.ws
	people, err := ws.records.People(ws.id)
	if err != nil {
		return
	}
	names := []string{"none of the case's people"}
	ids := []app.ID{{}}
	for _, p := range people {
		names = append(names, p.Reference+" ("+p.Role+", "+p.Relationship+")")
		ids = append(ids, p.ID)
	}
	sel := newDialogSelect(names)
	sel.SetSelectedIndex(0)
	for i, id := range ids {
		if id == r.Signer.Person {
			sel.SetSelectedIndex(i)
		}
	}
	ws.formDialog("Who signed", "Save", widget.NewForm(widget.NewFormItem("The signer is", sel)), func() string {
		if _, err := ws.records.LinkReleaseSigner(ws.id, r.ID, ids[max(0, sel.SelectedIndex())]); err != nil {
			return app.Sentence(err)
		}
		t.load()
		ws.changed()
		return ""
	})
}
