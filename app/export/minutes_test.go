package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/app/export"
)

// minutesText writes the minutes as a PDF, checks it with qpdf and returns the text
// pdftotext reads from it, on one line per paragraph's words.
func minutesText(t *testing.T, m *export.Minutes) string {
	t.Helper()
	needTool(t, "qpdf", "qpdf")
	needTool(t, "pdftotext", "poppler-utils")
	var buf bytes.Buffer
	must(t, export.WriteMinutesPDF(&buf, m, export.Letter))
	path := filepath.Join(t.TempDir(), export.MinutesFileName(m))
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// A case review meeting end to end: the proposed agenda, attendance from the
// directory, a discussion by reference, decisions, action items that appear as
// tasks, and minutes printed under the partner profile's rules, checked with
// pdftotext for the absence of the legal name and the privileged note's text, and
// for a services point left out until a release covers every attendee.
func TestCaseReviewMeetingMinutes(t *testing.T) {
	s, r := vault(t)
	keys, err := s.UserKeys()
	must(t, err)
	c := demoCase(t, r, "2026-TF-0412") // opened Mar 1, legal identity, a privileged note, a draft
	other := demoCase(t, r, "2026-TF-0413")
	ada, err := r.AddPartner(app.PartnerInput{Organization: "Demo County Prosecutor's Office", Person: "ADA Ruiz", Category: "prosecution"})
	must(t, err)
	shelter, err := r.AddPartner(app.PartnerInput{Organization: "Demo Youth Shelter", Category: "victim-services"})
	must(t, err)
	release(t, r, c, shelter.Recipient(), date(2026, 3, 1), date(2026, 9, 1), app.InfoServices)

	meetingAt := time.Date(2026, 4, 2, 14, 0, 0, 0, time.UTC) // a month after the cases opened
	proposed, err := r.ProposeAgenda(meetingAt)
	must(t, err)
	var agenda []app.ID
	for _, p := range proposed {
		agenda = append(agenda, p.Case.ID)
	}
	if !slices.Contains(agenda, c.ID) || !slices.Contains(agenda, other.ID) {
		t.Fatalf("the cases due for review are not proposed: %+v", proposed)
	}
	m, err := r.CreateMeeting(app.MeetingInput{At: meetingAt, Title: "April MDT case review", Cases: []app.ID{c.ID},
		Roster: []app.AttendeeInput{{PartnerID: ada.ID, Attended: true}, {PartnerID: shelter.ID, Attended: true},
			{Person: "Officer Grant", Organization: "Demo County Probation", Category: "probation"}}})
	must(t, err)

	notes, err := r.Notes(c.ID)
	must(t, err)
	var standard, privileged app.ID
	for _, n := range notes {
		switch {
		case n.Final() && n.Sensitivity == app.SensitivityAdvocatePrivileged:
			privileged = n.ID
		case n.Final():
			standard = n.ID
		}
	}
	if _, err := r.RecordReview(m.ID, c.ID, app.ReviewInput{Points: []app.ReviewPoint{{Summary: "See the counseling note.", Notes: []app.ID{privileged}}}}); err == nil {
		t.Fatal("a privileged note was referred to in a case review")
	}
	const servicesPoint = "Shelter bed held through May; school enrollment arranged."
	_, err = r.RecordReview(m.ID, c.ID, app.ReviewInput{
		Points: []app.ReviewPoint{{Summary: "Forensic interview done; charging decision pending.", Notes: []app.ID{standard}},
			{Kind: app.InfoServices, Summary: servicesPoint}},
		Decisions: []app.Decision{{Text: "Prosecutor to decide on charges before the May review."}}})
	must(t, err)
	_, err = r.AddActionItem(m.ID, c.ID, app.ActionInput{Title: "Charging decision", OwnerPartner: ada.ID, Due: date(2026, 4, 30)})
	must(t, err)
	_, err = r.AddActionItem(m.ID, c.ID, app.ActionInput{Title: "Confirm therapy intake", Kind: app.InfoMentalHealth, Owner: "Adv. Kim", Due: date(2026, 4, 9)})
	must(t, err)

	// The action items are tasks, with their owners.
	tasks, err := r.UpcomingAndOverdue(meetingAt, 60*24*time.Hour)
	must(t, err)
	var actions []string
	for _, tk := range tasks {
		if tk.Kind == app.TaskAction {
			actions = append(actions, tk.Title+" · "+tk.Partner)
		}
	}
	if !slices.Equal(actions, []string{"Action: Confirm therapy intake · Adv. Kim", "Action: Charging decision · ADA Ruiz at Demo County Prosecutor's Office"}) {
		t.Fatalf("action items on the task list: %q", actions)
	}
	// Moving the meeting keeps what it recorded.
	_, err = r.UpdateMeeting(m.ID, app.MeetingInput{At: meetingAt.Add(time.Hour), Title: m.Title, Cases: []app.ID{c.ID},
		Roster: []app.AttendeeInput{{PartnerID: ada.ID, Attended: true}, {PartnerID: shelter.ID, Attended: true},
			{Person: "Officer Grant", Organization: "Demo County Probation", Category: "probation"}}})
	must(t, err)
	_, err = r.FinalizeMinutes(m.ID)
	must(t, err)

	mins, err := export.BuildMinutes(r, m.ID, export.ExporterOf(r, keys), meetingAt.AddDate(0, 0, 1))
	must(t, err)
	text := minutesText(t, mins)
	for _, want := range []string{"MDT case review minutes", "April MDT case review", "Case 2026-TF-0412 · “Zoë Ångström”",
		"ADA Ruiz at Demo County Prosecutor's Office Prosecution attended", "Officer Grant at Demo County Probation Probation and parole absent",
		"Forensic interview done; charging decision pending. (see contact note of Mar 2, 2026 by Det. Alvarez)",
		"Decision: Prosecutor to decide on charges before the May review.", "Charging decision", "2026-04-30",
		"Page 1 of", "CONFIDENTIAL", "Final,",
		"case 2026-TF-0412: discussion point 2 (services information): no release on file covers services information for ADA Ruiz at Demo County Prosecutor's Office",
		"case 2026-TF-0412: action item 1 (mental health information): no release on file covers mental health information"} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
	for _, never := range []string{legalName, privilegedText, draftText, address, "2010-11-05", servicesPoint, "Confirm therapy intake"} {
		if strings.Contains(text, never) {
			t.Errorf("the minutes carry %q", never)
		}
	}
	// Once a release covers services for the prosecutor too, the point is printed.
	release(t, r, c, ada.Recipient(), date(2026, 3, 1), date(2026, 9, 1), app.InfoServices)
	mins, err = export.BuildMinutes(r, m.ID, export.ExporterOf(r, keys), meetingAt.AddDate(0, 0, 1))
	must(t, err)
	text = minutesText(t, mins)
	if !strings.Contains(text, "Services information: "+servicesPoint) || !strings.Contains(text, "covers services information for ADA Ruiz") {
		t.Error("the services point does not print under releases covering every attendee")
	}
	if strings.Contains(text, legalName) || strings.Contains(text, privilegedText) {
		t.Error("the minutes carry the legal name or the privileged text")
	}
	if export.MinutesFileName(mins) != "mdt-minutes-2026-04-02.pdf" {
		t.Errorf("file name %q", export.MinutesFileName(mins))
	}
}

// Without recorded attendance, nothing that needs a release is printed: no attendee
// means no release can be checked, not that everything is allowed.
func TestMinutesWithoutAttendanceWithholdReleasedTopics(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	m, err := r.CreateMeeting(app.MeetingInput{At: testNow, Cases: []app.ID{c.ID}})
	must(t, err)
	_, err = r.RecordReview(m.ID, c.ID, app.ReviewInput{Points: []app.ReviewPoint{{Kind: app.InfoMedical, Summary: "Exam completed."}}})
	must(t, err)
	mins, err := export.BuildMinutes(r, m.ID, export.Exporter{Name: "Coordinator"}, testNow)
	must(t, err)
	if len(mins.Cases) != 1 || len(mins.Cases[0].Points) != 0 || len(mins.Withheld) != 1 ||
		!strings.Contains(mins.Withheld[0].Reason, "attendance is not recorded") {
		t.Fatalf("minutes %+v", mins)
	}
	if text := minutesText(t, mins); strings.Contains(text, "Exam completed.") || !strings.Contains(text, "Draft: not finalized") {
		t.Error("a medical point printed without attendance, or the draft is not marked")
	}
}
