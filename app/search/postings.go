package search

import "encoding/binary"

// Postings: for each term, the documents it occurs in, in increasing document
// order, each with how often and where. One entry is varints: the document's
// distance from the previous entry's, the term frequency, then each position's
// distance from the previous position. Entries are only appended (a document
// that changes is a new document; the old one is marked dead), so the list stays
// sorted. A skip every skipEvery entries lets an intersection jump ahead.

// skipEvery is the number of entries between two skips.
const skipEvery = 64

// skip is where a block of entries starts: the document before it (the base its
// first delta counts from) and its byte offset.
type skip struct {
	base uint32
	off  uint32
}

// postings is one term's list.
type postings struct {
	buf   []byte
	skips []skip
	last  uint32 // the last document appended
	n     uint32 // entries, dead documents included
	df    uint32 // live documents
}

// add appends document d with the term's positions in it (ascending, non-empty).
// d is above every document already in the list.
func (p *postings) add(d uint32, positions []uint32) {
	if p.n%skipEvery == 0 {
		p.skips = append(p.skips, skip{base: p.last, off: uint32(len(p.buf))})
	}
	p.buf = binary.AppendUvarint(p.buf, uint64(d-p.last))
	p.buf = binary.AppendUvarint(p.buf, uint64(len(positions)))
	prev := uint32(0)
	for _, pos := range positions {
		p.buf = binary.AppendUvarint(p.buf, uint64(pos-prev))
		prev = pos
	}
	p.last = d
	p.n++
	p.df++
}

// cursor walks one postings list.
type cursor struct {
	p    *postings
	off  int    // offset of the next entry
	i    uint32 // index of the next entry
	doc  uint32 // the current entry's document
	tf   uint32
	pos  int // offset of the current entry's positions
	done bool
}

func newCursor(p *postings) *cursor { return &cursor{p: p} }

// next moves to the next entry; false at the end.
func (c *cursor) next() bool {
	if c.i >= c.p.n {
		c.done = true
		return false
	}
	b := c.p.buf
	d, n := binary.Uvarint(b[c.off:])
	c.off += n
	tf, n := binary.Uvarint(b[c.off:])
	c.off += n
	c.pos = c.off
	for range tf { // skip the positions
		for b[c.off] >= 0x80 {
			c.off++
		}
		c.off++
	}
	c.doc += uint32(d)
	c.tf = uint32(tf)
	c.i++
	return true
}

// seek moves to the first entry whose document is at or after target; false when
// there is none.
func (c *cursor) seek(target uint32) bool {
	if c.done {
		return false
	}
	if c.i > 0 && c.doc >= target {
		return true
	}
	// Jump over whole blocks whose last document is before target.
	blk := int(c.i / skipEvery)
	sk := c.p.skips
	if blk+1 < len(sk) && sk[blk+1].base < target {
		j := blk + 1
		for j+1 < len(sk) && sk[j+1].base < target {
			j++
		}
		c.off, c.i, c.doc = int(sk[j].off), uint32(j)*skipEvery, sk[j].base
	}
	for c.next() {
		if c.doc >= target {
			return true
		}
	}
	return false
}

// positions appends the current entry's positions to dst.
func (c *cursor) positions(dst []uint32) []uint32 {
	off := c.pos
	prev := uint32(0)
	for range c.tf {
		v, n := binary.Uvarint(c.p.buf[off:])
		off += n
		prev += uint32(v)
		dst = append(dst, prev)
	}
	return dst
}
