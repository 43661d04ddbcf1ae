package export_test

import (
	"os"
	"testing"

	"casenotes/app"
	"casenotes/app/export"
)

func TestZZDumpPDF(t *testing.T) {
	if os.Getenv("DUMP_PDF") == "" {
		t.Skip("manual")
	}
	_, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	release(t, r, c, prosecutorOffice, date(2026, 3, 1), date(2026, 9, 1), app.InfoIdentity, app.InfoLocation, app.InfoAdvocateNotes)
	d := build(t, r, c, export.Prosecutor, prosecutorOffice, true)
	f, _ := os.Create(os.Getenv("DUMP_PDF"))
	defer f.Close()
	must(t, export.WritePDF(f, d, export.Letter))
}
