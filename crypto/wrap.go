package crypto

import "fmt"

// wrapDomain is prepended to the caller's associated data so a wrapped key
// can never be confused with a value sealed by [Seal] under the same key,
// even if a caller reuses the same ad for both. The NUL keeps the split
// between prefix and caller data unambiguous.
const wrapDomain = "casenotes/v1 wrap\x00"

// WrapKey encrypts a 32-byte key (the vault key, a case data key) under a
// key-encryption key with AES-256-GCM and a random nonce. ad binds the result
// to its context, such as vault id and slot id, so a wrapped key copied into
// another slot or vault does not unwrap. Only the wrapped form is ever stored,
// which is why changing a passphrase rewrites one slot and no records.
func WrapKey(kek, key, ad []byte) ([]byte, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("crypto: wrapped key is %d bytes, want %d", len(key), KeySize)
	}
	return Seal(kek, key, wrapAD(ad))
}

// UnwrapKey reverses [WrapKey]. A wrong kek (wrong passphrase or recovery
// key), altered bytes or different ad all return [ErrUnauthenticated], which
// callers turn into "wrong passphrase".
func UnwrapKey(kek, wrapped, ad []byte) ([]byte, error) {
	key, err := Open(kek, wrapped, wrapAD(ad))
	if err != nil {
		return nil, err
	}
	if len(key) != KeySize {
		Zero(key)
		return nil, ErrUnauthenticated
	}
	return key, nil
}

func wrapAD(ad []byte) []byte {
	return append([]byte(wrapDomain), ad...)
}
