package app

import (
	"encoding/hex"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The search index reads every note of the vault after each unlock, and decoding
// JSON with encoding/json was 40% of that work (it validates the whole value, then
// decodes it by reflection). decodeNoteFields reads the flat object a note is
// stored as in one pass and returns false on anything it does not expect, and the
// caller then decodes with encoding/json as before: the fast path only ever agrees
// with it (FuzzDecodeNoteFields checks that).

// decodeNoteFields decodes a stored note's fields; ok is false when the value is
// not a flat object of strings (the fields a note has), so the caller falls back.
func decodeNoteFields(b []byte, n *Note) (ok bool) {
	p := jsonScanner{b: b}
	p.space()
	if !p.byte('{') {
		return false
	}
	p.space()
	if p.byte('}') {
		return p.end()
	}
	var seen uint16
	for {
		p.space()
		key, ok := p.key()
		if !ok {
			return false
		}
		bit := noteFieldBit(key)
		if bit == 0 || seen&bit != 0 {
			return false // unknown or repeated: let encoding/json decide
		}
		seen |= bit
		p.space()
		if !p.byte(':') {
			return false
		}
		p.space()
		val, ok := p.str()
		if !ok {
			return false
		}
		switch string(key) {
		case "id":
			if !decodeIDField(val, &n.ID) {
				return false
			}
		case "case":
			if !decodeIDField(val, &n.Case) {
				return false
			}
		case "kind":
			n.Kind = NoteKind(val)
		case "body":
			n.Body = val
		case "author":
			n.Author = val
		case "sensitivity":
			n.Sensitivity = Sensitivity(val)
		case "finalised_by":
			n.FinalisedBy = val
		case "created", "updated", "finalised":
			var t time.Time
			if err := t.UnmarshalText([]byte(val)); err != nil {
				return false
			}
			switch string(key) {
			case "created":
				n.Created = t
			case "updated":
				n.Updated = t
			default:
				n.Finalised = t
			}
		}
		p.space()
		if p.byte(',') {
			continue
		}
		if p.byte('}') {
			return p.end()
		}
		return false
	}
}

// noteFieldBit is a bit for each field of a stored note, 0 for any other key.
func noteFieldBit(key []byte) uint16 {
	for i, f := range [...]string{"id", "case", "kind", "body", "author", "sensitivity", "created", "updated",
		"finalised", "finalised_by"} {
		if string(key) == f {
			return 1 << i
		}
	}
	return 0
}

// key reads an object key without escapes (a key with one: not ours, fall back).
func (p *jsonScanner) key() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			p.i++
			return p.b[start : p.i-1], true
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// decodeIDField reads an ID's hex form as encoding/json would (through
// ID.UnmarshalText).
func decodeIDField(s string, id *ID) bool {
	if len(s) != 2*len(id) {
		return false
	}
	_, err := hex.Decode(id[:], []byte(s))
	return err == nil
}

// jsonScanner reads the little of JSON decodeNoteFields needs.
type jsonScanner struct {
	b []byte
	i int
}

func (p *jsonScanner) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonScanner) byte(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *jsonScanner) end() bool {
	p.space()
	return p.i == len(p.b)
}

// str reads a JSON string, its escapes decoded; invalid UTF-8 and lone surrogates
// become U+FFFD, as encoding/json makes them.
func (p *jsonScanner) str() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	// The common case: no escapes, valid UTF-8.
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := p.b[start:p.i]
			p.i++
			if utf8.Valid(s) {
				return string(s), true
			}
			return string([]rune(string(s))), true
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	out := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(out) {
				out = []byte(string([]rune(string(out))))
			}
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.b) {
			return "", false
		}
		e := p.b[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				save := p.i
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					p.i += 2
					if r2, ok := p.hex4(); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							out = utf8.AppendRune(out, dec)
							continue
						}
					}
				}
				p.i = save
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return "", false
}

func (p *jsonScanner) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}
