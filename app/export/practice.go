package export

import (
	"strings"
	"time"

	"casenotes/app"
)

// The MDT practice's sections of an export (issue 14): reports and reference
// numbers, court dates with the victim-notification log, and outcomes (people by
// pseudonymous reference, charges, dispositions, sentences, restitution and
// forfeiture, the child-welfare and services outcomes, linked cases). The prosecutor
// and transfer profiles carry them; all fields are optional in casenotes-export/v1, so
// older readers ignore them.

// Sections of the MDT practice.
const (
	SecReports  Section = "reports"
	SecCourt    Section = "court"
	SecOutcomes Section = "outcomes"
)

// ReportEntry is a reference number or report.
type ReportEntry struct {
	ID           app.ID    `json:"id"`
	Kind         string    `json:"kind"`
	Number       string    `json:"number,omitempty"`
	Agency       string    `json:"agency,omitempty"`
	ReportedAt   time.Time `json:"reported_at,omitzero"`
	IntakeWorker string    `json:"intake_worker,omitempty"`
	Screening    string    `json:"screening,omitempty"`
	MissingSince time.Time `json:"missing_since,omitzero"`
	TipSource    string    `json:"tip_source,omitempty"`
	// Clock says where an NCMEC report stood against its 24-hour deadline at the
	// export: "reported within 24 hours (…)", "report overdue by …".
	Clock string `json:"clock,omitempty"`
}

// HearingEntry is a court date.
type HearingEntry struct {
	ID      app.ID    `json:"id"`
	At      time.Time `json:"at"`
	Court   string    `json:"court"`
	Type    string    `json:"type"`
	Outcome string    `json:"outcome,omitempty"`
}

// NotificationEntry is an entry of the victim-notification log.
type NotificationEntry struct {
	ID          app.ID           `json:"id"`
	At          time.Time        `json:"at"`
	To          string           `json:"to"`
	Method      string           `json:"method"`
	Summary     string           `json:"summary"`
	Language    string           `json:"language,omitempty"`
	Interpreter *app.Interpreter `json:"interpreter,omitempty"`
	By          string           `json:"by,omitempty"`
}

// OutcomesEntry is what the case led to.
type OutcomesEntry struct {
	People           []PersonEntry        `json:"people,omitempty"`
	Charges          []ChargeEntry        `json:"charges,omitempty"`
	ChildWelfare     string               `json:"child_welfare,omitempty"`
	ChildWelfareDate string               `json:"child_welfare_date,omitempty"`
	Services         []ServiceResultEntry `json:"services,omitempty"`
	Links            []LinkEntry          `json:"linked_cases,omitempty"`
}

// PersonEntry is a person by pseudonymous reference: never their details.
type PersonEntry struct {
	ID           app.ID `json:"id"`
	Reference    string `json:"reference"`
	Role         string `json:"role"`
	Relationship string `json:"relationship"`
}

// ChargeEntry is a charge; Against is the person's pseudonymous reference.
type ChargeEntry struct {
	ID               app.ID `json:"id"`
	Statute          string `json:"statute"`
	Counts           int    `json:"counts"`
	Against          string `json:"against"`
	AgainstID        app.ID `json:"against_id"`
	Filed            string `json:"filed,omitempty"`
	Disposition      string `json:"disposition"`
	DispositionDate  string `json:"disposition_date,omitempty"`
	Sentence         string `json:"sentence,omitempty"`
	RestitutionCents int64  `json:"restitution_cents,omitempty"`
	ForfeitureCents  int64  `json:"forfeiture_cents,omitempty"`
}

// ServiceResultEntry is how one service turned out.
type ServiceResultEntry struct {
	Service string `json:"service"`
	Result  string `json:"result"`
	Date    string `json:"date,omitempty"`
}

// LinkEntry is a linked case, by number.
type LinkEntry struct {
	Number   string `json:"number"`
	Relation string `json:"relation"`
}

