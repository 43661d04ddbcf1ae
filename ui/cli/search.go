package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"casenotes/app"
	"casenotes/app/search"
	"casenotes/ui/format"
)

// runSearch searches every case: `casenotes search QUERY [--json] [--case N]
// [--kind K] [--since D] ...`. The words may come before or after the options;
// after "--" everything is a word, so a word to leave out (-harborview) is not
// read as an option. The index is built in memory for this one search (nothing of
// it is written anywhere) and dropped when the vault locks again.
func runSearch(e *Env, g *globals, args []string) error {
	fs := newFlagSet("search", e)
	asJSON := fs.Bool("json", false, "print the hits as JSON")
	number := fs.String("case", "", "only this case (its number)")
	kind := fs.String("kind", "", "only notes of this kind")
	since := fs.String("since", "", "only what is dated on or after this day (YYYY-MM-DD)")
	until := fs.String("until", "", "only what is dated on or before this day (YYYY-MM-DD)")
	author := fs.String("author", "", "only what this person wrote")
	sens := fs.String("sensitivity", "", "only notes of this sensitivity")
	status := fs.String("status", "", "only cases with this status (open, inactive, closed)")
	limit := fs.Int("limit", search.DefaultLimit, "how many hits to show")
	g.register(fs)
	words, err := searchWords(fs, args)
	if err != nil {
		return err
	}
	q := search.Query{Text: strings.Join(words, " "), Author: *author, Limit: *limit}
	if strings.TrimSpace(q.Text) == "" {
		return usagef("search: give the words to look for, e.g. casenotes search quispe martinez")
	}
	if *limit < 1 || *limit > 1000 {
		return usagef("search: --limit must be between 1 and 1000")
	}
	if *kind != "" {
		if q.Kind, err = app.ParseNoteKind(*kind); err != nil {
			return usagef("search: %s", app.Sentence(err))
		}
	}
	if *sens != "" {
		if q.Sensitivity, err = app.ParseSensitivity(*sens); err != nil {
			return usagef("search: %s", app.Sentence(err))
		}
	}
	if *status != "" {
		if q.Status = app.CaseStatus(*status); !validStatus(q.Status) {
			return usagef("search: --status must be open, inactive or closed")
		}
	}
	for _, d := range []struct {
		flag string
		in   string
		out  *time.Time
	}{{"since", *since, &q.Since}, {"until", *until, &q.Until}} {
		if d.in == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.in)
		if err != nil {
			return usagef("search: --%s must be a day written YYYY-MM-DD", d.flag)
		}
		*d.out = t
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	if *number != "" {
		c, err := r.CaseByNumber(*number)
		if errors.Is(err, app.ErrNotFound) {
			return &sentenceError{fmt.Sprintf("This vault has no case numbered %s. List the cases with: casenotes cases", *number)}
		}
		if err != nil {
			return err
		}
		q.Case = c.ID
	}
	ix, err := search.Open(r)
	if err != nil {
		return err
	}
	defer ix.Close()
	if err := waitForIndex(e, ix); err != nil {
		return err
	}
	res, err := ix.Search(q)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeSearchJSON(e, res)
	}
	return writeSearchTable(e, res)
}

// searchWords parses the options wherever they stand among the words.
func searchWords(fs interface {
	Parse([]string) error
	Args() []string
}, args []string) ([]string, error) {
	var words, tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError("search: ", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		words = append(words, rest[0])
		args = rest[1:]
	}
	return append(words, tail...), nil
}

// waitForIndex waits for the index, showing its progress on a terminal.
func waitForIndex(e *Env, ix *search.Index) error {
	if e.Terminal == nil {
		return ix.Wait(context.Background())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- ix.Wait(ctx) }()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	shown := false
	for {
		select {
		case err := <-errc:
			if shown {
				fmt.Fprint(e.Stderr, "\r\033[K")
			}
			return err
		case <-tick.C:
			done, total, _ := ix.Progress()
			if total > 0 {
				shown = true
				fmt.Fprintf(e.Stderr, "\rPreparing search: %d of %d cases", min(done, total), total)
			}
		}
	}
}

// searchHit is one hit in `search --json`, a stable contract for scripts. A
// privileged note's hit has no snippet.
type searchHit struct {
	CaseNumber  string          `json:"case_number"`
	CaseID      app.ID          `json:"case_id"`
	Alias       string          `json:"alias"`
	Source      string          `json:"source"`
	NoteID      *app.ID         `json:"note_id,omitempty"`
	Kind        app.NoteKind    `json:"kind,omitempty"`
	Sensitivity app.Sensitivity `json:"sensitivity,omitempty"`
	Draft       bool            `json:"draft,omitempty"`
	Label       string          `json:"label,omitempty"`
	Author      string          `json:"author,omitempty"`
	Date        time.Time       `json:"date"`
	Snippet     string          `json:"snippet,omitempty"`
	Privileged  bool            `json:"privileged,omitempty"`
	Score       float64         `json:"score"`
}

// searchFormat is the format id of `search --json` (docs/formats.md).
var searchFormat = app.FormatID{Name: "casenotes-search", Version: 1}

type searchOutput struct {
	Format string      `json:"format"`
	Total  int         `json:"total"`
	Hits   []searchHit `json:"hits"`
}

func writeSearchJSON(e *Env, res search.Results) error {
	out := searchOutput{Format: searchFormat.String(), Total: res.Total, Hits: []searchHit{}}
	for _, h := range res.Hits {
		sh := searchHit{CaseNumber: h.CaseNumber, CaseID: h.Case, Alias: h.Alias, Source: string(h.Source),
			Kind: h.Kind, Sensitivity: h.Sensitivity, Draft: h.Draft, Label: h.Label, Author: h.Author,
			Date: h.Date, Snippet: h.Snippet, Privileged: h.Privileged, Score: h.Score}
		if !h.Note.IsZero() {
			id := h.Note
			sh.NoteID = &id
		}
		out.Hits = append(out.Hits, sh)
	}
	enc := json.NewEncoder(e.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeSearchTable(e *Env, res search.Results) error {
	if res.Total == 0 {
		fmt.Fprintln(e.Stdout, "No matches.")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tALIAS\tWHAT\tAUTHOR\tDATE\tTEXT")
	for _, h := range res.Hits {
		text := oneLine(h.Snippet)
		if h.Privileged {
			text = "(advocate-privileged: open the note to read it)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", h.CaseNumber, oneLine(h.Alias), hitWhat(h),
			oneLine(h.Author), format.Date(h.Date), text)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintf(e.Stdout, "%s of %s shown; narrow the search or use --limit.\n",
			format.Count(len(res.Hits), "match", "matches"), format.Count(res.Total, "match", "matches"))
	}
	return nil
}

// hitWhat names what was found: a note's kind (and draft), an addendum, or the
// kind of record.
func hitWhat(h search.Hit) string {
	switch h.Source {
	case app.SourceNote:
		if h.Draft {
			return string(h.Kind) + " note (draft)"
		}
		return string(h.Kind) + " note"
	case app.SourceAddendum:
		return "addendum to " + string(h.Kind) + " note"
	case app.SourceCase:
		return "case"
	case app.SourceChecklist:
		return "checklist item"
	case app.SourceTimeline:
		return "timeline event"
	case app.SourceReferral:
		return "referral"
	case app.SourceAttachment:
		return "attachment"
	}
	return string(h.Source)
}
