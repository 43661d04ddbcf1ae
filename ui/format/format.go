// Package format is how the desktop app and the command line write dates and
// counts for people, in one place so every screen and message agrees: US dates
// ("Nov 30, 2026" shown, 11/30/2026 typed), due labels, and "1 case" / "2 cases".
// It has no Fyne dependency, so the command line uses it too.
package format

import "fmt"

// Count is n with the noun that fits it: Count(1, "case", "cases") is "1 case",
// Count(2, ...) is "2 cases".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// MigrationPart is the progress line of a vault's update to this version's format,
// after each part done: the desktop app's busy line and the command line's, at a
// terminal.
func MigrationPart(name string, part int) string {
	return fmt.Sprintf("Updating the vault (%s, part %d)…", name, part)
}
