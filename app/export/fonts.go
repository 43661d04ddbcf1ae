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

// coverage is the set of characters the embedded fonts draw, computed once.
var coverage = sync.OnceValue(func() map[rune]bool {
	m := map[rune]bool{}
	var buf sfnt.Buffer
	// A character counts only if every style has it: any text may be set in bold.
	for i, ttf := range [][]byte{fontRegular, fontBold, fontItalic} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return map[rune]bool{}
		}
		for r := rune(0x20); r <= 0xFFFF; r++ {
			g, err := f.GlyphIndex(&buf, r)
			has := err == nil && g != 0
			if i == 0 {
				m[r] = has
			} else {
				m[r] = m[r] && has
			}
		}
	}
	return m
})

// printable is s as the PDF can draw it: tabs become spaces, other control
// characters go, and characters outside the fonts become "?"; missing counts them.
func printable(s string, missing *int) string {
	cov := coverage()
	ok := true
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if r < 0x20 || r > 0xFFFF || !cov[r] {
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
		case r > 0xFFFF || !cov[r]:
			b.WriteByte('?')
			*missing++
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
