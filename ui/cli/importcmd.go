package cli

import (
	"bufio"
	"bytes"
	"casenotes/app"
	"casenotes/ui/format"
	"fmt"
	"strings"
)

// runImport imports a case file (casenotes-case/v1) all or nothing.
func runImport(e *Env, g *globals, args []string) error {
	fs := newFlagSet("import", e)
	bf := bundleFlags(fs)
	rest, err := parse(fs, g, args, 1)
	if err != nil {
		return usagef("import: give one file: casenotes import FILE")
	}
	f, err := openInput("case file", rest[0])
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if head, _ := br.Peek(len("age-encryption.org/")); bytes.Equal(head, []byte("age-encryption.org/")) {
		return runImportBundle(e, g, br, bf)
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	sum, err := r.ImportCaseFile(br)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, importSummary(sum))
	return nil
}

// importSummary says in one line what an import stored, each count with the noun
// that fits it.
func importSummary(s app.ImportSummary) string {
	parts := []string{
		format.Count(s.Notes, "note", "notes"),
		format.Count(s.Addenda, "addendum", "addenda"),
		format.Count(s.ChecklistItems, "checklist item state", "checklist item states"),
		format.Count(s.Releases, "release", "releases"),
		format.Count(s.Referrals, "referral", "referrals"),
		format.Count(s.Events, "timeline event", "timeline events"),
	}
	// The MDT practice's records, named only when the file held some (issue 14).
	for _, p := range []struct {
		n         int
		one, many string
	}{{s.References, "reference", "references"}, {s.Hearings, "hearing", "hearings"},
		{s.Notifications, "victim notification", "victim notifications"}, {s.People, "person by reference", "people by reference"},
		{s.Charges, "charge", "charges"}, {s.Links, "linked case", "linked cases"}} {
		if p.n > 0 {
			parts = append(parts, format.Count(p.n, p.one, p.many))
		}
	}
	return "Imported " + format.Count(s.Cases, "case", "cases") + ": " + strings.Join(parts, ", ") + "."
}
