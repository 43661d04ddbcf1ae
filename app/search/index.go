package search

import (
	"slices"
	"strings"
	"sync"
	"time"

	"casenotes/app"
)

// index is the in-memory inverted index: documents (one per searchable record),
// their text for snippets, the term dictionary and the postings. It is guarded by
// mu: searches read under the read lock; the builder and the commit observer write
// under the write lock. Nothing in it is ever written to disk.
type index struct {
	mu sync.RWMutex

	docs  docTable
	dead  []uint64 // one bit per document: dead documents stay in postings
	byKey map[app.Key]uint32
	notes map[app.ID]uint32 // a note's live document, for its addenda
	live  int               // live documents
	total uint64            // tokens in live documents, for the average length

	terms  map[string]uint32 // folded term -> postings
	posts  []postings
	sorted []string // the terms in order, for prefixes

	cases  []caseInfo
	caseOf map[app.ID]uint32

	strs  []string // interned authors and labels
	strOf map[string]uint32

	text  textStore
	words textStore // dictionary words, case numbers and aliases: wiped at lock
	// viewer is who searches: their own drafts are indexed, nobody else's.
	viewer string
	// dropped is set once the vault locked and the index was wiped.
	dropped bool
}

// doc is one searchable record. Strings are interned (author, label) or kept in the
// text store, so the collector has few pointers to follow.
type doc struct {
	key         app.Key
	note        app.ID
	date        int64 // Unix seconds
	text        textRef
	length      uint32 // tokens
	caseIdx     uint32
	author      uint32
	label       uint32
	source      app.SearchSource
	kind        app.NoteKind
	sensitivity app.Sensitivity
	draft       bool
}

// caseInfo is what a hit shows of its case and what filters read.
type caseInfo struct {
	id     app.ID
	number string
	alias  string
	status app.CaseStatus
	gone   bool
}

func newIndex(viewer string) *index {
	return &index{
		byKey:  map[app.Key]uint32{},
		notes:  map[app.ID]uint32{},
		terms:  map[string]uint32{},
		caseOf: map[app.ID]uint32{},
		strOf:  map[string]uint32{"": 0},
		strs:   []string{""},
		viewer: viewer,
	}
}

// own copies s into the index's word chunks, so the lock can wipe it.
func (x *index) own(s string) string { return x.text.getFrom(&x.words, s) }

// ownBytes is own for a token being indexed.
func (x *index) ownBytes(b []byte) string { return x.text.getFrom(&x.words, unsafeString(b)) }

func (x *index) intern(s string) uint32 {
	if i, ok := x.strOf[s]; ok {
		return i
	}
	i := uint32(len(x.strs))
	x.strs = append(x.strs, s)
	x.strOf[s] = i
	return i
}

func (x *index) isDead(d uint32) bool { return x.dead[d/64]&(1<<(d%64)) != 0 }

// caseFor returns the case table entry of a case, adding an empty one.
func (x *index) caseFor(id app.ID) uint32 {
	if i, ok := x.caseOf[id]; ok {
		return i
	}
	i := uint32(len(x.cases))
	x.cases = append(x.cases, caseInfo{id: id})
	x.caseOf[id] = i
	return i
}

// analysis is a record read and tokenized, ready to enter the index: the builder's
// workers make these in parallel, the index takes them one at a time.
type analysis struct {
	rec    app.SearchRecord
	tokens []byte // each token: one length byte, then its folded bytes
	count  uint32
}

// analyze tokenizes a record's text.
func analyze(z *tokenizer, rec app.SearchRecord, into []byte) analysis {
	if into == nil {
		// One allocation, mostly enough: a token is its folded letters and one
		// length byte, and the separators it drops are about as many.
		into = make([]byte, 0, len(rec.Text)+16)
	}
	a := analysis{rec: rec, tokens: into[:0]}
	z.each(rec.Text, func(tok []byte, _, _, _ int) bool {
		a.tokens = append(a.tokens, byte(len(tok)))
		a.tokens = append(a.tokens, tok...)
		a.count++
		return true
	})
	return a
}

// wanted reports whether a record belongs in the index: never a draft of another
// author.
func (x *index) wanted(rec *app.SearchRecord) bool {
	return !(rec.Source == app.SourceNote && rec.Draft && rec.Author != x.viewer)
}

// put adds or replaces the document of a record. The caller holds the write lock.
func (x *index) put(a *analysis, scratch *termScratch) {
	rec := &a.rec
	x.remove(rec.Key)
	if rec.Source == app.SourceCase && rec.Summary != nil {
		ci := x.caseFor(rec.Case)
		c := &x.cases[ci]
		c.number, c.alias, c.status, c.gone = x.own(rec.Summary.Number), x.own(rec.Summary.Alias), rec.Summary.Status, false
	}
	if !x.wanted(rec) {
		return
	}
	d := uint32(x.docs.len())
	nd := doc{
		key: rec.Key, note: rec.Note, date: rec.Date.Unix(), length: a.count,
		caseIdx: x.caseFor(rec.Case), author: x.intern(rec.Author), label: x.intern(rec.Label),
		source: rec.Source, kind: rec.Kind, sensitivity: rec.Sensitivity, draft: rec.Draft,
	}
	if rec.Source == app.SourceAddendum {
		// An addendum is read with its note: it takes the note's kind and privilege.
		if nd2, ok := x.notes[rec.Note]; ok {
			nd.kind, nd.sensitivity = x.docs.at(nd2).kind, x.docs.at(nd2).sensitivity
		}
	}
	nd.text = x.text.add(rec.Text)
	x.docs.add(nd)
	if int(d/64) >= len(x.dead) {
		x.dead = append(x.dead, 0)
	}
	x.byKey[rec.Key] = d
	if rec.Source == app.SourceNote {
		x.notes[rec.Note] = d
	}
	x.live++
	x.total += uint64(a.count)
	scratch.index(x, d, a.tokens)
}

