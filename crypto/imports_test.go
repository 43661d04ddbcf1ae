package crypto

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestImportsStayLeaf keeps crypto a leaf that imports only the standard
// library and golang.org/x/crypto, so an auditor can read the whole trust
// base and no app, storage or UI code can leak into key handling.
func TestImportsStayLeaf(t *testing.T) {
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		name := f.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			stdlib := !strings.Contains(first, ".")
			if !stdlib && path != "golang.org/x/crypto" && !strings.HasPrefix(path, "golang.org/x/crypto/") {
				t.Errorf("%s imports %s; crypto may import only the standard library and golang.org/x/crypto", name, path)
			}
		}
	}
}
