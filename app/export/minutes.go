package export

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"casenotes/app"
)

// The minutes of an MDT case review meeting, printed under the partner profile's
// rules: the cases by number and alias, never the legal identity (it is never read);
// notes named by reference (kind, date, author), never their text, and never an
// advocate-privileged note; and a point, decision or action item about services,
// medical or mental-health matters only where a release covers every attendee of the
// meeting, as an MDT partner export would need. What is withheld is listed with the
// reason, as in every export.

// Minutes is exactly what a meeting's minutes carry.
type Minutes struct {
	MeetingID       app.ID
	At              time.Time
	Title           string
	Created         time.Time
	AppVersion      string
	Confidentiality string
	Exporter        Exporter
	Finalized       time.Time
	FinalizedBy     string
	Attendees       []MinutesAttendee
	Cases           []MinutesCase
	Withheld        []Withheld
	ReliedOn        []string
}

// MinutesAttendee is a roster member.
type MinutesAttendee struct {
	Name     string
	Category string
	Attended bool
}

// MinutesCase is what the meeting recorded about one case.
type MinutesCase struct {
	Number, Alias string
	Points        []MinutesPoint
	Decisions     []string
	Actions       []MinutesAction
}

// MinutesPoint is a discussion point with the notes it refers to, by reference.
type MinutesPoint struct {
	Topic   string
	Summary string
	Refs    []string // "contact note of Mar 2, 2026 by Det. Alvarez"
}

// MinutesAction is an action item.
type MinutesAction struct {
	Title, Owner, Due, Status string
}

// needsRelease reports whether a topic needs a release to reach a partner: the
// partner profile carries case status and the timeline without one.
func needsRelease(k app.InfoKind) bool { return k != app.InfoCaseStatus && k != app.InfoTimeline }

// minutesBuilder checks each topic against every attendee's releases, once per case
// and kind.
type minutesBuilder struct {
	r         *app.Records
	m         *Minutes
	attendees []app.Attendee
	answers   map[string]answer
}

// allowed says whether a topic of a case may be printed: a topic that needs a release
// needs one covering every attendee; the first who is not covered is named.
func (b *minutesBuilder) allowed(caseID app.ID, kind app.InfoKind) (bool, string, error) {
	if !needsRelease(kind) {
		return true, "", nil
	}
	if len(b.attendees) == 0 {
		return false, "attendance is not recorded, so no attendee's release can be checked", nil
	}
	key := caseID.String() + string(kind)
	if a, ok := b.answers[key]; ok {
		return a.ok, a.why, nil
	}
	for _, at := range b.attendees {
		ok, why, err := b.r.MayShare(caseID, kind, at.Recipient(), b.m.Created)
		if err != nil {
			return false, "", err
		}
		if !ok {
			b.answers[key] = answer{false, why}
			return false, why, nil
		}
		if !slices.Contains(b.m.ReliedOn, why) {
			b.m.ReliedOn = append(b.m.ReliedOn, why)
		}
	}
	b.answers[key] = answer{ok: true}
	return true, "", nil
}

func (b *minutesBuilder) withhold(item, reason string) {
	b.m.Withheld = append(b.m.Withheld, Withheld{Kind: "minutes", Item: item, Reason: reason})
}

