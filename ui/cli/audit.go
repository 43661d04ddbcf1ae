package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"casenotes/app"
	"casenotes/ui/format"
)

// The audit trail on the command line, for supervisors and auditors:
//
//	casenotes audit verify
//	casenotes audit list [--json] [--case NUMBER] [--user U] [--action A]
//	                     [--since DATE] [--until DATE] [--limit N]
//	casenotes audit export --format csv --out F   [the same filters]
//	casenotes audit checkpoint --out F
//	casenotes audit prove --from-checkpoint F [--json] [--out F]
//
// Reading the trail is itself an unlock and a lock, and both are logged.

// auditCommands are the audit subcommands, in the order usage lists them.
var auditCommands = []struct {
	name string
	run  func(e *Env, g *globals, args []string) error
}{
	{"verify", runAuditVerify},
	{"list", runAuditList},
	{"export", runAuditExport},
	{"checkpoint", runAuditCheckpoint},
	{"prove", runAuditProve},
}

func runAudit(e *Env, g *globals, args []string) error {
	if len(args) > 0 {
		for _, c := range auditCommands {
			if c.name == args[0] {
				return c.run(e, g, args[1:])
			}
		}
		return usagef("audit: unknown command %q; give verify, list, export, checkpoint or prove", args[0])
	}
	return usagef("audit: give verify, list, export, checkpoint or prove")
}

// runAuditVerify verifies the whole trail: every entry's sequence and MAC, the
// Merkle tree against the log's record of it and the header's, and every stored
// checkpoint. It prints what it checked; a problem exits 4 naming the first bad
// entry (its sequence number, its time and what is wrong).
func runAuditVerify(e *Env, g *globals, args []string) error {
	fs := newFlagSet("audit verify", e)
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	s, err := unlock(e, g)
	if err != nil {
		return err
	}
	defer s.Lock()
	rep, err := s.VerifyAudit()
	if err != nil {
		return err
	}
	if !rep.OK() {
		fmt.Fprintf(e.Stdout, "Checked %s and %s before the first problem.\n",
			format.Count(int(rep.Checked), "entry", "entries"), format.Count(rep.Checkpoints, "checkpoint", "checkpoints"))
		return &exitError{rep.Problem + " The audit trail was altered or damaged: keep this vault as it is and tell your administrator.", ExitIntegrity}
	}
	fmt.Fprintf(e.Stdout, "Checked %s and %s: the audit trail is intact.\n",
		format.Count(int(rep.Checked), "entry", "entries"), format.Count(rep.Checkpoints, "signed checkpoint", "signed checkpoints"))
	return nil
}

// auditFilterFlags are the filters `audit list` and `audit export` share.
type auditFilterFlags struct {
	caseNumber, user, action, since, until *string
}

func filterFlags(fs *flag.FlagSet) auditFilterFlags {
	return auditFilterFlags{
		caseNumber: fs.String("case", "", "entries about this case (its number; deleted cases too)"),
		user:       fs.String("user", "", "entries by this user (the name as the vault records it)"),
		action:     fs.String("action", "", "entries of this action (see docs/audit.md)"),
		since:      fs.String("since", "", "entries from this day (YYYY-MM-DD or MM/DD/YYYY, local time) or this RFC 3339 time"),
		until:      fs.String("until", "", "entries up to the end of this day (local time), or before this RFC 3339 time"),
	}
}

// check reads the flags that need no vault; the case number is looked up later.
func (f auditFilterFlags) check(cmd string) (app.AuditFilter, error) {
	var af app.AuditFilter
	af.User = strings.TrimSpace(*f.user)
	if a := strings.TrimSpace(*f.action); a != "" {
		if !slices.Contains(app.AuditActions, a) {
			return af, usagef("%s: %q is not an action of the audit trail; the actions are listed in docs/audit.md", cmd, a)
		}
		af.Action = a
	}
	var err error
	if *f.since != "" {
		if af.Since, err = parseAuditTime(*f.since, false); err != nil {
			return af, usagef("%s: --since %s", cmd, err)
		}
	}
	if *f.until != "" {
		if af.Until, err = parseAuditTime(*f.until, true); err != nil {
			return af, usagef("%s: --until %s", cmd, err)
		}
	}
	if !af.Since.IsZero() && !af.Until.IsZero() && !af.Until.After(af.Since) {
		return af, usagef("%s: --until is before --since", cmd)
	}
	return af, nil
}

// resolveCase fills in the case filter from its number, deleted cases included.
func (f auditFilterFlags) resolveCase(r *app.Records, af *app.AuditFilter) error {
	n := strings.TrimSpace(*f.caseNumber)
	if n == "" {
		return nil
	}
	id, err := r.CaseIDByNumber(n)
	if err != nil {
		if errors.Is(err, app.ErrNotFound) {
			return &sentenceError{fmt.Sprintf("No case numbered %s is in this vault, and none was deleted from it; check the number.", n)}
		}
		return err
	}
	af.Case = id
	return nil
}

