//go:build windows

package main

// restrictNewFiles does nothing on Windows, where a new file takes the access rules
// of its folder: the per-user AppData folder is the user's own.
func restrictNewFiles() {}
