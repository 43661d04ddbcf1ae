package app

import (
	"strings"

	"casenotes/crypto"
)

// IssuedRecoveryKey is a recovery key just made (Vaults.Create, Session.Rekey), as
// the person who must write it down sees it. It is shown once and never stored, so the screen or
// command that shows it takes the text (String, Lines) and then calls Clear; it
// never handles the key's own type.
type IssuedRecoveryKey struct {
	key crypto.RecoveryKey
}

// String is the key as typed back in: groups of characters joined by hyphens.
// A nil key (what a failed Create or Rekey returns) reads as "".
func (k *IssuedRecoveryKey) String() string {
	if k == nil {
		return ""
	}
	return k.key.String()
}

// Lines is the key in lines of four groups, for reading aloud and copying onto
// paper.
func (k *IssuedRecoveryKey) Lines() []string {
	if k == nil {
		return nil
	}
	groups := strings.Split(k.String(), "-")
	var lines []string
	for i := 0; i < len(groups); i += 4 {
		lines = append(lines, strings.Join(groups[i:min(i+4, len(groups))], "-"))
	}
	return lines
}

// Clear zeroes the key's bytes once it has been shown (the strings already made
// from it cannot be zeroed; the caller drops them).
func (k *IssuedRecoveryKey) Clear() {
	if k != nil {
		clear(k.key[:])
	}
}
