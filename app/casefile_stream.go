package app

// Decoding a case file as it is read. The file is one JSON object whose "cases"
// array holds every case; decoded as one value, encoding/json first copied the whole
// document into a buffer it grew by doubling (134 MB allocated for a 34 MB file,
// after the 34 MB read to hold the file), and the fresh pages of both were a large
// part of an import's CPU. Here the top-level object and the cases array are walked
// by hand, and each value inside them is handed to one json.Decoder on its own, so
// no more than one case is held as bytes at a time.
//
// The result is what json.Decoder.Decode gave for the whole document, error for
// error: a syntax error anywhere wins over a value of the wrong type or a field the
// format does not have, the first of those in the document wins over the others, a
// field repeated in the file is decoded again into what the first one left (as
// encoding/json does), and the offsets of syntax errors count from the start of the
// file. FuzzCaseFileStream holds it to the whole-document decode. That rests on no
// type of the format decoding itself (TestCaseFileTypesDecodePlainly): encoding/json
// stops at such a method's error, but carries on after a wrong type.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// caseFileChunk is how much of the file one read asks for.
const caseFileChunk = 256 << 10

// caseFileStream reads a case file and decodes it one value at a time.
type caseFileStream struct {
	src     io.Reader // the file, limited to MaxCaseFile+1 bytes
	read    int64     // bytes read from src
	readErr error     // the first read error other than io.EOF
	eof     bool

	buf  []byte // buf[pos:] is read but not yet decoded
	pos  int
	base int64 // the file offset of buf[0]

	dec  *json.Decoder // decodes each value handed to it through feed
	feed valueFeed

	// The first error of a value of the wrong type or of a field not in the
	// format: encoding/json reports the first such error once the whole document
	// is decoded, and only if the document's syntax is sound.
	typeErr error
	// What json.Unmarshal of the document into struct{ Format any } would hold
	// as a string: the last "format" value if it is a string, else "".
	headFormat string
}

func newCaseFileStream(r io.Reader) *caseFileStream {
	s := &caseFileStream{src: io.LimitReader(r, MaxCaseFile+1)}
	s.dec = json.NewDecoder(&s.feed)
	s.dec.DisallowUnknownFields()
	return s
}

// errUnknownField stands for encoding/json's error for a field not in the format,
// without the field's name (text from the file).
var errUnknownField = errors.New("json: unknown field in the case file")

// valueFeed hands the decoder exactly one value's bytes, then io.EOF.
type valueFeed struct{ b []byte }

func (f *valueFeed) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}

// decodedCaseFile is the outcome of decoding a case file, before it is checked.
type decodedCaseFile struct {
	f *CaseFile
	// err is the error json.Decoder.Decode gave for the document: a syntax error,
	// io.EOF or io.ErrUnexpectedEOF, or the first value of the wrong type or
	// field not in the format.
	err error
	// headOK says the whole file is one JSON object and nothing else, as
	// json.Unmarshal of its format requires; headFormat is then its format.
	headOK     bool
	headFormat string
	// trailing says something other than white space follows the document.
	trailing bool
}

// decode decodes the whole file and reads it to its end (or to the limit), so the
// caller can rank a read error and the file's size above what decoding found.
func (s *caseFileStream) decode() decodedCaseFile {
	out := decodedCaseFile{f: new(CaseFile)}
	c, ok := s.skipSpace()
	switch {
	case !ok:
		out.err = io.EOF
	case c == '{':
		out.err = s.object(out.f)
	default:
		// Anything but an object is an error (or, null, no format): decoded as
		// encoding/json would, for its error.
		if out.err = s.value(out.f, ""); out.err == nil {
			out.err = s.typeErr
		}
	}
	if out.err == nil || isTypeError(out.err) {
		if _, more := s.skipSpace(); more {
			out.trailing = true
		}
		out.headOK = c == '{' && !out.trailing
		out.headFormat = s.headFormat
	}
	s.drain()
	return out
}

func isTypeError(err error) bool {
	var se *json.SyntaxError
	return !errors.As(err, &se) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF)
}

