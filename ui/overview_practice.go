package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// The Overview's part of the MDT practice: the NCMEC report clock and the case's
// reference numbers, the next court date, the case's review plan, whether it was
// shared with a prosecutor, its legal hold, and deleting it (with a reason, leaving a
// tombstone).

// practiceData is what the overview shows of the practice, read off the UI goroutine.
type practiceData struct {
	refs     []app.Reference
	hearings []app.Hearing
	practice app.CasePractice
	sharing  app.Sharing
}

// practicePanel is a box the overview fills once the practice's records are read.
func (o *overviewTab) practicePanel() fyne.CanvasObject {
	box := container.NewVBox()
	ws := o.ws
	records, id := ws.records, ws.id
	var d practiceData
	var err error
	ws.s.runInBackground(func() {
		if d.refs, err = records.References(id); err != nil {
			return
		}
		if d.hearings, err = records.Hearings(id); err != nil {
			return
		}
		if d.practice, err = records.CasePractice(id); err != nil {
			return
		}
		d.sharing, err = records.Sharing(id)
	}, func() {
		if !ws.open() {
			return
		}
		if err != nil {
			box.Objects = []fyne.CanvasObject{failedLine(err)}
		} else {
			box.Objects = o.practiceRows(d)
		}
		box.Refresh()
	})
	return box
}

func (o *overviewTab) practiceRows(d practiceData) []fyne.CanvasObject {
	ws := o.ws
	now := ws.now()
	c := ws.ov.Case
	objs := []fyne.CanvasObject{subheading("Reports and court")}
	line := func(label, text string, imp widget.Importance) {
		l := wrapped(text)
		l.Importance = imp
		objs = append(objs, container.NewBorder(nil, nil, container.New(widthLayout{150}, fieldLabel(label)), nil, l))
	}
	if len(d.refs) == 0 {
		objs = append(objs, quiet("No reference numbers yet: record the mandated report, an NCMEC report and other agencies' numbers on the References tab."))
	}
	for _, r := range d.refs {
		if cl, ok := r.Clock(now); ok {
			sub, imp := referenceSubline(r, now)
			if cl.Reported {
				sub = "NCMEC " + orNone(r.Number) + " · " + sub
			}
			line("NCMEC report", sub, imp)
			continue
		}
		line(shortReferenceTitle(r.Kind), orNone(r.Number)+agencySuffix(r.Agency), widget.MediumImportance)
	}
	var next *app.Hearing
	for i, h := range d.hearings {
		if h.Outcome == "" && (next == nil || h.At.Before(next.At)) {
			next = &d.hearings[i]
		}
	}
	if next != nil {
		imp := widget.MediumImportance
		if !now.Before(next.At) {
			imp = widget.DangerImportance
		} else if next.At.Sub(now) < 7*24*time.Hour {
			imp = widget.WarningImportance
		}
		line("Next court date", format.DateTime(next.At)+" · "+sentenceCase(next.Type)+" · "+next.Court, imp)
	} else if len(d.hearings) == 0 {
		line("Court dates", "none recorded", widget.LowImportance)
	}

	objs = append(objs, subheading("MDT review and retention"))
	p := d.practice
	review := "never reviewed; "
	if !p.LastReviewed.IsZero() {
		review = "last reviewed " + format.Date(p.LastReviewed) + "; "
	}
	nextReview := p.NextReview(c.Opened)
	imp := widget.MediumImportance
	if c.Status == app.CaseOpen && format.DayDiff(now, nextReview) < 0 {
		imp = widget.DangerImportance
	}
	review += "next review due " + format.Date(nextReview) + " (every " + format.Count(p.Interval(), "day", "days") + ")"
	if c.Status != app.CaseOpen {
		review = strings.TrimSuffix(review, "; ") + "only open cases are proposed for review"
		if !p.LastReviewed.IsZero() {
			review = "last reviewed " + format.Date(p.LastReviewed) + "; only open cases are proposed for review"
		}
		imp = widget.LowImportance
	}
	interval := widget.NewButton("Review interval…", func() { o.setInterval(p) })
	ws.guard(interval)
	l := wrapped(review)
	l.Importance = imp
	objs = append(objs, container.NewBorder(nil, nil, container.New(widthLayout{150}, fieldLabel("Case review")), interval, l))
	if len(d.sharing.Exports) > 0 {
		last := d.sharing.Exports[len(d.sharing.Exports)-1]
		text := fmt.Sprintf("exported %s, last to %s on %s", format.Count(len(d.sharing.Exports), "time", "times"),
			orNone(last.Recipient), format.Date(last.At))
		if d.sharing.SharedWithProsecutor {
			text = "shared with the prosecutor; " + text
		}
		line("Shared", text, widget.MediumImportance)
	}
	var holdBtn *widget.Button
	if h := p.Hold; h != nil {
		line("Legal hold", "since "+format.Date(h.Placed)+" ("+h.Reason+"): the case cannot be deleted", widget.WarningImportance)
		holdBtn = widget.NewButton("Lift legal hold…", o.liftHold)
	} else {
		holdBtn = widget.NewButton("Place legal hold…", o.placeHold)
	}
	del := widget.NewButton("Delete case…", func() { o.deleteCase(d) })
	del.Importance = widget.DangerImportance
	if p.Hold != nil {
		del.Disable()
	}
	ws.guard(holdBtn, del)
	return append(objs, container.NewHBox(holdBtn, del))
}

