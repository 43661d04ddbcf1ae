package ui

import (
	"os"

	"fyne.io/fyne/v2"
)

// ownerOnly makes a file the user chose in a save dialog readable and writable by
// its owner only (0600) before anything is written to it: the recovery key, and
// copies of attachments, are not for other accounts on the computer. Fyne's file
// writer creates the file with the process umask (usually 0644), empty, so the
// mode is narrowed while there is nothing in it yet. Only local files have a mode.
func ownerOnly(w fyne.URIWriteCloser) error {
	if w.URI().Scheme() != "file" {
		return nil
	}
	return os.Chmod(w.URI().Path(), 0o600)
}
