package search

import (
	"container/heap"
	"math"
	"slices"
	"strings"
	"time"

	"casenotes/app"
)

// Query is one search: the words (see query.go) and the filters. Empty filters
// match everything.
type Query struct {
	Text string
	// Case keeps the hits of one case.
	Case app.ID
	// Kind keeps notes (and their addenda) of one kind.
	Kind app.NoteKind
	// Author keeps what one person wrote (letter case ignored).
	Author string
	// Since and Until keep what is dated within those days (both inclusive).
	Since, Until time.Time
	// Sensitivity keeps notes (and their addenda) of one sensitivity.
	Sensitivity app.Sensitivity
	// Status keeps hits in cases with that status.
	Status app.CaseStatus
	// Sources keeps only those kinds of text (notes, addenda, checklist ...).
	Sources []app.SearchSource
	// Limit is the number of hits wanted (20 when zero); Offset skips the first.
	Limit, Offset int
}

// DefaultLimit is the page size when a query names none.
const DefaultLimit = 20

// Hit is one document found. A privileged note's hit (and its addenda's) has no
// snippet: it shows kind, author and date until the note is opened.
type Hit struct {
	Case        app.ID
	CaseNumber  string
	Alias       string
	Source      app.SearchSource
	Key         app.Key // the record found
	Note        app.ID  // the note to open, for notes and addenda
	Kind        app.NoteKind
	Sensitivity app.Sensitivity
	Draft       bool
	Author      string
	Date        time.Time
	Label       string // a checklist item's title, a timeline event's kind ...
	// Snippet is a few lines around the words found; Highlights are the byte
	// ranges of those words in it.
	Snippet    string
	Highlights [][2]int
	Privileged bool
	Score      float64
}

// Results are a page of hits, best first, and how many there are in all.
type Results struct {
	Hits  []Hit
	Total int
}

// BM25 parameters, the usual ones (and FTS5's).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// iter walks the documents one clause matches, in document order.
type iter interface {
	// seek moves to the first document at or after d; ok is false past the end.
	seek(d uint32) (doc uint32, ok bool)
	// score is the clause's BM25 part for the current document.
	score() float64
	// size estimates how many documents the clause matches.
	size() int
}

// termIter is one term's postings.
type termIter struct {
	c   *cursor
	idf float64
	x   *index
}

func (t *termIter) seek(d uint32) (uint32, bool) {
	if !t.c.seek(d) {
		return 0, false
	}
	return t.c.doc, true
}

func (t *termIter) score() float64 { return t.x.bm25(t.idf, float64(t.c.tf), t.c.doc) }
func (t *termIter) size() int      { return int(t.c.p.n) }

// listIter is a clause already worked out: sorted documents with their scores.
type listIter struct {
	docs   []uint32
	scores []float32
	i      int
}

func (l *listIter) seek(d uint32) (uint32, bool) {
	if l.i < len(l.docs) && l.docs[l.i] >= d {
		return l.docs[l.i], true
	}
	// Gallop, then binary search the last step.
	lo, step := l.i, 1
	for lo+step < len(l.docs) && l.docs[lo+step] < d {
		lo += step
		step *= 2
	}
	hi := min(lo+step, len(l.docs))
	j, _ := slices.BinarySearch(l.docs[lo:hi], d)
	l.i = lo + j
	if l.i >= len(l.docs) {
		return 0, false
	}
	return l.docs[l.i], true
}

func (l *listIter) score() float64 { return float64(l.scores[l.i]) }
func (l *listIter) size() int      { return len(l.docs) }

// emptyIter matches nothing.
type emptyIter struct{}

func (emptyIter) seek(uint32) (uint32, bool) { return 0, false }
func (emptyIter) score() float64             { return 0 }
func (emptyIter) size() int                  { return 0 }

// idf is a term's inverse document frequency over live documents.
func (x *index) idf(df uint32) float64 {
	n := float64(x.live)
	f := float64(df)
	return math.Log(1 + (n-f+0.5)/(f+0.5))
}

// bm25 is one term's score in document d.
func (x *index) bm25(idf, tf float64, d uint32) float64 {
	avg := 1.0
	if x.live > 0 {
		avg = float64(x.total) / float64(x.live)
	}
	l := float64(x.docs.at(d).length)
	return idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*l/avg))
}

// clauseIter builds the iterator of one clause.
func (x *index) clauseIter(c clause) iter {
	last := len(c.terms) - 1
	if len(c.terms) == 1 && !c.prefix {
		t, ok := x.terms[c.terms[0]]
		if !ok {
			return emptyIter{}
		}
		return &termIter{c: newCursor(&x.posts[t]), idf: x.idf(x.posts[t].df), x: x}
	}
	if len(c.terms) == 1 {
		ts := x.withPrefix(c.terms[0])
		if len(ts) == 1 {
			return &termIter{c: newCursor(&x.posts[ts[0]]), idf: x.idf(x.posts[ts[0]].df), x: x}
		}
		return x.union(ts)
	}
	// A phrase: every term at consecutive positions; the last may be a prefix.
	fixed := make([]uint32, 0, last)
	for _, term := range c.terms[:last] {
		t, ok := x.terms[term]
		if !ok {
			return emptyIter{}
		}
		fixed = append(fixed, t)
	}
	var alts []uint32
	if c.prefix {
		alts = x.withPrefix(c.terms[last])
	} else if t, ok := x.terms[c.terms[last]]; ok {
		alts = []uint32{t}
	}
	if len(alts) == 0 {
		return emptyIter{}
	}
	return x.phrase(fixed, alts)
}

