package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// revealSentence is what the reveal confirmation says.
const revealSentence = "The legal identity will be shown and the reveal recorded. Continue?"

// identityPanel keeps the victim's legal identity out of sight until a user
// deliberately reveals it (confirmation, then a reason, then Records.RevealIdentity),
// and puts it away again when the user leaves the case or the vault locks. The
// identity lives only in this panel's widgets while shown.
type identityPanel struct {
	ws  *caseWorkspace
	box *fyne.Container
	// shown is true while the identity is on screen.
	shown bool
	slot  loadSlot // the last reveal, read for the line under the button
}

func newIdentityPanel(ws *caseWorkspace) *identityPanel {
	p := &identityPanel{ws: ws, box: container.NewVBox()}
	p.hide()
	return p
}

func (p *identityPanel) object() fyne.CanvasObject { return p.box }

// hide replaces the identity with the reveal button.
func (p *identityPanel) hide() {
	p.shown = false
	title := subheading("Legal identity")
	if !p.ws.ov.HasIdentity {
		p.box.Objects = []fyne.CanvasObject{title, quiet("No legal identity is recorded for this case.")}
		p.box.Refresh()
		return
	}
	reveal := widget.NewButtonWithIcon("Reveal legal identity", theme.VisibilityIcon(), p.ask)
	p.box.Objects = []fyne.CanvasObject{
		title,
		quiet("Hidden: every screen shows the alias. Reveal it only when you need it; you will be asked why."),
		container.NewHBox(reveal),
	}
	p.box.Refresh()
	readCase(p.ws, &p.slot, func(r *app.Records, id app.ID) ([]app.Reveal, error) { return r.Reveals(id) },
		func(rs []app.Reveal, err error) {
			if err != nil || len(rs) == 0 || p.shown {
				return
			}
			last := rs[len(rs)-1]
			line := quiet(fmt.Sprintf("Last revealed by %s on %s: %s", last.By, format.Date(last.At), last.Reason))
			line.Wrapping = fyne.TextWrapWord
			p.box.Add(line)
		})
}

// ask confirms, then asks for the reason, then reveals.
func (p *identityPanel) ask() {
	ws := p.ws
	ws.confirm("Reveal legal identity", revealSentence, "Continue", func() {
		ws.askReason("Reason for the reveal", "Reveal",
			"Why do you need to see it? A short reason is recorded with the reveal.",
			"for example: court filing, placement check",
			func(reason string) error {
				id, err := ws.records.RevealIdentity(ws.id, reason)
				if err != nil {
					return err
				}
				p.show(id)
				return nil
			})
	})
}

// show puts the revealed identity on screen, with a Hide button.
func (p *identityPanel) show(id app.Identity) {
	if p.ws.gone {
		return
	}
	p.shown = true
	form := widget.NewForm(
		formItem("Legal name", orNone(id.LegalName)),
		formItem("Date of birth", orNone(birthDate(id.DateOfBirth))),
		formItem("School", orNone(id.School)),
		formItem("Addresses", orNone(strings.Join(id.Addresses, "\n"))),
		formItem("Contact numbers", orNone(strings.Join(id.ContactNumbers, ", "))),
	)
	hide := widget.NewButtonWithIcon("Hide legal identity", theme.VisibilityOffIcon(), p.hide)
	note := widget.NewLabel("Shown until you leave this case or the vault locks.")
	note.Importance = widget.WarningImportance
	note.Wrapping = fyne.TextWrapWord
	p.box.Objects = []fyne.CanvasObject{subheading("Legal identity"), note, form, container.NewHBox(hide)}
	p.box.Refresh()
}

// birthDate shows a stored date of birth (YYYY-MM-DD) as every date is shown.
func birthDate(stored string) string {
	if d, err := time.Parse(time.DateOnly, stored); err == nil {
		return format.Date(d)
	}
	return stored
}
