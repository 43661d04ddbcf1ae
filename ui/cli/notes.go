package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"casenotes/app"
)

// maxNoteFile bounds a note's text file.
const maxNoteFile = 1 << 20

// runNote dispatches "note add", "note list" and "note show".
func runNote(e *Env, g *globals, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runNoteAdd(e, g, args[1:])
		case "list":
			return runNoteList(e, g, args[1:])
		case "show":
			return runNoteShow(e, g, args[1:])
		}
	}
	return usagef("note: the subcommands are: note add --case NUMBER --kind KIND --text-file F [--final] [--sensitivity S], note list --case NUMBER [--json], note show --case NUMBER --note ID [--addendum ID]")
}

func runNoteAdd(e *Env, g *globals, args []string) error {
	fs := newFlagSet("note add", e)
	number := fs.String("case", "", "the case number")
	kind := fs.String("kind", "", "contact, interview-reference, observation, service, court, supervisor-review or other")
	textFile := fs.String("text-file", "", "file holding the note's text (UTF-8)")
	final := fs.Bool("final", false, "finalize the note: it can then change only by addendum")
	sens := fs.String("sensitivity", "standard", "standard, restricted or advocate-privileged")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	switch {
	case *number == "":
		return usagef("note add: --case NUMBER is required")
	case *kind == "":
		return usagef("note add: --kind KIND is required")
	case *textFile == "":
		return usagef("note add: --text-file F is required")
	}
	k, err := app.ParseNoteKind(*kind)
	if err != nil {
		return usagef("note add: %v", err)
	}
	s, err := app.ParseSensitivity(*sens)
	if err != nil {
		return usagef("note add: %v", err)
	}
	body, err := readTextFile(*textFile)
	if err != nil {
		return err
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
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: k, Body: body, Sensitivity: s})
	if err != nil {
		return err
	}
	state := "a draft"
	if *final {
		if n, err = r.FinaliseNote(c.ID, n.ID); err != nil {
			return fmt.Errorf("the note was saved as a draft but not finalized: %w", err)
		}
		state = "final"
	}
	fmt.Fprintf(e.Stdout, "Note %s added to case %s (%s, %s).\n", n.ID, c.Number, n.Kind, state)
	return nil
}

// readTextFile reads a UTF-8 text file of at most maxNoteFile bytes.
func readTextFile(path string) (string, error) {
	f, err := openInput("text file", path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxNoteFile+1))
	if err != nil {
		return "", unreadable("text file", path, err)
	}
	if len(b) > maxNoteFile {
		return "", &sentenceError{fmt.Sprintf("The text file %s is larger than %d KiB; nothing was added.", path, maxNoteFile>>10)}
	}
	if !utf8.Valid(b) {
		return "", &sentenceError{fmt.Sprintf("The text file %s is not UTF-8 text; nothing was added. Save it as UTF-8 and try again.", path)}
	}
	if strings.TrimSpace(string(b)) == "" {
		// The app never keeps an empty note either: it drops empty drafts and
		// refuses to finalize one.
		return "", &sentenceError{fmt.Sprintf("The text file %s is empty: write the note in it first. Nothing was added.", path)}
	}
	return string(b), nil
}

// caseByNumber finds a case by its number, or says that the vault has no case with
// that number.
func caseByNumber(r *app.Records, number string) (app.Case, error) {
	c, err := r.CaseByNumber(number)
	if errors.Is(err, app.ErrNotFound) {
		return c, &sentenceError{fmt.Sprintf("This vault has no case numbered %s; nothing was changed. List the cases with: casenotes cases", number)}
	}
	return c, err
}
