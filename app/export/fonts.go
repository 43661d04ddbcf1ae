package export

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// The PDF embeds the Go fonts (BSD-licensed, golang.org/x/image/font/gofont): they
// cover Latin with its accents, Greek and Cyrillic, so names such as "Zoë Ångström",
// "Ήλιος" and "Жанна" print as written. fpdf places glyphs one by one without
// shaping, so scripts that need shaping or right-to-left layout (Arabic, Hebrew,
// the Indic scripts) and scripts the fonts lack (Chinese, Japanese, Korean, emoji)
// cannot print correctly: such characters are replaced by "?" in the PDF and
// counted, and the PDF says so; the Markdown and JSON keep the exact text.

const fontFamily = "go"

var (
	fontRegular = goregular.TTF
	fontBold    = gobold.TTF
	fontItalic  = goitalic.TTF
)

// fonts are the parsed embedded fonts, for asking which characters they draw.
var fonts = sync.OnceValue(func() []*sfnt.Font {
	var out []*sfnt.Font
	for _, ttf := range [][]byte{fontRegular, fontBold, fontItalic} {
		if f, err := sfnt.Parse(ttf); err == nil {
			out = append(out, f)
		}
	}
	return out
})

// coverage remembers, character by character, whether every style of the embedded
// fonts draws it (any text may be set in bold or italic).
var coverage struct {
	sync.Mutex
	known map[rune]bool
	buf   sfnt.Buffer
}

func covered(r rune) bool {
	if r < 0x20 || r > 0xFFFF {
		return false
	}
	if r < 0x7F {
		return true
	}
	coverage.Lock()
	defer coverage.Unlock()
	if ok, seen := coverage.known[r]; seen {
		return ok
	}
	if coverage.known == nil {
		coverage.known = map[rune]bool{}
	}
	fs := fonts()
	ok := len(fs) == 3
	for _, f := range fs {
		if g, err := f.GlyphIndex(&coverage.buf, r); err != nil || g == 0 {
			ok = false
		}
	}
	coverage.known[r] = ok
	return ok
}

// printable is s as the PDF can draw it: tabs become spaces, other control
// characters go, and characters outside the fonts become "?"; missing counts them.
func printable(s string, missing *int) string {
	ok := true
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if !covered(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || unicode.IsControl(r):
		case !covered(r):
			b.WriteByte('?')
			*missing++
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
