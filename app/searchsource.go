package app

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// What the search index (app/search) reads. The index lives in memory only: it is
// built after unlock from one read snapshot (ScanSearchable), kept in step with every
// commit by an observer (SearchableOf on each committed record), and dropped when the
// vault locks (OnLock). This file decides what is searchable; the legal identity,
// identity reveals and drafts' autosave records are never offered to it.

// SearchSource says what a piece of searchable text is.
type SearchSource string

// Search sources.
const (
	SourceNote       SearchSource = "note"
	SourceAddendum   SearchSource = "addendum"
	SourceCase       SearchSource = "case"       // case number, title and the victim's alias
	SourceChecklist  SearchSource = "checklist"  // the notes and reason written on a checklist item
	SourceTimeline   SearchSource = "timeline"   // an event's description and source
	SourceReferral   SearchSource = "referral"   // the partner a young person was referred to
	SourceAttachment SearchSource = "attachment" // an attachment's file name or an evidence reference
)

// SearchRecord is one piece of case text, with what a search filters and shows by.
type SearchRecord struct {
	Key    Key
	Source SearchSource
	Case   ID
	// Note is the note a note or addendum belongs to: the one a hit opens.
	Note ID
	// Kind and Sensitivity are a note's; an addendum takes its note's (the index
	// knows the note).
	Kind        NoteKind
	Sensitivity Sensitivity
	Draft       bool
	Author      string
	Date        time.Time
	// Label names the thing when it is not a note: a checklist item's title, a
	// timeline event's kind, a referral's service.
	Label string
	Text  string
	// Summary is the case's list entry (number, alias, status), for SourceCase.
	Summary *CaseSummary
}

// searchableTypes are the record types that hold searchable text, in the order a
// build reads them: the case list first (so hits can name their case), notes before
// their addenda.
var searchableTypes = []RecordType{RecCaseIndex, RecNote, RecAddendum, RecChecklist,
	RecTimeline, RecReferral, RecAttachment}

// Searchable reports whether records of type t can hold searchable text: an
// observer skips the rest without decoding them.
func Searchable(t RecordType) bool {
	for _, s := range searchableTypes {
		if s == t {
			return true
		}
	}
	return false
}

// SearchableOf reads a record as searchable text. ok is false for a record that
// holds none (a checklist item nobody wrote on, an attachment still being added);
// a record that does not decode is reported as ErrIntegrity.
func SearchableOf(k Key, value []byte) (rec SearchRecord, ok bool, err error) {
	rec = SearchRecord{Key: k, Case: k.Case}
	bad := func(error) (SearchRecord, bool, error) {
		return SearchRecord{}, false, ErrIntegrity
	}
	switch k.Type {
	case RecCaseIndex:
		var s CaseSummary
		if err := json.Unmarshal(value, &s); err != nil {
			return bad(err)
		}
		rec.Source, rec.Case, rec.Summary = SourceCase, s.ID, &s
		rec.Date = s.Opened
		rec.Text = joinText(s.Number, s.Title, s.Alias)
	case RecNote:
		var n Note
		if !decodeNoteFields(value, &n) {
			n = Note{}
			if err := json.Unmarshal(value, &n); err != nil {
				return bad(err)
			}
		}
		rec.Source, rec.Note, rec.Kind, rec.Sensitivity = SourceNote, n.ID, n.Kind, n.Sensitivity
		rec.Draft, rec.Author, rec.Date, rec.Text = !n.Final(), n.Author, n.Created, n.Body
	case RecAddendum:
		var a Addendum
		if err := json.Unmarshal(value, &a); err != nil {
			return bad(err)
		}
		rec.Source, rec.Note, rec.Author, rec.Date, rec.Text = SourceAddendum, a.Note, a.Author, a.Created, a.Body
	case RecChecklist:
		// Most of a vault's records are checklist items (85 a case) and few carry
		// notes or a reason: skip the others without decoding them. The records
		// are written compact by encoding/json, and `"notes":` can only appear in
		// one as a key (inside a string the quote would be escaped).
		if !bytes.Contains(value, []byte(`"notes":`)) && !bytes.Contains(value, []byte(`"reason":`)) {
			return SearchRecord{}, false, nil
		}
		var it ChecklistItem
		if err := json.Unmarshal(value, &it); err != nil {
			return bad(err)
		}
		rec.Source, rec.Label, rec.Author, rec.Date = SourceChecklist, it.Title, it.UpdatedBy, it.Updated
		rec.Text = joinText(it.Notes, it.Reason)
	case RecTimeline:
		var ev TimelineEvent
		if err := json.Unmarshal(value, &ev); err != nil {
			return bad(err)
		}
		rec.Source, rec.Label, rec.Author, rec.Date = SourceTimeline, string(ev.Kind), ev.By, ev.Date
		rec.Text = joinText(ev.Description, ev.Source)
	case RecReferral:
		var ref Referral
		if err := json.Unmarshal(value, &ref); err != nil {
			return bad(err)
		}
		rec.Source, rec.Label, rec.Author, rec.Date, rec.Text = SourceReferral, string(ref.Service), ref.By, ref.Created, ref.Partner
	case RecAttachment:
		rec.Source = SourceAttachment
		if k.Order == evidenceOrder {
			var ev EvidenceReference
			if err := json.Unmarshal(value, &ev); err != nil {
				return bad(err)
			}
			rec.Label, rec.Author, rec.Date = "evidence reference", ev.AddedBy, ev.Added
			rec.Text = joinText(ev.System, ev.ReferenceID, ev.Description)
			break
		}
		var a attachmentRecord
		if err := json.Unmarshal(value, &a); err != nil {
			return bad(err)
		}
		if a.Pending {
			return SearchRecord{}, false, nil
		}
		rec.Label, rec.Author, rec.Date, rec.Text = a.Kind, a.AddedBy, a.Added, a.Name
	default:
		return SearchRecord{}, false, nil
	}
	return rec, strings.TrimSpace(rec.Text) != "", nil
}

