package app

// The checks every service applies to what people type and files carry: one place,
// so a field is held to the same rule whether it comes from a form, the command
// line or an imported case file.

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// ValidCaseNumber checks an agency case number: 1 to 40 letters, digits, '-', '/'
// or '.', nothing else (so no spaces at either end). A number names export files, so
// it also may not look like a path: no "..", "//", and no '/' or '.' at either end.
func ValidCaseNumber(s string) error {
	if s == "" {
		return Invalid("case number", "is required")
	}
	if len([]rune(s)) > maxCaseNumber {
		return Invalid("case number", fmt.Sprintf("is longer than %d characters", maxCaseNumber))
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '/' && r != '.' {
			return Invalid("case number", "may hold only letters, digits, '-', '/' and '.'")
		}
	}
	if strings.Contains(s, "..") || strings.Contains(s, "//") ||
		strings.ContainsAny(s[:1], "/.") || strings.ContainsAny(s[len(s)-1:], "/.") {
		return Invalid("case number", "may not start or end with '/' or '.', or hold \"..\" or \"//\"")
	}
	return nil
}

// checkText checks a single line of text: valid UTF-8 without control characters,
// at most max characters, present when required.
func checkText(field, s string, max int, required bool) error {
	if s == "" {
		if required {
			return Invalid(field, "is required")
		}
		return nil
	}
	if len([]rune(s)) > max {
		return Invalid(field, fmt.Sprintf("is longer than %d characters", max))
	}
	for _, r := range s {
		if r == unicode.ReplacementChar || unicode.IsControl(r) {
			return Invalid(field, "holds characters that are not text")
		}
		if unicode.Is(unicode.Bidi_Control, r) {
			// Direction overrides can make a list show text in another order than
			// it is stored, so a one-line field refuses them.
			return Invalid(field, "holds invisible text-direction characters; type it again without them")
		}
	}
	return nil
}

// checkBody checks multi-line text: like checkText, but line breaks and tabs are
// allowed and the limit is in bytes.
func checkBody(field, s string, max int, required bool) error {
	if strings.TrimSpace(s) == "" && required {
		return Invalid(field, "is required")
	}
	if len(s) > max {
		return Invalid(field, fmt.Sprintf("is longer than %d KiB", max>>10))
	}
	for _, r := range s {
		if r == unicode.ReplacementChar || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') {
			return Invalid(field, "holds characters that are not text")
		}
	}
	return nil
}

// cleanList trims each entry, drops empty ones and duplicates, and checks them.
func cleanList(field string, in []string, maxItems, maxLen int) ([]string, error) {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if err := checkText(field, s, maxLen, true); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) > maxItems {
		return nil, Invalid(field, fmt.Sprintf("has more than %d entries", maxItems))
	}
	return out, nil
}

// Dates and times in records lie between these bounds, so ordering keys built
// from them (nanoseconds since 1970) never wrap.
var (
	minRecordTime = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	maxRecordTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func checkDate(field string, d time.Time) error {
	if d.Before(minRecordTime) || !d.Before(maxRecordTime) {
		return Invalid(field, "is not a plausible date")
	}
	return nil
}

// dateOnly is the calendar date of t (in t's own zone) at UTC midnight.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// quoteShort quotes a short, plain value so an error can name what was wrong with a
// kind or status; anything long or unusual (which could be pasted text) is not
// echoed.
func quoteShort(s string) string {
	if s == "" || len(s) > 32 {
		return ""
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == ' ') {
			return ""
		}
	}
	return fmt.Sprintf("%q ", s)
}
