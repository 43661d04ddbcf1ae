package search

import (
	"strings"
)

// Snippets and highlighting: which words of a text a query found.

// matcher recognizes the tokens a query looks for (its required words and
// prefixes; excluded words are not highlighted).
type matcher struct {
	exact    map[string]bool
	prefixes []string
}

func newMatcher(clauses []clause) *matcher {
	m := &matcher{exact: map[string]bool{}}
	for _, c := range clauses {
		if c.not {
			continue
		}
		for i, t := range c.terms {
			if c.prefix && i == len(c.terms)-1 {
				m.prefixes = append(m.prefixes, t)
			} else {
				m.exact[t] = true
			}
		}
	}
	return m
}

func (m *matcher) match(tok []byte) bool {
	if m.exact[string(tok)] {
		return true
	}
	for _, p := range m.prefixes {
		if strings.HasPrefix(string(tok), p) {
			return true
		}
	}
	return false
}

// Highlight returns the byte ranges in text of the words query looks for, for a
// screen that shows a whole note with them marked. A query that does not parse
// highlights nothing.
func Highlight(text, query string) [][2]int {
	clauses, err := parse(query)
	if err != nil {
		return nil
	}
	m := newMatcher(clauses)
	var out [][2]int
	newTokenizer().each(text, func(tok []byte, _, start, end int) bool {
		if m.match(tok) {
			out = append(out, [2]int{start, end})
		}
		return true
	})
	return out
}

// Snippet shape: about snippetTokens words around the best cluster of matches,
// at most snippetBytes bytes.
const (
	snippetTokens = 28
	snippetBytes  = 240
	ellipsis      = "…"
)

type span struct {
	start, end int
	hit        bool
	term       string
}

// snippet picks the window of the text with the most distinct words found (then
// the most words found), and returns it with the ranges of those words in it.
func (m *matcher) snippet(text string) (string, [][2]int) {
	var toks []span
	newTokenizer().each(text, func(tok []byte, _, start, end int) bool {
		sp := span{start: start, end: end}
		if m.match(tok) {
			sp.hit, sp.term = true, string(tok)
		}
		toks = append(toks, sp)
		return true
	})
	if len(toks) == 0 {
		return "", nil
	}
	best, bestDistinct, bestCount := 0, -1, -1
	for i := range toks {
		if !toks[i].hit && i != 0 {
			continue // a window worth having starts at a match (or at the top)
		}
		distinct := map[string]bool{}
		count := 0
		for j := i; j < len(toks) && j < i+snippetTokens; j++ {
			if toks[j].hit {
				distinct[toks[j].term] = true
				count++
			}
		}
		if len(distinct) > bestDistinct || len(distinct) == bestDistinct && count > bestCount {
			best, bestDistinct, bestCount = i, len(distinct), count
		}
	}
	// Start a few words before the first match, for context.
	first := max(best-4, 0)
	if best == 0 {
		first = 0
	}
	last := min(first+snippetTokens, len(toks)) - 1
	from := toks[first].start
	if first == 0 {
		from = 0
	}
	to := toks[last].end
	for to-from > snippetBytes && last > first {
		last--
		to = toks[last].end
	}
	if last == len(toks)-1 {
		to = len(text)
	}
	var b strings.Builder
	var hl [][2]int
	if from > 0 {
		b.WriteString(ellipsis)
	}
	shift := b.Len() - from
	body := strings.Join(strings.Fields(text[from:to]), " ")
	if body != text[from:to] {
		// Lines and runs of spaces collapse to one space: recompute the ranges on
		// the collapsed text.
		b.WriteString(body)
		out := b.String()
		if to < len(text) {
			out += ellipsis
		}
		return out, collapseHighlights(m, out)
	}
	b.WriteString(body)
	for _, t := range toks[first : last+1] {
		if t.hit {
			hl = append(hl, [2]int{t.start + shift, t.end + shift})
		}
	}
	if to < len(text) {
		b.WriteString(ellipsis)
	}
	return b.String(), hl
}

// collapseHighlights finds the matched words in an already cut snippet.
func collapseHighlights(m *matcher, s string) [][2]int {
	var out [][2]int
	newTokenizer().each(s, func(tok []byte, _, start, end int) bool {
		if m.match(tok) {
			out = append(out, [2]int{start, end})
		}
		return true
	})
	return out
}