// ContactEntry is a contact note's facts.
type ContactEntry struct {
	Present         []string         `json:"present,omitempty"`
	Language        string           `json:"language,omitempty"`
	Interpreter     *app.Interpreter `json:"interpreter,omitempty"`
	Setting         string           `json:"setting,omitempty"`
	DurationMinutes int              `json:"duration_minutes,omitempty"`
}

func contactEntry(d *app.ContactDetails) *ContactEntry {
	if d.Empty() {
		return nil
	}
	return &ContactEntry{Present: d.Present, Language: d.Language, Interpreter: d.Interpreter, Setting: d.Setting,
		DurationMinutes: d.DurationMinutes}
}

// SignerEntry is who signed a release.
type SignerEntry struct {
	Kind         string `json:"kind"`
	Name         string `json:"name,omitempty"`
	Relationship string `json:"relationship,omitempty"`
	Person       app.ID `json:"person,omitzero"`
}

func signerEntry(s *app.ReleaseSigner) *SignerEntry {
	if s == nil {
		return nil
	}
	return &SignerEntry{Kind: string(s.Kind), Name: s.Name, Relationship: s.Relationship, Person: s.Person}
}

// HoldEntry is a legal hold in a transfer.
type HoldEntry struct {
	Reason   string    `json:"reason"`
	Placed   time.Time `json:"placed"`
	PlacedBy string    `json:"placed_by,omitempty"`
}

// practice builds the practice sections the profile carries.
func (b *builder) practice(ov app.Overview) error {
	if b.p.Everything {
		p, err := b.r.CasePractice(b.caseID)
		if err != nil {
			return err
		}
		b.d.Case.ReviewIntervalDays = p.ReviewIntervalDays
		if h := p.Hold; h != nil {
			b.d.Case.LegalHold = &HoldEntry{Reason: h.Reason, Placed: h.Placed, PlacedBy: h.PlacedBy}
		}
		revs, err := b.r.CaseReviews(b.caseID)
		if err != nil {
			return err
		}
		if len(revs) > 0 {
			b.withhold("section", plural(len(revs), "MDT case review", "MDT case reviews")+" and their action items",
				"they belong to the meetings of the team's vault; the case's review history stays there")
		}
	}
	if b.p.has(SecReports) {
		refs, err := b.r.References(b.caseID)
		if err != nil {
			return err
		}
		for _, ref := range refs {
			e := ReportEntry{ID: ref.ID, Kind: string(ref.Kind), Number: ref.Number, Agency: ref.Agency, ReportedAt: ref.ReportedAt,
				IntakeWorker: ref.IntakeWorker, Screening: ref.Screening, MissingSince: ref.MissingSince, TipSource: ref.TipSource}
			if c, ok := ref.Clock(b.d.Created); ok {
				e.Clock = c.Sentence(ref.MissingSince)
			}
			b.d.Reports = append(b.d.Reports, e)
		}
	}
	if b.p.has(SecCourt) {
		hs, err := b.r.Hearings(b.caseID)
		if err != nil {
			return err
		}
		for _, h := range hs {
			b.d.Hearings = append(b.d.Hearings, HearingEntry{ID: h.ID, At: h.At, Court: h.Court, Type: h.Type, Outcome: h.Outcome})
		}
		ns, err := b.r.Notifications(b.caseID)
		if err != nil {
			return err
		}
		for _, n := range ns {
			b.d.Notifications = append(b.d.Notifications, NotificationEntry{ID: n.ID, At: n.At, To: n.To, Method: n.Method,
				Summary: n.Summary, Language: n.Language, Interpreter: n.Interpreter, By: n.By})
		}
	}
	if b.p.has(SecOutcomes) {
		return b.outcomes()
	}
	return nil
}

