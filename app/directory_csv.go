package app

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// The partner directory as CSV (format casenotes-directory/v1): a coordinator keeps
// the team's roster in a spreadsheet, shares it with another office, or moves it to
// a new vault. The first line names the format ("format,casenotes-directory/v1"),
// the second the columns; a file typed by hand may start with the column line.
// Columns may come in any order; unknown columns are refused (a misspelt column is an
// error, not data silently dropped).
//
// Keys in an imported file are never trusted on arrival: they wait on the entry as
// pending keys until a person reads the fingerprint back to the partner over the
// phone and confirms it (ConfirmPartnerKeys). A file is data, and anyone could have
// edited it.

// DirectoryFormatID is the CSV directory's format id.
var DirectoryFormatID = FormatID{Name: "casenotes-directory", Version: 1}

// directoryColumns are the CSV columns, in the order an export writes them.
var directoryColumns = []string{"organization", "person", "category", "role", "phone", "email",
	"age_recipient", "signing_fingerprint"}

// Limits of a directory file.
const (
	MaxDirectoryFile = 4 << 20
	maxDirectoryRows = 5000
)

// ExportDirectoryCSV writes the directory as CSV. Revoked entries are left out (their
// keys must not travel); confirmed keys are written as keys, which the receiving
// vault will ask to confirm again. Cells that a spreadsheet would run as a formula
// are written with a leading apostrophe.
func (r *Records) ExportDirectoryCSV(w io.Writer) (int, error) {
	all, err := r.Partners()
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"format", DirectoryFormatID.String()})
	_ = cw.Write(directoryColumns)
	n := 0
	for _, e := range all {
		if e.IsRevoked() {
			continue
		}
		row := []string{e.Organization, e.Person, string(e.Category), e.Role, e.Phone, e.Email, e.AgeRecipient, e.SigningFingerprint}
		for i := range row {
			row[i] = spreadsheetSafe(row[i])
		}
		_ = cw.Write(row)
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, fmt.Errorf("%w: writing the directory: %v", ErrStore, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return 0, Invalid("directory file", "could not be written")
	}
	return n, nil
}

// spreadsheetSafe keeps a spreadsheet from running a cell as a formula.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// unsafeMark undoes spreadsheetSafe.
func unsafeMark(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// DirectoryImport says what an import did.
type DirectoryImport struct {
	Added int
	// Unchanged counts rows that named a partner already in the directory: they are
	// left as they are.
	Unchanged int
	// KeysPending counts added entries whose keys wait for confirmation.
	KeysPending int
}

// String is the one-line summary.
func (d DirectoryImport) String() string {
	s := fmt.Sprintf("Added %d partner(s)", d.Added)
	if d.Unchanged > 0 {
		s += fmt.Sprintf("; %d already in the directory were left as they are", d.Unchanged)
	}
	if d.KeysPending > 0 {
		s += fmt.Sprintf("; %d have keys that wait until you confirm their fingerprints with the partner", d.KeysPending)
	}
	return s + "."
}

// ParseDirectoryCSV reads and checks a directory file without a vault. Errors name
// the row (counting from 1 at the first partner) and the field, never a value.
func ParseDirectoryCSV(rd io.Reader) ([]PartnerInput, error) {
	b, err := io.ReadAll(io.LimitReader(rd, MaxDirectoryFile+1))
	if err != nil {
		return nil, Invalid("directory file", "could not be read")
	}
	if len(b) > MaxDirectoryFile {
		return nil, Invalid("directory file", fmt.Sprintf("is larger than %d MiB", MaxDirectoryFile>>20))
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a spreadsheet's byte order mark
	if !utf8.Valid(b) {
		return nil, Invalid("directory file", "is not UTF-8 text: save it from the spreadsheet as CSV UTF-8")
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	line, err := cr.Read()
	if err != nil {
		return nil, csvTrouble(err)
	}
	if len(line) > 0 && strings.EqualFold(strings.TrimSpace(line[0]), "format") {
		if len(line) < 2 {
			return nil, Invalid("directory file", "names no format on its first line")
		}
		if _, err := ReadableFormat(strings.TrimSpace(line[1]), DirectoryFormatID, "a Casenotes partner directory"); err != nil {
			return nil, err
		}
		if line, err = cr.Read(); err != nil {
			return nil, csvTrouble(err)
		}
	}
	col := map[string]int{}
	for i, h := range line {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(directoryColumns, h) {
			return nil, Invalid("directory file", fmt.Sprintf("has a column (number %d) that is not one of: %s", i+1, strings.Join(directoryColumns, ", ")))
		}
		if _, dup := col[h]; dup {
			return nil, Invalid("directory file", "names the column "+h+" twice")
		}
		col[h] = i
	}
	if _, ok := col["organization"]; !ok {
		if _, ok := col["person"]; !ok {
			return nil, Invalid("directory file", "has neither an organization nor a person column")
		}
	}
	var out []PartnerInput
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvTrouble(err)
		}
		if row > maxDirectoryRows {
			return nil, Invalid("directory file", fmt.Sprintf("has more than %d partners", maxDirectoryRows))
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return unsafeMark(strings.TrimSpace(rec[i]))
		}
		if strings.Join(rec, "") == "" {
			continue // a blank line a spreadsheet left
		}
		in := PartnerInput{Organization: get("organization"), Person: get("person"),
			Category: csvPartner(get("category")), Role: get("role"), Phone: get("phone"),
			Email: get("email"), AgeRecipient: get("age_recipient"), SigningFingerprint: get("signing_fingerprint")}
		if in.Category == "" {
			in.Category = "other"
		}
		if err := in.normalize(); err != nil {
			return nil, within(fmt.Sprintf("row %d", row), err)
		}
		out = append(out, in)
	}
	if len(out) == 0 {
		return nil, Invalid("directory file", "holds no partner")
	}
	return out, nil
}

// csvTrouble describes a CSV error by position, never by the text found.
func csvTrouble(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Invalid("directory file", fmt.Sprintf("is not valid CSV at line %d", pe.Line))
	}
	if errors.Is(err, io.EOF) {
		return Invalid("directory file", "is empty")
	}
	return Invalid("directory file", "could not be read")
}