// union is the documents of several terms (a prefix), each scored with the sum of
// its terms' scores. A small union collects pairs and sorts them; a large one adds
// into one slot per document.
func (x *index) union(ts []uint32) iter {
	var pairs int
	for _, t := range ts {
		pairs += int(x.posts[t].n)
	}
	out := &listIter{}
	if pairs < x.docs.len()/16 {
		type pair struct {
			d uint32
			s float32
		}
		ps := make([]pair, 0, pairs)
		for _, t := range ts {
			idf := x.idf(x.posts[t].df)
			c := newCursor(&x.posts[t])
			for c.next() {
				ps = append(ps, pair{c.doc, float32(x.bm25(idf, float64(c.tf), c.doc))})
			}
		}
		slices.SortFunc(ps, func(a, b pair) int { return int(a.d) - int(b.d) })
		for _, p := range ps {
			if n := len(out.docs); n > 0 && out.docs[n-1] == p.d {
				out.scores[n-1] += p.s
				continue
			}
			out.docs = append(out.docs, p.d)
			out.scores = append(out.scores, p.s)
		}
		return out
	}
	acc := make([]float32, x.docs.len())
	hit := make([]uint64, len(x.dead))
	for _, t := range ts {
		idf := x.idf(x.posts[t].df)
		c := newCursor(&x.posts[t])
		for c.next() {
			acc[c.doc] += float32(x.bm25(idf, float64(c.tf), c.doc))
			hit[c.doc/64] |= 1 << (c.doc % 64)
		}
	}
	for w, bits := range hit {
		for bits != 0 {
			b := uint32(w*64) + uint32(trailingZeros(bits))
			bits &= bits - 1
			out.docs = append(out.docs, b)
			out.scores = append(out.scores, acc[b])
		}
	}
	return out
}

// phrase is the documents where the fixed terms and then one of alts occur at
// consecutive positions; each scores as its terms would with the phrase's count as
// their frequency.
func (x *index) phrase(fixed, alts []uint32) iter {
	curs := make([]*cursor, len(fixed))
	idfSum := 0.0
	for i, t := range fixed {
		curs[i] = newCursor(&x.posts[t])
		idfSum += x.idf(x.posts[t].df)
	}
	altCurs := make([]*cursor, len(alts))
	for i, t := range alts {
		altCurs[i] = newCursor(&x.posts[t])
	}
	minAltIdf := math.Inf(1)
	for _, t := range alts {
		minAltIdf = min(minAltIdf, x.idf(x.posts[t].df))
	}
	idfSum += minAltIdf
	out := &listIter{}
	var posBuf [][]uint32 = make([][]uint32, len(fixed))
	var altPos []uint32
	var d uint32
	// Leapfrog over the fixed terms to documents that hold them all.
	for {
		ok := true
		for {
			agreed := true
			for _, c := range curs {
				if !c.seek(d) {
					ok = false
					break
				}
				if c.doc > d {
					d, agreed = c.doc, false
				}
			}
			if !ok || agreed {
				break
			}
		}
		if !ok {
			break
		}
		for i, c := range curs {
			posBuf[i] = c.positions(posBuf[i][:0])
		}
		count := 0
		for _, ac := range altCurs {
			if !ac.seek(d) || ac.doc != d {
				continue
			}
			altPos = ac.positions(altPos[:0])
			count += phraseCount(posBuf, altPos)
		}
		if count > 0 {
			out.docs = append(out.docs, d)
			tf := float64(count)
			out.scores = append(out.scores, float32(x.bm25(idfSum, tf, d)))
		}
		d++
	}
	return out
}

// phraseCount counts the starts p where term i of the phrase is at p+i and the
// last term at p+len(fixed).
func phraseCount(fixed [][]uint32, last []uint32) int {
	n := 0
	for _, p := range fixed[0] {
		ok := true
		for i := 1; i < len(fixed) && ok; i++ {
			_, ok = slices.BinarySearch(fixed[i], p+uint32(i))
		}
		if ok {
			if _, found := slices.BinarySearch(last, p+uint32(len(fixed))); found {
				n++
			}
		}
	}
	return n
}

func trailingZeros(v uint64) int {
	n := 0
	for v&1 == 0 {
		v >>= 1
		n++
	}
	return n
}

// filter is a query's filters, resolved against the index.
type filter struct {
	q       *Query
	caseIdx uint32
	hasCase bool
	author  string
	since   int64
	until   int64
	sources []app.SearchSource
}

