package storage

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/y"

	"casenotes/app"
)

// When Badger opens a store it reads its newest value log file and cuts the file at
// the first entry that fails its checksum, then starts a new file (every open does:
// the newest file holds the last session's writes). After a crash the cut removes
// the half-written tail, but on a file a clean close left whole it is damage (a
// flipped byte, an edit), and the cut destroys every later record of that session
// and the evidence of what happened, and the store opens without a word.
// A clean close leaves the file ending exactly at its last entry (Badger truncates it
// there), so before Badger opens a store that closed cleanly (its list of checked
// files verified), the newest value log is read as Badger would read it, unless the
// file is the one the close recorded (tables_checked.go). Ending before the file does
// is ErrIntegrity, and the file is left as it was. After a crash (no list) Badger
// cuts the tail as it must: a torn write cannot be told from damage there.

// Badger's value log layout (value.go, memtable.go of badger/v4): a 20-byte header
// (the data key's id, a 12-byte base IV), then entries: meta byte, user meta byte,
// uvarints key length, value length and expiry, the key and value encrypted with
// AES-CTR under the data key (IV: base IV and the entry's offset), and a CRC-32C of
// all of it as written.
const (
	vlogHeaderSize = 20
	vlogBitTxn     = 1 << 6 // the entry is part of a transaction
	vlogBitFinTxn  = 1 << 7 // the entry ends a transaction; its value is the commit timestamp
	vlogMaxKey     = 1 << 16
)

// valueLogStampID keys the newest value log's stamp in the list of checked files,
// apart from the tables' ids (which never reach the top bit).
func valueLogStampID(fid uint32) uint64 { return 1<<63 | uint64(fid) }

// newestValueLog is the newest value log file in dir: the one Badger reads and cuts
// at open. ok is false when there is none.
func newestValueLog(dir string) (fid uint32, path string, ok bool) {
	names, _ := filepath.Glob(filepath.Join(dir, "*.vlog"))
	for _, n := range names {
		id, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(n), ".vlog"), 10, 32)
		if err != nil {
			continue // Badger ignores what it did not name
		}
		if !ok || uint32(id) > fid {
			fid, path, ok = uint32(id), n, true
		}
	}
	return fid, path, ok
}

// verifyValueLog refuses a store whose newest value log Badger would cut, when the
// store closed cleanly (clean) and the file is not the one its close recorded.
func verifyValueLog(dir string, registry *badger.KeyRegistry, checked map[uint64]tableStamp, clean bool) error {
	if !clean {
		return nil
	}
	fid, path, ok := newestValueLog(dir)
	if !ok || unchanged(checked, valueLogStampID(fid), path) {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: reading the value log: %v", app.ErrStore, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: reading the value log: %v", app.ErrStore, err)
	}
	end, err := valueLogEnd(f, st.Size(), registryKeys(registry))
	if err != nil {
		return fmt.Errorf("value log %s: %v: %w", filepath.Base(path), err, app.ErrIntegrity)
	}
	if end < st.Size() {
		return fmt.Errorf("value log %s: the entry at byte %d is damaged: %w", filepath.Base(path), end, app.ErrIntegrity)
	}
	return nil
}

// registryKeys gives the store's data keys by id, as valueLogEnd asks for them.
func registryKeys(registry *badger.KeyRegistry) func(id uint64) ([]byte, error) {
	return func(id uint64) ([]byte, error) {
		k, err := registry.DataKey(id)
		if err != nil || k == nil {
			return nil, errors.New("its key is missing")
		}
		return k.Data, nil
	}
}

// valueLogEnd is where Badger's replay of a value log of size bytes ends: after the
// last whole transaction whose entries all pass their checksums (memtable.go,
// logFile.iterate). dataKey gives the key of the header's key id (nil for a store
// without encryption). An error is a header Badger cannot open at all.
func valueLogEnd(r io.Reader, size int64, dataKey func(id uint64) ([]byte, error)) (int64, error) {
	if size < vlogHeaderSize {
		return 0, nil
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var head [vlogHeaderSize]byte
	if _, err := io.ReadFull(br, head[:]); err != nil {
		return 0, err
	}
	var key []byte
	if id := binary.BigEndian.Uint64(head[:8]); id != 0 {
		k, err := dataKey(id)
		if err != nil {
			return 0, err
		}
		key = k
	}
	iv := make([]byte, 16)
	copy(iv, head[8:])
	off := int64(vlogHeaderSize)
	valid := off
	var lastCommit uint64
	crc := crc32.New(y.CastagnoliCrcTable)
	hr := &hashByteReader{r: br, h: crc}
	var kv []byte
	for {
		crc.Reset()
		hr.n = 0
		meta, err1 := hr.ReadByte()
		_, err2 := hr.ReadByte()
		klen64, err3 := binary.ReadUvarint(hr)
		vlen64, err4 := binary.ReadUvarint(hr)
		_, err5 := binary.ReadUvarint(hr)
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			// The end of the file, a header cut short, or one Badger refuses to
			// read: the replay ends here.
			return valid, nil
		}
		klen, vlen := uint32(klen64), uint32(vlen64) // as Badger keeps them
		if klen > vlogMaxKey || int64(klen)+int64(vlen)+crc32.Size > size-off-int64(hr.n) {
			return valid, nil // lengths past the file: Badger stops here
		}
		n := int(klen) + int(vlen)
		if cap(kv) < n {
			kv = make([]byte, n)
		}
		kv = kv[:n]
		if _, err := io.ReadFull(hr, kv); err != nil {
			return valid, nil
		}
		var sum [crc32.Size]byte
		if _, err := io.ReadFull(br, sum[:]); err != nil || binary.BigEndian.Uint32(sum[:]) != crc.Sum32() {
			return valid, nil
		}
		if klen == 0 {
			return valid, nil // a zero entry: where the writing stopped
		}
		if key != nil {
			binary.BigEndian.PutUint32(iv[12:], uint32(off))
			plain, err := y.XORBlockAllocate(kv, key, iv)
			if err != nil {
				return 0, err
			}
			kv = plain
		}
		off += int64(hr.n) + int64(n) + crc32.Size
		switch {
		case meta&vlogBitTxn != 0:
			ts := y.ParseTs(kv[:klen])
			if lastCommit == 0 {
				lastCommit = ts
			}
			if lastCommit != ts {
				return valid, nil
			}
		case meta&vlogBitFinTxn != 0:
			ts, err := strconv.ParseUint(string(kv[klen:]), 10, 64)
			if err != nil || ts != lastCommit {
				return valid, nil
			}
			lastCommit = 0
			valid = off
		default:
			if lastCommit != 0 {
				return valid, nil // not inside a transaction
			}
			valid = off
		}
	}
}

// hashByteReader reads bytes into a checksum; n counts those read a byte at a time
// (an entry's header).
type hashByteReader struct {
	r   *bufio.Reader
	h   hash.Hash32
	n   int
	one [1]byte
}

func (h *hashByteReader) ReadByte() (byte, error) {
	b, err := h.r.ReadByte()
	if err == nil {
		h.one[0] = b
		h.h.Write(h.one[:])
		h.n++
	}
	return b, err
}

func (h *hashByteReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	return n, err
}
