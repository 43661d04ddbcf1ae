package export

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"casenotes/app"
)

// Options choose what an export is: the profile, who it is for, and whether the
// exporter chose to include the legal identity.
type Options struct {
	Profile   Profile
	Recipient Recipient
	// IncludeIdentity is the exporter's explicit choice; the identity still leaves
	// only under a covering release.
	IncludeIdentity bool
	// Now is the export time; zero takes the record service's clock.
	Now time.Time
}

// ErrReceivedCase: a case received from a partner cannot be exported as one's own.
var ErrReceivedCase = fmt.Errorf("%w: a received case cannot be exported as your own", app.ErrReadOnly)

// dayFormat is how dates read in items and reasons: "Mar 4, 2026".
const dayFormat = "Jan 2, 2006"

// ExporterOf names the exporter from the vault's profile (else the record service's
// user) and the signing key's fingerprint.
func ExporterOf(r *app.Records, keys *app.UserKeys) Exporter {
	ex := Exporter{Name: r.User}
	if p, err := r.Profile(); err == nil {
		if p.DisplayName != "" {
			ex.Name = p.DisplayName
		}
		ex.Role, ex.Agency = string(p.Role), p.Agency
	}
	if keys != nil {
		ex.SigningFingerprint = keys.SigningFingerprint()
	}
	return ex
}

// builder holds one Build's state: the release answers, asked once per kind.
type builder struct {
	r       *app.Records
	caseID  app.ID
	o       Options
	p       Profile
	d       *Document
	answers map[app.InfoKind]answer
}

type answer struct {
	ok  bool
	why string
}

// may asks whether a kind of information may go to the recipient at the export
// time, once per kind; a positive answer is recorded among the releases relied on.
func (b *builder) may(kind app.InfoKind) (bool, string, error) {
	if b.p.Everything {
		return true, "", nil
	}
	if a, ok := b.answers[kind]; ok {
		return a.ok, a.why, nil
	}
	ok, why, err := b.r.MayShare(b.caseID, kind, b.o.Recipient.app(), b.d.Created)
	if err != nil {
		return false, "", err
	}
	b.answers[kind] = answer{ok, why}
	if ok && !slices.Contains(b.d.ReliedOn, why) {
		b.d.ReliedOn = append(b.d.ReliedOn, why)
	}
	return ok, why, nil
}

func (b *builder) withhold(kind, item, reason string) {
	b.d.Withheld = append(b.d.Withheld, Withheld{Kind: kind, Item: item, Reason: reason})
}

