package format

import "strings"

// RecoveryKeyLines splits a grouped recovery key ("ABCDE-FGHIJ-…") into lines of
// four groups, for reading aloud and copying by hand: the recovery-key screen,
// its printout and `casenotes vault create` write it the same way.
func RecoveryKeyLines(key string) []string {
	groups := strings.Split(key, "-")
	var lines []string
	for i := 0; i < len(groups); i += 4 {
		lines = append(lines, strings.Join(groups[i:min(i+4, len(groups))], "-"))
	}
	return lines
}
