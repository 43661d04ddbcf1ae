package app_test

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The layering rules of docs/design.md ("Layers (who may import whom)"), checked
// against the imports of every non-test Go file in the module, so that the
// direction of dependencies is enforced by a test rather than by goodwill.

// sourcePackage is one directory of the module with the imports of its non-test
// files (whatever their build tags: a tagged file must follow the rules too).
type sourcePackage struct {
	dir     string              // slash-separated, relative to the module root; "." for the root
	imports map[string][]string // import path -> files (relative) that import it
}

// layerRule forbids a set of imports to the packages under one folder.
type layerRule struct {
	scope  string // top folder the rule applies to, with its sub-packages
	reason string // why the rule exists; printed when it is broken
	// forbidden reports whether importing path breaks the rule.
	forbidden func(mod, path string) bool
	// transitive also follows imports of the module's own packages, so that a
	// forbidden package cannot be reached through a helper package.
	transitive bool
}

// within reports whether path is prefix itself or one of its sub-packages.
func within(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// isStandard reports whether path belongs to the standard library: its first
// element has no dot (the go command's own rule) and it is not the module.
func isStandard(mod, path string) bool {
	if within(path, mod) || path == "C" {
		return false
	}
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func layerRules() []layerRule {
	return []layerRule{
		{
			scope: "ui",
			reason: "the UI reaches data only through app's services; if it could touch storage or " +
				"crypto it could read or write a record without validation, sealing or the audit trail",
			forbidden: func(mod, p string) bool {
				return within(p, mod+"/storage") || within(p, mod+"/crypto") ||
					within(p, "github.com/dgraph-io/badger")
			},
			// Not transitive: ui imports app, and app legitimately imports crypto.
		},
		{
			scope: "ui",
			reason: "the UI must not reach the store through a helper package either: only main.go " +
				"wires storage into app",
			forbidden: func(mod, p string) bool {
				return within(p, mod+"/storage") || within(p, "github.com/dgraph-io/badger")
			},
			transitive: true,
		},
		{
			scope: "app",
			reason: "the domain and its use cases must build, test and run without a display or a " +
				"database (CGO_ENABLED=0, in seconds), and must not depend on the adapters that " +
				"implement its interfaces",
			forbidden: func(mod, p string) bool {
				return within(p, "fyne.io") || within(p, "github.com/dgraph-io/badger") ||
					within(p, mod+"/storage") || within(p, mod+"/ui")
			},
			transitive: true,
		},
		{
			scope: "crypto",
			reason: "crypto is the leaf every layer trusts: keeping it to the standard library and " +
				"golang.org/x/crypto keeps it small enough to review and free of cycles",
			forbidden: func(mod, p string) bool {
				return !isStandard(mod, p) && !within(p, "golang.org/x/crypto") && !within(p, mod+"/crypto")
			},
			transitive: true,
		},
		{
			scope: "storage",
			reason: "storage is an adapter behind app's interfaces; a GUI dependency would drag cgo " +
				"and a display into its tests and let screens bypass the use cases",
			forbidden: func(mod, p string) bool {
				return within(p, "fyne.io") || within(p, mod+"/ui")
			},
			transitive: true,
		},
		{
			scope: "internal/memscan",
			reason: "the memory tests of app and ui share this scanner, and app's tests must build " +
				"and run without cgo or a display",
			forbidden: func(mod, p string) bool {
				return within(p, "fyne.io") || within(p, "github.com/dgraph-io/badger") ||
					within(p, mod+"/storage") || within(p, mod+"/ui")
			},
			transitive: true,
		},
		{
			scope: "assets",
			reason: "app reads checklist templates and translations from assets, so assets must stay " +
				"free of the GUI toolkit and of the store; ui wraps the bytes in fyne resources",
			forbidden: func(mod, p string) bool {
				return within(p, "fyne.io") || within(p, "github.com/dgraph-io/badger") ||
					within(p, mod+"/storage") || within(p, mod+"/ui")
			},
			transitive: true,
		},
	}
}

// testOnly is the package only _test.go files may import.
const testOnly = "internal/memscan"

// desktopDriver is the package that brings in the GLFW driver (cgo and GL headers).
const desktopDriver = "fyne.io/fyne/v2/app"

// checkLayering returns one message per broken rule and offending import.
func checkLayering(mod string, pkgs map[string]*sourcePackage) []string {
	var problems []string

	// Only the composition root opens the real window; everything else stays
	// testable without a display.
	for _, dir := range sortedKeys(pkgs) {
		for _, file := range pkgs[dir].imports[desktopDriver] {
			if file != "main.go" {
				problems = append(problems, fmt.Sprintf(
					"%s imports %s: only the root main.go may (it is the composition root, and the "+
						"desktop driver needs cgo, GL headers and a display, which no other package "+
						"should need to build or test)", file, desktopDriver))
			}
		}
	}

	// The memory scanner is test support: product code that imported it would ship
	// a reader of its own process's memory.
	for _, dir := range sortedKeys(pkgs) {
		for _, file := range pkgs[dir].imports[mod+"/"+testOnly] {
			problems = append(problems, fmt.Sprintf(
				"%s imports %s/%s: only tests may (it reads the process's own memory)", file, mod, testOnly))
		}
	}

	for _, rule := range layerRules() {
		for _, dir := range sortedKeys(pkgs) {
			if !within(dir, rule.scope) {
				continue
			}
			problems = append(problems, checkRule(mod, pkgs, dir, rule)...)
		}
	}
	return problems
}

// checkRule walks from the package in dir (and, for a transitive rule, through the
// module's own packages it imports) and reports every forbidden import with the
// chain of packages that leads to it.
func checkRule(mod string, pkgs map[string]*sourcePackage, dir string, rule layerRule) []string {
	var problems []string
	seen := map[string]bool{dir: true}
	type step struct {
		dir   string
		chain []string
	}
	queue := []step{{dir, []string{pkgPath(mod, dir)}}}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		pkg := pkgs[cur.dir]
		for _, imp := range sortedKeys(pkg.imports) {
			if rule.forbidden(mod, imp) {
				problems = append(problems, fmt.Sprintf("%s imports %s (in %s): %s may not, because %s",
					strings.Join(cur.chain, " -> "), imp, strings.Join(pkg.imports[imp], ", "),
					rule.scope+"/", rule.reason))
				continue
			}
			if !rule.transitive || !within(imp, mod) {
				continue
			}
			next := strings.TrimPrefix(strings.TrimPrefix(imp, mod), "/")
			if next == "" {
				next = "."
			}
			if seen[next] || pkgs[next] == nil {
				continue
			}
			seen[next] = true
			chain := append(append([]string(nil), cur.chain...), imp)
			queue = append(queue, step{next, chain})
		}
	}
	return problems
}

func pkgPath(mod, dir string) string {
	if dir == "." {
		return mod
	}
	return mod + "/" + dir
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// moduleRoot goes up from the working directory to the directory holding go.mod
// and returns it with the module path declared there.
func moduleRoot(t *testing.T) (root, mod string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if rest, ok := strings.CutPrefix(line, "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
					mod = strings.TrimSpace(rest)
					if unq, err := strconv.Unquote(mod); err == nil {
						mod = unq
					}
					return dir, mod
				}
			}
			t.Fatalf("%s has no module line", filepath.Join(dir, "go.mod"))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = parent
	}
}

