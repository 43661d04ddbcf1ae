package app_test

import (
	"testing"
	"time"

	"casenotes/app"
)

func TestHearingValidation(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	at := testNow.AddDate(0, 0, 7)
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		in    app.HearingInput
		field string
	}{
		{app.HearingInput{Court: "Demo County Court", Type: "trial"}, "hearing date"},
		{app.HearingInput{At: at, Type: "trial"}, "court"},
		{app.HearingInput{At: at, Court: "Demo County Court"}, "hearing type"},
		{app.HearingInput{At: at, Court: "Demo County Court", Type: "duel"}, "hearing type"},
		{app.HearingInput{At: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), Court: "Demo County Court", Type: "trial"}, "hearing date"},
	} {
		_, err := r.AddHearing(c.ID, tc.in)
		assertFieldError(t, err, tc.field, app.ErrInvalid)
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
	h, err := r.AddHearing(c.ID, app.HearingInput{At: at, Court: "Demo County Court", Type: "arraignment"})
	if err != nil {
		t.Fatal(err)
	}
	after := dumpStore(t, r.Store())
	_, err = r.SetHearingOutcome(c.ID, h.ID, "  ")
	assertFieldError(t, err, "outcome", app.ErrInvalid)
	_, err = r.AddNotification(c.ID, app.NotificationInput{At: testNow, To: "youth", Method: "phone"})
	assertFieldError(t, err, "what was said", app.ErrInvalid)
	_, err = r.AddNotification(c.ID, app.NotificationInput{At: testNow, To: "neighbor", Method: "phone", Summary: "x"})
	assertFieldError(t, err, "notified party", app.ErrInvalid)
	_, err = r.AddNotification(c.ID, app.NotificationInput{At: testNow, To: "youth", Method: "pigeon", Summary: "x"})
	assertFieldError(t, err, "method", app.ErrInvalid)
	_, err = r.AddNotification(c.ID, app.NotificationInput{At: testNow, To: "youth", Method: "phone", Summary: "x",
		Interpreter: &app.Interpreter{Name: "Interpreter Ortiz"}})
	assertFieldError(t, err, "interpreter's language", app.ErrInvalid)
	_, err = r.AddNotification(c.ID, app.NotificationInput{At: testNow, To: "youth", Method: "phone", Summary: "x", Hearing: app.NewID()})
	assertFieldError(t, err, "hearing", app.ErrInvalid)
	_, err = r.AddNotification(c.ID, app.NotificationInput{At: testNow.Add(time.Hour), To: "youth", Method: "phone", Summary: "x"})
	assertFieldError(t, err, "notified", app.ErrInvalid)
	assertSameStore(t, after, dumpStore(t, r.Store()))
}

