package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"casenotes/app"
)

// PageSize is the paper a PDF is laid out for.
type PageSize string

// Page sizes: US Letter and ISO A4 both print cleanly.
const (
	Letter PageSize = "Letter"
	A4     PageSize = "A4"
)

// ErrTransferBundleOnly: a transfer carries every record and leaves only as a
// bundle encrypted to a key.
var ErrTransferBundleOnly = app.Invalid("format", "of a transfer can only be a bundle encrypted to the colleague's key")

const (
	margin     = 18.0 // mm, left and right
	lineHeight = 4.6  // mm, body text at 9.5 pt
	bodySize   = 9.5
	smallSize  = 7.5
)

// pdfWriter lays out one document.
type pdfWriter struct {
	f       *fpdf.Fpdf
	d       *Document
	missing int // characters the fonts cannot draw
	width   float64
	// footerText, when set, replaces the case line of the footer (the minutes of a
	// meeting are about several cases).
	footerText string
}

// WritePDF renders the document as a paginated PDF summary: a cover with the
// confidentiality notice, contents and the withheld list, then each section of the
// document in order, the identity (if included) on a page of its own, and on every
// page the confidentiality marking and "Page X of Y".
func WritePDF(w io.Writer, d *Document, size PageSize) error {
	if d.Profile == Transfer.Name {
		return ErrTransferBundleOnly
	}
	p := newPDFWriter(d, size)
	f := p.f
	f.SetTitle(d.Title+" "+d.Case.Number, true)
	p.cover()
	p.contents()
	for _, s := range d.Sections {
		p.section(s)
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("%w: laying out the PDF: %v", app.ErrStore, err)
	}
	return f.Output(w)
}

// newPDFWriter sets up a document's PDF: page size, the embedded fonts, margins,
// metadata, the confidentiality header and the page footer.
func newPDFWriter(d *Document, size PageSize) *pdfWriter {
	if size != A4 {
		size = Letter
	}
	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", SizeStr: string(size), OrientationStr: "P"})
	p := &pdfWriter{f: f, d: d}
	f.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	f.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	f.AddUTF8FontFromBytes(fontFamily, "I", fontItalic)
	f.SetMargins(margin, 16, margin)
	f.SetAutoPageBreak(true, 18)
	f.AliasNbPages("{nb}")
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(d.Created)
	f.SetModificationDate(d.Created)
	f.SetProducer("Casenotes "+d.AppVersion, true)
	f.SetCreator("Casenotes "+d.AppVersion, true)
	f.SetAuthor(d.Exporter.Name, true)
	pw, _ := f.GetPageSize()
	p.width = pw - 2*margin
	f.SetHeaderFuncMode(p.header, false)
	f.SetFooterFunc(p.footer)
	return p
}

func (p *pdfWriter) text(s string) string { return printable(s, &p.missing) }

func (p *pdfWriter) font(style string, size float64) { p.f.SetFont(fontFamily, style, size) }

// header prints the confidentiality marking at the top of every page.
func (p *pdfWriter) header() {
	f := p.f
	f.SetY(8)
	p.font("B", smallSize)
	f.SetTextColor(150, 20, 20)
	f.MultiCell(p.width, 3.4, p.text(p.d.Confidentiality), "", "C", false)
	f.SetTextColor(0, 0, 0)
	y := f.GetY() + 1
	f.SetDrawColor(150, 20, 20)
	f.Line(margin, y, margin+p.width, y)
	f.SetDrawColor(0, 0, 0)
	f.SetY(y + 4)
}

