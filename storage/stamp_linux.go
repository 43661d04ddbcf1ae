//go:build linux

package storage

import (
	"os"
	"syscall"
)

// stampOf is a file's stamp: size, inode, device, and its modification and
// status-change times.
func stampOf(path string) (tableStamp, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return tableStamp{}, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return tableStamp{}, false
	}
	return tableStamp{
		Size: uint64(fi.Size()), Inode: st.Ino, Device: st.Dev,
		Modified: fi.ModTime().UnixNano(), Changed: st.Ctim.Nano(),
	}, true
}