// A hearing is on the task list (dashboard and Tasks) until its outcome is recorded:
// upcoming before its time, overdue once its time has passed without an outcome.
func TestHearingsAreTasksUntilTheirOutcome(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	at := time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC)
	h, err := r.AddHearing(c.ID, app.HearingInput{At: at, Court: "Demo County Juvenile Court", Type: "preliminary-hearing"})
	if err != nil {
		t.Fatal(err)
	}
	find := func(now time.Time) *app.Task {
		tasks, err := r.UpcomingAndOverdue(now, 14*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for i := range tasks {
			if tasks[i].Kind == app.TaskHearing {
				return &tasks[i]
			}
		}
		return nil
	}
	tk := find(testNow)
	if tk == nil || tk.Overdue || tk.Title != "Hearing: preliminary hearing" || tk.Partner != "Demo County Juvenile Court" || !tk.Due.Equal(at) {
		t.Fatalf("upcoming hearing task = %+v", tk)
	}
	if tk := find(at.Add(time.Hour)); tk == nil || !tk.Overdue {
		t.Fatalf("a hearing past without an outcome: %+v", tk)
	}
	// Rescheduled: the task moves.
	later := at.AddDate(0, 0, 2)
	if _, err := r.RescheduleHearing(c.ID, h.ID, later); err != nil {
		t.Fatal(err)
	}
	if tk := find(testNow); tk == nil || !tk.Due.Equal(later) {
		t.Fatalf("rescheduled task = %+v", tk)
	}
	// Closing the case clears it; reopening brings it back.
	if _, err := r.SetCaseStatus(c.ID, app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	if tk := find(testNow); tk != nil {
		t.Fatalf("closed case still has a hearing task: %+v", tk)
	}
	if _, err := r.SetCaseStatus(c.ID, app.CaseOpen, ""); err != nil {
		t.Fatal(err)
	}
	if tk := find(testNow); tk == nil {
		t.Fatal("reopened case lost its hearing task")
	}
	if _, err := r.SetHearingOutcome(c.ID, h.ID, "Continued to a later date"); err != nil {
		t.Fatal(err)
	}
	if tk := find(testNow); tk != nil {
		t.Fatalf("hearing with an outcome still a task: %+v", tk)
	}
	if _, err := r.RescheduleHearing(c.ID, h.ID, later); err == nil {
		t.Error("a hearing with an outcome was rescheduled")
	}
	hs, _ := r.Hearings(c.ID)
	if len(hs) != 1 || hs[0].Outcome != "Continued to a later date" || hs[0].OutcomeBy != "Det. Alvarez" {
		t.Errorf("hearings %+v", hs)
	}
	// Deleting the case takes its task entries with it.
	h2, err := r.AddHearing(c.ID, app.HearingInput{At: at, Court: "Demo County Court", Type: "trial"})
	if err != nil || h2.ID.IsZero() {
		t.Fatal(err)
	}
	if err := r.DeleteCase(c.ID, "Opened by mistake"); err != nil {
		t.Fatal(err)
	}
	if tk := find(testNow); tk != nil {
		t.Fatalf("a deleted case's hearing is still a task: %+v", tk)
	}
}

func TestNotificationLog(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	h, _ := r.AddHearing(c.ID, app.HearingInput{At: testNow.AddDate(0, 0, 10), Court: "Demo County Court", Type: "trial"})
	second, err := r.AddNotification(c.ID, app.NotificationInput{At: testNow.Add(-time.Hour), To: "parent-or-guardian", Method: "phone",
		Summary: "Told the trial date and that the advocate will attend.", Language: "Spanish",
		Interpreter: &app.Interpreter{Name: " Interpreter Ortiz ", Language: "Spanish"}, Hearing: h.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddNotification(c.ID, app.NotificationInput{At: testNow.Add(-48 * time.Hour), To: "youth", Method: "in-person",
		Summary: "Explained the charging decision."}); err != nil {
		t.Fatal(err)
	}
	log, err := r.Notifications(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].To != "youth" || log[1].ID != second.ID {
		t.Fatalf("log not oldest first: %+v", log)
	}
	if ip := log[1].Interpreter; ip == nil || ip.Name != "Interpreter Ortiz" || ip.Language != "Spanish" || log[1].Hearing != h.ID {
		t.Errorf("interpreter or hearing lost: %+v", log[1])
	}
}

// The dashboard's court dates come from HearingsDue: only hearings, earliest first, at
// most the rows asked for, and the same hearings the full task list holds.
func TestHearingsListsOnlyHearingsEarliestFirst(t *testing.T) {
	r := newTestRecords(t)
	a, b := newTestCase(t, r, "2026-1"), newTestCase(t, r, "2026-2")
	base := testNow.Add(48 * time.Hour)
	for i, h := range []struct {
		c  app.ID
		at time.Time
	}{{b.ID, base.Add(72 * time.Hour)}, {a.ID, base}, {a.ID, base.Add(24 * time.Hour)}, {b.ID, base.AddDate(0, 2, 0)}} {
		if _, err := r.AddHearing(h.c, app.HearingInput{At: h.at, Court: "Demo County Juvenile Court", Type: "preliminary-hearing"}); err != nil {
			t.Fatalf("hearing %d: %v", i, err)
		}
	}
	all, err := r.UpcomingAndOverdue(testNow, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var want []app.Task
	for _, tk := range all {
		if tk.Kind == app.TaskHearing {
			want = append(want, tk)
		}
	}
	if len(want) != 3 || len(all) == len(want) {
		t.Fatalf("fixture: %d hearings among %d tasks, want 3 among checklist items too", len(want), len(all))
	}
	got, err := r.HearingsDue(testNow, 30*24*time.Hour, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("HearingsDue = %d tasks, want the 3 in the next 30 days", len(got))
	}
	for i := range got {
		if got[i].Kind != app.TaskHearing || !got[i].Due.Equal(want[i].Due) || got[i].CaseNumber != want[i].CaseNumber {
			t.Errorf("hearing %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	two, err := r.HearingsDue(testNow, 30*24*time.Hour, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(two) != 2 || !two[0].Due.Equal(base) || !two[1].Due.Equal(base.Add(24*time.Hour)) {
		t.Fatalf("the first two hearings = %+v", two)
	}
}

// The case list's overdue counts take in hearings too, overdue from their hour,
// and drop a closed case's.
func TestOverdueByCaseCountsHearings(t *testing.T) {
	r := newTestRecords(t)
	a, b := newTestCase(t, r, "2026-1"), newTestCase(t, r, "2026-2")
	for _, h := range []struct {
		c  app.ID
		at time.Time
	}{{a.ID, testNow.Add(-2 * time.Hour)}, {a.ID, testNow.Add(2 * time.Hour)}, {b.ID, testNow.Add(-30 * time.Minute)}} {
		if _, err := r.AddHearing(h.c, app.HearingInput{At: h.at, Court: "Demo County Juvenile Court", Type: "motion"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, now := range []time.Time{testNow, testNow.Add(3 * time.Hour), testNow.AddDate(0, 2, 0)} {
		checkOverdueByCase(t, r, now)
	}
	got, err := r.OverdueByCase(testNow.Add(3 * time.Hour))
	if err != nil || got[a.ID] < 2 || got[b.ID] < 1 {
		t.Fatalf("overdue by case = %v, %v; want both of a's hearings and b's", got, err)
	}
	if _, err := r.SetCaseStatus(b.ID, app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	if got, err := r.OverdueByCase(testNow); err != nil || got[b.ID] != 0 {
		t.Fatalf("closed case still counts %d overdue (%v)", got[b.ID], err)
	}
	checkOverdueByCase(t, r, testNow)
}