// shortReferenceTitle is a reference kind as a label beside its number.
func shortReferenceTitle(k app.ReferenceKind) string {
	switch k {
	case app.RefChildWelfare:
		return "Mandated report"
	case app.RefAgencyCase:
		return "Agency case"
	}
	return k.Title()
}

func agencySuffix(a string) string {
	if a == "" {
		return ""
	}
	return " · " + a
}

func (o *overviewTab) setInterval(p app.CasePractice) {
	ws := o.ws
	days := newDialogEntry("30")
	days.SetText(strconv.Itoa(p.Interval()))
	ws.formDialog("Review interval", "Save", container.NewVBox(
		paragraph("How often the MDT reviews this case, in days (1 to 365). Cases due for review are proposed for the next meeting's agenda."), days),
		func() string {
			n, err := strconv.Atoi(strings.TrimSpace(days.Text))
			if err != nil {
				return "Write the interval as a number of days, from 1 to 365."
			}
			if _, err := ws.records.SetReviewInterval(ws.id, n); err != nil {
				return app.Sentence(err)
			}
			o.refresh()
			return ""
		})
}

func (o *overviewTab) placeHold() {
	ws := o.ws
	ws.askReason("Place legal hold", "Place hold",
		"While the hold is in place the case cannot be deleted. Say why (for example: litigation, a records request, an appeal).",
		"", func(reason string) error {
			if _, err := ws.records.PlaceLegalHold(ws.id, reason); err != nil {
				return err
			}
			o.refresh()
			return nil
		})
}

func (o *overviewTab) liftHold() {
	ws := o.ws
	ws.askReason("Lift legal hold", "Lift hold", "The hold stays in the case's history. Say why it is lifted.", "",
		func(reason string) error {
			if _, err := ws.records.LiftLegalHold(ws.id, reason); err != nil {
				return err
			}
			o.refresh()
			return nil
		})
}

// deleteCase asks for a reason, saying what deleting means (and, for a shared case,
// that the copies others hold are not deleted), then deletes the case.
func (o *overviewTab) deleteCase(d practiceData) {
	ws := o.ws
	text := "Deleting destroys the case's key: nothing of it can be read again, here or in a backup made from now on. " +
		"A tombstone keeps the case number, the dates, who deleted it, when and why."
	if len(d.sharing.Exports) > 0 {
		text += " This case was exported " + format.Count(len(d.sharing.Exports), "time", "times") +
			"; the copies its recipients hold are not deleted."
	}
	// The deletion runs off the UI goroutine: a case of thousands of notes or
	// attachment chunks is deleted in stages, a second or more of work.
	id := ws.id
	ws.askReasonOff("Delete case "+ws.ov.Case.Number, "Delete", text, "e.g. retention period ended; opened by mistake",
		"Deleting the case and all its records.",
		func(r *app.Records, reason string) error { return r.DeleteCase(id, reason) },
		ws.deleted)
}