// BuildMinutes applies the partner profile's rules to a meeting and returns exactly
// what its minutes will carry.
func BuildMinutes(r *app.Records, meetingID app.ID, ex Exporter, now time.Time) (*Minutes, error) {
	mt, err := r.Meeting(meetingID)
	if err != nil {
		return nil, err
	}
	settings, err := r.Settings()
	if err != nil {
		return nil, err
	}
	if now.IsZero() {
		now = r.Now()
	}
	m := &Minutes{MeetingID: mt.ID, At: mt.At, Title: mt.Title, Created: now.UTC().Truncate(time.Second), AppVersion: app.Version,
		Confidentiality: settings.Notice(), Exporter: ex, Finalized: mt.Finalized, FinalizedBy: mt.FinalizedBy,
		ReliedOn: []string{}, Withheld: []Withheld{}}
	b := &minutesBuilder{r: r, m: m, answers: map[string]answer{}}
	for _, a := range mt.Roster {
		m.Attendees = append(m.Attendees, MinutesAttendee{Name: a.Name(), Category: string(a.Category), Attended: a.Attended})
		if a.Attended {
			b.attendees = append(b.attendees, a)
		}
	}
	actions, err := r.MeetingActions(meetingID)
	if err != nil {
		return nil, err
	}
	gone := 0
	for _, caseID := range mt.Cases {
		s, err := r.CaseSummary(caseID)
		if errors.Is(err, app.ErrNotFound) {
			gone++
			continue
		}
		if err != nil {
			return nil, err
		}
		mc := MinutesCase{Number: s.Number, Alias: s.Alias}
		label := "case " + s.Number
		rv, found, err := r.Review(meetingID, caseID)
		if err != nil {
			return nil, err
		}
		if found {
			for i, p := range rv.Points {
				ok, why, err := b.allowed(caseID, p.Kind)
				if err != nil {
					return nil, err
				}
				if !ok {
					b.withhold(fmt.Sprintf("%s: discussion point %d (%s)", label, i+1, p.Kind.Label()), why)
					continue
				}
				mp := MinutesPoint{Topic: p.Kind.Label(), Summary: p.Summary}
				for _, id := range p.Notes {
					ref, err := noteReference(r, caseID, id)
					if err != nil {
						return nil, err
					}
					if ref != "" {
						mp.Refs = append(mp.Refs, ref)
					}
				}
				mc.Points = append(mc.Points, mp)
			}
			for i, d := range rv.Decisions {
				ok, why, err := b.allowed(caseID, d.Kind)
				if err != nil {
					return nil, err
				}
				if !ok {
					b.withhold(fmt.Sprintf("%s: decision %d (%s)", label, i+1, d.Kind.Label()), why)
					continue
				}
				mc.Decisions = append(mc.Decisions, d.Text)
			}
		}
		n := 0
		for _, a := range actions {
			if a.Case != caseID {
				continue
			}
			n++
			ok, why, err := b.allowed(caseID, a.Kind)
			if err != nil {
				return nil, err
			}
			if !ok {
				b.withhold(fmt.Sprintf("%s: action item %d (%s)", label, n, a.Kind.Label()), why)
				continue
			}
			status := "open"
			if !a.Open() {
				status = "done " + a.Done.UTC().Format(time.DateOnly)
			}
			mc.Actions = append(mc.Actions, MinutesAction{Title: a.Title, Owner: a.Owner, Due: day(a.Due), Status: status})
		}
		m.Cases = append(m.Cases, mc)
	}
	if gone > 0 {
		b.withhold(plural(gone, "case", "cases")+" on the agenda", "deleted since the meeting")
	}
	return m, nil
}

