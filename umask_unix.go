//go:build unix

package main

import "syscall"

// Every file the process creates (Badger's tables and logs, Fyne's preferences,
// anything the user saves) is for its owner only: Badger and Fyne create files with
// the process umask, usually 022, which leaves them readable by every account on
// the computer. Set before anything is opened.
func init() { syscall.Umask(0o077) }
