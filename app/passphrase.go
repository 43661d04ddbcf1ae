package app

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// Passphrase policy. The vault protects the most sensitive records there are on
// laptops that get lost; the passphrase is the only thing between a thief and the
// Argon2id-wrapped key, so length and a real guessability estimate both count.
const (
	MinPassphraseRunes = 12
	maxPassphraseBytes = 1024
	// MinPassphraseBits is the least estimated strength (log2 of guesses) accepted.
	MinPassphraseBits = 40
)

// PassphraseStrength estimates a passphrase: log2 of the guesses an attacker needs
// (zxcvbn) and a score from 0 (very weak) to 4 (strong), for the strength meter.
func PassphraseStrength(p string) (bits float64, score int) {
	if p == "" {
		return 0, 0
	}
	if len(p) > 256 { // zxcvbn is quadratic; anything this long is strong enough to score on its prefix
		p = p[:256]
	}
	r := zxcvbn.PasswordStrength(p, []string{"casenotes", "case", "notes", "vault"})
	bits = math.Log2(math.Max(r.Guesses, 1))
	return bits, r.Score
}

// CheckPassphrase refuses passphrases that are too short or too easy to guess. The
// error wraps ErrWeakPassphrase and says why in plain words.
func CheckPassphrase(p string) error {
	if len(p) > maxPassphraseBytes {
		return fmt.Errorf("%w: a passphrase may be at most %d characters", ErrWeakPassphrase, maxPassphraseBytes)
	}
	if n := utf8.RuneCountInString(p); n < MinPassphraseRunes {
		return fmt.Errorf("%w: a passphrase needs at least %d characters", ErrWeakPassphrase, MinPassphraseRunes)
	}
	if bits, _ := PassphraseStrength(p); bits < MinPassphraseBits {
		return fmt.Errorf("%w: this passphrase is easy to guess", ErrWeakPassphrase)
	}
	return nil
}
