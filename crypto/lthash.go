package crypto

import (
	"crypto/sha3"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// LtHash is a homomorphic hash of a multiset (Bellare-Micciancio's lattice hash,
// in the LtHash16 form Facebook published in 2019): each element is expanded by
// SHAKE-256 into 1,024 16-bit lanes, and the set's hash is their lane-wise sum
// modulo 2^16. Adding or removing one element costs one expansion, whatever the size
// of the set, so the vault keeps a digest of every record it holds up to date on
// each write, and a record that disappears, comes back in an older version or is
// added behind the app's back changes the digest. Unlike a XOR of hashes, finding a
// different set with the same sum is a hard lattice problem (about 200-bit security
// at this size).
type LtHash struct {
	lanes [ltLanes]uint16
}

const (
	ltLanes = 1024
	// LtHashSize is the encoded size of an LtHash.
	LtHashSize = 2 * ltLanes
)

// ltDomain separates this use of SHAKE-256 from every other.
const ltDomain = "casenotes/v1 lthash element\x00"

// expand fills buf with an element's vector, little-endian lanes.
func expand(element []byte, buf *[LtHashSize]byte) {
	h := sha3.NewSHAKE256()
	h.Write([]byte(ltDomain))
	h.Write(element)
	h.Read(buf[:])
}

// Add puts one element into the set.
func (h *LtHash) Add(element []byte) { AddTo(element, h) }

// Remove takes one element out of the set.
func (h *LtHash) Remove(element []byte) { RemoveFrom(element, h) }

// AddTo puts one element into each of the sets, expanding it once: the vault's
// digest and its case's move together on every write, and the expansion is the
// cost of a write's digest.
func AddTo(element []byte, sets ...*LtHash) {
	var v LtVector
	v.Expand(element)
	v.AddTo(sets...)
}

// RemoveFrom takes one element out of each of the sets, expanding it once.
func RemoveFrom(element []byte, sets ...*LtHash) {
	var v LtVector
	v.Expand(element)
	v.RemoveFrom(sets...)
}

// LtVector is an element's expansion: made once (on any goroutine: a change of
// thousands of records expands them in parallel), then added to or taken from
// the sets it moves.
type LtVector [LtHashSize]byte

// Expand makes v the vector of element.
func (v *LtVector) Expand(element []byte) { expand(element, (*[LtHashSize]byte)(v)) }

// AddTo adds the vector to each set.
func (v *LtVector) AddTo(sets ...*LtHash) { v.move(false, sets) }

// RemoveFrom subtracts the vector from each set.
func (v *LtVector) RemoveFrom(sets ...*LtHash) { v.move(true, sets) }

// move adds the vector to each set, or subtracts it (lane-wise, modulo 2^16).
func (v *LtVector) move(out bool, sets []*LtHash) {
	for _, h := range sets {
		for i := range h.lanes {
			x := binary.LittleEndian.Uint16(v[2*i:])
			if out {
				x = -x
			}
			h.lanes[i] += x
		}
	}
}

// Combine adds every element of o to h.
func (h *LtHash) Combine(o *LtHash) {
	for i := range h.lanes {
		h.lanes[i] += o.lanes[i]
	}
}

// Subtract removes every element of o from h.
func (h *LtHash) Subtract(o *LtHash) {
	for i := range h.lanes {
		h.lanes[i] -= o.lanes[i]
	}
}

// Equal compares two hashes in constant time.
func (h *LtHash) Equal(o *LtHash) bool {
	return subtle.ConstantTimeCompare(h.Bytes(), o.Bytes()) == 1
}

// IsZero reports whether h is the hash of the empty set.
func (h *LtHash) IsZero() bool { return h.Equal(&LtHash{}) }

// Bytes is the encoded hash.
func (h *LtHash) Bytes() []byte {
	b := make([]byte, LtHashSize)
	for i, l := range h.lanes {
		binary.LittleEndian.PutUint16(b[2*i:], l)
	}
	return b
}

// Sum is a short, fixed-size commitment to the hash (SHA3-256 of its bytes), for a
// place too small for the whole hash, such as the vault header's anchor.
func (h *LtHash) Sum() [32]byte { return sha3.Sum256(h.Bytes()) }

// ParseLtHash reads an encoded hash.
func ParseLtHash(b []byte) (*LtHash, error) {
	if len(b) != LtHashSize {
		return nil, errors.New("crypto: an LtHash is 2048 bytes")
	}
	h := new(LtHash)
	for i := range h.lanes {
		h.lanes[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return h, nil
}
