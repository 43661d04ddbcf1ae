package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"casenotes/app"
)

// WriteMarkdown renders the document as Markdown: the same sections, withheld list
// and counts as the PDF, for reading in any editor or pasting into a filing system.
// Text people typed is escaped, so a note cannot turn into a heading or a link.
func WriteMarkdown(w io.Writer, d *Document) error {
	if d.Profile == Transfer.Name {
		return ErrTransferBundleOnly
	}
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw, d: d}
	m.write()
	return bw.Flush()
}

type mdWriter struct {
	w *bufio.Writer
	d *Document
}

func (m *mdWriter) p(format string, a ...any) { fmt.Fprintf(m.w, format+"\n", a...) }

// esc escapes Markdown's special characters in text a person typed.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '{', '}', '!':
			b.WriteByte('\\')
		case '\r':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cell escapes text for a table cell: one line.
func cell(s string) string { return strings.ReplaceAll(esc(s), "\n", "<br>") }

// block escapes a paragraph, keeping its line breaks as Markdown hard breaks.
func block(s string) string {
	lines := strings.Split(esc(s), "\n")
	return strings.Join(lines, "  \n")
}

func (m *mdWriter) write() {
	d := m.d
	m.p("# %s", esc(d.Title))
	m.p("")
	m.p("> **%s**", esc(d.Confidentiality))
	m.p("")
	alias := ""
	if d.Victim != nil {
		alias = d.Victim.Alias
	}
	m.table([]string{"", ""}, [][]string{
		{"Case number", d.Case.Number},
		{"Alias to use in filings", alias},
		{"Recipient", recipientLine(d.Recipient)},
		{"Exported by", exporterLine(d.Exporter)},
		{"Exported", d.Created.UTC().Format("2006-01-02 15:04 UTC")},
		{"Export ID", d.ExportID.String()},
		{"Profile", d.Profile},
		{"Signing key", d.Exporter.SigningFingerprint},
	})
	m.p("## Contents")
	m.p("")
	for i, s := range d.Sections {
		m.p("%d. %s", i+1, s.Title())
	}
	m.p("")
	m.p("## Withheld from this export")
	m.p("")
	if len(d.Withheld) == 0 {
		m.p("Nothing was withheld.")
	}
	for _, w := range d.Withheld {
		m.p("- %s", esc(w.Sentence()))
	}
	m.p("")
	m.p("## Releases relied on")
	m.p("")
	if len(d.ReliedOn) == 0 {
		m.p("None: this export carries nothing that needs a release.")
	}
	for _, r := range d.ReliedOn {
		m.p("- %s", esc(capital(r)))
	}
	m.p("")
	for _, s := range d.Sections {
		m.section(s)
	}
}

func (m *mdWriter) table(header []string, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	m.p("| %s |", strings.Join(header, " | "))
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
	}
	m.p("| %s |", strings.Join(seps, " | "))
	for _, r := range rows {
		if header[0] == "" && len(r) == 2 && r[1] == "" { // a field with no value
			continue
		}
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = cell(c)
		}
		m.p("| %s |", strings.Join(cells, " | "))
	}
	m.p("")
}

