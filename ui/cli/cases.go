package cli

import (
	"encoding/json"
	"fmt"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"casenotes/app"
	"casenotes/ui/format"
)

// openRecords unlocks the vault and returns the record service with the user's
// name as author (setAuthor). done locks the vault again.
func openRecords(e *Env, g *globals) (r *app.Records, done func(), err error) {
	s, r, err := openSession(e, g)
	if err != nil {
		return nil, nil, err
	}
	return r, func() { s.Lock() }, nil
}

// openSession unlocks the vault and opens its record service with the user's
// name as author (setAuthor), for a command that needs the session too (its
// keys); the caller locks s. On an error the vault is locked again.
func openSession(e *Env, g *globals) (*app.Session, *app.Records, error) {
	s, err := unlock(e, g)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.Records("")
	if err != nil {
		s.Lock()
		return nil, nil, err
	}
	setAuthor(e, r)
	return s, r, nil
}

// loginName is the operating-system user, the author of notes written from the
// command line when the vault has no profile yet.
func loginName(e *Env) string {
	if u := firstNonEmpty(e.Getenv("USER"), e.Getenv("USERNAME"), e.Getenv("LOGNAME")); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// runCases lists cases from the case index: number, alias, status, opening date
// and team. The legal identity is never read to list cases.
func runCases(e *Env, g *globals, args []string) error {
	fs := newFlagSet("cases", e)
	asJSON := fs.Bool("json", false, "print the list as a JSON array")
	status := fs.String("status", "", "only cases with this status (open, inactive, closed)")
	tag := fs.String("tag", "", "only cases with this indicator tag")
	assigned := fs.String("assigned", "", "only cases this person is assigned to")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	f := app.CaseFilter{Status: app.CaseStatus(*status), Tag: *tag, Assigned: *assigned}
	if f.Status != "" && !validStatus(f.Status) {
		return usagef("cases: --status must be open, inactive or closed")
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	list, err := r.ListCases(f)
	if err != nil {
		return err
	}
	if *asJSON {
		rows := make([]caseRow, 0, len(list))
		for _, c := range list {
			rows = append(rows, newCaseRow(c))
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Stdout, "No cases.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tALIAS\tSTATUS\tOPENED\tASSIGNED")
	for _, c := range list {
		st := string(c.Status)
		if c.ReadOnly {
			st += " (received)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Number, oneLine(c.Alias), st,
			format.Date(c.Opened), oneLine(strings.Join(c.Assigned, ", ")))
	}
	return tw.Flush()
}

func validStatus(s app.CaseStatus) bool {
	for _, v := range app.CaseStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// oneLine keeps a table cell on one line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// caseRow is one case in `cases --json`: the list fields of the case index and the
// checklist progress, a stable contract for scripts. It never holds the legal
// identity, which the list path does not read.
type caseRow struct {
	ID       app.ID         `json:"id"`
	Number   string         `json:"number"`
	Title    string         `json:"title"`
	Alias    string         `json:"alias"`
	Status   app.CaseStatus `json:"status"`
	Tags     []string       `json:"tags,omitempty"`
	Assigned []string       `json:"assigned,omitempty"`
	Opened   time.Time      `json:"opened"`
	Closed   time.Time      `json:"closed,omitzero"`
	ReadOnly bool           `json:"read_only,omitempty"`
	Origin   string         `json:"origin,omitempty"`
	// ChecklistResolved of ChecklistTotal items are done or not applicable.
	ChecklistResolved int `json:"checklist_resolved"`
	ChecklistTotal    int `json:"checklist_total"`
}

func newCaseRow(c app.CaseSummary) caseRow {
	r := caseRow{ID: c.ID, Number: c.Number, Title: c.Title, Alias: c.Alias, Status: c.Status,
		Tags: c.Tags, Assigned: c.Assigned, Opened: c.Opened, Closed: c.Closed,
		ReadOnly: c.ReadOnly, Origin: c.Origin}
	if c.Checklist != nil {
		p := c.Checklist.Progress()
		r.ChecklistResolved, r.ChecklistTotal = p.Overall.Resolved(), p.Overall.Total
	}
	return r
}
