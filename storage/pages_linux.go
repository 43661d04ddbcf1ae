package storage

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ReleaseMappedPages hands back to the system the pages of the store's table, value
// log and memtable log files that reads and writes have mapped into the process.
// Badger reads its tables and reads and writes its logs through memory maps, so a read of
// the whole vault (the search index's build) leaves every file resident in the
// process (as much as the vault's size on disk), and a bulk load leaves every value
// it wrote, although nothing will read most of it again soon. The pages are only
// advised out (MADV_PAGEOUT): the mappings stay, a later read maps a page in again,
// and the advice can never change memory (unlike MADV_DONTNEED, which would zero an
// anonymous mapping that took the address of a file Badger unmapped meanwhile). A
// log page written and not yet synced is a page of the file's own cache (the
// mapping is shared): the kernel writes it back before it reclaims it, or keeps it.
// A kernel older than Linux 5.4 refuses the advice; nothing changes then.
func (s *Store) ReleaseMappedPages() {
	dir, err := filepath.Abs(s.dir)
	if err != nil || s.dir == "" {
		return
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 {
			continue
		}
		path := fields[5]
		if filepath.Dir(path) != dir || !mappedStoreFile(path) {
			continue
		}
		start, end, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		if err1 != nil || err2 != nil || hi <= lo {
			continue
		}
		// The errors are of no use: advice refused changes nothing.
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, uintptr(lo), uintptr(hi-lo), unix.MADV_PAGEOUT)
	}
}

// mappedStoreFile reports a file of Badger's that it maps: its tables (.sst), its
// value log (.vlog) and the logs of its memtables (.mem, two of 64 MiB mapped while
// a bulk load writes).
func mappedStoreFile(path string) bool {
	return strings.HasSuffix(path, ".sst") || strings.HasSuffix(path, ".vlog") || strings.HasSuffix(path, ".mem")
}

// MappedResident is how much of the process's resident memory is mapped from files
// (the store's and the program's own), from /proc/self/statm: one short read, where
// ReleaseMappedPages reads every mapping. ok is false where it cannot be read.
func (s *Store) MappedResident() (bytes uint64, ok bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	// size resident shared text lib data dt, in pages; shared is file-backed.
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseUint(f[2], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * uint64(os.Getpagesize()), true
}
