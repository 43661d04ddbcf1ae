package crypto

import (
	"fmt"
	"testing"
)

// The hash depends on the set only: order does not matter, removing undoes adding,
// and a missing, extra or changed element changes it.
func TestLtHashIsASetHash(t *testing.T) {
	elems := [][]byte{[]byte("note 1 v1"), []byte("note 2 v1"), []byte("checklist 7 v3")}
	var a, b LtHash
	for _, e := range elems {
		a.Add(e)
	}
	for i := len(elems) - 1; i >= 0; i-- {
		b.Add(elems[i])
	}
	if !a.Equal(&b) {
		t.Fatal("the order of adding changed the hash")
	}
	b.Add([]byte("note 3 v1"))
	if a.Equal(&b) {
		t.Fatal("an extra element did not change the hash")
	}
	b.Remove([]byte("note 3 v1"))
	if !a.Equal(&b) {
		t.Fatal("removing an element did not undo adding it")
	}
	b.Remove([]byte("note 1 v1"))
	b.Add([]byte("note 1 v0")) // an older version comes back
	if a.Equal(&b) {
		t.Fatal("an element replaced by an older version did not change the hash")
	}
	var c LtHash
	c.Combine(&a)
	c.Subtract(&a)
	if !c.IsZero() {
		t.Fatal("subtracting a hash from itself is not the empty set")
	}
	p, err := ParseLtHash(a.Bytes())
	if err != nil || !p.Equal(&a) || p.Sum() != a.Sum() {
		t.Fatal("an LtHash does not survive encoding")
	}
	if _, err := ParseLtHash(a.Bytes()[1:]); err == nil {
		t.Fatal("a short LtHash parsed")
	}
}

func BenchmarkLtHashAdd(b *testing.B) {
	var h LtHash
	e := []byte(fmt.Sprintf("%064x", 42))
	b.ReportAllocs()
	for b.Loop() {
		h.Add(e)
	}
}
