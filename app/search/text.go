package search

// textStore keeps the documents' text for snippets in large chunks of bytes, so
// that 250,000 notes are a few hundred allocations the collector need not scan,
// and a document's text can be wiped in place when it dies.
type textStore struct {
	chunks [][]byte
}

// textChunk is the size of one chunk; a text longer than that gets a chunk of its
// own.
const textChunk = 4 << 20

// textRef locates one text.
type textRef struct {
	chunk uint32
	off   uint32
	n     uint32
}

func (s *textStore) add(t string) textRef {
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])+len(t) > cap(s.chunks[last]) {
		s.chunks = append(s.chunks, make([]byte, 0, max(textChunk, len(t))))
		last++
	}
	c := s.chunks[last]
	ref := textRef{chunk: uint32(last), off: uint32(len(c)), n: uint32(len(t))}
	s.chunks[last] = append(c, t...)
	return ref
}

// get returns the text; it shares the chunk's memory, so it is valid only while
// the document lives and the caller holds the index's lock.
func (s *textStore) get(r textRef) string {
	b := s.chunks[r.chunk][r.off : r.off+r.n]
	return unsafeString(b)
}

// wipe zeroes a dead document's text.
func (s *textStore) wipe(r textRef) {
	clear(s.chunks[r.chunk][r.off : r.off+r.n])
}

// drop zeroes every chunk and lets them go.
func (s *textStore) drop() {
	for _, c := range s.chunks {
		clear(c[:cap(c)])
	}
	s.chunks = nil
}

// getFrom copies t into store w and returns the copy (a view of w's chunk).
func (*textStore) getFrom(w *textStore, t string) string {
	if t == "" {
		return ""
	}
	return w.get(w.add(t))
}
