package app_test

import (
	"testing"
	"time"

	"casenotes/app"
)

func TestReferralStatusHistoryAndTasks(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	_, err := r.AddReferral(c.ID, app.ReferralInput{Service: "astrology", Partner: "x"})
	assertFieldError(t, err, "service", app.ErrInvalid)
	_, err = r.AddReferral(c.ID, app.ReferralInput{Service: "therapy"})
	assertFieldError(t, err, "partner", app.ErrInvalid)

	due := testNow.AddDate(0, 0, 5)
	ref, err := r.AddReferral(c.ID, app.ReferralInput{Service: "therapy", Partner: "Demo County Therapy", Due: due})
	if err != nil {
		t.Fatal(err)
	}
	referralTasks := func() []app.Task {
		t.Helper()
		all, err := r.UpcomingAndOverdue(testNow, 60*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		var out []app.Task
		for _, tk := range all {
			if tk.Kind == app.TaskReferral {
				out = append(out, tk)
			}
		}
		return out
	}
	if tasks := referralTasks(); len(tasks) != 1 || tasks[0].Item != ref.ID || tasks[0].Partner != "Demo County Therapy" ||
		tasks[0].CaseNumber != "2026-1" {
		t.Fatalf("tasks after referral = %+v", tasks)
	}
	if _, err := r.SetReferralDue(c.ID, ref.ID, testNow.AddDate(0, 0, 10)); err != nil {
		t.Fatal(err)
	}
	if tasks := referralTasks(); len(tasks) != 1 || !tasks[0].Due.Equal(time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("tasks after moving the due date = %+v", tasks)
	}
	r.User = "Adv. Kim"
	if _, err := r.SetReferralStatus(c.ID, ref.ID, app.ReferralAccepted); err != nil {
		t.Fatal(err)
	}
	if len(referralTasks()) != 1 {
		t.Fatal("an accepted referral left the task list")
	}
	got, err := r.SetReferralStatus(c.ID, ref.ID, app.ReferralCompleted)
	if err != nil {
		t.Fatal(err)
	}
	if tasks := referralTasks(); len(tasks) != 0 {
		t.Fatalf("a completed referral is still a task: %+v", tasks)
	}
	var steps []app.ReferralStatus
	for _, h := range got.History {
		steps = append(steps, h.Status)
	}
	if len(steps) != 3 || steps[0] != app.ReferralReferred || steps[1] != app.ReferralAccepted || steps[2] != app.ReferralCompleted ||
		got.History[2].By != "Adv. Kim" {
		t.Errorf("history = %+v", got.History)
	}
	_, err = r.SetReferralStatus(c.ID, ref.ID, app.ReferralInProgress)
	assertFieldError(t, err, "status", app.ErrInvalid)
	_, err = r.SetReferralStatus(c.ID, ref.ID, "lost")
	assertFieldError(t, err, "status", app.ErrInvalid)

	undated, _ := r.AddReferral(c.ID, app.ReferralInput{Service: "legal", Partner: "Demo Legal Aid"})
	if len(referralTasks()) != 0 {
		t.Error("a referral without a due date became a task")
	}
	if _, err := r.SetReferralDue(c.ID, undated.ID, testNow.AddDate(0, 0, -2)); err != nil {
		t.Fatal(err)
	}
	if tasks := referralTasks(); len(tasks) != 1 || !tasks[0].Overdue {
		t.Fatalf("overdue referral = %+v", tasks)
	}
	if _, err := r.SetReferralDue(c.ID, undated.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if len(referralTasks()) != 0 {
		t.Error("removing the due date left the task")
	}
	list, _ := r.Referrals(c.ID)
	if len(list) != 2 {
		t.Errorf("referrals = %d", len(list))
	}
}

func TestTimelineInDateOrder(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	for _, ev := range []app.TimelineInput{
		{Kind: "court-date", Date: mustDate("2026-06-01"), Source: "DA's office", Description: "Preliminary hearing"},
		{Kind: "missing-episode", Date: mustDate("2025-12-20"), Source: "CPS report", Description: "Missing from placement for three days"},
		{Kind: "recovery", Date: mustDate("2025-12-23"), Description: "Recovered by patrol, advocate called"},
	} {
		if _, err := r.AddTimelineEvent(c.ID, ev); err != nil {
			t.Fatal(err)
		}
	}
	_, err := r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: "rumour", Date: testNow, Description: "x"})
	assertFieldError(t, err, "event kind", app.ErrInvalid)
	_, err = r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: "other", Description: "x"})
	assertFieldError(t, err, "event date", app.ErrInvalid)
	evs, err := r.Timeline(c.ID)
	if err != nil || len(evs) != 3 {
		t.Fatalf("timeline = %+v, %v", evs, err)
	}
	if evs[0].Kind != "missing-episode" || evs[1].Kind != "recovery" || evs[2].Kind != "court-date" {
		t.Errorf("timeline out of date order: %s, %s, %s", evs[0].Kind, evs[1].Kind, evs[2].Kind)
	}
	if err := r.DeleteTimelineEvent(c.ID, evs[1].ID); err != nil {
		t.Fatal(err)
	}
	if evs, _ := r.Timeline(c.ID); len(evs) != 2 {
		t.Errorf("after delete: %d events", len(evs))
	}
}