func (b *builder) outcomes() error {
	o := &OutcomesEntry{}
	people, err := b.r.People(b.caseID)
	if err != nil {
		return err
	}
	ref := map[app.ID]string{}
	for _, p := range people {
		ref[p.ID] = p.Reference
		o.People = append(o.People, PersonEntry{ID: p.ID, Reference: p.Reference, Role: p.Role, Relationship: p.Relationship})
	}
	charges, err := b.r.Charges(b.caseID)
	if err != nil {
		return err
	}
	for _, c := range charges {
		o.Charges = append(o.Charges, ChargeEntry{ID: c.ID, Statute: c.Statute, Counts: c.Counts, Against: ref[c.Against],
			AgainstID: c.Against, Filed: day(c.Filed), Disposition: c.Disposition, DispositionDate: day(c.DispositionDate),
			Sentence: c.Sentence, RestitutionCents: int64(c.Restitution), ForfeitureCents: int64(c.Forfeiture)})
	}
	out, err := b.r.Outcome(b.caseID)
	if err != nil {
		return err
	}
	o.ChildWelfare, o.ChildWelfareDate = out.ChildWelfare, day(out.ChildWelfareDate)
	for _, s := range out.Services {
		ok, why, err := b.may(serviceKind(s.Service))
		if err != nil {
			return err
		}
		if !ok {
			b.withhold("outcome", "the outcome of the "+words(string(s.Service))+" service", why)
			continue
		}
		o.Services = append(o.Services, ServiceResultEntry{Service: string(s.Service), Result: s.Result, Date: day(s.Date)})
	}
	links, err := b.r.CaseLinks(b.caseID)
	if err != nil {
		return err
	}
	for _, l := range links {
		if !l.Gone {
			o.Links = append(o.Links, LinkEntry{Number: l.Number, Relation: l.Relation})
		}
	}
	if len(o.People)+len(o.Charges)+len(o.Services)+len(o.Links) > 0 || o.ChildWelfare != "" {
		b.d.Outcomes = o
	}
	return nil
}

// amount prints cents as dollars.
func amount(c int64) string { return app.Cents(c).String() }

