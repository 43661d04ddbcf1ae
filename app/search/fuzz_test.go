package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// queryCases seed the fuzz target; those found by fuzzing stay in the table.
var queryCases = []string{
	"quispe martinez", `"safety plan"`, "thera*", "hotel -harborview", `-"safety plan" motel`,
	"555-0147", "Quispe-Martínez*", `"unterminated phrase`, "-", "--", `""`, "*", "***", "ß", "ǅemo",
	"\u0301\u0301", "a\u00adb", strings.Repeat("x", 200), "\xff\xfe",
}

// FuzzParse: any query either parses into clauses of folded, non-empty terms with
// at least one required clause, or is refused with ErrInvalid; never a panic.
func FuzzParse(f *testing.F) {
	for _, q := range queryCases {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		clauses, err := parse(q)
		if err != nil {
			return
		}
		required := 0
		for _, c := range clauses {
			if !c.not {
				required++
			}
			if len(c.terms) == 0 {
				t.Fatalf("%q: empty clause", q)
			}
			for _, term := range c.terms {
				if term == "" || len(term) > maxToken || Fold(term) != term {
					t.Fatalf("%q: term %q is not a folded token", q, term)
				}
			}
		}
		if required == 0 {
			t.Fatalf("%q parsed with nothing required", q)
		}
		_ = Highlight(q, q)
	})
}

// FuzzTokenize: tokens are valid UTF-8, folded (folding again changes nothing),
// within maxToken, and their ranges lie in the text in order.
func FuzzTokenize(f *testing.F) {
	for _, q := range queryCases {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		newTokenizer().each(s, func(tok []byte, _, start, end int) bool {
			if len(tok) == 0 || len(tok) > maxToken || !utf8.Valid(tok) {
				t.Fatalf("%q: bad token %q", s, tok)
			}
			if start < last || end <= start || end > len(s) {
				t.Fatalf("%q: range %d-%d after %d", s, start, end, last)
			}
			if Fold(string(tok)) != string(tok) {
				t.Fatalf("%q: token %q folds again to %q", s, tok, Fold(string(tok)))
			}
			last = end
			return true
		})
	})
}
