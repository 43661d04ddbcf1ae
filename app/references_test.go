package app_test

import (
	"errors"
	"testing"
	"time"

	"casenotes/app"
)

// Each bad value of a reference gives one sentence naming the field, and nothing is
// stored.
func TestReferenceValidation(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	at := testNow.Add(-2 * time.Hour)
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		name  string
		in    app.ReferenceInput
		field string
	}{
		{"unknown kind", app.ReferenceInput{Kind: "gossip"}, "reference kind"},
		{"mandated report without time", app.ReferenceInput{Kind: app.RefChildWelfare, Number: "CW-1"}, "reported"},
		{"bad screening", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: at, Screening: "maybe"}, "screening decision"},
		{"mandated report with missing since", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: at, MissingSince: at}, "missing since"},
		{"NCMEC without missing since", app.ReferenceInput{Kind: app.RefNCMEC, Number: "1234"}, "missing since"},
		{"NCMEC reported before missing", app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: at, ReportedAt: at.Add(-time.Hour)}, "reported"},
		{"tip without source", app.ReferenceInput{Kind: app.RefTip, ReportedAt: at, Number: "T-1"}, "tip source"},
		{"CyberTipline tip without number", app.ReferenceInput{Kind: app.RefTip, TipSource: "cybertipline", ReportedAt: at}, "reference number"},
		{"agency case without agency", app.ReferenceInput{Kind: app.RefAgencyCase, Number: "HSI-1"}, "agency"},
		{"agency case with a date", app.ReferenceInput{Kind: app.RefAgencyCase, Agency: "HSI", Number: "HSI-1", ReportedAt: at}, "a date"},
		{"number with a line break", app.ReferenceInput{Kind: app.RefAgencyCase, Agency: "HSI", Number: "A\nB"}, "reference number"},
		{"implausible date", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}, "reported"},
		{"partner not in the directory", app.ReferenceInput{Kind: app.RefAgencyCase, Agency: "HSI", Number: "HSI-1", PartnerID: app.NewID()}, "partner"},
		{"missing episode in the future", app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: testNow.Add(2 * time.Hour)}, "missing since"},
		{"report made in the future", app.ReferenceInput{Kind: app.RefChildWelfare, ReportedAt: testNow.AddDate(0, 0, 1)}, "reported"},
	} {
		_, err := r.AddReference(c.ID, tc.in)
		assertFieldError(t, err, tc.field, app.ErrInvalid)
		if s := app.Sentence(err); s == "" || s[len(s)-1] != '.' {
			t.Errorf("%s: sentence %q", tc.name, s)
		}
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
}