// footer prints the case, the export and "Page X of Y" at the bottom of every page.
func (p *pdfWriter) footer() {
	f := p.f
	f.SetY(-13)
	p.font("", smallSize)
	f.SetTextColor(70, 70, 70)
	left := fmt.Sprintf("Case %s · %s · export %s · CONFIDENTIAL", p.d.Case.Number, p.d.Profile, shortID(p.d.ExportID))
	if p.footerText != "" {
		left = p.footerText
	}
	f.CellFormat(p.width*0.75, 4, p.text(left), "", 0, "L", false, 0, "")
	f.CellFormat(p.width*0.25, 4, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

func shortID(id app.ID) string { return id.String()[:8] }

func (p *pdfWriter) heading(s string) {
	f := p.f
	_, ph := f.GetPageSize()
	if f.GetY() > ph-60 {
		f.AddPage()
	}
	f.Ln(3)
	p.font("B", 13)
	f.MultiCell(p.width, 6.5, p.text(s), "", "L", false)
	f.Ln(1.5)
	p.font("", bodySize)
}

func (p *pdfWriter) subheading(s string) {
	f := p.f
	_, ph := f.GetPageSize()
	if f.GetY() > ph-40 {
		f.AddPage()
	}
	f.Ln(1.5)
	p.font("B", 10.5)
	f.MultiCell(p.width, 5.2, p.text(s), "", "L", false)
	p.font("", bodySize)
}

func (p *pdfWriter) para(s string) {
	p.font("", bodySize)
	p.f.MultiCell(p.width, lineHeight, p.text(s), "", "L", false)
}

func (p *pdfWriter) muted(s string) {
	p.font("I", bodySize)
	p.f.SetTextColor(80, 80, 80)
	p.f.MultiCell(p.width, lineHeight, p.text(s), "", "L", false)
	p.f.SetTextColor(0, 0, 0)
	p.font("", bodySize)
}

// fields prints label and value rows, the label in bold in a column of its own.
// A row that would not fit moves to the next page whole.
func (p *pdfWriter) fields(rows [][2]string) {
	f := p.f
	const lw = 48.0
	_, ph := f.GetPageSize()
	for _, r := range rows {
		if r[1] == "" {
			continue
		}
		value := p.text(r[1])
		p.font("", bodySize)
		n := 0
		for _, part := range strings.Split(value, "\n") {
			n += max(1, len(f.SplitText(part, p.width-lw)))
		}
		if f.GetY()+float64(n)*lineHeight > ph-20 {
			f.AddPage()
		}
		y := f.GetY()
		p.font("B", bodySize)
		f.SetXY(margin, y)
		f.CellFormat(lw, lineHeight, p.text(r[0]), "", 0, "L", false, 0, "")
		p.font("", bodySize)
		f.SetXY(margin+lw, y)
		f.MultiCell(p.width-lw, lineHeight, value, "", "L", false)
		f.SetX(margin)
	}
}

func (p *pdfWriter) cover() {
	f, d := p.f, p.d
	f.AddPage()
	f.Ln(6)
	p.font("B", 20)
	f.MultiCell(p.width, 9, p.text(d.Title), "", "L", false)
	f.Ln(4)
	f.SetFillColor(252, 238, 238)
	f.SetDrawColor(150, 20, 20)
	p.font("B", 10)
	f.MultiCell(p.width, 5.4, p.text(d.Confidentiality), "1", "L", true)
	f.SetDrawColor(0, 0, 0)
	f.Ln(6)
	alias := ""
	if d.Victim != nil {
		alias = d.Victim.Alias
	}
	p.fields([][2]string{
		{"Case number", d.Case.Number},
		{"Alias to use in filings", alias},
		{"Recipient", recipientLine(d.Recipient)},
		{"Exported by", exporterLine(d.Exporter)},
		{"Exported", d.Created.UTC().Format("January 2, 2006 15:04 UTC")},
		{"Export ID", d.ExportID.String()},
		{"Profile", d.Profile},
		{"Signing key", d.Exporter.SigningFingerprint},
	})
	f.Ln(6)
	p.muted("Generated by Casenotes " + d.AppVersion + ". Drafts never leave the vault: " +
		plural(d.Counts.Drafts, "draft note exists", "draft notes exist") + " and " +
		map[bool]string{true: "is", false: "are"}[d.Counts.Drafts == 1] + " not part of this summary.")
}

func recipientLine(r Recipient) string {
	s := r.Name()
	if r.Category != "" {
		s += " (" + app.PartnerTitle(r.Category) + ")"
	}
	return s
}

func exporterLine(e Exporter) string {
	parts := []string{e.Name}
	if e.Role != "" {
		parts = append(parts, e.Role)
	}
	if e.Agency != "" {
		parts = append(parts, e.Agency)
	}
	return strings.Join(parts, ", ")
}

// contents lists the sections with their page numbers (filled in when the PDF is
// written, through fpdf's aliases), then what was withheld and the releases relied on.
func (p *pdfWriter) contents() {
	f, d := p.f, p.d
	f.AddPage()
	p.heading("Contents")
	for i, s := range d.Sections {
		p.font("", bodySize+0.5)
		// The page number is an alias filled in at the end, so it is left-aligned in
		// a column of its own: its final width is not known while laying out.
		f.CellFormat(p.width-30, 5.5, fmt.Sprintf("%d. %s", i+1, s.Title()), "", 0, "L", false, 0, "")
		f.CellFormat(30, 5.5, "page {page:"+string(s)+"}", "", 1, "L", false, 0, "")
	}
	p.heading("Withheld from this export")
	if len(d.Withheld) == 0 {
		p.para("Nothing was withheld.")
	}
	for _, w := range d.Withheld {
		p.para("• " + w.Sentence())
	}
	p.heading("Releases relied on")
	if len(d.ReliedOn) == 0 {
		p.para("None: this export carries nothing that needs a release.")
	}
	for _, r := range d.ReliedOn {
		p.para("• " + capital(r))
	}
}

func (p *pdfWriter) section(s Section) {
	f, d := p.f, p.d
	if s == SecIdentity {
		f.AddPage()
	}
	p.heading(s.Title())
	f.RegisterAlias("{page:"+string(s)+"}", fmt.Sprint(f.PageNo()))
	switch s {
	case SecCase:
		c := d.Case
		closed := shownDate(c.Closed)
		if c.ClosedReason != "" {
			closed += " (" + c.ClosedReason + ")"
		}
		p.fields([][2]string{
			{"Case number", c.Number}, {"Title", c.Title}, {"Status", c.Status}, {"Jurisdiction", c.Jurisdiction},
			{"Opened", shownDate(c.Opened)}, {"Closed", closed}, {"Team", strings.Join(c.Team, ", ")},
			{"Indicators", strings.Join(c.Indicators, "; ")},
		})
	case SecVictim:
		p.victim()
	case SecIdentity:
		p.identity()
	case SecChronology:
		p.events(d.Chronology, "No timeline events are recorded.")
	case SecInterviews:
		p.muted("References only: dates, interviewers and evidence-system references, never the content of an interview or exam.")
		p.events(d.Interviews, "No interviews or exams are recorded.")
	case SecEvidence:
		p.evidence()
	case SecNotes:
		p.notes()
	case SecChecklist:
		p.checklist()
	case SecServices:
		p.services()
	case SecReports, SecCourt, SecOutcomes:
		p.practiceSection(s)
	case SecReleases:
		for _, r := range d.Releases {
			p.para(fmt.Sprintf("• Signed %s for %s, covering %s, until %s%s", shownDate(r.Signed), r.Recipient.Name(),
				strings.Join(r.Scope, ", "), shownDate(r.Expires), prefixed("; revoked ", shownDate(r.Revoked))))
		}
		if len(d.Releases) == 0 {
			p.para("No releases are on file.")
		}
	case SecReveals:
		if len(d.Reveals) == 0 {
			p.para("The legal identity has not been revealed.")
		}
		rows := [][]string{}
		for _, r := range d.Reveals {
			rows = append(rows, []string{r.At.UTC().Format(usDate + ", 15:04 UTC"), r.By, r.Reason})
		}
		if len(rows) > 0 {
			p.table([]float64{0.25, 0.25, 0.5}, []string{"When", "Who", "Why"}, rows)
		}
	case SecIntegrity:
		p.integrity()
	}
	if s == SecIdentity {
		f.AddPage()
	}
}

func (p *pdfWriter) victim() {
	v := p.d.Victim
	if v == nil {
		p.para("No victim profile is recorded.")
		return
	}
	age := ""
	if v.Age > 0 {
		age = fmt.Sprintf("%d at intake", v.Age)
	}
	interp := ""
	if len(v.Languages) > 0 || v.InterpreterNeeded {
		interp = map[bool]string{true: "needed", false: "not needed"}[v.InterpreterNeeded]
	}
	rows := [][2]string{
		{"Alias", v.Alias}, {"Age", age}, {"Age band", v.AgeBand}, {"Gender", v.Gender},
		{"Languages", strings.Join(v.Languages, ", ")}, {"Interpreter", interp},
		{"Guardian", v.GuardianType}, {"Placement type", v.PlacementType},
	}
	if s := v.Screening; s != nil {
		rows = append(rows, [2]string{"Screening", fmt.Sprintf("%s %s on %s by %s: %s concern", s.Tool, s.Version, s.Date, s.Screener, s.Concern)})
	}
	p.fields(rows)
	p.f.Ln(2)
	p.muted("The alias is what filings use. No address or placement location is part of this profile.")
}

func (p *pdfWriter) identity() {
	id := p.d.Identity
	p.muted("Included because the exporter chose to and a release on file covers this recipient. Handle under the protective order or pseudonym rules that apply.")
	p.f.Ln(2)
	p.fields([][2]string{
		{"Legal name", id.LegalName}, {"Date of birth", shownDate(id.DateOfBirth)}, {"School", id.School},
		{"Addresses", strings.Join(id.Addresses, "\n")}, {"Contact numbers", strings.Join(id.ContactNumbers, ", ")},
	})
}

func (p *pdfWriter) events(evs []Event, none string) {
	if len(evs) == 0 {
		p.para(none)
		return
	}
	rows := make([][]string, 0, len(evs))
	for _, e := range evs {
		when := e.Date.UTC().Format(usDate)
		if e.Date.UTC().Hour() != 0 || e.Date.UTC().Minute() != 0 {
			when = e.Date.UTC().Format(usDate + ", 15:04 UTC")
		}
		rows = append(rows, []string{when, words(e.Kind), e.Source, e.Description})
	}
	p.table([]float64{0.17, 0.16, 0.2, 0.47}, []string{"Date", "Kind", "Source", "Description"}, rows)
}

func (p *pdfWriter) evidence() {
	ev := p.d.Evidence
	if ev == nil || (len(ev.Attachments) == 0 && len(ev.References) == 0) {
		p.para("No attachments or evidence references are recorded.")
		return
	}
	if len(ev.Attachments) > 0 {
		p.subheading("Attachments")
		rows := [][]string{}
		for _, a := range ev.Attachments {
			file := "index only"
			if a.File != "" {
				file = a.File
			}
			rows = append(rows, []string{a.Name + "\n" + words(a.Kind) + ", " + sizeText(a.Size), a.SHA256, file})
		}
		p.table([]float64{0.3, 0.42, 0.28}, []string{"Attachment", "SHA-256", "File in the bundle"}, rows)
	}
	if len(ev.References) > 0 {
		p.subheading("Evidence-system references")
		rows := [][]string{}
		for _, r := range ev.References {
			rows = append(rows, []string{r.System, r.ReferenceID, r.Description})
		}
		p.table([]float64{0.25, 0.25, 0.5}, []string{"System", "Reference", "Description"}, rows)
	}
}

func stamp(t time.Time) string { return t.UTC().Format(usDate + ", 15:04 UTC") }

func (p *pdfWriter) notes() {
	f := p.f
	if len(p.d.Notes) == 0 {
		p.para("No final notes are part of this export.")
		return
	}
	for i, n := range p.d.Notes {
		head := fmt.Sprintf("%d. %s note · %s", i+1, capital(words(n.Kind)), n.Author)
		if n.Sensitivity != "standard" {
			head += " · " + n.Sensitivity
		}
		p.subheading(head)
		p.font("I", smallSize+0.5)
		f.SetTextColor(70, 70, 70)
		by := ""
		if n.FinalizedBy != "" && n.FinalizedBy != n.Author {
			by = " by " + n.FinalizedBy
		}
		f.MultiCell(p.width, 3.8, p.text("Written "+stamp(n.Created)+" · finalized "+stamp(n.Finalized)+by), "", "L", false)
		if c := contactLine(n.Contact); c != "" {
			f.MultiCell(p.width, 3.8, p.text("Contact: "+c), "", "L", false)
		}
		f.SetTextColor(0, 0, 0)
		p.para(n.Text)
		for _, a := range n.Addenda {
			f.SetX(margin + 6)
			p.font("B", bodySize-0.5)
			f.MultiCell(p.width-6, lineHeight, p.text("Addendum by "+a.Author+", "+stamp(a.Created)), "", "L", false)
			f.SetX(margin + 6)
			p.font("", bodySize)
			f.MultiCell(p.width-6, lineHeight, p.text(a.Text), "", "L", false)
		}
	}
}

func (p *pdfWriter) checklist() {
	if len(p.d.Checklist) == 0 {
		p.para("No checklist items.")
		return
	}
	for _, ph := range p.d.Checklist {
		p.subheading(fmt.Sprintf("%s (%d of %d done or not applicable)", ph.Title, ph.Done, ph.Total))
		rows := [][]string{}
		for _, it := range ph.Items {
			status := words(it.Status)
			if it.Reason != "" {
				status += ": " + it.Reason
			}
			when := ""
			if it.CompletedBy != "" || !it.CompletedAt.IsZero() {
				when = it.CompletedBy
				if !it.CompletedAt.IsZero() {
					when += "\n" + it.CompletedAt.UTC().Format(usDate)
				}
			}
			if it.Due != "" && it.Status == "open" {
				when = "due " + shownDate(it.Due)
			}
			rows = append(rows, []string{it.Title, app.PartnerTitle(it.Owner), status, when})
		}
		p.table([]float64{0.38, 0.17, 0.25, 0.2}, []string{"Item", "Owner", "Status", "Who and when"}, rows)
	}
}

func (p *pdfWriter) services() {
	if len(p.d.Services) == 0 {
		p.para("No services or referrals are part of this export.")
		return
	}
	rows := [][]string{}
	for _, s := range p.d.Services {
		var hist []string
		for _, h := range s.History {
			hist = append(hist, words(h.Status)+" "+h.At.UTC().Format(usDate))
		}
		rows = append(rows, []string{words(s.Service), s.Partner, words(s.Status), strings.Join(hist, "\n")})
	}
	p.table([]float64{0.2, 0.3, 0.18, 0.32}, []string{"Service", "Partner", "Status", "History"}, rows)
}

func (p *pdfWriter) integrity() {
	d := p.d
	p.fields([][2]string{
		{"Export ID", d.ExportID.String()},
		{"Signer fingerprint", orNone(d.Exporter.SigningFingerprint)},
		{"Exported", d.Created.UTC().Format(time.RFC3339)},
		{"Casenotes version", d.AppVersion},
	})
	p.f.Ln(2)
	p.para("When this summary arrives inside a Casenotes bundle, the bundle's signed manifest lists every file in it " +
		"with its SHA-256, and this summary is one of them. Check the whole bundle before relying on it:")
	p.f.Ln(1)
	p.font("", bodySize)
	p.f.SetFillColor(240, 240, 240)
	cmd := fmt.Sprintf("casenotes verify %s --identity KEY-FILE --signer \"%s\"", FileName(d.Case.Number, d.Profile, "bundle"), orNone(d.Exporter.SigningFingerprint))
	p.f.MultiCell(p.width, lineHeight+0.6, p.text(cmd), "", "L", true)
	p.f.Ln(1)
	p.para("(use --bundle-passphrase-file FILE instead of --identity for a bundle sealed with a passphrase). " +
		"Compare the signer fingerprint with the exporter by telephone. Verify exits with status 4 and names what " +
		"failed if any byte or file was changed, added or removed.")
	p.f.Ln(2)
	c := d.Counts
	p.muted(fmt.Sprintf("This export carries %d of %d final notes and %s; %s not exported; %s listed as withheld.",
		c.NotesIncluded, c.FinalNotes, plural(c.Addenda, "addendum", "addenda"),
		plural(c.Drafts, "draft was", "drafts were"), plural(c.WithheldItems, "item is", "items are")))
	if p.missing > 0 {
		p.f.Ln(1)
		p.muted(fmt.Sprintf("%s could not be printed in this PDF (a script its fonts do not cover, such as Arabic, Hebrew, Indic or CJK) and appear as \"?\". The JSON and Markdown exports keep the exact text.",
			plural(p.missing, "character", "characters")))
	}
}

// table prints rows under a header, each cell wrapped; fractions are the column
// widths as parts of the text width. A row that does not fit starts a new page,
// with the header repeated.
func (p *pdfWriter) table(fractions []float64, header []string, rows [][]string) {
	f := p.f
	widths := make([]float64, len(fractions))
	for i, fr := range fractions {
		widths[i] = fr * p.width
	}
	const lh = 4.2
	drawRow := func(cells []string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		p.font(style, bodySize-1)
		lines := 1
		texts := make([]string, len(cells))
		for i, c := range cells {
			texts[i] = p.text(c)
			n := 0
			for _, part := range strings.Split(texts[i], "\n") {
				n += max(1, len(f.SplitText(part, widths[i])))
			}
			lines = max(lines, n)
		}
		h := float64(lines)*lh + 1.6
		_, ph := f.GetPageSize()
		if f.GetY()+h > ph-20 {
			f.AddPage()
			if !bold {
				p.font("B", bodySize-1)
				p.rowCells(widths, header, lh, true)
				p.font(style, bodySize-1)
			}
		}
		p.rowCells(widths, texts, lh, bold)
	}
	drawRow(header, true)
	for _, r := range rows {
		drawRow(r, false)
	}
	p.font("", bodySize)
	f.Ln(2)
}

// rowCells draws one table row at the current position and moves below it.
func (p *pdfWriter) rowCells(widths []float64, cells []string, lh float64, shade bool) {
	f := p.f
	x0, y0 := margin, f.GetY()
	bottom := y0
	f.SetAutoPageBreak(false, 18)
	x := x0
	for i, c := range cells {
		f.SetXY(x, y0+0.8)
		f.MultiCell(widths[i], lh, c, "", "L", false)
		bottom = max(bottom, f.GetY())
		x += widths[i]
	}
	f.SetAutoPageBreak(true, 18)
	bottom += 0.8
	f.SetDrawColor(190, 190, 190)
	if shade {
		f.SetDrawColor(120, 120, 120)
	}
	f.Line(x0, bottom, x0+p.width, bottom)
	f.SetDrawColor(0, 0, 0)
	f.SetXY(x0, bottom)
}

// usDate is how the PDF, and the preview that shows what it will hold, write a day
// for US readers: "Nov 30, 2026". The JSON export keeps ISO dates (docs/formats.md).
const usDate = "Jan 2, 2006"

// shownDate writes an ISO day (YYYY-MM-DD, as the document holds it) the US way;
// anything else (empty, or a partial date) as it is.
func shownDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format(usDate)
}
