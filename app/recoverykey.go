package app

import (
	"casenotes/crypto"
)

// IssuedRecoveryKey is a recovery key just made (Vaults.Create, Session.Rekey), as
// the person who must write it down sees it. It is shown once and never stored, so the screen or
// command that shows it takes the text (String; ui/format.RecoveryKeyLines splits it for reading aloud) and then calls Clear; it
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

// Clear zeroes the key's bytes once it has been shown (the strings already made
// from it cannot be zeroed; the caller drops them).
func (k *IssuedRecoveryKey) Clear() {
	if k != nil {
		clear(k.key[:])
	}
}
