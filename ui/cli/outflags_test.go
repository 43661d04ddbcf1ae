package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The output flags of export, report and backup are read by one set of helpers
// (outflags.go): each command refuses a bad format, page size or an existing file in
// the same words, and writes nothing.
func TestOutputFlagsRefusedInTheSameWords(t *testing.T) {
	c := newCrCLI(t)
	taken := c.file("taken.pdf", "an earlier export")
	fresh := filepath.Join(c.dir, "fresh.pdf")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"report", "--period", "2026", "--format", "doc", "--out", fresh}, "report: --format is pdf or csv"},
		{[]string{"report", "--period", "2026", "--page-size", "legal", "--out", fresh}, "report: --page-size is letter or a4"},
		{[]string{"report", "--period", "2026", "--out", taken}, "report: " + taken + " already exists; choose a new file name"},
		{[]string{"export", "--case", "2026-1", "--format", "doc", "--out", fresh}, "export: --format is pdf, md, json or bundle"},
		{[]string{"export", "--case", "2026-1", "--page-size", "legal", "--out", fresh}, "export: --page-size is letter or a4"},
		{[]string{"export", "--case", "2026-1", "--out", taken}, "export: " + taken + " already exists; choose a new file name"},
		{[]string{"backup", "--out", taken}, "backup: " + taken + " already exists; choose a new file name"},
	}
	for _, tt := range tests {
		name, _, _ := strings.Cut(tt.want, " already")
		t.Run(strings.ReplaceAll(name, taken, "existing file"), func(t *testing.T) {
			code, _, stderr := c.run(tt.args...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("%v: exit %d, stderr %q; want a refusal saying %q", tt.args, code, stderr, tt.want)
			}
			if _, err := os.Stat(fresh); err == nil {
				t.Fatalf("%v wrote %s", tt.args, fresh)
			}
			if b, _ := os.ReadFile(taken); string(b) != "an earlier export" {
				t.Fatalf("%v overwrote %s", tt.args, taken)
			}
		})
	}
}
