package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"casenotes/app"
	"casenotes/ui/format"
)

// Reading notes from the command line: `note list` names a case's notes (never
// their text unless --json asks for it) and `note show` prints one note's text,
// byte for byte as stored, so a script (or a test) can compare it with what was
// typed. Reading text is a view of the case: it is logged in the audit trail as
// the desktop app logs opening a case.

// noteRow is one note in `note list --json`: a stable contract for scripts.
type noteRow struct {
	ID          app.ID          `json:"id"`
	Kind        app.NoteKind    `json:"kind"`
	Sensitivity app.Sensitivity `json:"sensitivity"`
	Author      string          `json:"author"`
	Created     time.Time       `json:"created"`
	Updated     time.Time       `json:"updated"`
	Finalized   time.Time       `json:"finalized,omitzero"`
	FinalizedBy string          `json:"finalized_by,omitempty"`
	Text        string          `json:"text"`
	Addenda     []addendumRow   `json:"addenda,omitempty"`
}

type addendumRow struct {
	ID      app.ID    `json:"id"`
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
	Text    string    `json:"text"`
}

func newNoteRow(n app.Note) noteRow {
	row := noteRow{ID: n.ID, Kind: n.Kind, Sensitivity: n.Sensitivity, Author: n.Author, Created: n.Created,
		Updated: n.Updated, Finalized: n.Finalised, FinalizedBy: n.FinalisedBy, Text: n.Body}
	for _, a := range n.Addenda {
		row.Addenda = append(row.Addenda, addendumRow{ID: a.ID, Author: a.Author, Created: a.Created, Text: a.Body})
	}
	return row
}

// runNoteList lists a case's notes, oldest first.
func runNoteList(e *Env, g *globals, args []string) error {
	fs := newFlagSet("note list", e)
	number := fs.String("case", "", "the case number")
	asJSON := fs.Bool("json", false, "print the notes, with their text and addenda, as a JSON array")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *number == "" {
		return usagef("note list: --case NUMBER is required")
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	c, err := caseByNumber(r, *number)
	if err != nil {
		return err
	}
	notes, err := r.Notes(c.ID)
	if err != nil {
		return err
	}
	if *asJSON {
		if _, err := r.OpenCase(c.ID); err != nil { // the text is read: a view of the case
			return err
		}
		rows := make([]noteRow, 0, len(notes))
		for _, n := range notes {
			rows = append(rows, newNoteRow(n))
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(notes) == 0 {
		fmt.Fprintf(e.Stdout, "Case %s has no notes.\n", c.Number)
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCREATED\tKIND\tSTATE\tSENSITIVITY\tAUTHOR\tADDENDA")
	for _, n := range notes {
		state := "draft"
		if n.Final() {
			state = "final"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", n.ID, format.DateTime(n.Created), n.Kind, state,
			n.Sensitivity, oneLine(n.Author), len(n.Addenda))
	}
	return tw.Flush()
}

// runNoteShow prints one note's text, or one of its addenda's, exactly as stored:
// nothing is added, not even a final newline.
func runNoteShow(e *Env, g *globals, args []string) error {
	fs := newFlagSet("note show", e)
	number := fs.String("case", "", "the case number")
	noteID := fs.String("note", "", "the note's id (from: casenotes note list --case NUMBER)")
	addendumID := fs.String("addendum", "", "print this addendum of the note instead")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	switch {
	case *number == "":
		return usagef("note show: --case NUMBER is required")
	case *noteID == "":
		return usagef("note show: --note ID is required (list them with: casenotes note list --case NUMBER)")
	}
	nid, err := app.ParseID(strings.TrimSpace(*noteID))
	if err != nil {
		return usagef("note show: --note %q is not a note id (32 hexadecimal digits)", *noteID)
	}
	var aid app.ID
	if *addendumID != "" {
		if aid, err = app.ParseID(strings.TrimSpace(*addendumID)); err != nil {
			return usagef("note show: --addendum %q is not an addendum id (32 hexadecimal digits)", *addendumID)
		}
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	c, err := caseByNumber(r, *number)
	if err != nil {
		return err
	}
	n, err := r.Note(c.ID, nid)
	if err != nil {
		if errors.Is(err, app.ErrNotFound) {
			return &sentenceError{fmt.Sprintf("Case %s has no note %s. List its notes with: casenotes note list --case %s", c.Number, nid, c.Number)}
		}
		return err
	}
	text := n.Body
	if !aid.IsZero() {
		found := false
		for _, a := range n.Addenda {
			if a.ID == aid {
				text, found = a.Body, true
			}
		}
		if !found {
			return &sentenceError{fmt.Sprintf("Note %s has no addendum %s. List them with: casenotes note list --case %s --json", nid, aid, c.Number)}
		}
	}
	if _, err := r.OpenCase(c.ID); err != nil {
		return err
	}
	_, err = io.WriteString(e.Stdout, text)
	return err
}
