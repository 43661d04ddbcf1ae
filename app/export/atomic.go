package export

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"casenotes/app"
)

// ErrDestination: the export file could not be written where asked (a missing
// folder, no permission); nothing was left there. Disk full is app.ErrDiskFull.
var ErrDestination = errors.New("the export could not be written there")

// WriteFile writes an export through a private temporary file beside path (same
// folder, so the rename is atomic), fsyncs it, renames it into place and fsyncs
// the folder. On any failure the temporary file is removed and nothing is left at
// path: no partial export, ever. The temporary file holds only what the finished
// file would (PDFs and JSON of a case the user chose to export, or an encrypted
// bundle), and only for as long as the write takes.
func WriteFile(path string, write func(f *os.File) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".casenotes-export-*.tmp")
	if err != nil {
		return destinationError(err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return destinationError(err)
	}
	if err := f.Sync(); err != nil {
		return destinationError(err)
	}
	if err := f.Close(); err != nil {
		return destinationError(err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return destinationError(err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// destinationError keeps app's and this package's sentinels and maps the system's
// "no space" to app.ErrDiskFull; anything else from the file system is
// ErrDestination. It never carries the path (which could hold a name).
func destinationError(err error) error {
	var pe *os.PathError
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("writing the export: %w", app.ErrDiskFull)
	case errors.Is(err, app.ErrDiskFull), errors.Is(err, app.ErrIntegrity), errors.Is(err, app.ErrLocked),
		errors.Is(err, app.ErrNotFound), errors.Is(err, app.ErrInvalid), errors.Is(err, ErrDestination),
		errors.Is(err, app.ErrStore):
		return err
	case errors.As(err, &pe):
		return ErrDestination
	}
	return fmt.Errorf("%w: %v", ErrDestination, err)
}

// Record adds a written export to the case's export log: who, when, to whom, which
// profile and format, the file's SHA-256 and the signer. It is called only after the
// file is complete at its destination.
func Record(r *app.Records, d *Document, format, sha256hex string) error {
	return r.RecordExport(d.Case.ID, app.ExportRecord{ExportID: d.ExportID, At: d.Created, Profile: d.Profile,
		Format: format, Recipient: d.Recipient.Name(), SHA256: sha256hex, Signer: d.Exporter.SigningFingerprint,
		Withheld: len(d.Withheld), RecipientKey: d.Recipient.auditKey(), Included: len(d.Notes)})
}
