package search_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/app/search"
)

// TestNothingReadableOnDisk is the canary test: after indexing, after searching
// (snippets made) and after the lock, no file under the vault or the temporary
// folder holds an indexed word, its folded token or a snippet, in any form a
// reader would try.
func TestNothingReadableOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir, s, r := vault(t)
	c := newCase(t, r, "2026-TF-0777", "Canary case", "Álvarocanary Núñezcanary")
	body := "Met Quispe-Martínezcanary at the Zorrocanary Motel; phone 555-0199 and plate 7QXZ913."
	n := note(t, r, c, app.NoteContact, app.SensitivityStandard, body, true)
	if _, err := r.AddAddendum(c.ID, n.ID, "Addendum about Brindlecanary."); err != nil {
		t.Fatal(err)
	}
	ix := open(t, r)
	res := find(t, ix, search.Query{Text: "martinezcanary zorrocanary"})
	if res.Total != 1 || res.Hits[0].Snippet == "" {
		t.Fatalf("canary note not found with a snippet: %+v", res)
	}
	snippet := res.Hits[0].Snippet
	secrets := []string{
		"Quispe-Martínezcanary", "martinezcanary", "MARTINEZCANARY", "Zorrocanary", "zorrocanary",
		"Álvarocanary", "alvarocanary", "nunezcanary", "Brindlecanary", "brindlecanary", "7qxz913", "7QXZ913",
		snippet, search.Fold(snippet),
	}
	scan := func(when string) {
		t.Helper()
		for _, root := range []string{dir, tmp} {
			err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
				if err != nil || fi.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				for _, w := range secrets {
					for _, form := range [][]byte{[]byte(w), utf16(w)} {
						if bytes.Contains(b, form) {
							t.Errorf("%s: %s holds %q", when, p, w)
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	scan("after indexing")
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}
	<-ix.Released()
	scan("after the lock")
	if !strings.Contains(snippet, "Zorrocanary") {
		t.Errorf("the snippet %q does not show the words found", snippet)
	}
}

// utf16 is s in UTF-16 little-endian, how some tools write text.
func utf16(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
