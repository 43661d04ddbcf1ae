package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Reference numbers the law and the team need to find a case again elsewhere: the
// mandated report to child welfare, the report of a child missing from care to the
// national missing-children center (NCMEC), tips, and other agencies' case numbers.
// The NCMEC report has a clock: child welfare agencies must make it within 24 hours
// of learning that a child is missing from care (federal law since 2014).

// ReferenceKind is the kind of a reference record.
type ReferenceKind string

// Reference kinds.
const (
	RefChildWelfare ReferenceKind = "child-welfare-report" // the mandated report to child welfare
	RefNCMEC        ReferenceKind = "ncmec-report"         // a child missing from care, reported to NCMEC
	RefTip          ReferenceKind = "tip"                  // a tip: hotline, CyberTipline, community
	RefAgencyCase   ReferenceKind = "agency-case"          // another agency's case number (task force partners)
)

// ReferenceKinds lists the kinds in the order a form offers them.
var ReferenceKinds = []ReferenceKind{RefChildWelfare, RefNCMEC, RefTip, RefAgencyCase}

var referenceTitles = map[ReferenceKind]string{
	RefChildWelfare: "Mandated report to child welfare",
	RefNCMEC:        "NCMEC report (missing from care)",
	RefTip:          "Tip",
	RefAgencyCase:   "Other agency's case number",
}

// Title is the kind in words.
func (k ReferenceKind) Title() string {
	if t, ok := referenceTitles[k]; ok {
		return t
	}
	return string(k)
}

// Screening decisions of a mandated report.
var ScreeningDecisions = []string{"pending", "screened-in", "screened-out"}

// Tip sources.
var TipSources = []string{"hotline", "cybertipline", "community", "other"}

// NCMECReportWindow is how long after a child goes missing from care the report to
// NCMEC is due.
const NCMECReportWindow = 24 * time.Hour

// maxReferenceNumber bounds a reference number.
const maxReferenceNumber = 60

// Reference is one reference record of a case. Which fields apply depends on Kind:
//
//   - child-welfare-report: ReportedAt (date and time), Agency, IntakeWorker,
//     Number, Screening;
//   - ncmec-report: MissingSince (when the missing episode began), ReportedAt once
//     the report is made, Number (NCMEC's case number);
//   - tip: TipSource, ReportedAt (when it came in), Number;
//   - agency-case: Agency, Number.
type Reference struct {
	ID           ID            `json:"id"`
	Case         ID            `json:"case"`
	Kind         ReferenceKind `json:"kind"`
	Number       string        `json:"number,omitempty"`
	Agency       string        `json:"agency,omitempty"`
	PartnerID    ID            `json:"partner_id,omitzero"` // the agency's directory entry, when picked from it
	ReportedAt   time.Time     `json:"reported_at,omitzero"`
	IntakeWorker string        `json:"intake_worker,omitempty"`
	Screening    string        `json:"screening,omitempty"`
	MissingSince time.Time     `json:"missing_since,omitzero"`
	TipSource    string        `json:"tip_source,omitempty"`
	Created      time.Time     `json:"created"`
	By           string        `json:"by,omitempty"`
	Updated      time.Time     `json:"updated,omitzero"`
}

// ReferenceInput is a reference as a user records it.
type ReferenceInput struct {
	Kind         ReferenceKind
	Number       string
	Agency       string
	PartnerID    ID
	ReportedAt   time.Time
	IntakeWorker string
	Screening    string
	MissingSince time.Time
	TipSource    string
}

