package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// receivedCase is a case file as a partner sends it: received_from makes the case
// read-only here. Every name in it is fictional.
const receivedCase = `{"format":"casenotes-case/v1","cases":[{
 "number":"2026-CO-0099","title":"Referred by the county","received_from":"Demo County Sheriff",
 "victim":{"alias":"Jay","age_band":"15-17"},
 "notes":[{"kind":"contact","body":"First contact at the drop-in center.","author":"Det. Lee","created_at":"2026-02-20T10:00:00Z","final":true}],
 "releases":[{"scope":["services"],"recipient":{"organisation":"Demo Youth Shelter","category":"victim-services"},"signed":"2026-02-01","expires":"2027-02-01"}],
 "referrals":[{"service":"therapy","partner":"Demo Youth Shelter","due":"2026-04-01"}],
 "timeline":[{"kind":"recovery","date":"2026-02-20","description":"Recovered at the bus station"}]
}]}`

func TestReceivedCaseIsReadOnly(t *testing.T) {
	h := unlocked(t)
	r := h.shell.records
	if _, err := r.ImportCaseFile(strings.NewReader(receivedCase)); err != nil {
		t.Fatal(err)
	}
	cs := cases(t, h)
	if len(cs) != 1 || !cs[0].ReadOnly {
		t.Fatalf("imported: %+v", cs)
	}
	id := cs[0].ID
	ws := h.openWorkspace(id)
	h.sees("Received from Demo County Sheriff — read-only")

	disabled := func(texts ...string) {
		t.Helper()
		for _, text := range texts {
			if b := h.button(text); !b.Disabled() {
				t.Errorf("%q is enabled on a received case", text)
			}
		}
	}
	disabled("Edit case…", "Change status…", "Edit victim profile…", "Add legal identity…")
	// Called anyway (a shortcut, a stale button), the edits open nothing.
	for _, edit := range []func(){ws.editCase, ws.changeStatus, ws.editVictim, ws.addIdentity} {
		edit()
		if h.dialogOpen() {
			t.Fatal("an edit dialog opened on a received case")
		}
	}

	ws.selectTab(tabNotes)
	disabled("New note")
	ws.notes.list.Select(0)
	disabled("Add addendum")

	ws.selectTab(tabChecklist)
	disabled("Add item…")
	items := mustItems(t, h, id)
	ws.checklist.selectItem(items[0].ID.String())
	disabled("Mark done", "Not applicable…")

	ws.selectTab(tabTimeline)
	disabled("Add event…")
	ws.timeline.list.Select(0)
	disabled("Delete event")

	ws.selectTab(tabReleases)
	disabled("Add release…")
	ws.releases.list.Select(0)
	disabled("Revoke…")

	ws.selectTab(tabReferrals)
	disabled("Add referral…")
	ws.referrals.list.Select(0)
	disabled("Change status")
	for _, o := range h.objects() {
		switch w := o.(type) {
		case *widget.Select:
			if !w.Disabled() {
				t.Error("a select is enabled on a received case's referral")
			}
		case *widget.DateEntry:
			if !w.Disabled() {
				t.Error("a due date is enabled on a received case's referral")
			}
		}
	}

	ws.selectTab(tabAttachments)
	disabled("Add file…", "Add evidence reference…")
}

func TestReleasesTabAddsRelease(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabReleases)
	h.sees("No releases on file.")

	test.Tap(h.button("Add release…"))
	for _, o := range h.objects() {
		if ch, ok := o.(*widget.Check); ok && ch.Text == capitalise(app.InfoKinds[0].Label()) {
			ch.SetChecked(true)
		}
	}
	h.fill("Organization", "Demo Youth Shelter")
	h.field("Partner").(*widget.Select).SetSelectedIndex(2)
	expires := h.clock.Now().AddDate(1, 0, 0)
	expires = dateOnlyUTC(expires)
	h.field("Expires").(*widget.DateEntry).SetDate(&expires)
	h.field("Signed by").(*dialogSelect).SetSelectedIndex(0) // the youth
	test.Tap(h.button("Add release"))
	if h.dialogOpen() {
		t.Fatalf("the release dialog stays open; labels %q", h.labels())
	}

	rels, err := h.shell.records.Releases(c.ID)
	if err != nil || len(rels) != 1 {
		t.Fatalf("releases: %d, %v", len(rels), err)
	}
	r := rels[0]
	if r.Recipient.Organisation != "Demo Youth Shelter" || r.Recipient.Category != app.Partners[2] ||
		len(r.Scope) != 1 || r.Scope[0] != app.InfoKinds[0] || !r.Expires.Equal(expires) {
		t.Fatalf("release as stored: %+v", r)
	}
	h.doesNotSee("No releases on file.")
	h.sees("active until " + format.Date(expires)) // the list row and the detail
}

func TestReferralsTabAddsReferral(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabReferrals)
	h.sees("No referrals yet.")

	test.Tap(h.button("Add referral…"))
	test.Tap(h.button("Add referral"))
	if !h.dialogOpen() {
		t.Fatal("an empty referral was accepted")
	}
	h.field("Service").(*widget.Select).SetSelectedIndex(1)
	h.field("Partner").(*widget.SelectEntry).SetText("Harbor Counselling") // free text: not in the directory
	due := dateOnlyUTC(h.clock.Now().AddDate(0, 0, 10))
	h.field("Due (optional)").(*widget.DateEntry).SetDate(&due)
	test.Tap(h.button("Add referral"))
	if h.dialogOpen() {
		t.Fatalf("the referral dialog stays open; labels %q", h.labels())
	}

	refs, err := h.shell.records.Referrals(c.ID)
	if err != nil || len(refs) != 1 {
		t.Fatalf("referrals: %d, %v", len(refs), err)
	}
	if r := refs[0]; r.Partner != "Harbor Counselling" || r.Service != app.ServiceTypes[1] || !r.Due.Equal(due) {
		t.Fatalf("referral as stored: %+v", r)
	}
	h.sees(serviceTitle(app.ServiceTypes[1]) + " · Harbor Counselling")
	ws.selectTab(tabOverview)
	h.sees("1 open referral") // the overview's counts follow
}

func TestTimelineTabAddsEvent(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabTimeline)
	h.sees("No events yet.")

	test.Tap(h.button("Add event…"))
	h.field("Kind").(*widget.Select).SetSelectedIndex(0)
	day := dateOnlyUTC(h.clock.Now().AddDate(0, 0, -3))
	h.field("Date").(*widget.DateEntry).SetDate(&day)
	h.fill("Source", "CPS report")
	h.fill("What happened", "Reported missing from the group home")
	test.Tap(h.button("Add event"))
	if h.dialogOpen() {
		t.Fatalf("the event dialog stays open; labels %q", h.labels())
	}

	events, err := h.shell.records.Timeline(c.ID)
	if err != nil || len(events) != 1 {
		t.Fatalf("events: %d, %v", len(events), err)
	}
	if e := events[0]; e.Kind != app.EventKinds[0] || !e.Date.Equal(day) || e.Source != "CPS report" {
		t.Fatalf("event as stored: %+v", e)
	}
	h.sees(format.Date(day) + " · " + sentenceCase(string(app.EventKinds[0])))
	h.sees("Reported missing from the group home")
}
