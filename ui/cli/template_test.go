package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const agencyTemplate = `{
  "id": "metro-task-force",
  "name": "Metro task force checklist",
  "version": 1,
  "items": [
    {"id": "safety.safety-plan", "phase": "safety", "title": "Make a safety plan with the child",
     "owner": "victim-services", "due_days": 3},
    {"id": "services.shelter", "phase": "services", "title": "Arrange a shelter placement",
     "owner": "victim-services"}
  ]
}`

type templateRow struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Items   int    `json:"items"`
	Builtin bool   `json:"builtin"`
	Default bool   `json:"default"`
}

func listTemplates(t *testing.T, dir, passFile string) []templateRow {
	t.Helper()
	r := run(t, "template", "list", "--json", "--vault", dir, "--passphrase-file", passFile)
	if r.code != 0 {
		t.Fatalf("template list: exit %d: %s", r.code, r.stderr)
	}
	var rows []templateRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("template list --json: %v\n%s", err, r.stdout)
	}
	return rows
}

func defaultTemplate(rows []templateRow) string {
	for _, r := range rows {
		if r.Default {
			return r.ID
		}
	}
	return ""
}

// An agency's template goes in from its JSON file (docs/checklist.md), becomes the
// default when asked, and a bad file or a repeated version is one sentence that
// changes nothing.
func TestTemplateImportListAndDefault(t *testing.T) {
	dir, passFile, _ := initVault(t)
	tmp := t.TempDir()
	before := listTemplates(t, dir, passFile)
	if len(before) == 0 || defaultTemplate(before) != "core" {
		t.Fatalf("a new vault's templates = %+v, want the built-in core as default", before)
	}

	file := writeFile(t, tmp, "metro.json", agencyTemplate)
	r := run(t, "template", "import", file, "--default", "--vault", dir, "--passphrase-file", passFile)
	if r.code != 0 || !strings.Contains(r.stdout, "Saved template metro-task-force version 1 (2 items)") ||
		!strings.Contains(r.stdout, "New cases start from it") {
		t.Fatalf("template import --default: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	rows := listTemplates(t, dir, passFile)
	if len(rows) != len(before)+1 || defaultTemplate(rows) != "metro-task-force" {
		t.Fatalf("after import: %+v", rows)
	}
	text := run(t, "template", "list", "--vault", dir, "--passphrase-file", passFile)
	if !strings.Contains(text.stdout, "Metro task force checklist") || !strings.Contains(text.stdout, "new cases start from this one") {
		t.Errorf("template list:\n%s", text.stdout)
	}

	// The same version again, a misspelt field, a missing file: refused, nothing changed.
	for _, tc := range []struct {
		name string
		args []string
		want string
		code int
	}{
		{"same version", []string{"template", "import", file}, "must be higher than 1", 1},
		{"misspelt field", []string{"template", "import", writeFile(t, tmp, "bad.json",
			strings.Replace(agencyTemplate, `"due_days"`, `"due_dayz"`, 1))}, "due_dayz", 1},
		{"missing file", []string{"template", "import", filepath.Join(tmp, "none.json")}, "does not exist", 1},
		{"unknown template", []string{"template", "default", "nope", "1"}, "There is no template nope version 1", 1},
		{"bad version", []string{"template", "default", "core", "x"}, "VERSION must be a whole number", 2},
	} {
		r := run(t, append(tc.args, "--vault", dir, "--passphrase-file", passFile)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and one line naming %q", tc.name, r.code, r.stderr, tc.code, tc.want)
		}
		if after := listTemplates(t, dir, passFile); len(after) != len(rows) || defaultTemplate(after) != "metro-task-force" {
			t.Errorf("%s changed the templates: %+v", tc.name, after)
		}
	}

	r = run(t, "template", "default", "core", "1", "--vault", dir, "--passphrase-file", passFile)
	if r.code != 0 || defaultTemplate(listTemplates(t, dir, passFile)) != "core" {
		t.Fatalf("template default core 1: exit %d %s", r.code, r.stderr)
	}
}
