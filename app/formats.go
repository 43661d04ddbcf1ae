package app

import (
	"fmt"
	"strconv"
	"strings"
)

// Formats that leave the vault are kept by other parties for years: a prosecutor's
// bundle, an auditor's checkpoint, an agency's case file. The rule (docs/formats.md):
//
//  1. Every such format carries a format id and a version.
//  2. A reader accepts every version from 1 to the newest it knows, forever; a newer
//     version is refused with "written by a newer version of Casenotes", never
//     misread.
//  3. A new version only adds: a field added later is optional to old readers, and a
//     field is never reused with another meaning.
//
// FormatID is the "name/vN" form used by the JSON formats.
type FormatID struct {
	Name    string
	Version int
}

func (f FormatID) String() string { return f.Name + "/v" + strconv.Itoa(f.Version) }

// CaseFileFormatID is the case file format this build writes and reads (and every
// older version of it).
var CaseFileFormatID = FormatID{Name: "casenotes-case", Version: 1}

// parseFormatID reads a "name/vN" format id.
func parseFormatID(s string) (FormatID, bool) {
	name, v, ok := strings.Cut(s, "/v")
	if !ok || name == "" {
		return FormatID{}, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || strconv.Itoa(n) != v {
		return FormatID{}, false
	}
	return FormatID{Name: name, Version: n}, true
}

// ReadableFormat checks a format id found in a file against the newest version this
// build reads (want): the same name and a version from 1 to want. what names the
// file for the message ("a Casenotes case file"). Every reader of a format that
// leaves the vault calls it.
func ReadableFormat(found any, want FormatID, what string) (FormatID, error) {
	s, _ := found.(string)
	got, ok := parseFormatID(s)
	if !ok || got.Name != want.Name {
		return FormatID{}, Invalid("format", fmt.Sprintf("is not %q: this is not %s", want.String(), what))
	}
	if got.Version > want.Version {
		return FormatID{}, &FieldError{Field: "format", Err: ErrTooNew,
			Reason: fmt.Sprintf("is version %d, written by a newer version of Casenotes (this one reads up to version %d): update Casenotes to read it", got.Version, want.Version)}
	}
	return got, nil
}