// remove marks the document of a record dead, if there is one, and wipes its text.
func (x *index) remove(k app.Key) {
	d, ok := x.byKey[k]
	if !ok {
		return
	}
	delete(x.byKey, k)
	x.kill(d)
}

// kill marks a live document dead: its terms' live counts go down, its text is
// wiped.
func (x *index) kill(d uint32) {
	if x.isDead(d) {
		return
	}
	x.dead[d/64] |= 1 << (d % 64)
	dc := x.docs.at(d)
	if dc.source == app.SourceNote {
		if cur, ok := x.notes[dc.note]; ok && cur == d {
			delete(x.notes, dc.note)
		}
	}
	z := newTokenizer()
	seen := map[uint32]bool{}
	z.each(x.text.get(dc.text), func(tok []byte, _, _, _ int) bool {
		if t, ok := x.terms[string(tok)]; ok && !seen[t] {
			seen[t] = true
			x.posts[t].df--
		}
		return true
	})
	x.text.wipe(dc.text)
	x.live--
	x.total -= uint64(dc.length)
}

// shred removes every document of a destroyed case.
func (x *index) shred(c app.ID) {
	ci, ok := x.caseOf[c]
	if !ok {
		return
	}
	for d := range uint32(x.docs.len()) {
		if dc := x.docs.at(d); dc.caseIdx == ci && !x.isDead(d) {
			delete(x.byKey, dc.key)
			x.kill(d)
		}
	}
	x.cases[ci] = caseInfo{id: c, gone: true}
}

// termScratch groups one document's token positions by term before they are
// appended to the postings; it is reused from document to document.
type termScratch struct {
	seenIn []uint32 // per term: 1 + the document it was last seen in
	slot   []int32  // per term: its slot for the current document
	order  []uint32 // the terms of the current document, first seen first
	pos    [][]uint32
	added  []string // terms added to the dictionary, for the sorted list
}

// index appends document d's tokens to the postings, adding new terms.
func (s *termScratch) index(x *index, d uint32, tokens []byte) {
	s.order = s.order[:0]
	var p uint32
	for i := 0; i < len(tokens); {
		n := int(tokens[i])
		tok := tokens[i+1 : i+1+n]
		i += 1 + n
		t, ok := x.terms[string(tok)]
		if !ok {
			t = uint32(len(x.posts))
			w := x.ownBytes(tok)
			x.terms[w] = t
			x.posts = append(x.posts, postings{})
			s.added = append(s.added, w)
		}
		for int(t) >= len(s.seenIn) {
			s.seenIn = append(s.seenIn, 0)
			s.slot = append(s.slot, 0)
		}
		if s.seenIn[t] != d+1 {
			s.seenIn[t] = d + 1
			s.slot[t] = int32(len(s.order))
			if len(s.order) < len(s.pos) {
				s.pos[len(s.order)] = s.pos[len(s.order)][:0]
			} else {
				s.pos = append(s.pos, nil)
			}
			s.order = append(s.order, t)
		}
		sl := s.slot[t]
		s.pos[sl] = append(s.pos[sl], p)
		p++
	}
	for i, t := range s.order {
		x.posts[t].add(d, s.pos[i])
	}
}

// sortTerms rebuilds the sorted term list after terms were added.
func (x *index) sortTerms() {
	x.sorted = x.sorted[:0]
	for t, i := range x.terms {
		if x.posts[i].df > 0 || x.posts[i].n > 0 {
			x.sorted = append(x.sorted, t)
		}
	}
	slices.Sort(x.sorted)
}

// addSorted puts new terms into the sorted list (a few at a time, after a commit).
func (x *index) addSorted(terms []string) {
	for _, t := range terms {
		if i, found := slices.BinarySearch(x.sorted, t); !found {
			x.sorted = slices.Insert(x.sorted, i, t)
		}
	}
}

// withPrefix returns the postings of every term that starts with prefix.
func (x *index) withPrefix(prefix string) []uint32 {
	i, _ := slices.BinarySearch(x.sorted, prefix)
	var out []uint32
	for ; i < len(x.sorted) && strings.HasPrefix(x.sorted[i], prefix); i++ {
		out = append(out, x.terms[x.sorted[i]])
	}
	return out
}

// docDate is a document's date.
func (x *index) docDate(d uint32) time.Time { return time.Unix(x.docs.at(d).date, 0).UTC() }

// docTable holds the documents in chunks of a fixed size, so adding one never
// copies those already held: one slice of 200,000 documents grown by append was
// copied again and again as it grew (about 0.7 s of the build's CPU, in pprof).
type docTable struct {
	chunks [][]doc
	n      int
}

// docChunk is how many documents one chunk holds.
const docChunk = 4096

func (t *docTable) len() int { return t.n }

// at returns document d (below len).
func (t *docTable) at(d uint32) *doc { return &t.chunks[d/docChunk][d%docChunk] }

// add appends a document.
func (t *docTable) add(nd doc) {
	if t.n%docChunk == 0 {
		t.chunks = append(t.chunks, make([]doc, 0, docChunk))
	}
	last := len(t.chunks) - 1
	t.chunks[last] = append(t.chunks[last], nd)
	t.n++
}
