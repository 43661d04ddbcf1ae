package app_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
)

const clChunk = 256 << 10

func clRandom(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func clReadAttachment(r *app.Records, c, id app.ID) ([]byte, error) {
	rc, err := r.OpenAttachment(c, id)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// clChunkKeys returns the keys of an attachment's stored chunks, in order.
func clChunkKeys(t *testing.T, r *app.Records, c, id app.ID) []app.Key {
	t.Helper()
	var keys []app.Key
	err := r.Store().View(func(tx app.Tx) error {
		return tx.ScanKeys(app.RecChunk, c, func(k app.Key) error {
			if k.ID == id {
				keys = append(keys, k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestAttachmentRoundTrip(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-1", clDay(2026, 2, 1))
	for _, size := range []int{0, 1, clChunk - 1, clChunk, clChunk + 1, 8 * clChunk, 8*clChunk + 1, 3 << 20} {
		data := clRandom(size)
		a, err := r.AddAttachment(c.ID, `C:\Users\det\Desktop\report.pdf`, bytes.NewReader(data), int64(size), app.AttachmentReport)
		if err != nil {
			t.Fatalf("size %d: add: %v", size, err)
		}
		sum := sha256.Sum256(data)
		wantChunks := (size + clChunk - 1) / clChunk
		if a.Size != int64(size) || a.SHA256 != hex.EncodeToString(sum[:]) || a.Chunks != wantChunks || a.Name != "report.pdf" {
			t.Fatalf("size %d: metadata %+v", size, a)
		}
		if n := len(clChunkKeys(t, r, c.ID, a.ID)); n != wantChunks {
			t.Fatalf("size %d: %d clChunk records, want %d", size, n, wantChunks)
		}
		got, err := clReadAttachment(r, c.ID, a.ID)
		if err != nil {
			t.Fatalf("size %d: read: %v", size, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("size %d: bytes differ", size)
		}
	}
	list, err := r.Attachments(c.ID)
	if err != nil || len(list) != 8 {
		t.Fatalf("%d attachments listed (%v)", len(list), err)
	}
}

// An unknown size (-1) is fine; a declared size that does not match is refused and
// leaves nothing behind.
func TestAttachmentDeclaredSize(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-2", clDay(2026, 2, 1))
	data := clRandom(3 * clChunk)
	a, err := r.AddAttachment(c.ID, "notes.txt", bytes.NewReader(data), -1, app.AttachmentDocument)
	if err != nil || a.Size != int64(len(data)) {
		t.Fatalf("unknown size: %+v %v", a, err)
	}
	for _, n := range []int{3 * clChunk, 12 * clChunk} { // one transaction, staged
		_, err = r.AddAttachment(c.ID, "notes.txt", bytes.NewReader(clRandom(n)), int64(n+1), app.AttachmentDocument)
		if !errors.Is(err, app.ErrInvalid) {
			t.Fatalf("wrong declared size: %v", err)
		}
	}
	clOnlyAttachments(t, r, c.ID, a.ID)
}

// clOnlyAttachments checks that no chunk or metadata of any other attachment
// remains in the case.
func clOnlyAttachments(t *testing.T, r *app.Records, c app.ID, keep ...app.ID) {
	t.Helper()
	ok := map[app.ID]bool{}
	for _, id := range keep {
		ok[id] = true
	}
	err := r.Store().View(func(tx app.Tx) error {
		for _, typ := range []app.RecordType{app.RecChunk, app.RecAttachment} {
			err := tx.ScanKeys(typ, c, func(k app.Key) error {
				if !ok[k.ID] {
					t.Errorf("left behind: record type %#x of another attachment", byte(typ))
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAttachmentSizeLimit(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-3", clDay(2026, 2, 1))
	_, err := r.AddAttachment(c.ID, "big.pdf", strings.NewReader(""), app.MaxAttachmentSize+1, app.AttachmentDocument)
	if !errors.Is(err, app.ErrInvalid) || !strings.Contains(app.Sentence(err), "50 MiB") {
		t.Fatalf("declared too large: %v / %q", err, app.Sentence(err))
	}
	// A stream that turns out larger than the limit is stopped and cleaned up.
	big := io.LimitReader(clZeroReader{}, app.MaxAttachmentSize+clChunk)
	_, err = r.AddAttachment(c.ID, "big.pdf", big, -1, app.AttachmentDocument)
	if !errors.Is(err, app.ErrInvalid) || app.Sentence(err) != "File is larger than the 50 MiB limit for attachments." {
		t.Fatalf("streamed too large: %v / %q", err, app.Sentence(err))
	}
	clOnlyAttachments(t, r, c.ID)
}

type clZeroReader struct{}

func (clZeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// clFailingReader fails after n bytes, like a file on a removed USB stick.
type clFailingReader struct{ n int }

func (f *clFailingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("device removed")
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

// A read that fails half way through a staged attachment leaves nothing behind.
func TestAttachmentFailedReadCleansUp(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-4", clDay(2026, 2, 1))
	_, err := r.AddAttachment(c.ID, "scan.pdf", &clFailingReader{n: 20 * clChunk}, -1, app.AttachmentDocument)
	if !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("failed read: %v", err)
	}
	clOnlyAttachments(t, r, c.ID)
	if n, err := r.RemoveUnfinishedAttachments(); n != 0 || err != nil {
		t.Fatalf("unfinished: %d %v", n, err)
	}
}

func TestAttachmentRefusesMedia(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-5", clDay(2026, 2, 1))
	png := append([]byte("\x89PNG\r\n\x1a\n"), clRandom(100)...)
	mov := append([]byte("\x00\x00\x00\x14ftypqt  "), clRandom(100)...)
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), clRandom(100)...)
	jpeg := append([]byte("\xFF\xD8\xFF\xE0"), clRandom(100)...)
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"photo.JPG", []byte("not really a jpeg")},
		{"interview.mp4", []byte("x")},
		{"call.m4a", []byte("x")},
		{"evidence.pdf", png},  // sniffed
		{"evidence.dat", jpeg}, // sniffed
		{"interview.bin", mov}, // ISO media the standard sniffer does not name
		{"notes.txt", wav},
	} {
		_, err := r.AddAttachment(c.ID, tt.name, bytes.NewReader(tt.data), int64(len(tt.data)), app.AttachmentOther)
		if !errors.Is(err, app.ErrMediaNotStored) || !errors.Is(err, app.ErrInvalid) {
			t.Errorf("%s: %v, want ErrMediaNotStored", tt.name, err)
			continue
		}
		if s := app.Sentence(err); !strings.Contains(s, "evidence reference") {
			t.Errorf("%s: sentence %q does not say to add an evidence reference", tt.name, s)
		}
	}
	clOnlyAttachments(t, r, c.ID)
	if !strings.Contains(app.EvidenceReferenceAdvice, "evidence system") {
		t.Error("advice does not name the evidence system")
	}

	ref, err := r.AddEvidenceReference(c.ID, "County DEMS", "DEMS-2026-00417", "Forensic interview recording")
	if err != nil {
		t.Fatal(err)
	}
	refs, err := r.EvidenceReferences(c.ID)
	if err != nil || len(refs) != 1 || refs[0] != ref {
		t.Fatalf("references %+v (%v)", refs, err)
	}
	if list, _ := r.Attachments(c.ID); len(list) != 0 {
		t.Fatalf("an evidence reference is listed as an attachment")
	}
	if _, err := r.AddEvidenceReference(c.ID, "", "x", ""); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("reference without a system: %v", err)
	}
}

func TestAttachmentValidation(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-6", clDay(2026, 2, 1))
	for _, tt := range []struct{ name, kind, field string }{
		{"", app.AttachmentDocument, "file name"},
		{"a.pdf", "selfie", "kind"},
		{"bad\x00name.pdf", app.AttachmentDocument, "file name"},
	} {
		_, err := r.AddAttachment(c.ID, tt.name, strings.NewReader("x"), 1, tt.kind)
		var fe *app.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%q/%q: %v, want field %q", tt.name, tt.kind, err, tt.field)
		}
	}
	if _, err := r.AddAttachment(app.NewID(), "a.pdf", strings.NewReader("x"), 1, app.AttachmentDocument); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("unknown case: %v", err)
	}
	clMakeReadOnly(t, r, c.ID)
	if _, err := r.AddAttachment(c.ID, "a.pdf", strings.NewReader("x"), 1, app.AttachmentDocument); !errors.Is(err, app.ErrReadOnly) {
		t.Fatalf("read-only case: %v", err)
	}
	if _, err := r.AddEvidenceReference(c.ID, "DEMS", "1", ""); !errors.Is(err, app.ErrReadOnly) {
		t.Fatalf("read-only case reference: %v", err)
	}
}

// Chunks moved, swapped or altered inside the store are caught: each chunk is
// checked against its recorded hash and the whole file against its SHA-256.
func TestAttachmentTamperedChunk(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(tx app.Tx, keys []app.Key) error
	}{
		{"swapped chunks", func(tx app.Tx, keys []app.Key) error {
			a, err := tx.Get(keys[0])
			if err != nil {
				return err
			}
			b, err := tx.Get(keys[1])
			if err != nil {
				return err
			}
			if err := tx.Put(keys[0], b); err != nil {
				return err
			}
			return tx.Put(keys[1], a)
		}},
		{"flipped byte", func(tx app.Tx, keys []app.Key) error {
			b, err := tx.Get(keys[2])
			if err != nil {
				return err
			}
			b[1000] ^= 0x01
			return tx.Put(keys[2], b)
		}},
		{"truncated last clChunk", func(tx app.Tx, keys []app.Key) error {
			k := keys[len(keys)-1]
			b, err := tx.Get(k)
			if err != nil {
				return err
			}
			return tx.Put(k, b[:len(b)-1])
		}},
		{"missing clChunk", func(tx app.Tx, keys []app.Key) error { return tx.Delete(keys[1]) }},
		{"extra bytes", func(tx app.Tx, keys []app.Key) error {
			b, err := tx.Get(keys[0])
			if err != nil {
				return err
			}
			return tx.Put(keys[0], append(b, 'x'))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := clVault(t)
			c := clCase(t, r, "AT-7", clDay(2026, 2, 1))
			data := clRandom(3*clChunk + 17)
			a, err := r.AddAttachment(c.ID, "report.pdf", bytes.NewReader(data), int64(len(data)), app.AttachmentReport)
			if err != nil {
				t.Fatal(err)
			}
			keys := clChunkKeys(t, r, c.ID, a.ID)
			if err := r.Store().Update(func(tx app.Tx) error { return tt.tamper(tx, keys) }); err != nil {
				t.Fatal(err)
			}
			got, err := clReadAttachment(r, c.ID, a.ID)
			if !errors.Is(err, app.ErrIntegrity) {
				t.Fatalf("read after tampering: %v, want ErrIntegrity", err)
			}
			if len(got) > 0 && !bytes.Equal(got, data[:len(got)]) {
				t.Fatal("tampered bytes were returned before the error")
			}
		})
	}
}

// A whole-file hash that does not match (the metadata altered) fails at the end of
// the read, after every chunk has passed its own check.
func TestAttachmentWholeFileHash(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-11", clDay(2026, 2, 1))
	data := clRandom(2*clChunk + 1)
	a, err := r.AddAttachment(c.ID, "report.pdf", bytes.NewReader(data), -1, app.AttachmentReport)
	if err != nil {
		t.Fatal(err)
	}
	err = r.Store().Update(func(tx app.Tx) error {
		k := app.Key{Type: app.RecAttachment, Case: c.ID, ID: a.ID}
		b, err := tx.Get(k)
		if err != nil {
			return err
		}
		other := sha256.Sum256([]byte("something else"))
		b = bytes.Replace(b, []byte(a.SHA256), []byte(hex.EncodeToString(other[:])), 1)
		return tx.Put(k, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := clReadAttachment(r, c.ID, a.ID)
	if !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("read with a wrong file hash: %v, want ErrIntegrity", err)
	}
	if len(got) != len(data) {
		t.Fatalf("read %d bytes before the final check, want all %d", len(got), len(data))
	}
}

func TestDeleteAttachment(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-8", clDay(2026, 2, 1))
	keep, err := r.AddAttachment(c.ID, "a.pdf", bytes.NewReader(clRandom(clChunk+5)), -1, app.AttachmentDocument)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := r.AddAttachment(c.ID, "b.pdf", bytes.NewReader(clRandom(10*clChunk)), -1, app.AttachmentDocument)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteAttachment(c.ID, gone.ID); err != nil {
		t.Fatal(err)
	}
	clOnlyAttachments(t, r, c.ID, keep.ID)
	if _, err := r.OpenAttachment(c.ID, gone.ID); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("open deleted: %v", err)
	}
	if err := r.DeleteAttachment(c.ID, gone.ID); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	if _, err := clReadAttachment(r, c.ID, keep.ID); err != nil {
		t.Fatalf("the other attachment: %v", err)
	}
}

// An attachment's plaintext appears in no file under the vault directory, and no
// temporary file is written while it is added.
func TestAttachmentNoPlaintextOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	r, dir := clVault(t)
	c := clCase(t, r, "AT-9", clDay(2026, 2, 1))
	canary := []byte("CANARY-attachment-plaintext-7f3a9c")
	data := bytes.Repeat(append(canary, ' '), (3<<20)/len(canary))
	if _, err := r.AddAttachment(c.ID, "canary.txt", bytes.NewReader(data), int64(len(data)), app.AttachmentDocument); err != nil {
		t.Fatal(err)
	}
	small := append([]byte("small "), canary...)
	if _, err := r.AddAttachment(c.ID, "small.txt", bytes.NewReader(small), int64(len(small)), app.AttachmentDocument); err != nil {
		t.Fatal(err)
	}
	if err := r.Store().Close(); err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, root := range []string{dir, tmp} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			if bytes.Contains(b, canary) || bytes.Contains(b, []byte("canary.txt")) {
				t.Errorf("plaintext found in %s", p)
			}
			if root == tmp {
				t.Errorf("temporary file written: %s", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files == 0 {
		t.Fatal("no files in the vault directory")
	}
}

func FuzzAttachmentRoundTrip(f *testing.F) {
	r, _ := clVault(f)
	c := clCase(f, r, "FZ-1", clDay(2026, 2, 1))
	f.Add([]byte{})
	f.Add([]byte("%PDF-1.7 hello"))
	f.Add(clRandom(clChunk + 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := r.AddAttachment(c.ID, "f.bin", bytes.NewReader(data), int64(len(data)), app.AttachmentOther)
		if errors.Is(err, app.ErrMediaNotStored) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := clReadAttachment(r, c.ID, a.ID)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("round trip: %v", err)
		}
		if err := r.DeleteAttachment(c.ID, a.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkAddAttachment(b *testing.B) {
	r, _ := clVault(b)
	c := clCase(b, r, "BA-1", clDay(2026, 2, 1))
	data := clRandom(4 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		a, err := r.AddAttachment(c.ID, "bench.pdf", bytes.NewReader(data), int64(len(data)), app.AttachmentDocument)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.DeleteAttachment(c.ID, a.ID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenAttachment(b *testing.B) {
	r, _ := clVault(b)
	c := clCase(b, r, "BA-2", clDay(2026, 2, 1))
	data := clRandom(4 << 20)
	a, err := r.AddAttachment(c.ID, "bench.pdf", bytes.NewReader(data), int64(len(data)), app.AttachmentDocument)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := clReadAttachment(r, c.ID, a.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// A pending attachment left by a crash (marker and some chunks, never finished) is
// not listed or opened, and is removed once it is over an hour old.
func TestRemoveUnfinishedAttachments(t *testing.T) {
	r, _ := clVault(t)
	c := clCase(t, r, "AT-10", clDay(2026, 2, 1))
	id := app.NewID()
	started := r.Now().UTC().Format("2006-01-02T15:04:05Z")
	err := r.Store().Update(func(tx app.Tx) error {
		meta := `{"id":"` + id.String() + `","name":"x.pdf","kind":"document","pending":true,"started":"` + started + `"}`
		if err := tx.Put(app.Key{Type: app.RecAttachment, Case: c.ID, ID: id}, []byte(meta)); err != nil {
			return err
		}
		for n := range 3 {
			if err := tx.Put(app.Key{Type: app.RecChunk, Case: c.ID, Order: uint64(n), ID: id}, clRandom(clChunk)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := r.Attachments(c.ID); len(list) != 0 {
		t.Fatal("a pending attachment is listed")
	}
	if _, err := r.OpenAttachment(c.ID, id); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("open pending: %v", err)
	}
	if n, err := r.RemoveUnfinishedAttachments(); n != 0 || err != nil {
		t.Fatalf("a fresh pending attachment was removed: %d %v", n, err)
	}
	later := r.Now().Add(2 * time.Hour)
	r.Now = func() time.Time { return later }
	if n, err := r.RemoveUnfinishedAttachments(); n != 1 || err != nil {
		t.Fatalf("removed %d (%v), want 1", n, err)
	}
	clOnlyAttachments(t, r, c.ID)
}
