package storage

import (
	"encoding/binary"

	"casenotes/app"
)

// sealVersion is the first byte of every value's associated data. It changes only
// with the sealing scheme, and a migration must then reseal.
const sealVersion = 1

// encodeKey lays a key out as type | case | order (big-endian) | id.
func encodeKey(k app.Key) []byte { return k.Bytes() }

// decodeKey reverses encodeKey; ok is false for a key of another shape.
func decodeKey(b []byte) (app.Key, bool) {
	var k app.Key
	if len(b) != app.KeySize {
		return k, false
	}
	k.Type = app.RecordType(b[0])
	copy(k.Case[:], b[1:17])
	k.Order = binary.BigEndian.Uint64(b[17:25])
	copy(k.ID[:], b[25:41])
	return k, true
}

// scanPrefix is the key prefix of every record of type t, in case c if c is set.
func scanPrefix(t app.RecordType, c app.ID) []byte {
	if c.IsZero() {
		return []byte{byte(t)}
	}
	p := make([]byte, 17)
	p[0] = byte(t)
	copy(p[1:], c[:])
	return p
}

// sealAD is the associated data of a sealed value: the seal version and the full key,
// so a value copied to another key, case or type no longer opens.
func sealAD(key []byte) []byte {
	ad := make([]byte, 0, 1+len(key))
	ad = append(ad, sealVersion)
	return append(ad, key...)
}

// caseKeyKey is where a case's data key lives.
func caseKeyKey(c app.ID) app.Key { return app.Key{Type: app.RecCaseKey, Case: c} }
