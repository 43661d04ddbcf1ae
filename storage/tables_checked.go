package storage

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"
)

// Checking every block of every table before Badger opens (verifyTables) costs time
// in proportion to the vault: most of the way from Enter to the dashboard at 10,000
// cases. Tables never change once Badger has written them, so a table checked (or
// written) in a session that closed cleanly need not be read again while its file is
// unchanged. At a clean close the store writes the list of its tables with each
// file's stamp (size, inode, modification and status-change times; the status-change
// time cannot be set back by any program, and any write to the file moves it), under
// a MAC keyed from the store's at-rest key, and the newest value log's stamp (under
// valueLogStampID: a value log a clean close left is not read again either,
// valuelog.go). At open it reads that list and, once the files have passed their
// checks, removes it before Badger starts: a session that does not close cleanly (a
// crash, a kill, a damaged block that ends the process) leaves no list, and the next
// open checks every table again. A store refused as damaged keeps its list. A list
// that does not verify (damaged, from another key) is no list.
// Windows has no status-change time in the file's stamp: there every open checks
// every table.

// checkedFile is the list's name in the store's folder. Badger ignores it.
const checkedFile = "casenotes-checked-tables"

const checkedMagic = "casenotes checked tables v1\n"

// tableStamp is what identifies a table file's bytes without reading them.
type tableStamp struct {
	Size, Inode, Device uint64
	Modified, Changed   int64 // nanoseconds
}

// checkedKey is the MAC key of the list, derived from the at-rest key.
func checkedKey(atRest []byte) []byte {
	m := hmac.New(sha256.New, atRest)
	m.Write([]byte("casenotes/v1 checked tables"))
	return m.Sum(nil)
}

// readChecked reads the list of files checked before. Any problem (missing,
// damaged, another key) gives an empty list: every table is checked. clean reports a
// list that verified: the store's last session closed cleanly.
func readChecked(dir string, key []byte) (checked map[uint64]tableStamp, clean bool) {
	b, err := os.ReadFile(filepath.Join(dir, checkedFile))
	if err != nil {
		return nil, false
	}
	checked = parseChecked(b, key)
	return checked, checked != nil
}

// forgetChecked removes the list once the store's files have passed their checks,
// before Badger opens: if this session ends without a clean close, the next open
// checks everything. A store refused as damaged keeps its list, so that every later
// open refuses it too (and Badger never cuts its value log).
func forgetChecked(dir string) {
	if os.Remove(filepath.Join(dir, checkedFile)) == nil {
		_ = syncDir(dir)
	}
}

// entrySize is one table's entry: its id and stamp.
const entrySize = 8 * 6

func parseChecked(b, key []byte) map[uint64]tableStamp {
	if len(b) < len(checkedMagic)+sha256.Size || !bytes.HasPrefix(b, []byte(checkedMagic)) {
		return nil
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	m := hmac.New(sha256.New, key)
	m.Write(body)
	if !hmac.Equal(m.Sum(nil), sum) {
		return nil
	}
	entries := body[len(checkedMagic):]
	if len(entries)%entrySize != 0 {
		return nil
	}
	out := make(map[uint64]tableStamp, len(entries)/entrySize)
	for ; len(entries) > 0; entries = entries[entrySize:] {
		u := func(i int) uint64 { return binary.BigEndian.Uint64(entries[i*8:]) }
		out[u(0)] = tableStamp{Size: u(1), Inode: u(2), Device: u(3), Modified: int64(u(4)), Changed: int64(u(5))}
	}
	return out
}

// writeChecked records the tables of a cleanly closed store as checked, and its
// newest value log as whole (valuelog.go). Badger has closed: its manifest lists
// exactly the tables the next open will read, and the value log ends at its last
// entry. Failing to write the list costs the next open its full check, nothing else.
func writeChecked(dir string, key []byte) {
	fp, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return
	}
	manifest, _, err := badger.ReplayManifestFile(fp, 0, badger.DefaultOptions(dir).WithLogger(quietLogger{}))
	fp.Close()
	if err != nil {
		return
	}
	body := []byte(checkedMagic)
	for id := range manifest.Tables {
		st, ok := stampOf(table.NewFilename(id, dir))
		if !ok {
			return
		}
		for _, v := range []uint64{id, st.Size, st.Inode, st.Device, uint64(st.Modified), uint64(st.Changed)} {
			body = binary.BigEndian.AppendUint64(body, v)
		}
	}
	if fid, path, ok := newestValueLog(dir); ok {
		st, ok := stampOf(path)
		if !ok {
			return
		}
		for _, v := range []uint64{valueLogStampID(fid), st.Size, st.Inode, st.Device, uint64(st.Modified), uint64(st.Changed)} {
			body = binary.BigEndian.AppendUint64(body, v)
		}
	}
	m := hmac.New(sha256.New, key)
	m.Write(body)
	body = m.Sum(body)
	_ = (&Disk{}).writeAtomic(dir, checkedFile, body)
}

// unchanged reports whether the table file is the one a clean close recorded.
func unchanged(checked map[uint64]tableStamp, id uint64, path string) bool {
	want, ok := checked[id]
	if !ok {
		return false
	}
	got, ok := stampOf(path)
	return ok && got == want
}