// hearingWhen prints a hearing's time.
func hearingWhen(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// referenceTitle is a reference kind in words.
func referenceTitle(kind string) string { return app.ReferenceKind(kind).Title() }

// interpreterLine reads "Interpreter Ortiz (Spanish)".
func interpreterLine(ip *app.Interpreter) string {
	if ip == nil {
		return ""
	}
	return ip.Name + " (" + ip.Language + ")"
}

// contactLine is a contact note's facts on one line.
func contactLine(c *ContactEntry) string {
	if c == nil {
		return ""
	}
	var parts []string
	if c.Setting != "" {
		parts = append(parts, "setting: "+app.SettingTitle(c.Setting))
	}
	if c.DurationMinutes > 0 {
		parts = append(parts, plural(c.DurationMinutes, "minute", "minutes"))
	}
	if len(c.Present) > 0 {
		parts = append(parts, "present: "+strings.Join(c.Present, ", "))
	}
	if c.Language != "" {
		parts = append(parts, "language: "+c.Language)
	}
	if c.Interpreter != nil {
		parts = append(parts, "interpreter: "+interpreterLine(c.Interpreter))
	}
	return strings.Join(parts, " · ")
}

// reportRow is a report as a table row: kind, number, details.
func reportRow(r ReportEntry) []string {
	var details []string
	if r.Agency != "" {
		details = append(details, r.Agency)
	}
	switch r.Kind {
	case string(app.RefNCMEC):
		details = append(details, "missing since "+stamp(r.MissingSince))
		if !r.ReportedAt.IsZero() {
			details = append(details, "reported "+stamp(r.ReportedAt))
		}
	case string(app.RefChildWelfare):
		details = append(details, "reported "+stamp(r.ReportedAt))
		if r.IntakeWorker != "" {
			details = append(details, "intake worker "+r.IntakeWorker)
		}
		if r.Screening != "" {
			details = append(details, words(r.Screening))
		}
	case string(app.RefTip):
		details = append(details, words(r.TipSource)+", received "+r.ReportedAt.UTC().Format(time.DateOnly))
	}
	if r.Clock != "" {
		details = append(details, r.Clock)
	}
	return []string{referenceTitle(r.Kind), orDash(r.Number), strings.Join(details, "; ")}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// practiceTable is one table of a practice section, rendered alike by the PDF and
// the Markdown writers.
type practiceTable struct {
	title  string // a subheading, or "" for none
	header []string
	widths []float64 // PDF column widths as parts of the text width
	rows   [][]string
	empty  string // said instead of an empty table
}

// practiceTables are the tables of a practice section.
func (d *Document) practiceTables(s Section) []practiceTable {
	switch s {
	case SecReports:
		t := practiceTable{header: []string{"Kind", "Number", "Details"}, widths: []float64{0.27, 0.2, 0.53},
			empty: "No reports or reference numbers are recorded."}
		for _, r := range d.Reports {
			t.rows = append(t.rows, reportRow(r))
		}
		return []practiceTable{t}
	case SecCourt:
		h := practiceTable{title: "Court dates", header: []string{"When", "Court", "Type", "Outcome"},
			widths: []float64{0.2, 0.3, 0.17, 0.33}, empty: "No court dates are recorded."}
		for _, e := range d.Hearings {
			h.rows = append(h.rows, []string{hearingWhen(e.At), e.Court, words(e.Type), orDash(e.Outcome)})
		}
		n := practiceTable{title: "Victim-notification log", header: []string{"When", "To, how", "What was said", "Language, interpreter"},
			widths: []float64{0.18, 0.2, 0.38, 0.24}, empty: "No notifications are recorded."}
		for _, e := range d.Notifications {
			lang := e.Language
			if ip := interpreterLine(e.Interpreter); ip != "" {
				lang = strings.TrimSpace(lang + "\ninterpreter " + ip)
			}
			who := words(e.To) + ", " + words(e.Method)
			if e.By != "" {
				who += "\nby " + e.By
			}
			n.rows = append(n.rows, []string{hearingWhen(e.At), who, e.Summary, lang})
		}
		return []practiceTable{h, n}
	case SecOutcomes:
		o := d.Outcomes
		if o == nil {
			return []practiceTable{{empty: "No outcomes are recorded."}}
		}
		people := practiceTable{title: "People, by pseudonymous reference", header: []string{"Reference", "Role", "Relationship to the youth"},
			widths: []float64{0.34, 0.26, 0.4}, empty: "No people are recorded."}
		for _, p := range o.People {
			people.rows = append(people.rows, []string{p.Reference, p.Role, p.Relationship})
		}
		charges := practiceTable{title: "Charges and dispositions", header: []string{"Statute, counts", "Against", "Disposition", "Sentence and amounts"},
			widths: []float64{0.27, 0.16, 0.22, 0.35}, empty: "No charges are recorded."}
		for _, c := range o.Charges {
			disp := words(c.Disposition)
			if c.DispositionDate != "" {
				disp += " " + c.DispositionDate
			}
			if c.Filed != "" {
				disp = "filed " + c.Filed + "\n" + disp
			}
			var money []string
			if c.Sentence != "" {
				money = append(money, c.Sentence)
			}
			if c.RestitutionCents > 0 {
				money = append(money, "restitution "+amount(c.RestitutionCents))
			}
			if c.ForfeitureCents > 0 {
				money = append(money, "forfeiture "+amount(c.ForfeitureCents))
			}
			charges.rows = append(charges.rows, []string{c.Statute + "\n" + plural(c.Counts, "count", "counts"), c.Against, disp, orDash(strings.Join(money, "\n"))})
		}
		welfare := practiceTable{title: "Child welfare and services", header: []string{"Outcome of", "Result", "Date"},
			widths: []float64{0.4, 0.4, 0.2}, empty: "No child-welfare or services outcome is recorded."}
		if o.ChildWelfare != "" {
			welfare.rows = append(welfare.rows, []string{"child welfare", words(o.ChildWelfare), o.ChildWelfareDate})
		}
		for _, s := range o.Services {
			welfare.rows = append(welfare.rows, []string{words(s.Service) + " service", words(s.Result), s.Date})
		}
		links := practiceTable{title: "Linked cases", header: []string{"Case number", "Relation"}, widths: []float64{0.5, 0.5},
			empty: "No linked cases."}
		for _, l := range o.Links {
			links.rows = append(links.rows, []string{l.Number, words(l.Relation)})
		}
		return []practiceTable{people, charges, welfare, links}
	}
	return nil
}

// practiceSection prints a practice section in the PDF.
func (p *pdfWriter) practiceSection(s Section) {
	for _, t := range p.d.practiceTables(s) {
		if t.title != "" {
			p.subheading(t.title)
		}
		if len(t.rows) == 0 {
			p.para(t.empty)
			continue
		}
		p.table(t.widths, t.header, t.rows)
	}
}

// practiceSection prints a practice section in Markdown.
func (m *mdWriter) practiceSection(s Section) {
	for _, t := range m.d.practiceTables(s) {
		if t.title != "" {
			m.p("### %s", t.title)
			m.p("")
		}
		if len(t.rows) == 0 {
			m.p("%s", t.empty)
			m.p("")
			continue
		}
		m.table(t.header, t.rows)
	}
}

// receivedPractice maps the document's practice sections to what app writes.
func receivedPractice(d *Document) app.ReceivedPractice {
	p := app.ReceivedPractice{ReviewIntervalDays: d.Case.ReviewIntervalDays}
	if h := d.Case.LegalHold; h != nil {
		p.Hold = &app.LegalHold{Reason: h.Reason, Placed: h.Placed, PlacedBy: h.PlacedBy}
	}
	for _, r := range d.Reports {
		p.References = append(p.References, app.Reference{ID: r.ID, Kind: app.ReferenceKind(r.Kind), Number: r.Number,
			Agency: r.Agency, ReportedAt: r.ReportedAt, IntakeWorker: r.IntakeWorker, Screening: r.Screening,
			MissingSince: r.MissingSince, TipSource: r.TipSource, Created: d.Created})
	}
	for _, h := range d.Hearings {
		p.Hearings = append(p.Hearings, app.Hearing{ID: h.ID, At: h.At, Court: h.Court, Type: h.Type, Outcome: h.Outcome, Created: d.Created})
	}
	for _, n := range d.Notifications {
		p.Notifications = append(p.Notifications, app.Notification{ID: n.ID, At: n.At, To: n.To, Method: n.Method, Summary: n.Summary,
			Language: n.Language, Interpreter: n.Interpreter, By: n.By, Created: d.Created})
	}
	if o := d.Outcomes; o != nil {
		for _, pe := range o.People {
			p.People = append(p.People, app.Person{ID: pe.ID, Reference: pe.Reference, Role: pe.Role, Relationship: pe.Relationship, Created: d.Created})
		}
		for _, c := range o.Charges {
			p.Charges = append(p.Charges, app.Charge{ID: c.ID, Statute: c.Statute, Counts: c.Counts, Against: c.AgainstID,
				Filed: parseDay(c.Filed), Disposition: c.Disposition, DispositionDate: parseDay(c.DispositionDate), Sentence: c.Sentence,
				Restitution: app.Cents(c.RestitutionCents), Forfeiture: app.Cents(c.ForfeitureCents), Created: d.Created})
		}
		if o.ChildWelfare != "" || len(o.Services) > 0 {
			co := &app.CaseOutcome{ChildWelfare: o.ChildWelfare, ChildWelfareDate: parseDay(o.ChildWelfareDate), Updated: d.Created}
			for _, s := range o.Services {
				co.Services = append(co.Services, app.ServiceOutcome{Service: app.ServiceType(s.Service), Result: s.Result, Date: parseDay(s.Date)})
			}
			p.Outcome = co
		}
		for _, l := range o.Links {
			p.Links = append(p.Links, app.FileLink{Number: l.Number, Relation: l.Relation})
		}
	}
	return p
}
