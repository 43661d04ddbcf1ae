package export

import "io"

// ReadArchive exposes the tar layer of ReadBundle to the fuzz target, which feeds
// it decrypted archives directly (age would refuse nearly every mutated input
// before the archive reader saw it).
func ReadArchive(r io.Reader, o ReadOptions) (*Bundle, error) { return readArchive(r, o) }
