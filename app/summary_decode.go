package app

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"unicode/utf8"
)

// The case list decodes one CaseSummary per case, 10,000 of them on every visit to
// Cases, and encoding/json's reflection was most of that read (issue 12: the
// background read kept one of the two cores for a third of a second while the UI
// waited for the other). The stored form stays the JSON that encoding/json writes;
// decodeSummary reads that exact form by hand and hands anything else (spaces,
// escapes in a string, null, an unknown or repeated field, a value it cannot
// read) to encoding/json, so it decodes every entry exactly as json.Unmarshal
// does, only faster for the entries the app writes. FuzzDecodeSummary holds it to
// that.

// summaryField is one field of the stored form, by its bit in a set of fields seen.
type summaryField uint16

const (
	sumID summaryField = 1 << iota
	sumNumber
	sumTitle
	sumAlias
	sumStatus
	sumTags
	sumAssigned
	sumOpened
	sumClosed
	sumReadOnly
	sumOrigin
	sumChecklist
)

// decodeSummary decodes a case list entry into *s, which it zeroes first: the
// result (and the error, if any) is json.Unmarshal's into a zero CaseSummary.
func decodeSummary(b []byte, s *CaseSummary) error {
	*s = CaseSummary{}
	if fastSummary(b, s) {
		return nil
	}
	*s = CaseSummary{}
	return json.Unmarshal(b, s)
}

// fastSummary reads the form encoding/json writes: no spaces, the fields by their
// exact names, each once, strings without escapes. It reports false, leaving *s
// partly filled, at the first thing outside that form.
func fastSummary(b []byte, s *CaseSummary) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	p := summaryParser{b: b[1 : len(b)-1]}
	var seen summaryField
	for len(p.b) > 0 { // an empty object is the zero entry
		if seen != 0 && !p.byte(',') {
			return false
		}
		name, ok := p.str()
		if !ok || !p.byte(':') {
			return false
		}
		f := summaryFieldOf(name)
		if f == 0 || seen&f != 0 {
			return false
		}
		seen |= f
		switch f {
		case sumID:
			v, ok := p.str()
			if !ok || len(v) != 2*len(s.ID) {
				return false
			}
			// ParseID's check, on the bytes: hex.Decode takes upper and lower case
			// alike, as hex.DecodeString does.
			if _, err := hex.Decode(s.ID[:], v); err != nil {
				return false
			}
		case sumNumber:
			ok = p.text(&s.Number)
		case sumTitle:
			ok = p.text(&s.Title)
		case sumAlias:
			ok = p.text(&s.Alias)
		case sumOrigin:
			ok = p.text(&s.Origin)
		case sumStatus:
			var v string
			ok = p.text(&v)
			s.Status = CaseStatus(v)
		case sumTags:
			s.Tags, ok = p.list()
		case sumAssigned:
			s.Assigned, ok = p.list()
		case sumOpened:
			var raw []byte
			raw, ok = p.quoted()
			ok = ok && s.Opened.UnmarshalJSON(raw) == nil
		case sumClosed:
			var raw []byte
			raw, ok = p.quoted()
			ok = ok && s.Closed.UnmarshalJSON(raw) == nil
		case sumReadOnly:
			switch {
			case bytes.HasPrefix(p.b, []byte("true")):
				s.ReadOnly, p.b = true, p.b[4:]
			case bytes.HasPrefix(p.b, []byte("false")):
				s.ReadOnly, p.b = false, p.b[5:]
			default:
				return false
			}
		case sumChecklist:
			raw, ok := p.quoted()
			if !ok {
				return false
			}
			c := new(ChecklistCounts)
			if c.UnmarshalJSON(raw) != nil {
				return false
			}
			s.Checklist = c
		}
		if !ok {
			return false
		}
	}
	return true
}

func summaryFieldOf(name []byte) summaryField {
	switch string(name) { // no allocation: the compiler compares in place
	case "id":
		return sumID
	case "number":
		return sumNumber
	case "title":
		return sumTitle
	case "alias":
		return sumAlias
	case "status":
		return sumStatus
	case "tags":
		return sumTags
	case "assigned":
		return sumAssigned
	case "opened":
		return sumOpened
	case "closed":
		return sumClosed
	case "read_only":
		return sumReadOnly
	case "origin":
		return sumOrigin
	case "checklist":
		return sumChecklist
	}
	return 0
}

// summaryParser reads the stored form from the front of b.
type summaryParser struct{ b []byte }

func (p *summaryParser) byte(c byte) bool {
	if len(p.b) == 0 || p.b[0] != c {
		return false
	}
	p.b = p.b[1:]
	return true
}

// quoted takes a string token without escapes, quotes included. Control
// characters and invalid UTF-8 (which encoding/json reads as U+FFFD) are left to
// encoding/json too.
func (p *summaryParser) quoted() ([]byte, bool) {
	if len(p.b) < 2 || p.b[0] != '"' {
		return nil, false
	}
	end := bytes.IndexByte(p.b[1:], '"') + 1
	if end == 0 {
		return nil, false
	}
	v := p.b[1:end]
	ascii := true
	for _, c := range v {
		if c < 0x20 || c == '\\' {
			return nil, false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(v) {
		return nil, false
	}
	raw := p.b[:end+1]
	p.b = p.b[end+1:]
	return raw, true
}

// str is a string token's contents, still in b.
func (p *summaryParser) str() ([]byte, bool) {
	raw, ok := p.quoted()
	if !ok {
		return nil, false
	}
	return raw[1 : len(raw)-1], true
}

// text reads a string into *v (a copy: b is cleared after decoding).
func (p *summaryParser) text(v *string) bool {
	b, ok := p.str()
	if ok {
		*v = string(b)
	}
	return ok
}

// list reads an array of strings. An empty array is an empty, non-nil slice, as
// encoding/json makes it.
func (p *summaryParser) list() ([]string, bool) {
	if !p.byte('[') {
		return nil, false
	}
	out := []string{}
	for i := 0; ; i++ {
		if p.byte(']') {
			return out, true
		}
		if i > 0 && !p.byte(',') {
			return nil, false
		}
		var v string
		if !p.text(&v) {
			return nil, false
		}
		out = append(out, v)
	}
}

// scanSummaries calls fn with every case list entry, in key order, decoded by
// decodeSummary; the unsealed bytes are cleared once decoded, as scanJSON does.
// Every entry is decoded into the same CaseSummary, so fn copies what it keeps
// (a copy shares nothing with the next entry: decoding makes fresh strings,
// slices and counts) and never keeps the pointer.
func scanSummaries(t Tx, fn func(*CaseSummary) error) error {
	s := new(CaseSummary)
	return t.Scan(RecCaseIndex, ID{}, func(_ Key, b []byte) error {
		defer clear(b)
		if err := decodeSummary(b, s); err != nil {
			return unreadable(RecCaseIndex)
		}
		return fn(s)
	})
}

// getSummary reads one case's list entry, as getJSON does.
func getSummary(t Tx, c ID, s *CaseSummary) error {
	b, err := t.Get(caseIndexKey(c))
	if err != nil {
		return err
	}
	defer clear(b)
	if err := decodeSummary(b, s); err != nil {
		return unreadable(RecCaseIndex)
	}
	return nil
}
