package format

import (
	"slices"
	"testing"
)

func TestRecoveryKeyLines(t *testing.T) {
	for _, c := range []struct {
		key  string
		want []string
	}{
		{"AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH", []string{"AAAAA-BBBBB-CCCCC-DDDDD", "EEEEE-FFFFF-GGGGG-HHHHH"}},
		{"AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", []string{"AAAAA-BBBBB-CCCCC-DDDDD", "EEEEE"}},
		{"AAAAA", []string{"AAAAA"}},
		{"", []string{""}},
	} {
		if got := RecoveryKeyLines(c.key); !slices.Equal(got, c.want) {
			t.Errorf("RecoveryKeyLines(%q) = %q, want %q", c.key, got, c.want)
		}
	}
}
