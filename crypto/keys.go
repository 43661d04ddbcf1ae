package crypto

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"runtime"
)

// RandomKey returns a fresh 32-byte key from the operating system's CSPRNG,
// used for the vault key and for each case's data key.
func RandomKey() []byte {
	key := make([]byte, KeySize)
	rand.Read(key) // never fails since Go 1.24; it crashes the program instead.
	return key
}

// Zero overwrites b with zeros. Locking the vault calls it on every key the
// process holds, so a memory dump taken after lock holds no keys. Copies the
// garbage collector already made cannot be reached; this is best effort.
func Zero(b []byte) {
	clear(b)
	runtime.KeepAlive(b) // keep the write from being treated as dead
}

// SubKey derives an independent 32-byte key from master with HKDF-SHA-256,
// label as the info string. One vault key thus yields the Badger master key,
// the header MAC key, the audit MAC key and others ("casenotes/v1 badger",
// "casenotes/v1 header-mac", ...) without any of them revealing another.
// The same master and label always give the same key. master should be a
// 32-byte key.
func SubKey(master []byte, label string) []byte {
	key, err := hkdf.Key(sha256.New, master, nil, label, KeySize)
	if err != nil {
		// Only reachable for keys under 112 bits in FIPS 140-only mode,
		// which no caller passes: a programming error, not user input.
		panic("crypto: SubKey: " + err.Error())
	}
	return key
}

// MAC returns HMAC-SHA-256 of msg under key. The vault header and the audit
// chain are MACed so tampering with them on disk is noticed at unlock.
func MAC(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// MACEqual compares two MACs in constant time, so a forger cannot learn a
// valid MAC byte by byte from how long a rejection takes.
func MACEqual(a, b []byte) bool {
	return hmac.Equal(a, b)
}
