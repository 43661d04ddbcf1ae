//go:build !windows

package main

import "syscall"

// restrictNewFiles makes every file and folder the process creates readable by its
// user only (umask 077): Badger creates its files with the process umask, and a
// vault's files should not be 0644 on a shared machine.
func restrictNewFiles() { syscall.Umask(0o077) }