func (in *ReferenceInput) normalise() error {
	in.Number, in.Agency = strings.TrimSpace(in.Number), strings.TrimSpace(in.Agency)
	in.IntakeWorker = strings.TrimSpace(in.IntakeWorker)
	if !slices.Contains(ReferenceKinds, in.Kind) {
		return Invalid("reference kind", quoteShort(string(in.Kind))+"is not a kind of reference")
	}
	if err := checkText("reference number", in.Number, maxReferenceNumber, false); err != nil {
		return err
	}
	if err := checkText("agency", in.Agency, maxShortText, false); err != nil {
		return err
	}
	if err := checkText("intake worker", in.IntakeWorker, 80, false); err != nil {
		return err
	}
	for _, d := range []struct {
		field string
		t     time.Time
	}{{"reported", in.ReportedAt}, {"missing since", in.MissingSince}} {
		if !d.t.IsZero() {
			if err := checkDate(d.field, d.t); err != nil {
				return err
			}
		}
	}
	in.ReportedAt, in.MissingSince = in.ReportedAt.UTC().Truncate(time.Minute), in.MissingSince.UTC().Truncate(time.Minute)
	notFor := func(field string) error {
		return Invalid(field, "does not apply to a "+strings.ToLower(in.Kind.Title()))
	}
	switch in.Kind {
	case RefChildWelfare:
		if in.ReportedAt.IsZero() {
			return Invalid("reported", "is required: the date and time the report was made")
		}
		if in.Screening == "" {
			in.Screening = "pending"
		}
		if err := checkChoice("screening decision", in.Screening, ScreeningDecisions); err != nil {
			return err
		}
		if !in.MissingSince.IsZero() {
			return notFor("missing since")
		}
		if in.TipSource != "" {
			return notFor("tip source")
		}
	case RefNCMEC:
		if in.MissingSince.IsZero() {
			return Invalid("missing since", "is required: when the missing episode began starts the 24-hour clock")
		}
		if !in.ReportedAt.IsZero() && in.ReportedAt.Before(in.MissingSince) {
			return Invalid("reported", "is before the missing episode began")
		}
		if in.Screening != "" {
			return notFor("screening decision")
		}
		if in.TipSource != "" {
			return notFor("tip source")
		}
	case RefTip:
		if err := checkChoice("tip source", in.TipSource, TipSources); err != nil {
			return err
		}
		if in.ReportedAt.IsZero() {
			return Invalid("received", "is required: the date the tip came in")
		}
		if in.Number == "" && in.TipSource != "community" {
			return Invalid("reference number", "is required for a hotline or CyberTipline tip")
		}
		if in.Screening != "" || !in.MissingSince.IsZero() {
			return notFor("screening decision or missing since")
		}
	case RefAgencyCase:
		if in.Agency == "" {
			return Invalid("agency", "is required: name the agency that holds the case number")
		}
		if in.Number == "" {
			return Invalid("reference number", "is required")
		}
		if !in.ReportedAt.IsZero() || !in.MissingSince.IsZero() || in.Screening != "" || in.TipSource != "" {
			return notFor("a date, screening decision or tip source")
		}
	}
	return nil
}

func referenceKey(c, id ID) Key { return Key{Type: RecReference, Case: c, ID: id} }

// notFuture refuses a time that has not come yet: a report made, a missing episode
// begun or a notification given is in the past (a few minutes of clock difference
// between machines are allowed).
func notFuture(field string, t, now time.Time) error {
	if !t.IsZero() && t.After(now.Add(15*time.Minute)) {
		return Invalid(field, "is in the future")
	}
	return nil
}

func (in *ReferenceInput) notFuture(now time.Time) error {
	field := "reported"
	if in.Kind == RefTip {
		field = "received"
	}
	if err := notFuture(field, in.ReportedAt, now); err != nil {
		return err
	}
	return notFuture("missing since", in.MissingSince, now)
}

// AddReference records a reference number or report.
func (r *Records) AddReference(caseID ID, in ReferenceInput) (Reference, error) {
	if err := in.normalise(); err != nil {
		return Reference{}, err
	}
	if err := in.notFuture(r.now()); err != nil {
		return Reference{}, err
	}
	var out Reference
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if err := partnerExists(t, in.PartnerID); err != nil {
			return err
		}
		out = Reference{ID: NewID(), Case: caseID, Kind: in.Kind, Number: in.Number, Agency: in.Agency,
			PartnerID: in.PartnerID, ReportedAt: in.ReportedAt, IntakeWorker: in.IntakeWorker, Screening: in.Screening,
			MissingSince: in.MissingSince, TipSource: in.TipSource, Created: r.now(), By: r.who(t)}
		return putJSON(t, referenceKey(caseID, out.ID), &out)
	})
	return out, err
}

// UpdateReference changes a reference: a number that came later, a screening
// decision, the time an NCMEC report was made. Its kind does not change.
func (r *Records) UpdateReference(caseID, id ID, in ReferenceInput) (Reference, error) {
	var out Reference
	err := r.update(func(t Tx) error {
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		var ref Reference
		if err := getJSON(t, referenceKey(caseID, id), &ref); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("reference: %w", ErrNotFound)
			}
			return err
		}
		if in.Kind != ref.Kind {
			return Invalid("reference kind", "cannot change: record a new reference instead")
		}
		if err := in.normalise(); err != nil {
			return err
		}
		if err := in.notFuture(r.now()); err != nil {
			return err
		}
		if err := partnerExists(t, in.PartnerID); err != nil {
			return err
		}
		ref.Number, ref.Agency, ref.PartnerID, ref.ReportedAt = in.Number, in.Agency, in.PartnerID, in.ReportedAt
		ref.IntakeWorker, ref.Screening, ref.MissingSince, ref.TipSource = in.IntakeWorker, in.Screening, in.MissingSince, in.TipSource
		ref.Updated = r.now()
		out = ref
		return putJSON(t, referenceKey(caseID, id), &ref)
	})
	return out, err
}

