package storage

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/y"
	"google.golang.org/protobuf/proto"

	"casenotes/app"
)

// checkTableFooters reads the footer of every table in a Badger directory before
// Badger opens it: the lengths of the index and of its checksum, in bounds, and the
// index's checksum. Badger reads these in goroutines of its own and panics, ending
// the process, when a damaged footer points outside the file; checked here, the same
// damage is one ErrIntegrity instead. The blocks themselves are checked by Badger as
// they are read.
func checkTableFooters(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // a new store: Badger creates the folder
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sst") {
			continue
		}
		if err := checkTableFooter(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("table %s: %v: %w", e.Name(), err, app.ErrIntegrity)
		}
	}
	return nil
}

func checkTableFooter(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	read := func(at, n int64) ([]byte, error) {
		if at < 0 || n < 0 || at+n > size {
			return nil, fmt.Errorf("footer points outside the file")
		}
		b := make([]byte, n)
		_, err := f.ReadAt(b, at)
		return b, err
	}
	pos := size - 4
	b, err := read(pos, 4)
	if err != nil {
		return err
	}
	checksumLen := int64(binary.BigEndian.Uint32(b))
	pos -= checksumLen
	sumBytes, err := read(pos, checksumLen)
	if err != nil {
		return err
	}
	var sum pb.Checksum
	if err := proto.Unmarshal(sumBytes, &sum); err != nil {
		return fmt.Errorf("index checksum unreadable")
	}
	pos -= 4
	if b, err = read(pos, 4); err != nil {
		return err
	}
	indexLen := int64(binary.BigEndian.Uint32(b))
	pos -= indexLen
	index, err := read(pos, indexLen)
	if err != nil {
		return err
	}
	if err := y.VerifyChecksum(index, &sum); err != nil {
		return fmt.Errorf("index checksum mismatch")
	}
	return nil
}