// object decodes the top-level object into f, as encoding/json decodes an object
// into a struct: keys matched to fields ignoring case, the last of a repeated key
// decoded over the first.
func (s *caseFileStream) object(f *CaseFile) error {
	s.pos++ // {
	c, ok := s.skipSpace()
	if !ok {
		return io.ErrUnexpectedEOF
	}
	if c == '}' {
		s.pos++
		return s.typeErr
	}
	for {
		if c != '"' {
			return s.syntaxError()
		}
		var key string
		if err := s.value(&key, ""); err != nil {
			return err
		}
		if c, ok = s.skipSpace(); !ok {
			return io.ErrUnexpectedEOF
		}
		if c != ':' {
			return s.syntaxError()
		}
		s.pos++
		if c, ok = s.skipSpace(); !ok {
			return io.ErrUnexpectedEOF
		}
		var err error
		switch {
		case strings.EqualFold(key, "format"):
			s.headFormat = ""
			if err = s.value(&f.Format, "format"); err == nil && c == '"' {
				s.headFormat = f.Format
			}
		case strings.EqualFold(key, "cases") && c == '[':
			err = s.cases(f)
		case strings.EqualFold(key, "cases"):
			err = s.value(&f.Cases, "cases")
		default:
			if s.typeErr == nil {
				s.typeErr = errUnknownField
			}
			var skip json.RawMessage
			err = s.value(&skip, "")
		}
		if err != nil {
			return err
		}
		if c, ok = s.skipSpace(); !ok {
			return io.ErrUnexpectedEOF
		}
		switch c {
		case ',':
			s.pos++
			if c, ok = s.skipSpace(); !ok {
				return io.ErrUnexpectedEOF
			}
		case '}':
			s.pos++
			return s.typeErr
		default:
			return s.syntaxError()
		}
	}
}

// cases decodes the cases array one case at a time into f.Cases, as encoding/json
// decodes an array into a slice: each element into the one already at its index,
// if any, and the slice cut to the array's length at the end.
func (s *caseFileStream) cases(f *CaseFile) error {
	s.pos++ // [
	c, ok := s.skipSpace()
	if !ok {
		return io.ErrUnexpectedEOF
	}
	if c == ']' {
		s.pos++
		f.Cases = []FileCase{}
		return nil
	}
	i := 0
	for {
		if i < cap(f.Cases) {
			f.Cases = f.Cases[:i+1]
		} else {
			f.Cases = append(f.Cases[:i], FileCase{})
		}
		if err := s.value(&f.Cases[i], "cases"); err != nil {
			return err
		}
		i++
		if c, ok = s.skipSpace(); !ok {
			return io.ErrUnexpectedEOF
		}
		switch c {
		case ',':
			s.pos++
			if _, ok = s.skipSpace(); !ok {
				return io.ErrUnexpectedEOF
			}
		case ']':
			s.pos++
			f.Cases = f.Cases[:i]
			return nil
		default:
			return s.syntaxError()
		}
	}
}

// value decodes the value at s.pos into v. A value of the wrong type is kept in
// s.typeErr (named by field, the path to v, as encoding/json names it within the
// document) and decoding goes on; a syntax error, or the file ending, is returned.
func (s *caseFileStream) value(v any, field string) error {
	start := s.base + int64(s.pos)
	dec, end := s.valueBytes()
	before := dec.InputOffset()
	if err := dec.Decode(v); err != nil {
		if err := s.decodeError(err, field, start, before); err != nil {
			return err
		}
	}
	// A literal is decoded with the byte after it, so its end is where the
	// decoder stopped.
	if end < 0 {
		end = s.pos + int(dec.InputOffset()-before)
	}
	s.pos = end
	return nil
}

// decodeError sorts out an error of the decoder for the value at offset start,
// given when the decoder had read before bytes: a syntax error, or the file
// ending, is returned, counted from the start of the file; the first other error
// is kept in s.typeErr, with the field named from the top of the document.
func (s *caseFileStream) decodeError(err error, field string, start, before int64) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// The decoder counts bytes from the first value it was given.
		return &json.SyntaxError{Offset: start + se.Offset - before}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return io.ErrUnexpectedEOF
	case s.typeErr != nil:
	case errors.As(err, &te):
		e := *te
		if field != "" {
			e.Field = strings.TrimSuffix(field+"."+te.Field, ".")
		} else {
			e.Offset += start
		}
		s.typeErr = &e
	default:
		s.typeErr = err
	}
	return nil
}

