package app

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// The in-file duplicate check compares numbers by their folded forms; two numbers
// must be the same for it exactly when sameNumber says so.
func TestFoldNumberMatchesSameNumber(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"2026-TF-0412", "2026-tf-0412", true},
		{"2026-TF-0412", "2026-TF-0413", false},
		{"K-12", "\u212a-12", true}, // the Kelvin sign is a K with case ignored
		{"\u00df-1", "\u1e9e-1", true},
		{"\u03a3-1", "\u03c2-1", true}, // capital sigma and final sigma
		{"I-1", "\u0131-1", false},     // dotless i is not an I
		{"A.1", "A/1", false},
	} {
		if got := foldNumber(c.a) == foldNumber(c.b); got != c.same || sameNumber(c.a, c.b) != c.same {
			t.Errorf("%q and %q: folded forms equal %v, sameNumber %v; want %v", c.a, c.b, got, sameNumber(c.a, c.b), c.same)
		}
	}
}

func FuzzFoldNumber(f *testing.F) {
	f.Add("2026-TF-0412", "2026-tf-0412")
	f.Add("K-12", "\u212a-12")
	f.Add("\u00df", "\u1e9e")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return // numbers are checked as valid text before they are compared
		}
		if (foldNumber(a) == foldNumber(b)) != sameNumber(a, b) {
			t.Fatalf("%q and %q: folded forms equal %v, sameNumber %v", a, b, foldNumber(a) == foldNumber(b), sameNumber(a, b))
		}
	})
}

// BenchmarkParseLargeCaseFile parses a file of MaxFileCases cases with no notes:
// the check of each number against the others in the file is what grows with it
// (compared pairwise, 100,000 cases took 38 s).
func BenchmarkParseLargeCaseFile(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"format":"casenotes-case/v1","cases":[`)
	for i := range MaxFileCases {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"number":"2026-TF-%06d","title":"Case %d","jurisdiction":"County","opened":"2026-01-15","victim":{"alias":"V-%d"}}`, i, i, i)
	}
	sb.WriteString("]}")
	file := sb.String()
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, _, err := parseCaseFile(strings.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
}
