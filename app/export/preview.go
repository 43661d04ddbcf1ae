package export

import (
	"fmt"
	"strings"
)

// Preview is what the wizard and `export --dry-run` show before anything is
// written: the sections and items that will leave, the withheld list with reasons,
// the releases relied on, and the counts. It is made from the same Document the
// writers render, and its rows name items without their text: a note is its kind,
// author and dates, never what it says.
type Preview struct {
	Title     string
	Recipient string
	Sections  []PreviewSection
	Withheld  []string
	ReliedOn  []string
	Counts    Counts
}

// PreviewSection is one section and its rows.
type PreviewSection struct {
	Section Section
	Title   string
	Rows    []string
}

// Preview summarizes the document.
func (d *Document) Preview() Preview {
	p := Preview{Title: d.Title, Recipient: d.Recipient.Name(), ReliedOn: d.ReliedOn, Counts: d.Counts}
	for _, w := range d.Withheld {
		p.Withheld = append(p.Withheld, w.Sentence())
	}
	for _, s := range d.Sections {
		p.Sections = append(p.Sections, PreviewSection{Section: s, Title: s.Title(), Rows: d.rows(s)})
	}
	return p
}

func (d *Document) rows(s Section) []string {
	var rows []string
	add := func(format string, a ...any) { rows = append(rows, fmt.Sprintf(format, a...)) }
	switch s {
	case SecCase:
		add("Case %s, %s, opened %s", d.Case.Number, d.Case.Status, shownDate(d.Case.Opened))
		if len(d.Case.Team) > 0 {
			add("Team: %s", strings.Join(d.Case.Team, ", "))
		}
	case SecVictim:
		if d.Victim != nil {
			add("Alias %s", d.Victim.Alias)
		}
	case SecIdentity:
		if id := d.Identity; id != nil {
			var parts []string
			if id.LegalName != "" {
				parts = append(parts, "legal name")
			}
			if id.DateOfBirth != "" {
				parts = append(parts, "date of birth")
			}
			if id.School != "" {
				parts = append(parts, "school")
			}
			if len(id.Addresses) > 0 {
				parts = append(parts, "addresses")
			}
			if len(id.ContactNumbers) > 0 {
				parts = append(parts, "contact numbers")
			}
			add("On a page of its own: %s", strings.Join(parts, ", "))
		}
	case SecChronology:
		for _, e := range d.Chronology {
			add("%s · %s%s", e.Date.Format(dayFormat), words(e.Kind), prefixed(" · ", e.Source))
		}
	case SecInterviews:
		for _, e := range d.Interviews {
			add("%s · %s%s", e.Date.Format(dayFormat), words(e.Kind), prefixed(" · ", e.Source))
		}
	case SecEvidence:
		if d.Evidence != nil {
			for _, a := range d.Evidence.Attachments {
				file := "index entry only"
				if a.File != "" {
					file = "file included"
				}
				add("%s · %s · SHA-256 %s… · %s", a.Name, sizeText(a.Size), a.SHA256[:min(12, len(a.SHA256))], file)
			}
			for _, r := range d.Evidence.References {
				add("%s reference %s", r.System, r.ReferenceID)
			}
		}
	case SecNotes:
		for _, n := range d.Notes {
			row := fmt.Sprintf("%s note by %s, written %s, final %s", capital(words(n.Kind)), n.Author,
				n.Created.UTC().Format(dayFormat), n.Finalized.UTC().Format(dayFormat))
			if n.Sensitivity != "standard" {
				row += " (" + n.Sensitivity + ")"
			}
			if len(n.Addenda) > 0 {
				row += ", " + plural(len(n.Addenda), "addendum", "addenda")
			}
			rows = append(rows, row)
		}
	case SecChecklist:
		for _, ph := range d.Checklist {
			add("%s: %d of %d done or not applicable", ph.Title, ph.Done, ph.Total)
		}
	case SecServices:
		for _, sv := range d.Services {
			add("%s referral to %s, %s", capital(words(sv.Service)), sv.Partner, sv.Status)
		}
	case SecReports:
		for _, r := range d.Reports {
			add("%s %s%s", referenceTitle(r.Kind), orDash(r.Number), prefixed(" · ", r.Clock))
		}
	case SecCourt:
		for _, h := range d.Hearings {
			add("%s · %s · %s%s", h.At.UTC().Format(dayFormat), words(h.Type), h.Court, prefixed(" · ", h.Outcome))
		}
		if n := len(d.Notifications); n > 0 {
			add("%s in the victim-notification log", plural(n, "notification", "notifications"))
		}
	case SecOutcomes:
		if o := d.Outcomes; o != nil {
			if len(o.People) > 0 {
				add("%s by pseudonymous reference", plural(len(o.People), "person", "people"))
			}
			for _, c := range o.Charges {
				add("%s against %s: %s", c.Statute, c.Against, words(c.Disposition))
			}
			if o.ChildWelfare != "" {
				add("Child welfare: %s", words(o.ChildWelfare))
			}
			for _, s := range o.Services {
				add("%s: %s", capital(words(s.Service)), words(s.Result))
			}
			for _, l := range o.Links {
				add("Linked case %s (%s)", l.Number, words(l.Relation))
			}
		}
	case SecReleases:
		for _, r := range d.Releases {
			add("Release signed %s for %s, until %s", shownDate(r.Signed), r.Recipient.Name(), shownDate(r.Expires))
		}
	case SecReveals:
		for _, r := range d.Reveals {
			add("%s by %s", r.At.UTC().Format("Jan 2, 2006 15:04 UTC"), r.By)
		}
	case SecIntegrity:
		add("Export %s, signed by %s", d.ExportID, orNone(d.Exporter.SigningFingerprint))
	}
	if len(rows) == 0 {
		rows = append(rows, "None recorded.")
	}
	return rows
}

// Text is the preview as plain text, for `export --dry-run`.
func (p Preview) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s for %s\n", p.Title, p.Recipient)
	for _, s := range p.Sections {
		fmt.Fprintf(&b, "\n%s\n", s.Title)
		for _, r := range s.Rows {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	b.WriteString("\nWithheld\n")
	if len(p.Withheld) == 0 {
		b.WriteString("  Nothing.\n")
	}
	for _, w := range p.Withheld {
		fmt.Fprintf(&b, "  %s\n", w)
	}
	if len(p.ReliedOn) > 0 {
		b.WriteString("\nReleases relied on\n")
		for _, r := range p.ReliedOn {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	c := p.Counts
	fmt.Fprintf(&b, "\nCounts: %d of %d final notes included, %d withheld, %d drafts not exported, %d attachment files, %d items withheld in all.\n",
		c.NotesIncluded, c.FinalNotes, c.NotesWithheld, c.Drafts, c.AttachmentFiles, c.WithheldItems)
	return b.String()
}

// WithheldSummary is the short account printed on standard error after an export.
func (d *Document) WithheldSummary() string {
	if len(d.Withheld) == 0 {
		return "Nothing was withheld.\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Withheld (%d):\n", len(d.Withheld))
	for _, w := range d.Withheld {
		fmt.Fprintf(&b, "  %s\n", w.Sentence())
	}
	return b.String()
}

func words(s string) string { return strings.ReplaceAll(s, "-", " ") }

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func orNone(s string) string {
	if s == "" {
		return "no key"
	}
	return s
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