func (m *mdWriter) section(s Section) {
	d := m.d
	m.p("## %s", s.Title())
	m.p("")
	none := func(n int, text string) bool {
		if n == 0 {
			m.p("%s", text)
			m.p("")
			return true
		}
		return false
	}
	switch s {
	case SecCase:
		c := d.Case
		m.table([]string{"", ""}, [][]string{{"Case number", c.Number}, {"Title", c.Title}, {"Status", c.Status},
			{"Closed because", c.ClosedReason}, {"Jurisdiction", c.Jurisdiction}, {"Opened", c.Opened}, {"Closed", c.Closed},
			{"Team", strings.Join(c.Team, ", ")}, {"Indicators", strings.Join(c.Indicators, "; ")}})
	case SecVictim:
		if v := d.Victim; v != nil {
			age := ""
			if v.Age > 0 {
				age = fmt.Sprintf("%d at intake", v.Age)
			}
			rows := [][]string{{"Alias", v.Alias}, {"Age", age}, {"Age band", v.AgeBand}, {"Gender", v.Gender},
				{"Languages", strings.Join(v.Languages, ", ")}, {"Interpreter needed", yesNo(v.InterpreterNeeded)},
				{"Guardian", v.GuardianType}, {"Placement type", v.PlacementType}}
			if sc := v.Screening; sc != nil {
				rows = append(rows, []string{"Screening", fmt.Sprintf("%s %s on %s by %s: %s concern", sc.Tool, sc.Version, sc.Date, sc.Screener, sc.Concern)})
			}
			m.table([]string{"", ""}, rows)
		}
	case SecIdentity:
		if id := d.Identity; id != nil {
			m.p("_Included because the exporter chose to and a release on file covers this recipient._")
			m.p("")
			m.table([]string{"", ""}, [][]string{{"Legal name", id.LegalName}, {"Date of birth", id.DateOfBirth},
				{"School", id.School}, {"Addresses", strings.Join(id.Addresses, "\n")},
				{"Contact numbers", strings.Join(id.ContactNumbers, ", ")}})
		}
	case SecChronology, SecInterviews:
		evs := d.Chronology
		if s == SecInterviews {
			evs = d.Interviews
			m.p("_References only: dates, interviewers and evidence-system references, never the content._")
			m.p("")
		}
		if none(len(evs), "None recorded.") {
			return
		}
		rows := [][]string{}
		for _, e := range evs {
			rows = append(rows, []string{e.Date.UTC().Format("2006-01-02"), words(e.Kind), e.Source, e.Description})
		}
		m.table([]string{"Date", "Kind", "Source", "Description"}, rows)
	case SecEvidence:
		if d.Evidence == nil || none(len(d.Evidence.Attachments)+len(d.Evidence.References), "None recorded.") {
			return
		}
		rows := [][]string{}
		for _, a := range d.Evidence.Attachments {
			rows = append(rows, []string{a.Name, words(a.Kind), sizeText(a.Size), a.SHA256, a.File})
		}
		m.table([]string{"Attachment", "Kind", "Size", "SHA-256", "File in the bundle"}, rows)
		rows = nil
		for _, r := range d.Evidence.References {
			rows = append(rows, []string{r.System, r.ReferenceID, r.Description})
		}
		m.table([]string{"Evidence system", "Reference", "Description"}, rows)
	case SecNotes:
		if none(len(d.Notes), "No final notes are part of this export.") {
			return
		}
		for i, n := range d.Notes {
			sens := ""
			if n.Sensitivity != "standard" {
				sens = " · " + n.Sensitivity
			}
			m.p("### %d. %s note · %s%s", i+1, capital(words(n.Kind)), esc(n.Author), sens)
			m.p("")
			m.p("_Written %s · finalized %s_", stamp(n.Created), stamp(n.Finalized))
			m.p("")
			if c := contactLine(n.Contact); c != "" {
				m.p("_Contact: %s_", esc(c))
				m.p("")
			}
			m.p("%s", block(n.Text))
			m.p("")
			for _, a := range n.Addenda {
				m.p("> **Addendum by %s, %s**  ", esc(a.Author), stamp(a.Created))
				m.p("> %s", strings.ReplaceAll(block(a.Text), "\n", "\n> "))
				m.p("")
			}
		}
	case SecChecklist:
		for _, ph := range d.Checklist {
			m.p("### %s (%d of %d done or not applicable)", ph.Title, ph.Done, ph.Total)
			m.p("")
			rows := [][]string{}
			for _, it := range ph.Items {
				when := it.CompletedBy
				if !it.CompletedAt.IsZero() {
					when += " " + it.CompletedAt.UTC().Format("2006-01-02")
				}
				rows = append(rows, []string{it.Title, app.PartnerTitle(it.Owner), words(it.Status), it.Reason, it.Due, strings.TrimSpace(when)})
			}
			m.table([]string{"Item", "Owner", "Status", "Reason", "Due", "Who and when"}, rows)
		}
	case SecServices:
		if none(len(d.Services), "No services or referrals are part of this export.") {
			return
		}
		rows := [][]string{}
		for _, sv := range d.Services {
			rows = append(rows, []string{words(sv.Service), sv.Partner, words(sv.Status), sv.Due})
		}
		m.table([]string{"Service", "Partner", "Status", "Due"}, rows)
	case SecReports, SecCourt, SecOutcomes:
		m.practiceSection(s)
	case SecReleases:
		rows := [][]string{}
		for _, r := range d.Releases {
			rows = append(rows, []string{r.Signed, r.Recipient.Name(), strings.Join(r.Scope, ", "), r.Expires, r.Revoked})
		}
		m.table([]string{"Signed", "Recipient", "Scope", "Expires", "Revoked"}, rows)
	case SecReveals:
		if none(len(d.Reveals), "The legal identity has not been revealed.") {
			return
		}
		rows := [][]string{}
		for _, r := range d.Reveals {
			rows = append(rows, []string{stamp(r.At), r.By, r.Reason})
		}
		m.table([]string{"When", "Who", "Why"}, rows)
	case SecIntegrity:
		m.p("Export ID `%s`, signer fingerprint `%s`, Casenotes %s.", d.ExportID, orNone(d.Exporter.SigningFingerprint), d.AppVersion)
		m.p("")
		m.p("Inside a Casenotes bundle this file is listed, with its SHA-256, in the signed manifest. Check the bundle with:")
		m.p("")
		m.p("    casenotes verify %s --identity KEY-FILE --signer \"%s\"", FileName(d.Case.Number, d.Profile, "bundle"), orNone(d.Exporter.SigningFingerprint))
		m.p("")
		c := d.Counts
		m.p("Counts: %d of %d final notes, %s, %s not exported, %s withheld.", c.NotesIncluded, c.FinalNotes,
			plural(c.Addenda, "addendum", "addenda"), plural(c.Drafts, "draft", "drafts"), plural(c.WithheldItems, "item", "items"))
		m.p("")
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