// Build applies the profile's rules to a case and returns exactly what will leave.
// It reads the legal identity only when it will be included, and then through
// RevealIdentity, so the reveal is recorded in the case with the export's reason.
func Build(r *app.Records, caseID app.ID, ex Exporter, o Options) (*Document, error) {
	if o.Profile.Name == "" {
		o.Profile = Prosecutor
	}
	ov, err := r.Overview(caseID)
	if err != nil {
		return nil, err
	}
	if ov.Case.ReadOnly {
		return nil, ErrReceivedCase
	}
	now := o.Now
	if now.IsZero() {
		now = r.Now()
	}
	settings, err := r.Settings()
	if err != nil {
		return nil, err
	}
	d := &Document{
		Format: Format, ExportID: app.NewID(), Created: now.UTC().Truncate(time.Second),
		AppVersion: app.Version, Profile: o.Profile.Name, Title: o.Profile.Title,
		Confidentiality: settings.Notice(), Recipient: o.Recipient, Exporter: ex,
		ReliedOn: []string{}, Withheld: []Withheld{},
	}
	b := &builder{r: r, caseID: caseID, o: o, p: o.Profile, d: d, answers: map[app.InfoKind]answer{}}
	steps := []func(app.Overview) error{b.caseData, b.victim, b.identity, b.chronology, b.evidence,
		b.notes, b.checklist, b.services, b.practice, b.releases, b.reveals}
	for _, step := range steps {
		if err := step(ov); err != nil {
			return nil, err
		}
	}
	for _, s := range sectionOrder {
		if !b.p.has(s) || (s == SecIdentity && d.Identity == nil) {
			continue
		}
		d.Sections = append(d.Sections, s)
	}
	d.Counts.WithheldItems = len(d.Withheld)
	d.Counts.IdentityIncluded = d.Identity != nil
	return d, nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func (b *builder) caseData(ov app.Overview) error {
	c := ov.Case
	cd := CaseData{ID: c.ID, Number: c.Number, Status: string(c.Status), Jurisdiction: c.Jurisdiction,
		Opened: day(c.Opened), Closed: day(c.Closed)}
	if b.p.Name != Court.Name {
		cd.Title, cd.ClosedReason, cd.Indicators = c.Title, c.ClosedReason, c.Tags
	}
	if b.p.Team {
		cd.Team = c.Assigned
	}
	if b.p.Everything {
		cd.TemplateID, cd.TemplateVersion, cd.Created, cd.CreatedBy = c.TemplateID, c.TemplateVersion, c.Created, c.CreatedBy
	}
	b.d.Case = cd
	return nil
}

// ageBand is the band an exact age falls in.
func ageBand(age int) string {
	switch {
	case age <= 0:
		return ""
	case age < 12:
		return "under 12"
	case age < 15:
		return "12-14"
	case age < 18:
		return "15-17"
	default:
		return "18 or older"
	}
}

func (b *builder) victim(ov app.Overview) error {
	if !b.p.has(SecVictim) {
		return nil
	}
	v := ov.Victim
	vp := &VictimProfile{Alias: v.Alias}
	if b.p.Name == Court.Name {
		vp.AgeBand = v.AgeBand
		if vp.AgeBand == "" {
			vp.AgeBand = ageBand(v.Age)
		}
		b.d.Victim = vp
		return nil
	}
	vp.Age, vp.AgeBand, vp.Gender, vp.Languages = v.Age, v.AgeBand, v.Gender, v.Languages
	vp.InterpreterNeeded, vp.GuardianType, vp.PlacementType = v.InterpreterNeeded, v.GuardianType, v.PlacementType
	if s := v.Screening; s != nil && b.p.Screening {
		vp.Screening = &Screening{Tool: s.Tool, Version: s.Version, Date: day(s.Date), Screener: s.Screener, Concern: s.Concern}
	}
	b.d.Victim = vp
	return nil
}

// identity includes the legal identity when the profile allows it, the exporter
// chose it and a release covers it; each part (addresses, numbers) needs its own
// kind of release.
func (b *builder) identity(ov app.Overview) error {
	if !ov.HasIdentity {
		return nil
	}
	const item = "legal identity"
	switch {
	case !b.p.Identity || !b.p.has(SecIdentity):
		b.withhold("identity", item, "the "+b.p.Name+" profile never carries the legal identity")
		return nil
	case !b.p.Everything && !b.o.IncludeIdentity:
		b.withhold("identity", item, "not chosen: the exporter did not choose to include the legal identity")
		return nil
	}
	ok, why, err := b.may(app.InfoIdentity)
	if err != nil {
		return err
	}
	if !ok {
		b.withhold("identity", item, why)
		return nil
	}
	id, err := b.r.RevealIdentity(b.caseID, fmt.Sprintf("export to %s (%s profile)", b.d.Recipient.Name(), b.p.Name))
	if errors.Is(err, app.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	page := &IdentityPage{LegalName: id.LegalName, DateOfBirth: id.DateOfBirth, School: id.School}
	if len(id.Addresses) > 0 {
		ok, why, err := b.may(app.InfoLocation)
		if err != nil {
			return err
		}
		if ok {
			page.Addresses = id.Addresses
		} else {
			b.withhold("identity", "addresses", why)
		}
	}
	if len(id.ContactNumbers) > 0 {
		ok, why, err := b.may(app.InfoContact)
		if err != nil {
			return err
		}
		if ok {
			page.ContactNumbers = id.ContactNumbers
		} else {
			b.withhold("identity", "contact numbers", why)
		}
	}
	b.d.Identity = page
	return nil
}

func isReferenceEvent(kind app.EventKind) bool { return kind == "interview" || kind == "exam" }

func (b *builder) chronology(ov app.Overview) error {
	if !b.p.has(SecChronology) && !b.p.has(SecInterviews) {
		return nil
	}
	events, err := b.r.Timeline(b.caseID)
	if err != nil {
		return err
	}
	if !b.p.EventDescriptions && len(events) > 0 {
		b.withhold("section", "descriptions of the chronology", "the "+b.p.Name+" profile carries dates, kinds and sources only")
	}
	for _, ev := range events {
		e := Event{ID: ev.ID, Kind: string(ev.Kind), Date: ev.Date.UTC(), Source: ev.Source}
		if b.p.Everything {
			e.Created, e.By = ev.Created, ev.By
		}
		if b.p.EventDescriptions {
			e.Description = ev.Description
			if ev.Kind == "exam" {
				ok, why, err := b.may(app.InfoMedical)
				if err != nil {
					return err
				}
				if !ok {
					e.Description = ""
					b.withhold("event", "description of the exam of "+ev.Date.UTC().Format(dayFormat), why)
				}
			}
		}
		if b.p.has(SecChronology) {
			b.d.Chronology = append(b.d.Chronology, e)
		}
		if b.p.has(SecInterviews) && isReferenceEvent(ev.Kind) {
			b.d.Interviews = append(b.d.Interviews, e)
		}
	}
	b.d.Counts.Events = len(b.d.Chronology)
	return nil
}

// AttachmentPath is where an attachment's file goes inside a bundle: built from the
// sanitized case number and a sequence number, never from the file's own name.
func AttachmentPath(caseNumber string, n int, contentType string) string {
	return fmt.Sprintf("attachments/%s-attachment-%03d%s", SafeName(caseNumber), n, extensionFor(contentType))
}

func (b *builder) evidence(ov app.Overview) error {
	if !b.p.has(SecEvidence) {
		return nil
	}
	atts, err := b.r.Attachments(b.caseID)
	if err != nil {
		return err
	}
	refs, err := b.r.EvidenceReferences(b.caseID)
	if err != nil {
		return err
	}
	idx := &EvidenceIndex{}
	for _, a := range atts {
		e := AttachmentEntry{ID: a.ID, Name: a.Name, Kind: a.Kind, ContentType: a.ContentType, Size: a.Size,
			SHA256: a.SHA256, Added: a.Added, AddedBy: a.AddedBy}
		// A signed release carries the victim's legal name: its file and its name
		// follow the identity's rule.
		if a.Kind == app.AttachmentSignedRelease && !b.p.Everything && b.d.Identity == nil {
			e.Name = "signed release (file name withheld)"
			if b.p.Attachments {
				b.withhold("attachment", "signed release added "+a.Added.UTC().Format(dayFormat),
					"it carries the legal identity, which this export does not include")
			}
			idx.Attachments = append(idx.Attachments, e)
			continue
		}
		if b.p.Attachments {
			b.d.Counts.AttachmentFiles++
			e.File = AttachmentPath(b.d.Case.Number, b.d.Counts.AttachmentFiles, a.ContentType)
		}
		idx.Attachments = append(idx.Attachments, e)
	}
	for _, r := range refs {
		idx.References = append(idx.References, ReferenceEntry{ID: r.ID, System: r.System, ReferenceID: r.ReferenceID,
			Description: r.Description, Added: r.Added, AddedBy: r.AddedBy})
	}
	b.d.Counts.Attachments, b.d.Counts.EvidenceRefs = len(idx.Attachments), len(idx.References)
	b.d.Evidence = idx
	return nil
}

// noteItem names a note in a withheld entry without its text: its sensitivity (if
// not standard), its kind and its date.
func noteItem(n app.Note) string {
	kind := strings.ReplaceAll(string(n.Kind), "-", " ")
	if n.Sensitivity == app.SensitivityAdvocatePrivileged {
		return "advocate-privileged note of " + n.Created.UTC().Format(dayFormat)
	}
	prefix := ""
	if n.Sensitivity == app.SensitivityRestricted {
		prefix = "restricted "
	}
	return prefix + kind + " note of " + n.Created.UTC().Format(dayFormat)
}

func (b *builder) notes(ov app.Overview) error {
	notes, err := b.r.Notes(b.caseID)
	if err != nil {
		return err
	}
	c := &b.d.Counts
	for _, n := range notes {
		if !n.Final() {
			c.Drafts++
			continue
		}
		c.FinalNotes++
		if !b.p.has(SecNotes) {
			continue
		}
		allowed := slices.Contains(b.p.NoteSensitivities, n.Sensitivity)
		if n.Sensitivity == app.SensitivityAdvocatePrivileged && !b.p.Everything {
			ok, why, err := b.may(app.InfoAdvocateNotes)
			if err != nil {
				return err
			}
			if !ok {
				c.NotesWithheld++
				b.withhold("note", noteItem(n), why)
				continue
			}
			allowed = true
		}
		if !allowed {
			c.NotesWithheld++
			b.withhold("note", noteItem(n), "the "+b.p.Name+" profile does not carry "+string(n.Sensitivity)+" notes")
			continue
		}
		e := NoteEntry{ID: n.ID, Kind: string(n.Kind), Sensitivity: string(n.Sensitivity), Author: n.Author,
			Created: n.Created, Finalized: n.Finalised, FinalizedBy: n.FinalisedBy, Text: n.Body, Contact: contactEntry(n.Contact)}
		for _, a := range n.Addenda {
			e.Addenda = append(e.Addenda, AddendumEntry{ID: a.ID, Author: a.Author, Created: a.Created, Text: a.Body})
		}
		c.Addenda += len(e.Addenda)
		c.NotesIncluded++
		b.d.Notes = append(b.d.Notes, e)
	}
	if c.Drafts > 0 {
		b.withhold("drafts", plural(c.Drafts, "draft note", "draft notes"), "drafts never leave the vault; only final notes do")
	}
	if !b.p.has(SecNotes) && c.FinalNotes > 0 {
		c.NotesWithheld = c.FinalNotes
		b.withhold("section", plural(c.FinalNotes, "final note", "final notes"), "the "+b.p.Name+" profile carries no notes")
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (b *builder) checklist(ov app.Overview) error {
	if !b.p.has(SecChecklist) {
		return nil
	}
	items, err := b.r.Checklist(b.caseID)
	if err != nil {
		return err
	}
	byPhase := map[app.Phase]*PhaseEntry{}
	for _, it := range items {
		pe := byPhase[it.Phase]
		if pe == nil {
			pe = &PhaseEntry{Phase: string(it.Phase), Title: it.Phase.Title()}
			if pe.Title == "" {
				pe.Title = string(it.Phase)
			}
			byPhase[it.Phase] = pe
		}
		e := ItemEntry{ID: it.ID, TemplateItem: it.TemplateItem, Custom: it.Custom, Position: it.Position,
			Title: it.Title, Owner: string(it.Owner), Status: string(it.Status), Reason: it.Reason,
			Due: day(it.Due), CompletedBy: it.CompletedBy, CompletedAt: it.CompletedAt}
		if b.p.Everything {
			e.Notes, e.Guidance = it.Notes, it.Guidance
		}
		// A medical item's status leaves (docs/domain.md: referrals and their status
		// only); the reason typed for it is medical information.
		if it.Phase == app.PhaseMedical && e.Reason != "" {
			ok, why, err := b.may(app.InfoMedical)
			if err != nil {
				return err
			}
			if !ok {
				e.Reason = ""
				b.withhold("checklist", "the reason recorded on a medical checklist item", why)
			}
		}
		pe.Items = append(pe.Items, e)
		pe.Total++
		if it.Resolved() {
			pe.Done++
		}
	}
	for _, ph := range app.Phases {
		if pe := byPhase[ph]; pe != nil {
			b.d.Checklist = append(b.d.Checklist, *pe)
			delete(byPhase, ph)
		}
	}
	for _, pe := range byPhase { // phases this build does not know, kept rather than lost
		b.d.Checklist = append(b.d.Checklist, *pe)
	}
	b.d.Counts.ChecklistItems = len(items)
	return nil
}

// serviceKind is the kind of information a referral is: medical and therapy
// referrals are medical and mental-health information, the rest services.
func serviceKind(s app.ServiceType) app.InfoKind {
	switch s {
	case "medical":
		return app.InfoMedical
	case "therapy":
		return app.InfoMentalHealth
	}
	return app.InfoServices
}

func (b *builder) services(ov app.Overview) error {
	if !b.p.has(SecServices) {
		return nil
	}
	refs, err := b.r.Referrals(b.caseID)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		ok, why, err := b.may(serviceKind(ref.Service))
		if err != nil {
			return err
		}
		if !ok {
			b.withhold("referral", string(ref.Service)+" referral of "+ref.Created.UTC().Format(dayFormat), why)
			continue
		}
		s := Service{ID: ref.ID, Service: string(ref.Service), Partner: ref.Partner, Status: string(ref.Status),
			Due: day(ref.Due), Created: ref.Created, By: ref.By}
		for _, h := range ref.History {
			s.History = append(s.History, ServiceChange{Status: string(h.Status), At: h.At, By: h.By})
		}
		b.d.Services = append(b.d.Services, s)
	}
	b.d.Counts.Services = len(b.d.Services)
	return nil
}

// releases lists every release of the case in a transfer; other profiles name the
// releases they relied on (ReliedOn) instead.
func (b *builder) releases(ov app.Overview) error {
	if !b.p.has(SecReleases) {
		return nil
	}
	rels, err := b.r.Releases(b.caseID)
	if err != nil {
		return err
	}
	for _, rel := range rels {
		e := ReleaseEntry{ID: rel.ID, Recipient: Recipient{Organization: rel.Recipient.Organisation,
			Person: rel.Recipient.Person, Category: string(rel.Recipient.Category)},
			Signed: day(rel.Signed), Expires: day(rel.Expires), Revoked: day(rel.Revoked),
			RevokedReason: rel.RevokedReason, RevokedBy: rel.RevokedBy, Created: rel.Created, CreatedBy: rel.CreatedBy,
			Signer: signerEntry(rel.Signer)}
		for _, k := range rel.Scope {
			e.Scope = append(e.Scope, string(k))
		}
		b.d.Releases = append(b.d.Releases, e)
	}
	return nil
}

func (b *builder) reveals(ov app.Overview) error {
	if !b.p.has(SecReveals) {
		return nil
	}
	rvs, err := b.r.Reveals(b.caseID)
	if err != nil {
		return err
	}
	for _, rv := range rvs {
		b.d.Reveals = append(b.d.Reveals, RevealEntry{At: rv.At, By: rv.By, Reason: rv.Reason})
	}
	return nil
}
