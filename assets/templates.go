package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// The checklist templates that ship with Casenotes. app parses and validates them;
// this package only hands out the bytes, so it stays free of the domain types.
//
//go:embed templates/*.json
var templateFS embed.FS

// The core MDT checklist ships in every version ever released, one file each
// (templates/core-v1.json, core-v2.json ...): a released version never changes, and
// a case keeps the version it started with, so every version stays readable.

// CoreTemplates returns the JSON of every released version of the core template,
// oldest first. The slices are fresh copies: callers may keep or change them.
func CoreTemplates() [][]byte {
	var out [][]byte
	for v := 1; ; v++ {
		b, err := templateFS.ReadFile(fmt.Sprintf("templates/core-v%d.json", v))
		if err != nil {
			break
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		panic("assets: the core checklist template is missing from the build")
	}
	return out
}

// CoreTemplate returns the JSON of the newest version of the core template.
func CoreTemplate() []byte {
	all := CoreTemplates()
	return all[len(all)-1]
}

// Templates returns every embedded checklist template by file name (such as
// "core-v1.json"), in name order, so that a test can validate all of them.
func Templates() (names []string, data [][]byte) {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, nil
	}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		b, _ := templateFS.ReadFile("templates/" + n)
		data = append(data, b)
	}
	return names, data
}
