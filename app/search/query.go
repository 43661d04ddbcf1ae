package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"casenotes/app"
)

// The query language, what a detective types:
//
//	quispe martinez        both words (AND), accents and letter case ignored
//	"safety plan"          the words next to each other, in that order
//	thera*                 words that start with "thera"
//	hotel -harborview      hotel, but not in text that says harborview
//	-"safety plan"         not that phrase
//
// A word that folds into several tokens ("555-0147", "Quispe-Martínez") is a phrase
// of them. Punctuation alone is ignored.

// clause is one part of a query: a term, a phrase (several terms in a row) or a
// prefix (its last term is a prefix), required or excluded.
type clause struct {
	terms  []string // folded
	prefix bool     // the last term matches every term that starts with it
	not    bool
}

// maxClauses bounds a query: a pasted page is not a search.
const maxClauses = 32

// maxQueryBytes bounds the text of a query.
const maxQueryBytes = 1000

// parse reads a query. It refuses an empty query, one that only excludes, and an
// overlong one, each with a sentence for people.
func parse(q string) ([]clause, error) {
	if len(q) > maxQueryBytes {
		return nil, app.Invalid("search", "is too long: use a few words")
	}
	if !utf8.ValidString(q) {
		return nil, app.Invalid("search", "has characters that are not text")
	}
	z := newTokenizer()
	var out []clause
	add := func(word string, phrase, not bool) {
		prefix := false
		if !phrase {
			if w := strings.TrimRight(word, "*"); w != word {
				word, prefix = w, true
			}
		}
		var c clause
		z.each(word, func(tok []byte, _, _, _ int) bool {
			c.terms = append(c.terms, string(tok))
			return len(c.terms) < maxClauses
		})
		if len(c.terms) == 0 {
			return
		}
		c.prefix, c.not = prefix, not
		out = append(out, c)
	}
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		not := false
		if r == '-' && i+1 < len(q) && !unicode.IsSpace(rune(q[i+1])) {
			not = true
			i++
		}
		if i < len(q) && q[i] == '"' {
			end := strings.IndexByte(q[i+1:], '"')
			var body string
			if end < 0 {
				body, i = q[i+1:], len(q)
			} else {
				body, i = q[i+1:i+1+end], i+2+end
			}
			add(body, true, not)
			continue
		}
		j := i
		for j < len(q) {
			r, size := utf8.DecodeRuneInString(q[j:])
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			j += size
		}
		add(q[i:j], false, not)
		i = j
		if len(out) > maxClauses {
			return nil, app.Invalid("search", "has too many words: use a few")
		}
	}
	if len(out) > maxClauses {
		return nil, app.Invalid("search", "has too many words: use a few")
	}
	positive := 0
	for _, c := range out {
		if !c.not {
			positive++
		}
	}
	if positive == 0 {
		if len(out) == 0 {
			return nil, app.Invalid("search", "needs a word to look for")
		}
		return nil, app.Invalid("search", "needs a word to look for besides the ones to leave out")
	}
	return out, nil
}