func (x *index) newFilter(q *Query) (filter, bool) {
	f := filter{q: q, author: strings.ToLower(strings.TrimSpace(q.Author)), sources: q.Sources,
		since: math.MinInt64, until: math.MaxInt64}
	if !q.Case.IsZero() {
		ci, ok := x.caseOf[q.Case]
		if !ok {
			return f, false
		}
		f.caseIdx, f.hasCase = ci, true
	}
	if !q.Since.IsZero() {
		y, m, dd := q.Since.Date()
		f.since = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix()
	}
	if !q.Until.IsZero() {
		y, m, dd := q.Until.Date()
		f.until = time.Date(y, m, dd+1, 0, 0, 0, 0, time.UTC).Unix() - 1
	}
	return f, true
}

// keep reports whether document d passes the filters.
func (x *index) keep(f *filter, d uint32) bool {
	dc := x.docs.at(d)
	if f.hasCase && dc.caseIdx != f.caseIdx {
		return false
	}
	if dc.date < f.since || dc.date > f.until {
		return false
	}
	q := f.q
	if q.Kind != "" && dc.kind != q.Kind {
		return false
	}
	if q.Sensitivity != "" && dc.sensitivity != q.Sensitivity {
		return false
	}
	if q.Status != "" && x.cases[dc.caseIdx].status != q.Status {
		return false
	}
	if len(f.sources) > 0 && !slices.Contains(f.sources, dc.source) {
		return false
	}
	if f.author != "" && strings.ToLower(x.strs[dc.author]) != f.author {
		return false
	}
	return !x.cases[dc.caseIdx].gone
}

// scored is a candidate hit.
type scored struct {
	d uint32
	s float64
}

// topK keeps the best k candidates: a min-heap by score (ties: the newer document
// first, so the order is stable).
type topK []scored

func (h topK) Len() int { return len(h) }
func (h topK) Less(i, j int) bool {
	if h[i].s != h[j].s {
		return h[i].s < h[j].s
	}
	return h[i].d < h[j].d
}
func (h topK) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *topK) Push(v any)   { *h = append(*h, v.(scored)) }
func (h *topK) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

// run executes parsed clauses with filters; the caller holds the read lock.
func (x *index) run(clauses []clause, q *Query) Results {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	offset := max(q.Offset, 0)
	f, ok := x.newFilter(q)
	if !ok {
		return Results{}
	}
	var pos, neg []iter
	for _, c := range clauses {
		it := x.clauseIter(c)
		if c.not {
			neg = append(neg, it)
		} else {
			pos = append(pos, it)
		}
	}
	slices.SortFunc(pos, func(a, b iter) int { return a.size() - b.size() })
	if pos[0].size() == 0 {
		return Results{}
	}
	k := offset + limit
	h := make(topK, 0, k)
	total := 0
	var d uint32
outer:
	for {
		doc, ok := pos[0].seek(d)
		if !ok {
			break
		}
		d = doc
		// Every other required clause must hold d; if one is past it, jump there.
		for _, it := range pos[1:] {
			o, ok := it.seek(d)
			if !ok {
				break outer
			}
			if o != d {
				d = o
				continue outer
			}
		}
		for _, it := range neg {
			if o, ok := it.seek(d); ok && o == d {
				d++
				continue outer
			}
		}
		if x.isDead(d) || !x.keep(&f, d) {
			d++
			continue
		}
		s := 0.0
		for _, it := range pos {
			s += it.score()
		}
		total++
		if len(h) < k {
			heap.Push(&h, scored{d, s})
		} else if s > h[0].s || s == h[0].s && d > h[0].d {
			h[0] = scored{d, s}
			heap.Fix(&h, 0)
		}
		d++
	}
	best := make([]scored, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		best[i] = heap.Pop(&h).(scored)
	}
	res := Results{Total: total}
	if offset >= len(best) {
		return res
	}
	m := newMatcher(clauses)
	for _, sc := range best[offset:] {
		res.Hits = append(res.Hits, x.hit(sc, m))
	}
	return res
}

// hit makes the hit of a document: its case, what it is, and a snippet unless it
// is privileged.
func (x *index) hit(sc scored, m *matcher) Hit {
	dc := x.docs.at(sc.d)
	ci := &x.cases[dc.caseIdx]
	h := Hit{
		// The number and alias live in the index's chunks, wiped at lock: the hit
		// gets copies.
		Case: ci.id, CaseNumber: strings.Clone(ci.number), Alias: strings.Clone(ci.alias), Source: dc.source, Key: dc.key,
		Note: dc.note, Kind: dc.kind, Sensitivity: dc.sensitivity, Draft: dc.draft,
		Author: x.strs[dc.author], Date: x.docDate(sc.d), Label: x.strs[dc.label], Score: sc.s,
		Privileged: dc.sensitivity == app.SensitivityAdvocatePrivileged,
	}
	if !h.Privileged {
		h.Snippet, h.Highlights = m.snippet(x.text.get(dc.text))
	}
	return h
}