// noteReference names a note by kind, date and author; "" for a note that is gone
// or that must never be named (a draft, an advocate-privileged note).
func noteReference(r *app.Records, caseID, id app.ID) (string, error) {
	n, err := r.Note(caseID, id)
	if errors.Is(err, app.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if !n.Final() || n.Sensitivity == app.SensitivityAdvocatePrivileged {
		return "", nil
	}
	return words(string(n.Kind)) + " note of " + n.Created.UTC().Format(dayFormat) + " by " + n.Author, nil
}

// MinutesFileName is the minutes' file name: the meeting's date, never a case or a
// name.
func MinutesFileName(m *Minutes) string {
	return "mdt-minutes-" + m.At.UTC().Format(time.DateOnly) + ".pdf"
}

// WriteMinutesPDF prints the minutes: the confidentiality marking and page numbers
// on every page, the meeting and its roster with attendance, each case's discussion,
// decisions and action items, then what was withheld and the releases relied on.
func WriteMinutesPDF(w io.Writer, m *Minutes, size PageSize) error {
	d := &Document{Confidentiality: m.Confidentiality, AppVersion: m.AppVersion, Created: m.Created, Exporter: m.Exporter,
		Title: "MDT case review minutes"}
	p := newPDFWriter(d, size)
	p.footerText = "MDT case review " + m.At.UTC().Format("Jan 2, 2006") + " · minutes " + shortID(m.MeetingID) + " · CONFIDENTIAL"
	f := p.f
	f.SetTitle("MDT case review minutes "+m.At.UTC().Format(time.DateOnly), true)
	f.AddPage()
	f.Ln(4)
	p.font("B", 18)
	f.MultiCell(p.width, 8, p.text("MDT case review minutes"), "", "L", false)
	f.Ln(3)
	f.SetFillColor(252, 238, 238)
	f.SetDrawColor(150, 20, 20)
	p.font("B", 10)
	f.MultiCell(p.width, 5.4, p.text(m.Confidentiality), "1", "L", true)
	f.SetDrawColor(0, 0, 0)
	f.Ln(4)
	status := "Draft: not finalized"
	if !m.Finalized.IsZero() {
		status = "Final, " + stamp(m.Finalized)
		if m.FinalizedBy != "" {
			status += " by " + m.FinalizedBy
		}
	}
	p.fields([][2]string{
		{"Meeting", m.Title},
		{"Date", m.At.UTC().Format("Monday, January 2, 2006, 15:04 UTC")},
		{"Minutes", status},
		{"Printed by", exporterLine(m.Exporter)},
		{"Printed", stamp(m.Created)},
	})
	f.Ln(2)
	p.muted("Printed under the partner profile's rules: cases by number and alias, never the legal identity; notes named by reference, never their text, and never advocate-privileged notes; services, medical and mental-health matters only where a release covers every attendee.")

	p.heading("Roster and attendance")
	rows := [][]string{}
	for _, a := range m.Attendees {
		att := "absent"
		if a.Attended {
			att = "attended"
		}
		rows = append(rows, []string{a.Name, app.PartnerTitle(a.Category), att})
	}
	if len(rows) == 0 {
		p.para("No roster was recorded.")
	} else {
		p.table([]float64{0.55, 0.25, 0.2}, []string{"Member", "Partner", "Attendance"}, rows)
	}

	p.heading("Cases reviewed")
	if len(m.Cases) == 0 {
		p.para("No case was reviewed.")
	}
	for i, c := range m.Cases {
		name := c.Number
		if c.Alias != "" {
			name += " · “" + c.Alias + "”"
		}
		p.subheading(fmt.Sprintf("%d. Case %s", i+1, name))
		if len(c.Points)+len(c.Decisions)+len(c.Actions) == 0 {
			p.muted("Nothing recorded that these minutes may carry.")
			continue
		}
		for _, pt := range c.Points {
			line := "• " + capital(pt.Topic) + ": " + pt.Summary
			if len(pt.Refs) > 0 {
				line += " (see " + strings.Join(pt.Refs, "; ") + ")"
			}
			p.para(line)
		}
		for _, d := range c.Decisions {
			p.para("Decision: " + d)
		}
		if len(c.Actions) > 0 {
			f.Ln(1)
			rows := [][]string{}
			for _, a := range c.Actions {
				rows = append(rows, []string{a.Title, a.Owner, a.Due, a.Status})
			}
			p.table([]float64{0.42, 0.3, 0.13, 0.15}, []string{"Action item", "Owner", "Due", "Status"}, rows)
		}
	}

	p.heading("Withheld from these minutes")
	if len(m.Withheld) == 0 {
		p.para("Nothing was withheld.")
	}
	for _, w := range m.Withheld {
		p.para("• " + w.Sentence())
	}
	p.heading("Releases relied on")
	if len(m.ReliedOn) == 0 {
		p.para("None: these minutes carry nothing that needs a release.")
	}
	for _, r := range m.ReliedOn {
		p.para("• " + capital(r))
	}
	if p.missing > 0 {
		f.Ln(1)
		p.muted(fmt.Sprintf("%s could not be printed (a script the fonts do not cover) and appear as \"?\".",
			plural(p.missing, "character", "characters")))
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("%w: laying out the minutes: %v", app.ErrStore, err)
	}
	return f.Output(w)
}
