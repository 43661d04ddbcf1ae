package search

import "unsafe"

// unsafeString views bytes as a string without copying. The index uses it for
// text it keeps in its own chunks, read under its lock; what leaves the index
// (snippets) is copied first.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
