package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"casenotes/app"
)

// WriteJSON writes the document as casenotes-export/v1: indented, field order fixed by
// the types, so the same document always gives the same bytes.
func WriteJSON(w io.Writer, d *Document) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: encoding the export: %v", app.ErrStore, err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// maxJSON bounds an export document read back (from a bundle).
const maxJSON = 64 << 20

// ReadJSON reads an export document of this or an older version. Unknown fields
// are ignored (a newer writer's optional additions); a missing or newer format is
// refused.
func ReadJSON(b []byte) (*Document, error) {
	if len(b) > maxJSON {
		return nil, app.Invalid("export document", "is too large")
	}
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, app.Invalid("export document", "is not valid JSON")
	}
	if _, err := app.ReadableFormat(head.Format, FormatID, "a Casenotes export"); err != nil {
		if errors.Is(err, app.ErrTooNew) {
			return nil, app.Invalid("export document", "was written by a newer version of Casenotes: update Casenotes to read it")
		}
		return nil, app.Invalid("export document", "is not a Casenotes export")
	}
	d := new(Document)
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(d); err != nil {
		return nil, app.Invalid("export document", "does not read as a Casenotes export")
	}
	return d, nil
}