// joinText joins the non-empty parts of a record's text, one per line.
func joinText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return b.String()
}

// ScanSearchable calls fn with every searchable record of the vault, read in one
// snapshot, as stored (decode each with SearchableOf). stop is checked between
// records: when it returns true the scan ends early without an error (the vault is
// locking). Values are the caller's to keep.
func (r *Records) ScanSearchable(stop func() bool, fn func(k Key, value []byte) error) error {
	return r.view(func(t Tx) error {
		for _, typ := range searchableTypes {
			stopped := false
			err := t.Scan(typ, ID{}, func(k Key, v []byte) error {
				if stop != nil && stop() {
					stopped = true
					return ErrStopScan
				}
				return fn(k, v)
			})
			if err != nil || stopped {
				return err
			}
		}
		return nil
	})
}

// ScanSearchableCases calls fn with the list entry of every case (RecCaseIndex,
// one small record a case), read in one snapshot: a build reads these first, to
// know the cases, then the parts (ScanSearchablePart) in parallel.
func (r *Records) ScanSearchableCases(stop func() bool, fn func(k Key, value []byte) error) error {
	return r.view(func(t Tx) error {
		return t.Scan(RecCaseIndex, ID{}, func(k Key, v []byte) error {
			if stop != nil && stop() {
				return ErrStopScan
			}
			return fn(k, v)
		})
	})
}

// ScanSearchablePart calls fn with every searchable record of the cases whose
// identifier starts with a byte from first to last, read in one snapshot of its
// own, type by type (notes before their addenda). Case identifiers are random, so
// equal ranges of that byte hold about as many records: a build gives the parts to
// one goroutine a core, and each unseals and decodes its own share (one snapshot
// for the whole vault would leave all of it to one goroutine). The snapshots of
// different parts are taken at different moments; a build that observes commits
// from before the first of them and applies them after the last (app/search does)
// misses none. stop is checked between records. A record that does not unseal is
// left out (`casenotes check` is what reports damage). Values are the caller's to
// keep.
func (r *Records) ScanSearchablePart(first, last byte, stop func() bool, fn func(k Key, value []byte) error) error {
	return r.view(func(t Tx) error {
		for _, typ := range searchableTypes {
			if typ == RecCaseIndex {
				continue // vault-level entries: ScanSearchableCases
			}
			stopped := false
			// Every key of the part sorts after this prefix of its first one.
			err := t.Walk([]byte{byte(typ), first}, func(k Key, _, v []byte, err error) error {
				if k.Type != typ || k.Case[0] > last {
					return ErrStopScan // past the part (or a key of another shape)
				}
				if stop != nil && stop() {
					stopped = true
					return ErrStopScan
				}
				if err != nil {
					return nil
				}
				return fn(k, v)
			})
			if err != nil || stopped {
				return err
			}
		}
		return nil
	})
}

// pageReleaser is a store that can hand back to the system the pages of its
// files that reads mapped into the process (storage.Store).
type pageReleaser interface{ ReleaseMappedPages() }

// ReleaseReadPages hands back to the system the pages of the store's files that a
// read of the whole vault (an index build) mapped into the process: without it
// the process keeps as much resident as the vault's size on disk. Later reads map
// what they need again. It does nothing for a locked vault or a store that cannot.
func (r *Records) ReleaseReadPages() {
	pr, ok := r.path.store.(pageReleaser)
	if !ok {
		return
	}
	_ = r.view(func(Tx) error { pr.ReleaseMappedPages(); return nil })
}

// Viewer is the name of the person searching: the author whose drafts they may
// see (Records.User, else the profile's display name; empty when neither is set).
func (r *Records) Viewer() (string, error) {
	var name string
	err := r.view(func(t Tx) error { name = r.who(t); return nil })
	return name, err
}

// OnLock registers fn to run when the vault starts to lock, before the store
// closes: something that holds case data in memory (the search index) drops it
// there, and a long read (an index build) stops so the lock need not wait for it.
// fn must be quick and must not read or write the store. remove unregisters it.
func (r *Records) OnLock(fn func()) (remove func()) {
	p := r.path
	p.obsMu.Lock()
	defer p.obsMu.Unlock()
	if p.lockHooks == nil {
		p.lockHooks = map[int]func(){}
	}
	id := p.nextObs
	p.nextObs++
	p.lockHooks[id] = fn
	return func() {
		p.obsMu.Lock()
		defer p.obsMu.Unlock()
		delete(p.lockHooks, id)
	}
}

// locking runs the lock hooks once, as the path starts to close.
func (p *commitPath) locking() {
	p.obsMu.Lock()
	hooks := p.lockHooks
	p.lockHooks = nil
	p.obsMu.Unlock()
	for _, fn := range hooks {
		fn()
	}
}

// Open reports ErrLocked once the vault has locked, and nil while it is open: a
// service that answers from memory checks it so it never answers for a locked vault.
func (r *Records) Open() error {
	r.path.state.RLock()
	defer r.path.state.RUnlock()
	if r.path.closed {
		return ErrLocked
	}
	return nil
}