// valueBytes finds the end of the value at s.pos and hands its bytes to a decoder.
// An object, array or string ends at its closing byte, found by counting brackets
// outside strings; the shared decoder is given exactly those bytes, and checks
// them. A literal (a number, true, false or null, or a byte that begins no value)
// is given to a decoder of its own with the byte after it, which is where the
// decoder learns that it ends; end is then -1.
//
// For a value that is not valid JSON, the bytes handed over still reach the first
// byte that is wrong: up to it the value is a valid prefix, which brackets and
// quotes split as the decoder does.
func (s *caseFileStream) valueBytes() (dec *json.Decoder, end int) {
	i := s.pos
	switch s.buf[i] {
	case '{', '[':
		depth := 0
		for {
			if i == len(s.buf) {
				if i = s.more(i); i == len(s.buf) {
					break // the file ends inside the value: the decoder says so
				}
			}
			switch s.buf[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			case '"':
				if i = s.stringEnd(i); i == len(s.buf) {
					continue
				}
			}
			i++
			if depth == 0 {
				break
			}
		}
	case '"':
		if i = s.stringEnd(i); i < len(s.buf) {
			i++
		}
	default:
		for {
			if i == len(s.buf) {
				if i = s.more(i); i == len(s.buf) {
					break
				}
			}
			if !literalByte(s.buf[i]) {
				i++ // the byte after the literal
				break
			}
			i++
		}
		d := json.NewDecoder(bytes.NewReader(s.buf[s.pos:i]))
		d.DisallowUnknownFields()
		return d, -1
	}
	s.feed.b = s.buf[s.pos:i]
	return s.dec, i
}

// literalByte says whether b can be part of a number or of true, false or null.
func literalByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '-' || b == '+' || b == '.'
}

// stringEnd returns the index of the quote that closes the string opening at i,
// or len(s.buf) if the file ends first. A quote closes the string unless an odd
// number of backslashes stand before it.
func (s *caseFileStream) stringEnd(i int) int {
	i++
	for {
		j := bytes.IndexByte(s.buf[i:], '"')
		if j < 0 {
			if i = s.more(len(s.buf)); i == len(s.buf) {
				return i
			}
			continue
		}
		i += j
		k := i
		for k > s.pos && s.buf[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
			return i
		}
		i++
	}
}

// skipSpace moves past white space and returns the next byte, or false at the end
// of the file.
func (s *caseFileStream) skipSpace() (byte, bool) {
	for {
		for ; s.pos < len(s.buf); s.pos++ {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\r', '\n':
			default:
				return c, true
			}
		}
		if s.more(s.pos); s.pos == len(s.buf) {
			return 0, false
		}
	}
}

// syntaxError is the error for the byte at s.pos, counted as encoding/json counts:
// the bytes read up to and including it.
func (s *caseFileStream) syntaxError() error {
	return &json.SyntaxError{Offset: s.base + int64(s.pos) + 1}
}

// more reads more of the file into buf, keeping buf[s.pos:] (moved to the front
// of buf). i is an index into buf; it is returned moved with the bytes. Called
// with i at the end of buf, it returns i still at the end only when the file has
// ended.
func (s *caseFileStream) more(i int) int {
	if s.eof {
		return i
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:])
		s.base += int64(s.pos)
		i -= s.pos
		s.buf = s.buf[:n]
		s.pos = 0
	}
	if cap(s.buf)-len(s.buf) < caseFileChunk/2 {
		// A value larger than the buffer: it grows to hold it.
		grown := make([]byte, len(s.buf), max(caseFileChunk, 2*cap(s.buf)))
		copy(grown, s.buf)
		s.buf = grown
	}
	for {
		n, err := s.src.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		s.read += int64(n)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.readErr = err
			}
			s.eof = true
			return i
		}
		if n > 0 {
			return i
		}
	}
}

// drain reads the rest of the file, counting it.
func (s *caseFileStream) drain() {
	if s.eof {
		return
	}
	n, err := io.Copy(io.Discard, s.src)
	s.read += n
	if err != nil {
		s.readErr = err
	}
	s.eof = true
}
