package ui

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// TestAddAttachmentThroughTheTab: a file chosen in the Attachments tab is encrypted
// into the vault behind a progress dialog, listed, and reads back byte for byte; a
// photo is refused with the sentence that says to store an evidence reference.
func TestAddAttachmentThroughTheTab(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	ws.selectTab(tabAttachments)

	dir := t.TempDir()
	content := bytes.Repeat([]byte("Signed release of information, page text. "), 20000)
	path := filepath.Join(dir, "release-form.txt")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Reader(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	ws.attachments.askKind(r)
	test.Tap(h.lastButton("Add file"))

	list, err := h.shell.records.Attachments(c.ID)
	if err != nil || len(list) != 1 || list[0].Name != "release-form.txt" {
		t.Fatalf("attachments after adding: %+v, %v", list, err)
	}
	rc, err := h.shell.records.OpenAttachment(c.ID, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("the stored file differs (%d bytes, %v)", len(got), err)
	}
	h.sees("release-form.txt")

	png := filepath.Join(dir, "photo.png")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o600)
	r, _ = storage.Reader(storage.NewFileURI(png))
	ws.attachments.askKind(r)
	test.Tap(h.lastButton("Add file"))
	h.sees("File not added")
	if list, _ := h.shell.records.Attachments(c.ID); len(list) != 1 {
		t.Fatalf("a photo was stored: %d attachments", len(list))
	}
}

// TestEscClosesTabDialogsFromAField: Esc closes the timeline, release and evidence
// dialogs even while the cursor is in one of their fields.
func TestEscClosesTabDialogsFromAField(t *testing.T) {
	h, c := workspaceCase(t)
	ws := h.openWorkspace(c.ID)
	for _, tc := range []struct{ tab, button, field string }{
		{tabTimeline, "Add event…", "Source"},
		{tabReleases, "Add release…", "Organization"},
		{tabAttachments, "Add evidence reference…", "Evidence system"},
	} {
		ws.selectTab(tc.tab)
		test.Tap(h.button(tc.button))
		e := h.entryField(tc.field)
		h.win.Canvas().Focus(e)
		h.press(fyne.KeyEscape)
		if h.dialogOpen() {
			t.Fatalf("%s: Esc in %q left the dialog open", tc.tab, tc.field)
		}
	}
}
