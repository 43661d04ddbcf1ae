// Package locale gives the process a locale name Fyne can parse, before Fyne reads
// it. With LANG unset, "C" or "POSIX" (common on servers, in CI and under sudo),
// Fyne logs "Error parsing user locale C" on every start, even for command-line
// subcommands whose contract is one clear line on standard error.
//
// main.go imports this package for its side effect. It depends only on os and sorts
// before fyne.io/... by import path, so Go's initialisation order runs it before any
// Fyne package initialises.
package locale

import (
	"os"
	"strings"
)

func init() { Fix(os.Getenv, os.Setenv, os.Unsetenv) }

// Fix drops C/POSIX locale names and, when no usable one is left, sets LANG to
// en_US.UTF-8. It only affects how Fyne picks its translations.
func Fix(get func(string) string, set func(string, string) error, unset func(string) error) {
	usable := false
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := get(k)
		if v == "" {
			continue
		}
		if v == "C" || v == "POSIX" || strings.HasPrefix(v, "C.") {
			_ = unset(k)
			continue
		}
		usable = true
	}
	if !usable {
		_ = set("LANG", "en_US.UTF-8")
	}
}
