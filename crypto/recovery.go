package crypto

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrRecoveryKey is wrapped by every error from [ParseRecoveryKey]. The
// wrapping messages name the group to re-check, for example
// "recovery key: group 5 of 13 has a typing mistake", and never echo the key.
var ErrRecoveryKey = errors.New("recovery key")

// RecoveryKey is the 256-bit secret shown once when a vault is created and
// written on paper. It unlocks the vault's recovery slot when every
// passphrase is forgotten, so it must survive being read aloud and retyped.
//
// Its text form (see [RecoveryKey.String]) is 13 groups of 5 Crockford
// base32 characters joined by "-": 4 data characters and 1 check character
// per group. The check character depends on the group's position, so any
// single mistyped character, any two swapped characters within a group and
// any two swapped groups are caught, and the error names the group.
type RecoveryKey [32]byte

const (
	recoveryGroups    = 13
	recoveryGroupData = 4                                  // data characters per group
	recoveryGroupLen  = recoveryGroupData + 1              // plus one check character
	recoveryDataChars = recoveryGroups * recoveryGroupData // 52 chars = 260 bits, 4 padding
	recoveryChars     = recoveryGroups * recoveryGroupLen  // 65
	recoveryMaxInput  = 1024                               // refuse absurd pastes early
	crockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // no I, L, O, U
)

// NewRecoveryKey returns a random recovery key from the operating system's
// CSPRNG.
func NewRecoveryKey() RecoveryKey {
	var k RecoveryKey
	rand.Read(k[:]) // never fails since Go 1.24; it crashes the program instead.
	return k
}

// Bytes returns the key as a new 32-byte slice, the key-encryption key of
// the recovery slot. Callers should [Zero] it when done.
func (k RecoveryKey) Bytes() []byte {
	b := make([]byte, len(k))
	copy(b, k[:])
	return b
}

// String formats the key for paper, for example
// "0A3F7-K9QZ2-...", 13 groups of 5 upper-case characters joined by "-".
// It is the only form shown to the user; [ParseRecoveryKey] reverses it.
func (k RecoveryKey) String() string {
	data := k.values()
	var sb strings.Builder
	sb.Grow(recoveryChars + recoveryGroups - 1)
	for g := range recoveryGroups {
		if g > 0 {
			sb.WriteByte('-')
		}
		group := data[g*recoveryGroupData : (g+1)*recoveryGroupData]
		for _, v := range group {
			sb.WriteByte(crockfordAlphabet[v])
		}
		sb.WriteByte(crockfordAlphabet[recoveryCheck(g+1, group)])
	}
	return sb.String()
}

// values splits the key into 52 5-bit values, most significant bit first;
// the last value carries one key bit and four zero padding bits.
func (k RecoveryKey) values() [recoveryDataChars]byte {
	var out [recoveryDataChars]byte
	var acc uint32
	bits, n := 0, 0
	for _, b := range k {
		acc = acc<<8 | uint32(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[n] = byte(acc>>bits) & 31
			n++
		}
	}
	out[n] = byte(acc<<(5-bits)) & 31
	return out
}