// Input is the reference as an input, for changing one field of it.
func (ref Reference) Input() ReferenceInput {
	return ReferenceInput{Kind: ref.Kind, Number: ref.Number, Agency: ref.Agency, PartnerID: ref.PartnerID,
		ReportedAt: ref.ReportedAt, IntakeWorker: ref.IntakeWorker, Screening: ref.Screening,
		MissingSince: ref.MissingSince, TipSource: ref.TipSource}
}

// References returns a case's references: mandated reports first, then NCMEC
// reports, tips and other agencies' numbers, each oldest first.
func (r *Records) References(caseID ID) ([]Reference, error) {
	var out []Reference
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecReference, caseID, func(_ Key, v *Reference) error {
			out = append(out, *v)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Reference) int {
		if c := slices.Index(ReferenceKinds, a.Kind) - slices.Index(ReferenceKinds, b.Kind); c != 0 {
			return c
		}
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		if c := a.ReportedAt.Compare(b.ReportedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out, err
}

// ReportClock is where an NCMEC report stands against its 24-hour deadline.
type ReportClock struct {
	Due      time.Time // the missing episode's start plus 24 hours
	Reported bool
	// Late is set when the report was made after Due, or is not made and Due has
	// passed.
	Late bool
	// Left is the time until Due (negative once overdue); for a report made, the
	// time it was made before (or, negative, after) Due.
	Left time.Duration
}

// Clock is the NCMEC report's deadline as of now; ok is false for other kinds.
func (ref Reference) Clock(now time.Time) (ReportClock, bool) {
	if ref.Kind != RefNCMEC || ref.MissingSince.IsZero() {
		return ReportClock{}, false
	}
	c := ReportClock{Due: ref.MissingSince.Add(NCMECReportWindow)}
	if !ref.ReportedAt.IsZero() {
		c.Reported = true
		c.Left = c.Due.Sub(ref.ReportedAt)
		c.Late = c.Left < 0 // made at the deadline itself is in time
	} else {
		c.Left = c.Due.Sub(now)
		c.Late = c.Left <= 0 // not made by the deadline: overdue from that moment
	}
	return c, true
}

// Sentence says where the report stands, as the Overview and the references tab
// show it: "report due in 5 hours 20 minutes", "report overdue by 2 hours 5
// minutes", "reported within 24 hours (3 hours 10 minutes after the episode
// began)", "reported 6 hours late".
func (c ReportClock) Sentence(missingSince time.Time) string {
	switch {
	case c.Reported && !c.Late:
		return "reported within 24 hours (" + Span(NCMECReportWindow-c.Left) + " after the missing episode began)"
	case c.Reported:
		return "reported " + Span(-c.Left) + " late"
	case c.Late:
		return "report overdue by " + Span(-c.Left)
	default:
		return "report due in " + Span(c.Left)
	}
}

// Span says a duration the way a person would, to the minute: "2 days 3 hours",
// "5 hours 20 minutes", "12 minutes", "less than a minute".
func Span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Truncate(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	unit := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case days > 0 && hours > 0:
		return unit(days, "day", "days") + " " + unit(hours, "hour", "hours")
	case days > 0:
		return unit(days, "day", "days")
	case hours > 0 && mins > 0:
		return unit(hours, "hour", "hours") + " " + unit(mins, "minute", "minutes")
	case hours > 0:
		return unit(hours, "hour", "hours")
	case mins > 0:
		return unit(mins, "minute", "minutes")
	default:
		return "less than a minute"
	}
}

// task is an NCMEC report not made yet: a deadline on the task list until it is.
func (ref *Reference) task() (TaskRef, bool) {
	if ref.Kind != RefNCMEC || !ref.ReportedAt.IsZero() || ref.MissingSince.IsZero() {
		return TaskRef{}, false
	}
	return TaskRef{Case: ref.Case, Item: ref.ID, Kind: TaskReport, Due: ref.MissingSince.Add(NCMECReportWindow),
		Title: "NCMEC report due (missing from care)", Partner: string(PartnerChildWelfare)}, true
}

// partnerExists checks a directory entry picked on a form (the zero ID: none).
func partnerExists(t Tx, id ID) error {
	if id.IsZero() {
		return nil
	}
	_, err := t.Get(directoryKey(id))
	if isNotFound(err) {
		return Invalid("partner", "is no longer in the partner directory: choose it again")
	}
	return err
}