// ImportDirectoryCSV adds the partners of a directory file, all or nothing: every row
// is checked first, and one bad row stores nothing. A row naming a partner already in
// the directory (same organization and person) is left as it is. Keys in the file
// wait on the new entry until confirmed (ConfirmPartnerKeys); a key revoked in the
// directory is refused.
func (r *Records) ImportDirectoryCSV(rd io.Reader) (DirectoryImport, error) {
	rows, err := ParseDirectoryCSV(rd)
	if err != nil {
		return DirectoryImport{}, err
	}
	var sum DirectoryImport
	err = r.update(func(t Tx) error {
		sum = DirectoryImport{}
		var have []DirectoryEntry
		err := scanJSON(t, RecDirectory, ID{}, func(_ Key, e *DirectoryEntry) error {
			have = append(have, *e)
			return nil
		})
		if err != nil {
			return err
		}
		now, who := r.now(), r.who(t)
		for i, in := range rows {
			same := func(e DirectoryEntry) bool {
				return strings.EqualFold(e.Organization, in.Organization) && strings.EqualFold(e.Person, in.Person)
			}
			if slices.ContainsFunc(have, same) {
				sum.Unchanged++
				continue
			}
			if err := keysNotRevoked(t, ID{}, in); err != nil {
				return within(fmt.Sprintf("row %d", i+1), err)
			}
			e := DirectoryEntry{ID: NewID(), Organization: in.Organization, Person: in.Person, Category: in.Category,
				Role: in.Role, Phone: in.Phone, Email: in.Email, PendingAgeRecipient: in.AgeRecipient,
				PendingFingerprint: in.SigningFingerprint, Added: now, AddedBy: who, Updated: now}
			if e.PendingAgeRecipient != "" || e.PendingFingerprint != "" {
				sum.KeysPending++
			}
			if err := putJSON(t, directoryKey(e.ID), &e); err != nil {
				return err
			}
			have = append(have, e)
			sum.Added++
		}
		return nil
	})
	return sum, err
}

// csvPartner reads a partner category cell: today's names, and the older
// directory's ("probation", "medical", "mental-health", "national-resource"), which
// files exported before the one partner list still hold. Anything else is kept as
// written, for the entry's check to refuse with the row named.
func csvPartner(cell string) Partner {
	cell = strings.ToLower(cell)
	if p, ok := ParsePartner(cell); ok {
		return p
	}
	return Partner(cell)
}