// ParseRecoveryKey reads a key typed back from paper. It is tolerant of how
// people copy: case-insensitive, spaces, dashes and line breaks anywhere are
// ignored, and the Crockford look-alikes O, I and L are read as 0, 1 and 1.
// Errors wrap [ErrRecoveryKey] and name the group to re-check.
func ParseRecoveryKey(s string) (RecoveryKey, error) {
	var k RecoveryKey
	if len(s) > recoveryMaxInput {
		return k, fmt.Errorf("%w: too long, expected %d groups of %d characters", ErrRecoveryKey, recoveryGroups, recoveryGroupLen)
	}
	fields := strings.FieldsFunc(s, isRecoverySeparator)
	// chars never grows past one key, so the deferred Zero reaches every
	// copy of the typed key this function made.
	chars := make([]byte, 0, recoveryChars)
	defer Zero(chars[:cap(chars)])
	n := 0 // characters read, including any past the first recoveryChars
	for f, field := range fields {
		for _, r := range field {
			v, ok := crockfordValue(r)
			if !ok {
				group := n/recoveryGroupLen + 1
				if len(fields) == recoveryGroups {
					group = f + 1
				}
				if group > recoveryGroups {
					return k, countError(fields, n+1)
				}
				return k, fmt.Errorf("%w: group %d of %d has a character that recovery keys never use", ErrRecoveryKey, group, recoveryGroups)
			}
			if n < recoveryChars {
				chars = append(chars, v)
			}
			n++
		}
	}
	if n != recoveryChars {
		return k, countError(fields, n)
	}

	var bad []int
	data := make([]byte, 0, recoveryDataChars)
	defer Zero(data[:cap(data)])
	for g := range recoveryGroups {
		group := chars[g*recoveryGroupLen : (g+1)*recoveryGroupLen]
		if recoveryCheck(g+1, group[:recoveryGroupData]) != group[recoveryGroupData] {
			bad = append(bad, g+1)
		}
		data = append(data, group[:recoveryGroupData]...)
	}
	if len(bad) > 0 {
		return k, typingError(bad)
	}
	if data[recoveryDataChars-1]&15 != 0 {
		// The check matched, so this is no single typo, but the padding
		// bits are not zero: no Casenotes key ends like this.
		return k, typingError([]int{recoveryGroups})
	}

	var acc uint32
	bits, n := 0, 0
	for _, v := range data {
		acc = acc<<5 | uint32(v)
		bits += 5
		if bits >= 8 {
			bits -= 8
			if n < len(k) {
				k[n] = byte(acc >> bits)
			}
			n++
		}
	}
	return k, nil
}

// countError explains a key with the wrong number of characters, naming the
// group when the groups were typed separately.
func countError(fields []string, n int) error {
	if len(fields) == recoveryGroups {
		for i, f := range fields {
			if c := len([]rune(f)); c != recoveryGroupLen {
				return fmt.Errorf("%w: group %d of %d has %d characters, expected %d", ErrRecoveryKey, i+1, recoveryGroups, c, recoveryGroupLen)
			}
		}
	}
	if n%recoveryGroupLen == 0 {
		return fmt.Errorf("%w: expected %d groups, found %d", ErrRecoveryKey, recoveryGroups, n/recoveryGroupLen)
	}
	return fmt.Errorf("%w: expected %d groups of %d characters, found %d characters", ErrRecoveryKey, recoveryGroups, recoveryGroupLen, n)
}

// typingError names the groups, in order, whose check character does not match.
func typingError(groups []int) error {
	if len(groups) == 1 {
		return fmt.Errorf("%w: group %d of %d has a typing mistake", ErrRecoveryKey, groups[0], recoveryGroups)
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = fmt.Sprint(g)
	}
	list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	return fmt.Errorf("%w: groups %s of %d have typing mistakes", ErrRecoveryKey, list, recoveryGroups)
}

// recoveryCheck computes the check character of the group at position
// (1-based) from its four data values. Arithmetic is in GF(32): data value i
// is multiplied by x^(i+1), the check character itself has weight 1, and the
// position is added. All five weights are distinct and non-zero, so any
// single substitution and any swap of two different characters within a
// group change the check; two different positions differ in their added
// term, so swapped groups fail too.
func recoveryCheck(position int, data []byte) byte {
	c := byte(position) & 31
	w := byte(1)
	for _, d := range data {
		w = gf32Mul(w, 2)
		c ^= gf32Mul(w, d)
	}
	return c
}

// gf32Mul multiplies in GF(2^5) modulo the primitive polynomial x^5+x^2+1.
func gf32Mul(a, b byte) byte {
	var p byte
	for range 5 {
		if b&1 != 0 {
			p ^= a
		}
		b >>= 1
		a <<= 1
		if a&32 != 0 {
			a ^= 0b100101
		}
	}
	return p & 31
}

// crockfordValue maps one typed character to its 5-bit value, accepting
// lower case and the look-alikes Crockford base32 defines (O for 0, I and L
// for 1).
func crockfordValue(r rune) (byte, bool) {
	r = unicode.ToUpper(r)
	switch r {
	case 'O':
		r = '0'
	case 'I', 'L':
		r = '1'
	}
	if r > unicode.MaxASCII {
		return 0, false
	}
	i := strings.IndexByte(crockfordAlphabet, byte(r))
	if i < 0 {
		return 0, false
	}
	return byte(i), true
}

// isRecoverySeparator reports the characters people put between groups:
// spaces, line breaks and any kind of dash (word processors turn "-" into
// "–").
func isRecoverySeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r)
}
