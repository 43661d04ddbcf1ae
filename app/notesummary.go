package app

import (
	"encoding/json"
	"strings"
	"time"
)

// maxPreview bounds the first line a list shows of a note.
const maxPreview = 200

// NoteSummary is a note as a list shows it: kind, author, dates and state, and for
// notes that are not advocate-privileged the first line of the text. A privileged
// note's text is shown only when the note itself is opened (Records.Note), so a
// list, a screen share or a glance over a shoulder never shows it; the type has no
// field that could carry it.
type NoteSummary struct {
	ID          ID
	Kind        NoteKind
	Author      string
	Sensitivity Sensitivity
	Created     time.Time
	Updated     time.Time
	Finalised   time.Time
	FinalisedBy string
	// Preview is the first non-empty line of the text, at most 200 characters;
	// always empty for an advocate-privileged note.
	Preview string
	// Addenda counts the note's addenda.
	Addenda int
}

// Final reports whether the note is final.
func (s NoteSummary) Final() bool { return !s.Finalised.IsZero() }

// Privileged reports whether the note is advocate-privileged.
func (s NoteSummary) Privileged() bool { return s.Sensitivity == SensitivityAdvocatePrivileged }

// Summary is the note as a list shows it (see NoteSummary).
func (n *Note) Summary() NoteSummary {
	s := NoteSummary{ID: n.ID, Kind: n.Kind, Author: n.Author, Sensitivity: n.Sensitivity,
		Created: n.Created, Updated: n.Updated, Finalised: n.Finalised, FinalisedBy: n.FinalisedBy,
		Addenda: len(n.Addenda)}
	if !s.Privileged() {
		s.Preview = previewLine(n.Body)
	}
	return s
}

// previewLine is the first non-empty line of a text, cut at maxPreview runes.
func previewLine(text string) string {
	for line := range strings.Lines(text) {
		if line = strings.TrimSpace(line); line != "" {
			if r := []rune(line); len(r) > maxPreview {
				line = string(r[:maxPreview]) + "…"
			}
			return line
		}
	}
	return ""
}

// noteHead is a stored note without its text: what NoteSummaries decodes first, so
// the text of a privileged note is never decoded into a string for a list.
type noteHead struct {
	ID          ID          `json:"id"`
	Kind        NoteKind    `json:"kind"`
	Author      string      `json:"author"`
	Sensitivity Sensitivity `json:"sensitivity"`
	Created     time.Time   `json:"created"`
	Updated     time.Time   `json:"updated"`
	Finalised   time.Time   `json:"finalised"`
	FinalisedBy string      `json:"finalised_by"`
}

// noteText is the text of a stored note, decoded only for notes a list may preview.
type noteText struct {
	Body string `json:"body"`
}

// NoteSummaries returns a case's notes as a list shows them, in the order they
// were written. Unlike Notes it never returns an advocate-privileged note's text.
func (r *Records) NoteSummaries(caseID ID) ([]NoteSummary, error) {
	var out []NoteSummary
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		pos := map[ID]int{}
		err := t.Scan(RecNote, caseID, func(_ Key, b []byte) error {
			var h noteHead
			if err := json.Unmarshal(b, &h); err != nil {
				return unreadable(RecNote)
			}
			s := NoteSummary{ID: h.ID, Kind: h.Kind, Author: h.Author, Sensitivity: h.Sensitivity,
				Created: h.Created, Updated: h.Updated, Finalised: h.Finalised, FinalisedBy: h.FinalisedBy}
			if !s.Privileged() {
				var body noteText
				if err := json.Unmarshal(b, &body); err != nil {
					return unreadable(RecNote)
				}
				s.Preview = previewLine(body.Body)
			}
			pos[s.ID] = len(out)
			out = append(out, s)
			return nil
		})
		if err != nil {
			return err
		}
		// Addenda are counted from the note they belong to; their text is not decoded.
		return t.Scan(RecAddendum, caseID, func(_ Key, b []byte) error {
			var a struct {
				Note ID `json:"note"`
			}
			if err := json.Unmarshal(b, &a); err != nil {
				return unreadable(RecAddendum)
			}
			if i, ok := pos[a.Note]; ok {
				out[i].Addenda++
			}
			return nil
		})
	})
	return out, err
}
