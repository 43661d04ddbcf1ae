package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Folding and tokenizing. A token is a run of letters and digits (combining marks
// stay with their letter); everything else separates tokens, so "Quispe-Martínez"
// is two tokens and "555-0147" is two. Tokens are folded: case folded and
// stripped of diacritics, so "Martínez", "MARTINEZ" and "martinez" are one token,
// which is what lets a name typed without its accents find it, and the reverse.
// The rules follow SQLite FTS5's unicode61 tokenizer with remove_diacritics 2, the
// peer the benchmark compares with, so both count the same words.

// maxToken bounds a token's folded length in bytes; longer runs are cut there (a
// pasted hash or a run of letters is not something people type back).
const maxToken = 64

// foldTableSize covers Latin, Greek, Cyrillic and the other alphabetic scripts
// whose letters carry diacritics; runes above it are folded on the fly.
const foldTableSize = 0x2000

// runeFold is what one rune becomes in a token.
type runeFold struct {
	token  bool   // a letter, digit or combining mark: part of a token
	folded string // its folded form ("" for a combining mark, which is dropped)
}

var (
	foldOnce  sync.Once
	foldTable []runeFold
)

// foldRune folds one rune with golang.org/x/text: canonical decomposition, marks
// removed, then Unicode case folding (so "ß" is "ss", "Å" is "a").
func foldRune(r rune) runeFold {
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.IsNumber(r) {
		return runeFold{}
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, err := transform.String(t, string(r))
	if err != nil {
		s = string(r)
	}
	f := cases.Fold().String(s)
	// x/text's folding is not idempotent for Cherokee: it turns a small letter into
	// its capital and the capital back into the small one ("ᏼ" <-> "Ᏼ"). Both
	// forms take the lesser of the pair, so a folded word folds to itself.
	if g := cases.Fold().String(f); g != f {
		f = min(f, g)
	}
	return runeFold{token: true, folded: f}
}

func table() []runeFold {
	foldOnce.Do(func() {
		t := make([]runeFold, foldTableSize)
		for r := range rune(foldTableSize) {
			t[r] = foldRune(r)
		}
		foldTable = t
	})
	return foldTable
}

// tokenizer splits text into folded tokens. It keeps one buffer and is not safe
// for concurrent use; make one per goroutine.
type tokenizer struct {
	buf []byte
	tab []runeFold
}

func newTokenizer() *tokenizer { return &tokenizer{buf: make([]byte, 0, maxToken), tab: table()} }

// each calls fn with every token of text: its folded bytes (valid during the call
// only), its position (0, 1, 2 ...) and its byte range in text. fn returns false to
// stop.
func (z *tokenizer) each(text string, fn func(tok []byte, pos, start, end int) bool) {
	pos := 0
	start := -1
	z.buf = z.buf[:0]
	emit := func(end int) bool {
		if len(z.buf) == 0 {
			start = -1
			return true
		}
		ok := fn(z.buf, pos, start, end)
		pos++
		z.buf = z.buf[:0]
		start = -1
		return ok
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				if start < 0 {
					start = i
				}
				if len(z.buf) < maxToken {
					z.buf = append(z.buf, c)
				}
			case c >= 'A' && c <= 'Z':
				if start < 0 {
					start = i
				}
				if len(z.buf) < maxToken {
					z.buf = append(z.buf, c+'a'-'A')
				}
			default:
				if start >= 0 && !emit(i) {
					return
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		var f runeFold
		if r < foldTableSize {
			f = z.tab[r]
		} else if r != utf8.RuneError {
			f = foldRune(r)
		}
		if f.token {
			if start < 0 {
				start = i
			}
			if len(z.buf)+len(f.folded) <= maxToken {
				z.buf = append(z.buf, f.folded...)
			}
		} else if start >= 0 && !emit(i) {
			return
		}
		i += size
	}
	if start >= 0 {
		emit(len(text))
	}
}

// Fold returns the folded tokens of s joined by spaces: what the index makes of a
// word. Tests and the screens' highlighting use it.
func Fold(s string) string {
	var parts []string
	newTokenizer().each(s, func(tok []byte, _, _, _ int) bool {
		parts = append(parts, string(tok))
		return true
	})
	return strings.Join(parts, " ")
}
