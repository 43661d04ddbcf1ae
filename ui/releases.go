package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// releasesTab is the victim's releases of information: each with its scope,
// recipient and whether it is in force, beside the one selected.
type releasesTab struct {
	listTab[app.Release] // newest first
}

const releasesHint = "A release records what the victim agreed may be shared, with whom and until when. Exports check it."

func (t *releasesTab) build() fyne.CanvasObject {
	return t.listTab.build(listSpec[app.Release]{
		addLabel: "Add release…", add: t.addRelease, hint: releasesHint,
		empty: "No releases on file. Add one when the victim signs a release of information.",
		read:  (*app.Records).Releases, newestFirst: true,
		id: func(r app.Release) app.ID { return r.ID },
		row: func(r app.Release, o fyne.CanvasObject) {
			state, active := releaseState(r, t.ws.now())
			setListRow(o, r.Recipient.String(), state+" · "+scopeText(r.Scope), importanceIf(!active, widget.LowImportance))
		},
		details: t.details,
	})
}

// releaseState says whether a release is in force at now, in words: "active until
// 2 March 2027", "expired 1 March 2026", "revoked 3 March 2026".
func releaseState(r app.Release, now time.Time) (string, bool) {
	switch {
	case !r.Revoked.IsZero() && !now.Before(r.Revoked):
		return "revoked " + format.Date(r.Revoked), false
	case now.Before(r.Signed):
		return "in force from " + format.Date(r.Signed), false
	case !now.Before(r.Expires):
		return "expired " + format.Date(r.Expires), false
	default:
		return "active until " + format.Date(r.Expires), true
	}
}

func scopeText(scope []app.InfoKind) string {
	var out []string
	for _, k := range scope {
		out = append(out, k.Label())
	}
	return strings.Join(out, ", ")
}

// details are a release's state, recipient, scope and dates, with who signed
// it and what can be done with it.
func (t *releasesTab) details(r app.Release) []fyne.CanvasObject {
	ws := t.ws
	state, active := releaseState(r, ws.now())
	stateLabel := wrapped(capitalise(state))
	stateLabel.Importance = importanceIf(active, widget.SuccessImportance)
	if !active {
		stateLabel.Importance = widget.LowImportance
	}
	form := widget.NewForm(
		formItem("Organization", orNone(r.Recipient.Organisation)),
		formItem("Person", orNone(r.Recipient.Person)),
		formItem("Partner", app.PartnerTitle(string(r.Recipient.Category))),
		formItem("Covers", scopeText(r.Scope)),
		formItem("Signed", format.Date(r.Signed)),
		formItem("Expires", format.Date(r.Expires)),
		formItem("Recorded", strings.TrimPrefix(r.CreatedBy+", "+format.DateTime(r.Created), ", ")),
	)
	if !r.Revoked.IsZero() {
		form.Append("Revoked", wrapped(format.Date(r.Revoked)+" by "+r.RevokedBy+": "+r.RevokedReason))
	}
	parts := []fyne.CanvasObject{subheading(r.Recipient.String()), stateLabel}
	parts = append(parts, t.signerRows(r, form)...) // issue 14: release_signer.go
	parts = append(parts, form)
	buttons := container.NewHBox()
	if r.Revoked.IsZero() {
		revoke := widget.NewButton("Revoke…", func() { t.revoke(r.ID) })
		ws.guard(revoke)
		buttons.Add(revoke)
	}
	for _, b := range t.practiceButtons(r) {
		buttons.Add(b)
	}
	return append(parts, buttons)
}

// revoke records that the victim withdrew the release, and why.
func (t *releasesTab) revoke(id app.ID) {
	ws := t.ws
	ws.askReason("Revoke release", "Revoke",
		"The release stays on file, no longer in force. Say why it was revoked.", "",
		func(reason string) error {
			if _, err := ws.records.RevokeRelease(ws.id, id, reason); err != nil {
				return err
			}
			t.load()
			ws.changed()
			return nil
		})
}

// addRelease records a signed release: scope, recipient, signed date, expiry.
func (t *releasesTab) addRelease() {
	ws := t.ws
	var checks []*widget.Check
	scope := container.NewGridWithColumns(2)
	for _, k := range app.InfoKinds {
		c := widget.NewCheck(capitalise(k.Label()), nil)
		checks = append(checks, c)
		scope.Add(c)
	}
	org, person := newDialogEntry(""), newDialogEntry("")
	var cats []string
	for _, c := range app.Partners {
		cats = append(cats, c.Title())
	}
	category := widget.NewSelect(cats, nil)
	category.PlaceHolder = "Choose the kind of partner"
	today := dateOnlyUTC(ws.now())
	signed, expires := widget.NewDateEntry(), widget.NewDateEntry()
	signed.SetDate(&today)
	// Issue 14: the recipient from the partner directory, and who signed.
	fromDir := ws.s.newPartnerField("pick a partner from the directory, or fill in below")
	var partnerID app.ID
	fromDir.entry.OnChanged = func(string) {
		_, id := fromDir.value()
		if id.IsZero() {
			partnerID = app.ID{}
			return
		}
		for _, e := range fromDir.all {
			if e.ID == id {
				org.SetText(e.Organization)
				person.SetText(e.Person)
				category.SetSelected(sentenceCase(string(e.Category)))
			}
		}
		partnerID = id
	}
	signer := t.newSignerFields()
	form := widget.NewForm(
		widget.NewFormItem("Covers", scope),
		widget.NewFormItem("Recipient", fromDir.entry),
		widget.NewFormItem("Organization", org),
		widget.NewFormItem("Person", person),
		widget.NewFormItem("Partner", category),
		widget.NewFormItem("Signed", signed),
		widget.NewFormItem("Expires", expires),
	)
	for _, it := range signer.items() {
		form.AppendItem(it)
	}
	ws.formDialog("Add release of information", "Add release", form, func() string {
		in := app.ReleaseInput{Recipient: app.Recipient{Organisation: org.Text, Person: person.Text}}
		in.Signer = signer.value()
		if !partnerID.IsZero() {
			if e, err := ws.records.PartnerByID(partnerID); err == nil && e.Recipient().String() == in.Recipient.String() {
				in.PartnerID = partnerID
			}
		}
		for i, k := range app.InfoKinds {
			if checks[i].Checked {
				in.Scope = append(in.Scope, k)
			}
		}
		for i, c := range app.Partners {
			if cats[i] == category.Selected {
				in.Recipient.Category = c
			}
		}
		if signed.Date != nil {
			in.Signed = *signed.Date
		}
		if expires.Date != nil {
			in.Expires = *expires.Date
		}
		r, err := ws.records.AddRelease(ws.id, in)
		if err != nil {
			return app.Sentence(err)
		}
		t.selected = r.ID
		t.load()
		ws.changed()
		return ""
	})
}

// dateOnlyUTC is t's calendar date at UTC midnight, as records keep dates.
func dateOnlyUTC(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
