package export

import (
	"strings"
)

// SafeName turns a case number into a file-name part: ASCII letters, digits and
// single dashes only, at most 40 characters, "case" when nothing is left. File
// names inside and outside a bundle are built from it and from fixed words, never
// from text a user typed (an alias, a name, an attachment's own file name).
func SafeName(caseNumber string) string {
	var b strings.Builder
	dash := false
	for _, r := range caseNumber {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 40 {
		s = strings.Trim(s[:40], "-")
	}
	if s == "" {
		return "case"
	}
	return s
}

// FileName is the suggested name of an export file: "2026-TF-0412-prosecutor.pdf".
func FileName(caseNumber, profile, format string) string {
	ext := map[string]string{"pdf": ".pdf", "md": ".md", "json": ".json", "bundle": ".age"}[format]
	if ext == "" {
		ext = ".out"
	}
	return SafeName(caseNumber) + "-" + SafeName(profile) + ext
}

// extensionFor is a file extension for a sniffed content type, so a prosecutor's
// viewer opens an attachment; unknown types get ".bin".
func extensionFor(contentType string) string {
	ct, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(ct) {
	case "application/pdf":
		return ".pdf"
	case "text/plain":
		return ".txt"
	case "text/html":
		return ".html"
	case "text/xml", "application/xml":
		return ".xml"
	case "application/zip":
		return ".zip"
	case "application/json":
		return ".json"
	case "text/csv":
		return ".csv"
	}
	return ".bin"
}