// The NCMEC report of a child missing from care is due 24 hours after the missing
// episode began: on a fixed clock it reads "report due in …", then "report overdue
// by …", sits on the task list meanwhile (overdue by the hour, not the day), and
// leaves it once the report is made.
func TestNCMECReportClock(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	missing := time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC)
	clock := missing.Add(3*time.Hour + 15*time.Minute)
	r.Now = func() time.Time { return clock }
	ref, err := r.AddReference(c.ID, app.ReferenceInput{Kind: app.RefNCMEC, MissingSince: missing})
	if err != nil {
		t.Fatal(err)
	}
	say := func(now time.Time) string {
		t.Helper()
		refs, err := r.References(c.ID)
		if err != nil || len(refs) != 1 {
			t.Fatalf("references: %v %v", refs, err)
		}
		cl, ok := refs[0].Clock(now)
		if !ok {
			t.Fatal("an NCMEC report has no clock")
		}
		return cl.Sentence(missing)
	}
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{clock, "report due in 20 hours 45 minutes"},
		{missing.Add(23*time.Hour + 59*time.Minute + 30*time.Second), "report due in less than a minute"},
		{missing.Add(24 * time.Hour), "report overdue by less than a minute"},
		{missing.Add(26*time.Hour + 5*time.Minute), "report overdue by 2 hours 5 minutes"},
		{missing.Add(75 * time.Hour), "report overdue by 2 days 3 hours"},
	} {
		if got := say(tc.now); got != tc.want {
			t.Errorf("at %s: %q, want %q", tc.now.Format(time.Kitchen), got, tc.want)
		}
	}

	// On the task list until it is made: not overdue an hour before the deadline,
	// overdue an hour after it, though the calendar day has not changed.
	task := func(now time.Time) *app.Task {
		t.Helper()
		tasks, err := r.UpcomingAndOverdue(now, 48*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for i := range tasks {
			if tasks[i].Kind == app.TaskReport {
				return &tasks[i]
			}
		}
		return nil
	}
	if tk := task(missing.Add(23 * time.Hour)); tk == nil || tk.Overdue || !tk.Due.Equal(missing.Add(24*time.Hour)) {
		t.Fatalf("an hour before the deadline: %+v", tk)
	}
	if tk := task(missing.Add(25 * time.Hour)); tk == nil || !tk.Overdue || tk.CaseNumber != "2026-1" {
		t.Fatalf("an hour after the deadline: %+v", tk)
	}

	clock = missing.Add(28 * time.Hour) // the report is recorded once made, not before
	in := ref.Input()
	in.ReportedAt, in.Number = missing.Add(27*time.Hour), "NCMEC-2026-7731"
	if _, err := r.UpdateReference(c.ID, ref.ID, in); err != nil {
		t.Fatal(err)
	}
	if got := say(missing.Add(40 * time.Hour)); got != "reported 3 hours late" {
		t.Errorf("made late: %q", got)
	}
	if tk := task(missing.Add(30 * time.Hour)); tk != nil {
		t.Errorf("a report made is still on the task list: %+v", tk)
	}
	in.ReportedAt = missing.Add(5 * time.Hour)
	if _, err := r.UpdateReference(c.ID, ref.ID, in); err != nil {
		t.Fatal(err)
	}
	if got := say(missing.Add(40 * time.Hour)); got != "reported within 24 hours (5 hours after the missing episode began)" {
		t.Errorf("made in time: %q", got)
	}
	in.Kind = app.RefTip
	if _, err := r.UpdateReference(c.ID, ref.ID, in); err == nil {
		t.Error("a reference changed its kind")
	}
}

func TestReferencesListAndReadOnly(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	at := testNow.Add(-time.Hour)
	for _, in := range []app.ReferenceInput{
		{Kind: app.RefAgencyCase, Agency: "Demo HSI Field Office", Number: "HSI-26-0042"},
		{Kind: app.RefTip, TipSource: "cybertipline", ReportedAt: at, Number: "CT-998877"},
		{Kind: app.RefChildWelfare, ReportedAt: at, IntakeWorker: "Intake Worker Lee", Number: "CPS-2026-5521", Screening: "screened-in"},
	} {
		if _, err := r.AddReference(c.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	refs, err := r.References(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []app.ReferenceKind{}
	for _, ref := range refs {
		kinds = append(kinds, ref.Kind)
	}
	if len(kinds) != 3 || kinds[0] != app.RefChildWelfare || kinds[1] != app.RefTip || kinds[2] != app.RefAgencyCase {
		t.Errorf("order %v: want mandated report, tip, agency case", kinds)
	}
	if refs[0].By != "Det. Alvarez" || refs[0].Screening != "screened-in" {
		t.Errorf("mandated report %+v", refs[0])
	}
	clMakeReadOnly(t, r, c.ID)
	if _, err := r.AddReference(c.ID, app.ReferenceInput{Kind: app.RefAgencyCase, Agency: "X", Number: "1"}); !errors.Is(err, app.ErrReadOnly) {
		t.Errorf("a received case took a reference: %v", err)
	}
}

func TestSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                               "less than a minute",
		59 * time.Second:                "less than a minute",
		time.Minute:                     "1 minute",
		time.Hour:                       "1 hour",
		time.Hour + time.Minute:         "1 hour 1 minute",
		25 * time.Hour:                  "1 day 1 hour",
		48 * time.Hour:                  "2 days",
		-(2*time.Hour + 30*time.Minute): "2 hours 30 minutes",
	} {
		if got := app.Span(d); got != want {
			t.Errorf("Span(%v) = %q, want %q", d, got, want)
		}
	}
}
