package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// referralsTab is the case's referrals to service partners, each with the history
// of its status, beside the one selected.
type referralsTab struct {
	listTab[app.Referral] // newest first
}

const referralsHint = "Choose a referral to move its status on or set its due date."

func (t *referralsTab) build() fyne.CanvasObject {
	return t.listTab.build(listSpec[app.Referral]{
		addLabel: "Add referral…", add: t.addReferral, hint: referralsHint,
		empty: "No referrals yet. Record one when the victim is referred to a service: Add referral…",
		read:  (*app.Records).Referrals, newestFirst: true,
		id: func(r app.Referral) app.ID { return r.ID },
		row: func(r app.Referral, o fyne.CanvasObject) {
			sub := referralStatusTitle(r.Status)
			imp := widget.MediumImportance
			if !r.Status.Open() {
				imp = widget.LowImportance
			} else if !r.Due.IsZero() {
				sub += " · " + format.Due(r.Due, format.DayDiff(t.ws.now(), r.Due) < 0, t.ws.now())
			}
			setListRow(o, serviceTitle(r.Service)+" · "+r.Partner, sub, imp)
		},
		details: t.details,
	})
}

// serviceTitle is a service type in words: "Housing placement".
func serviceTitle(s app.ServiceType) string { return sentenceCase(string(s)) }

func referralStatusTitle(s app.ReferralStatus) string { return sentenceCase(string(s)) }

// details are a referral's service, partner, status and due date, with the
// history of its status.
func (t *referralsTab) details(r app.Referral) []fyne.CanvasObject {
	ws := t.ws
	msg := errorLabel()
	id := r.ID
	due := widget.NewDateEntry()
	if !r.Due.IsZero() {
		d := r.Due.UTC()
		due.SetDate(&d)
	}
	current := r.Due
	due.OnChanged = func(d *time.Time) {
		if d == nil || d.Equal(current) {
			return
		}
		t.change(msg, func() error { _, err := ws.records.SetReferralDue(ws.id, id, *d); return err })
	}
	clearDue := widget.NewButton("Clear", func() {
		t.change(msg, func() error { _, err := ws.records.SetReferralDue(ws.id, id, time.Time{}); return err })
	})
	clearDue.Importance = widget.LowImportance
	if r.Due.IsZero() {
		clearDue.Disable()
	}
	var statuses []string
	for _, s := range app.ReferralStatuses {
		statuses = append(statuses, referralStatusTitle(s))
	}
	status := widget.NewSelect(statuses, nil)
	status.SetSelected(referralStatusTitle(r.Status))
	move := widget.NewButton("Change status", func() {
		for _, s := range app.ReferralStatuses {
			if referralStatusTitle(s) == status.Selected {
				t.change(msg, func() error { _, err := ws.records.SetReferralStatus(ws.id, id, s); return err })
			}
		}
	})
	if !r.Status.Open() {
		status.Disable()
		move.Disable()
		due.Disable()
		clearDue.Disable()
	}
	ws.guard(status, move, due, clearDue)
	form := widget.NewForm(
		formItem("Service", serviceTitle(r.Service)),
		formItem("Partner", r.Partner),
		widget.NewFormItem("Status", container.NewBorder(nil, nil, nil, move, status)),
		widget.NewFormItem("Due", container.NewBorder(nil, nil, nil, clearDue, due)),
	)
	history := container.NewVBox()
	for _, h := range slices.Backward(r.History) {
		line := referralStatusTitle(h.Status) + " · " + format.DateTime(h.At)
		if h.By != "" {
			line += " · " + h.By
		}
		history.Add(quietLine(line))
	}
	parts := []fyne.CanvasObject{subheading(serviceTitle(r.Service) + " · " + r.Partner), form, msg,
		widget.NewLabelWithStyle("History", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), history}
	if !r.Status.Open() {
		parts = append(parts, quiet("This referral has ended. A new need is a new referral."))
	}
	if r.PartnerID.IsZero() && !ws.readOnly {
		parts = append(parts, ws.s.addToDirectoryButton(r.Partner, referralCategory(r.Service), func(e app.DirectoryEntry) {
			if _, err := ws.records.LinkReferralPartner(ws.id, id, e.ID); err == nil {
				t.load()
			}
		}))
	}
	return parts
}

func (t *referralsTab) change(msg *widget.Label, do func() error) {
	if !t.ws.open() {
		return
	}
	if err := do(); err != nil {
		say(msg, app.Sentence(err))
		return
	}
	t.load()
	t.ws.changed()
}

// addReferral records a referral to a service partner, status "referred".
func (t *referralsTab) addReferral() {
	ws := t.ws
	var services []string
	for _, s := range app.ServiceTypes {
		services = append(services, serviceTitle(s))
	}
	service := widget.NewSelect(services, nil)
	service.PlaceHolder = "Choose a service"
	// The partner from the directory, or typed (issue 14).
	partner := ws.s.newPartnerField("a partner from the directory, or the organization: Demo Youth Shelter")
	due := widget.NewDateEntry()
	form := widget.NewForm(
		widget.NewFormItem("Service", service),
		widget.NewFormItem("Partner", partner.entry),
		widget.NewFormItem("Due (optional)", due),
	)
	ws.formDialog("Add referral", "Add referral", form, func() string {
		in := app.ReferralInput{}
		in.Partner, in.PartnerID = partner.value()
		for _, s := range app.ServiceTypes {
			if serviceTitle(s) == service.Selected {
				in.Service = s
			}
		}
		if due.Date != nil {
			in.Due = *due.Date
		}
		r, err := ws.records.AddReferral(ws.id, in)
		if err != nil {
			return app.Sentence(err)
		}
		t.selected = r.ID
		t.load()
		ws.changed()
		return ""
	})
}

// referralCategory is the kind of partner a service usually goes to, to start a
// directory entry from.
func referralCategory(s app.ServiceType) app.Partner {
	switch s {
	case "therapy":
		return "mental-health"
	case "medical":
		return "medical"
	case "school":
		return "school"
	}
	return "victim-services"
}
