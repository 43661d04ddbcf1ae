package cli

import (
	"os"
	"strings"
)

// The flags of the commands that write a file (export, report, backup, the audit
// trail's exports): the format, the page size and the output file, read and refused
// in the same words by every command.

// checkChoice refuses a flag value that is not one of choices, naming them:
// "report: --format is pdf or csv".
func checkChoice(cmd, flag, value string, choices ...string) error {
	for _, c := range choices {
		if value == c {
			return nil
		}
	}
	list := strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
	return usagef("%s: %s is %s", cmd, flag, list)
}

// a4Page reads --page-size, letter or a4 in any case: true for A4, false for US
// Letter (the default: the agencies are American).
func a4Page(cmd, value string) (bool, error) {
	switch strings.ToLower(value) {
	case "letter":
		return false, nil
	case "a4":
		return true, nil
	}
	return false, usagef("%s: --page-size is letter or a4", cmd)
}

// checkNewFile refuses an output file that already exists: a command never
// overwrites an earlier export, report or backup.
func checkNewFile(cmd, path string) error {
	if _, err := os.Stat(path); err == nil {
		return usagef("%s: %s already exists; choose a new file name", cmd, path)
	}
	return nil
}