// parseModule reads the imports of every non-test Go file under root, skipping
// directories the go command ignores or that hold no source of this module.
func parseModule(t *testing.T, root string) map[string]*sourcePackage {
	t.Helper()
	pkgs := map[string]*sourcePackage{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			switch {
			case name == "testdata", name == "bin", name == "dist", name == "vendor",
				strings.HasPrefix(name, "."), strings.HasPrefix(name, "_"):
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		dir := path.Dir(rel)
		pkg := pkgs[dir]
		if pkg == nil {
			pkg = &sourcePackage{dir: dir, imports: map[string][]string{}}
			pkgs[dir] = pkg
		}
		for _, spec := range f.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: bad import %s", rel, spec.Path.Value)
			}
			pkg.imports[imp] = append(pkg.imports[imp], rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func TestLayering(t *testing.T) {
	root, mod := moduleRoot(t)
	pkgs := parseModule(t, root)
	if pkgs["app"] == nil {
		t.Fatalf("found no source files in %s/app: the walk from %s is broken", mod, root)
	}
	for _, problem := range checkLayering(mod, pkgs) {
		t.Error(problem)
	}
}

// TestLayeringRulesCatchViolations proves each rule fires, on a made-up module,
// so that a rule that silently matches nothing cannot pass for a clean tree.
func TestLayeringRulesCatchViolations(t *testing.T) {
	const mod = "casenotes"
	pkg := func(dir string, imports ...string) *sourcePackage {
		p := &sourcePackage{dir: dir, imports: map[string][]string{}}
		file := path.Join(dir, "x.go")
		if dir == "." {
			file = "main.go"
		}
		for _, imp := range imports {
			p.imports[imp] = []string{file}
		}
		return p
	}
	clean := func() map[string]*sourcePackage {
		return map[string]*sourcePackage{
			".":                   pkg(".", "fyne.io/fyne/v2/app", "casenotes/ui", "casenotes/storage", "casenotes/app"),
			"ui":                  pkg("ui", "fyne.io/fyne/v2", "fyne.io/fyne/v2/widget", "casenotes/app", "casenotes/assets"),
			"app":                 pkg("app", "errors", "casenotes/crypto", "casenotes/app/export", "casenotes/assets"),
			"app/export":          pkg("app/export", "encoding/json", "filippo.io/age"),
			"storage":             pkg("storage", "github.com/dgraph-io/badger/v4", "casenotes/app", "casenotes/crypto"),
			"crypto":              pkg("crypto", "crypto/aes", "golang.org/x/crypto/argon2", "casenotes/crypto/internal/kdf"),
			"crypto/internal/kdf": pkg("crypto/internal/kdf", "golang.org/x/crypto/hkdf"),
			"assets":              pkg("assets", "embed"),
			"internal/memscan":    pkg("internal/memscan", "os", "testing"),
		}
	}
	if problems := checkLayering(mod, clean()); len(problems) > 0 {
		t.Fatalf("a tree that follows docs/design.md was rejected:\n%s", strings.Join(problems, "\n"))
	}

	tests := []struct {
		name   string
		mutate func(map[string]*sourcePackage)
		want   string // a substring of the expected message
	}{
		{"ui imports storage", func(m map[string]*sourcePackage) {
			m["ui"].imports["casenotes/storage"] = []string{"ui/x.go"}
		}, "casenotes/ui imports casenotes/storage"},
		{"ui imports crypto", func(m map[string]*sourcePackage) {
			m["ui/lock"] = pkg("ui/lock", "casenotes/crypto")
		}, "casenotes/ui/lock imports casenotes/crypto"},
		{"ui imports badger", func(m map[string]*sourcePackage) {
			m["ui"].imports["github.com/dgraph-io/badger/v4/options"] = []string{"ui/x.go"}
		}, "github.com/dgraph-io/badger/v4/options"},
		{"ui reaches storage through a helper", func(m map[string]*sourcePackage) {
			m["ui"].imports["casenotes/ui/helper"] = []string{"ui/x.go"}
			m["ui/helper"] = pkg("ui/helper", "casenotes/storage")
		}, "casenotes/ui -> casenotes/ui/helper imports casenotes/storage"},
		{"app imports fyne", func(m map[string]*sourcePackage) {
			m["app"].imports["fyne.io/fyne/v2"] = []string{"app/x.go"}
		}, "casenotes/app imports fyne.io/fyne/v2"},
		{"app reaches badger through a sub-package", func(m map[string]*sourcePackage) {
			m["app/export"].imports["github.com/dgraph-io/badger/v4"] = []string{"app/export/x.go"}
		}, "casenotes/app -> casenotes/app/export imports github.com/dgraph-io/badger/v4"},
		{"app reaches fyne through assets", func(m map[string]*sourcePackage) {
			m["assets"].imports["fyne.io/fyne/v2"] = []string{"assets/x.go"}
		}, "casenotes/app -> casenotes/assets imports fyne.io/fyne/v2"},
		{"app imports storage", func(m map[string]*sourcePackage) {
			m["app"].imports["casenotes/storage"] = []string{"app/x.go"}
		}, "casenotes/app imports casenotes/storage"},
		{"app imports ui", func(m map[string]*sourcePackage) {
			m["app/export"].imports["casenotes/ui"] = []string{"app/export/x.go"}
		}, "casenotes/app/export imports casenotes/ui"},
		{"crypto imports a third-party module", func(m map[string]*sourcePackage) {
			m["crypto"].imports["filippo.io/age"] = []string{"crypto/x.go"}
		}, "casenotes/crypto imports filippo.io/age"},
		{"crypto imports app", func(m map[string]*sourcePackage) {
			m["crypto/internal/kdf"].imports["casenotes/app"] = []string{"crypto/internal/kdf/x.go"}
		}, "casenotes/crypto/internal/kdf imports casenotes/app"},
		{"crypto uses cgo", func(m map[string]*sourcePackage) {
			m["crypto"].imports["C"] = []string{"crypto/x.go"}
		}, "casenotes/crypto imports C"},
		{"storage imports fyne", func(m map[string]*sourcePackage) {
			m["storage"].imports["fyne.io/fyne/v2/storage"] = []string{"storage/x.go"}
		}, "casenotes/storage imports fyne.io/fyne/v2/storage"},
		{"storage imports ui", func(m map[string]*sourcePackage) {
			m["storage"].imports["casenotes/ui"] = []string{"storage/x.go"}
		}, "casenotes/storage imports casenotes/ui"},
		{"the memory scanner imports fyne", func(m map[string]*sourcePackage) {
			m["internal/memscan"].imports["fyne.io/fyne/v2/test"] = []string{"internal/memscan/x.go"}
		}, "casenotes/internal/memscan imports fyne.io/fyne/v2/test"},
		{"product code imports the memory scanner", func(m map[string]*sourcePackage) {
			m["ui"].imports["casenotes/internal/memscan"] = []string{"ui/lock.go"}
		}, "ui/lock.go imports casenotes/internal/memscan"},
		{"ui opens the desktop driver", func(m map[string]*sourcePackage) {
			m["ui"].imports["fyne.io/fyne/v2/app"] = []string{"ui/window.go"}
		}, "ui/window.go imports fyne.io/fyne/v2/app"},
		{"another root file opens the desktop driver", func(m map[string]*sourcePackage) {
			m["."].imports["fyne.io/fyne/v2/app"] = []string{"main.go", "cli.go"}
		}, "cli.go imports fyne.io/fyne/v2/app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkgs := clean()
			tt.mutate(pkgs)
			problems := checkLayering(mod, pkgs)
			for _, p := range problems {
				if strings.Contains(p, tt.want) {
					return
				}
			}
			t.Errorf("no problem mentions %q; got:\n%s", tt.want, strings.Join(problems, "\n"))
		})
	}
}
