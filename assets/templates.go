package assets

import (
	"embed"
	"io/fs"
	"sort"
)

// The checklist templates that ship with Casenotes. app parses and validates them;
// this package only hands out the bytes, so it stays free of the domain types.
//
//go:embed templates/*.json
var templateFS embed.FS

// CoreTemplate returns the JSON of the core MDT checklist template
// (templates/core.json). The slice is a fresh copy: callers may keep or change it.
func CoreTemplate() []byte {
	b, err := templateFS.ReadFile("templates/core.json")
	if err != nil {
		panic("assets: the core checklist template is missing from the build: " + err.Error())
	}
	return b
}

// Templates returns every embedded checklist template by file name (such as
// "core.json"), in name order, so that a test can validate all of them.
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