// parseAuditTime reads a day (YYYY-MM-DD or MM/DD/YYYY, in the computer's time zone)
// or an exact RFC 3339 time. A day given as the end of a range (until) means the end
// of that day, so "--until 2026-11-30" includes the 30th.
func parseAuditTime(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	var day time.Time
	if d, err := time.Parse("2006-01-02", s); err == nil {
		day = d
	} else if d, err := format.ParseEntryDate(s); err == nil {
		day = d
	} else {
		return time.Time{}, fmt.Errorf("%q is not a day written YYYY-MM-DD or MM/DD/YYYY, nor an RFC 3339 time", s)
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.Local)
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// runAuditList prints the entries matching the filters, newest first, with times
// in the computer's time zone and cases by number; --json prints one JSON object a
// line (times in UTC, RFC 3339), as app.MarshalAuditRows writes them.
func runAuditList(e *Env, g *globals, args []string) error {
	fs := newFlagSet("audit list", e)
	asJSON := fs.Bool("json", false, "one JSON object a line")
	limit := fs.Int("limit", 0, "at most this many entries, newest first (0: all)")
	ff := filterFlags(fs)
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("audit list: --limit is a number of entries, 0 or more")
	}
	af, err := ff.check("audit list")
	if err != nil {
		return err
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	if err := ff.resolveCase(r, &af); err != nil {
		return err
	}
	var w auditWriter = &auditTable{tw: tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)}
	if *asJSON {
		w = &auditJSON{w: e.Stdout}
	}
	shown, total, matching, err := listAudit(r, af, *limit, w.rows)
	if err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintln(e.Stdout, auditListFooter(shown, total, matching))
	}
	return nil
}

// listAudit pages through the matching entries, newest first, handing each page to
// each. An unfiltered listing reads a page at a time (only its own entries); a
// filtered one asks for every match at once (the log is read once either way).
func listAudit(r *app.Records, f app.AuditFilter, limit int, each func([]app.AuditRow) error) (shown int, total uint64, matching int, err error) {
	const page = 1000
	want := limit
	if want == 0 {
		want = int(^uint(0) >> 1)
	}
	if f != (app.AuditFilter{}) {
		p, err := r.AuditEntries(f, 0, want)
		if err != nil {
			return 0, 0, 0, err
		}
		return len(p.Rows), p.Total, p.Matching, each(p.Rows)
	}
	for shown < want {
		p, err := r.AuditEntries(f, shown, min(page, want-shown))
		if err != nil {
			return shown, 0, 0, err
		}
		total = p.Total
		if len(p.Rows) == 0 {
			break
		}
		if err := each(p.Rows); err != nil {
			return shown, total, -1, err
		}
		shown += len(p.Rows)
	}
	return shown, total, -1, nil
}

func auditListFooter(shown int, total uint64, matching int) string {
	of := format.Count(int(total), "entry", "entries") + " in the audit trail"
	if matching >= 0 {
		of = fmt.Sprintf("%s matching of %s", format.Count(matching, "entry", "entries"), of)
	}
	return fmt.Sprintf("Shown: %d, newest first (%s). Times are in this computer's time zone, %s.", shown, of, zoneName())
}

// zoneName names the computer's time zone for the listing's footer: "CST
// (UTC-06:00)".
func zoneName() string {
	name, off := time.Now().Zone()
	return fmt.Sprintf("%s (UTC%s)", name, offset(off))
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d:%02d", sign, sec/3600, sec%3600/60)
}

// auditWriter prints listing rows as they come.
type auditWriter interface {
	rows([]app.AuditRow) error
	flush() error
}

// auditTable is the listing for people: aligned columns, local times.
type auditTable struct {
	tw     *tabwriter.Writer
	header bool
}

func (a *auditTable) rows(rows []app.AuditRow) error {
	if len(rows) == 0 {
		return nil
	}
	if !a.header {
		fmt.Fprintln(a.tw, "SEQ\tTIME\tUSER\tACTION\tCASE\tOUTCOME\tDETAILS")
		a.header = true
	}
	for _, r := range rows {
		c := r.CaseNumber
		if c == "" && !r.Case.IsZero() {
			c = "id " + r.Case.String()
		}
		if c == "" {
			c = "-"
		}
		user := r.User
		if user == "" {
			user = "-"
		}
		details := format.AuditDetails(r.AuditEntry)
		if details == "" {
			details = "-"
		}
		fmt.Fprintf(a.tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.Time.Local().Format("2006-01-02 15:04:05 MST"),
			tabless(user), r.Action, tabless(c), r.Outcome, details)
	}
	return nil
}

func (a *auditTable) flush() error {
	if !a.header {
		fmt.Fprintln(a.tw, "No entries match.")
	}
	return a.tw.Flush()
}

// tabless keeps a value from breaking the table's columns.
func tabless(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

// auditJSON is the listing for scripts: one JSON object a line.
type auditJSON struct{ w io.Writer }

func (a *auditJSON) rows(rows []app.AuditRow) error {
	b, err := app.MarshalAuditRows(rows)
	if err != nil {
		return err
	}
	_, err = a.w.Write(b)
	return err
}

func (a *auditJSON) flush() error { return nil }

// runAuditExport writes the matching entries, oldest first, as CSV for supervisors
// (times in UTC, RFC 3339; the columns are in docs/audit.md). The file is written
// whole or not at all.
func runAuditExport(e *Env, g *globals, args []string) error {
	fs := newFlagSet("audit export", e)
	form := fs.String("format", "csv", "csv (the only format)")
	out := fs.String("out", "", "file to write")
	ff := filterFlags(fs)
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *form != "csv" {
		return usagef("audit export: --format csv is the only format")
	}
	if *out == "" {
		return usagef("audit export: --out FILE is required")
	}
	if err := checkNewFile("audit export", *out); err != nil {
		return err
	}
	af, err := ff.check("audit export")
	if err != nil {
		return err
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	if err := ff.resolveCase(r, &af); err != nil {
		return err
	}
	n := 0
	err = writeFileAtomic(*out, func(f *os.File) error {
		var err error
		n, err = r.WriteAuditCSV(f, af)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Wrote %s to %s (oldest first, times in UTC).\n", format.Count(n, "entry", "entries"), *out)
	return nil
}
