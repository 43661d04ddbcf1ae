package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryWriteGoesThroughTheCommitPath reads the product code: only app/commit.go
// calls the store's write methods (Update, Load). A service that wrote around the
// commit path would skip the derived records (indexes, totals, the state digest and
// the audit entry) and the observers (the search index), and could race the others. The one
// exception is Restore, which copies a backup's sealed records into a new, staged
// store before any session opens it.
func TestEveryWriteGoesThroughTheCommitPath(t *testing.T) {
	write := regexp.MustCompile(`\.(Update|Load)\(func\(`)
	allowed := map[string]bool{filepath.Join("..", "app", "commit.go"): true}
	for _, root := range []string{"../app", "../ui", "../main.go"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if allowed[path] {
				return nil
			}
			for i, line := range strings.Split(string(b), "\n") {
				if write.MatchString(line) {
					t.Errorf("%s:%d writes to the store around the commit path: %s", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
