package export_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/app/export"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/export")

// hexID matches the random 128-bit ids (and SHA-256 sums) of a document.
var hexID = regexp.MustCompile(`"[0-9a-f]{32}"`)

// stable replaces each random id with a numbered placeholder, in order of first
// appearance, so the golden files pin every field and its place, not random bytes.
func stable(b []byte) []byte {
	seen := map[string]string{}
	return hexID.ReplaceAllFunc(b, func(m []byte) []byte {
		k := string(m)
		if _, ok := seen[k]; !ok {
			seen[k] = fmt.Sprintf(`"id-%02d"`, len(seen)+1)
		}
		return []byte(seen[k])
	})
}

// TestJSONGolden pins the casenotes-export/v1 format: field names, their order and
// what each profile carries. Run with -update after a deliberate change, review the
// diff, and document it in docs/export.md.
func TestJSONGolden(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoIdentity, app.InfoAdvocateNotes)
	_, err := r.AddEvidenceReference(c.ID, "County DEMS", "EV-2026-0091", "Forensic interview recording")
	must(t, err)
	_, err = r.AddAttachment(c.ID, "report.txt", strings.NewReader("Patrol report, fictional.\n"), -1, app.AttachmentReport)
	must(t, err)
	for _, p := range []export.Profile{export.Prosecutor, export.Partner, export.Court} {
		t.Run(p.Name, func(t *testing.T) {
			d := build(t, r, c, p, prosecutorOffice, true)
			checkGolden(t, d, p.Name+".json")
		})
	}
}

// checkGolden compares the document's JSON with testdata/export/name (rewritten
// with -update) and checks that it survives a read and a write unchanged.
func checkGolden(t *testing.T, d *export.Document, name string) {
	t.Helper()
	var buf bytes.Buffer
	must(t, export.WriteJSON(&buf, d))
	got := stable(buf.Bytes())
	path := filepath.Join("testdata", "export", name)
	if *update {
		must(t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -run TestJSONGolden -update once): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is meant, run with -update and review the diff:\n%s", path, firstDiff(string(want), string(got)))
	}
	back, err := export.ReadJSON(buf.Bytes())
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	var again bytes.Buffer
	must(t, export.WriteJSON(&again, back))
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Error("JSON does not survive a read and a write unchanged")
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d and %d lines", len(al), len(bl))
}

func TestReadJSONRefusesOtherFormats(t *testing.T) {
	for _, in := range []string{``, `{}`, `{"format":"casenotes-case/v1"}`, `{"format":"casenotes-export/2"}`, `{"format":"casenotes-export/x"}`, `[1]`} {
		if _, err := export.ReadJSON([]byte(in)); err == nil {
			t.Errorf("ReadJSON(%q) accepted", in)
		}
	}
}

func TestMarkdownMatchesThePreview(t *testing.T) {
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	d := build(t, r, c, export.Prosecutor, prosecutorOffice, false)
	var buf bytes.Buffer
	must(t, export.WriteMarkdown(&buf, d))
	md := buf.String()
	for _, w := range d.Withheld {
		if !strings.Contains(md, w.Item) {
			t.Errorf("Markdown lacks withheld item %q", w.Item)
		}
	}
	for _, s := range d.Preview().Sections {
		if !strings.Contains(md, "## "+s.Title) {
			t.Errorf("Markdown lacks section %q", s.Title)
		}
	}
	for _, never := range []string{privilegedText, draftText, legalName, address} {
		if strings.Contains(md, never) {
			t.Errorf("Markdown holds %q", never)
		}
	}
	if !strings.Contains(md, "Zoë Ångström") || !strings.Contains(md, "Ήλιος, Жанна") {
		t.Error("Markdown lost accented text")
	}
}
