package app

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// MaxAttachmentSize is the largest file Casenotes keeps as an attachment.
const MaxAttachmentSize = 50 << 20

// attachmentChunkSize is the plaintext size of one chunk record; each chunk is
// sealed on its own with the case key and its full key as associated data.
const attachmentChunkSize = 256 << 10

// chunksPerUpdate is how many chunks go into one transaction: well under Badger's
// transaction size, so a file of up to this many chunks is stored atomically and a
// larger one is staged behind a pending marker.
const chunksPerUpdate = 8

// ErrMediaNotStored is why AddAttachment refuses a file that looks like an image, a
// video or a sound recording. It matches ErrInvalid.
var ErrMediaNotStored = fmt.Errorf("%w: images, video and audio are not stored", ErrInvalid)

// Attachment kinds: what a file is, for the list and for export profiles.
const (
	AttachmentDocument       = "document"
	AttachmentReport         = "report"
	AttachmentCourtFiling    = "court-filing"
	AttachmentSignedRelease  = "signed-release"
	AttachmentCorrespondence = "correspondence"
	AttachmentOther          = "other"
)

// AttachmentKinds lists the kinds in the order a form offers them.
var AttachmentKinds = []string{
	AttachmentDocument, AttachmentReport, AttachmentCourtFiling, AttachmentSignedRelease,
	AttachmentCorrespondence, AttachmentOther,
}

// Attachment is a file kept in a case, encrypted in chunks inside the store. Its
// SHA-256 is taken as it is added and checked whenever it is read back.
type Attachment struct {
	ID          ID        `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"content_type"` // as sniffed from the first bytes
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"` // hex
	Chunks      int       `json:"chunks"`
	Added       time.Time `json:"added"`
	AddedBy     string    `json:"added_by,omitempty"`
}

// attachmentRecord is the stored metadata of an attachment. Pending is set while a
// large file is being staged in several transactions; a pending attachment is not
// listed or opened, and RemoveUnfinishedAttachments clears one left by a crash.
type attachmentRecord struct {
	Attachment
	ChunkSHA256 [][]byte  `json:"chunk_sha256,omitempty"`
	Pending     bool      `json:"pending,omitempty"`
	Started     time.Time `json:"started,omitzero"`
}

// Attachment metadata is at Order 0 of RecAttachment, evidence references at Order
// 1; chunks are RecChunk records with Order = chunk number and the attachment's ID.
const (
	attachmentOrder = 0
	evidenceOrder   = 1
)

func attachmentKey(c, id ID) Key {
	return Key{Type: RecAttachment, Case: c, Order: attachmentOrder, ID: id}
}
func chunkKey(c, id ID, n int) Key {
	return Key{Type: RecChunk, Case: c, Order: uint64(n), ID: id}
}

// Limits on the text of attachments and references.
const (
	maxFileName     = 255
	maxEvidenceText = 120
	maxEvidenceNote = 500
)

// mediaExtensions are file name endings of images, video and audio.
var mediaExtensions = []string{
	".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic",
	".heif", ".avif", ".svg", ".ico", ".raw", ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".psd",
	".mp4", ".m4v", ".mov", ".qt", ".avi", ".mkv", ".webm", ".wmv", ".asf", ".flv", ".mpg", ".mpeg",
	".3gp", ".3g2", ".mts", ".m2ts", ".vob", ".ogv",
	".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus", ".wma", ".amr", ".aif", ".aiff",
	".mid", ".midi",
}

// looksLikeMedia reports whether a file is an image, a video or a sound recording,
// by its name and by its first bytes.
func looksLikeMedia(name string, head []byte) bool {
	lower := strings.ToLower(name)
	for _, ext := range mediaExtensions {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	ct := http.DetectContentType(head)
	if strings.HasPrefix(ct, "image/") || strings.HasPrefix(ct, "video/") ||
		strings.HasPrefix(ct, "audio/") || ct == "application/ogg" {
		return true
	}
	// Formats the standard sniffer does not know: ISO media (MOV, HEIC, AVIF, 3GP,
	// M4A), TIFF and camera raw, FLAC, AMR, ASF/WMV, FLV, MPEG program streams.
	switch {
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return true
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")),
		bytes.HasPrefix(head, []byte("fLaC")), bytes.HasPrefix(head, []byte("#!AMR")),
		bytes.HasPrefix(head, []byte("\x30\x26\xB2\x75\x8E\x66\xCF\x11")),
		bytes.HasPrefix(head, []byte("FLV\x01")), bytes.HasPrefix(head, []byte("\x00\x00\x01\xBA")),
		bytes.HasPrefix(head, []byte("\x00\x00\x01\xB3")):
		return true
	}
	return false
}

// baseName drops any folders from a file name, whichever separator they use.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}

// tooLarge is the error for a file over the limit.
func tooLarge() error {
	return Invalid("file", fmt.Sprintf("is larger than the %d MiB limit for attachments", MaxAttachmentSize>>20))
}

// AddAttachment stores a file in a case: read from r (size is the expected size in
// bytes, or -1 if unknown), encrypted in 256 KiB chunks inside the store, with its
// SHA-256 recorded. Nothing is written outside the store: no temporary file, no
// plaintext copy. A file over MaxAttachmentSize is refused, and so is any file that
// looks like an image, a video or a sound recording (see EvidenceReferenceAdvice).
// A file of up to 2 MiB is stored in one transaction; a larger one is staged
// behind a pending marker and either finished or removed.
func (r *Records) AddAttachment(caseID ID, name string, src io.Reader, size int64, kind string) (Attachment, error) {
	return r.addAttachment(caseID, name, src, size, kind, nil)
}

// addAttachment is AddAttachment; from, when set, is the attachment as a received
// bundle describes it: its time and author are kept, and the case may be a received,
// read-only one (import_received.go is the only caller that sets it).
func (r *Records) addAttachment(caseID ID, name string, src io.Reader, size int64, kind string, from *Attachment) (Attachment, error) {
	name = baseName(name)
	if err := checkText("file name", name, maxFileName, true); err != nil {
		return Attachment{}, err
	}
	if !slices.Contains(AttachmentKinds, kind) {
		return Attachment{}, Invalid("kind", "is not one of the attachment kinds")
	}
	if size > MaxAttachmentSize {
		return Attachment{}, tooLarge()
	}
	now := r.now()
	a := attachmentRecord{Attachment: Attachment{ID: NewID(), Name: name, Kind: kind, Added: now, AddedBy: r.whoNow()}}
	caseFor := writableCase
	if from != nil {
		a.ID, a.Added, a.AddedBy = from.ID, from.Added, from.AddedBy
		caseFor = getCase
	}

	in := io.LimitReader(src, MaxAttachmentSize+1)
	fileHash := sha256.New()
	buf := make([]byte, chunksPerUpdate*attachmentChunkSize)
	defer clear(buf)

	// readBatch fills buf with up to chunksPerUpdate chunks; done is true at the end.
	readBatch := func() (chunks [][]byte, done bool, err error) {
		for i := 0; i < chunksPerUpdate; i++ {
			c := buf[i*attachmentChunkSize : (i+1)*attachmentChunkSize]
			n, err := io.ReadFull(in, c)
			if n > 0 {
				chunks = append(chunks, c[:n])
				a.Size += int64(n)
				if a.Size > MaxAttachmentSize {
					return nil, true, tooLarge()
				}
				fileHash.Write(c[:n])
				sum := sha256.Sum256(c[:n])
				a.ChunkSHA256 = append(a.ChunkSHA256, sum[:])
			}
			switch {
			case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
				return chunks, true, nil
			case err != nil:
				return nil, true, Invalid("file", "could not be read to the end")
			}
		}
		return chunks, false, nil
	}
	putChunks := func(t Tx, first int, chunks [][]byte) error {
		for i, c := range chunks {
			if err := t.Put(chunkKey(caseID, a.ID, first+i), c); err != nil {
				return err
			}
		}
		return nil
	}
	finish := func() error {
		if size >= 0 && a.Size != size {
			return Invalid("file", "changed size while it was being added")
		}
		a.SHA256 = hex.EncodeToString(fileHash.Sum(nil))
		a.Chunks = len(a.ChunkSHA256)
		a.Pending, a.Started = false, time.Time{}
		return nil
	}

	chunks, done, err := readBatch()
	if err != nil {
		return Attachment{}, err
	}
	var head []byte
	if len(chunks) > 0 {
		head = chunks[0][:min(512, len(chunks[0]))]
	}
	if looksLikeMedia(name, head) {
		return Attachment{}, &FieldError{Field: "file",
			Reason: "looks like an image, a video or a sound recording, which Casenotes does not store: " +
				"keep it in your agency's evidence system and add an evidence reference instead",
			Err: ErrMediaNotStored}
	}
	a.ContentType = http.DetectContentType(head)

	if done { // the whole file fits in one transaction
		if err := finish(); err != nil {
			return Attachment{}, err
		}
		err := r.update(func(t Tx) error {
			if _, err := caseFor(t, caseID); err != nil {
				return err
			}
			logEvent(t, AuditEvent{Action: ActAttachmentAdded, Case: caseID, Object: a.ID})
			if err := putChunks(t, 0, chunks); err != nil {
				return err
			}
			return putJSON(t, attachmentKey(caseID, a.ID), &a)
		})
		if err != nil {
			return Attachment{}, err
		}
		return a.Attachment, nil
	}

	// Staged: a pending marker first, then the chunks batch by batch, then the
	// finished metadata. Any failure removes what was written.
	a.Pending, a.Started = true, now
	// Each staged transaction is logged as part of the attachment (reason "part"),
	// the finished one as the attachment added.
	part := AuditEvent{Action: ActAttachmentAdded, Case: caseID, Object: a.ID, Reason: "part"}
	err = r.update(func(t Tx) error {
		if _, err := caseFor(t, caseID); err != nil {
			return err
		}
		logEvent(t, part)
		if err := putJSON(t, attachmentKey(caseID, a.ID), &a); err != nil {
			return err
		}
		return putChunks(t, 0, chunks)
	})
	if err != nil {
		return Attachment{}, err
	}
	written := len(chunks)
	for err == nil && !done {
		chunks, done, err = readBatch()
		if err == nil && len(chunks) > 0 {
			err = r.update(func(t Tx) error { logEvent(t, part); return putChunks(t, written, chunks) })
			if err == nil {
				written += len(chunks)
			}
		}
	}
	if err == nil {
		err = finish()
	}
	if err == nil {
		err = r.update(func(t Tx) error {
			logEvent(t, AuditEvent{Action: ActAttachmentAdded, Case: caseID, Object: a.ID})
			return putJSON(t, attachmentKey(caseID, a.ID), &a)
		})
	}
	if err != nil {
		// Best effort: if this fails too, RemoveUnfinishedAttachments clears it later.
		_ = r.update(func(t Tx) error {
			logEvent(t, AuditEvent{Action: ActAttachmentAdded, Case: caseID, Object: a.ID, Outcome: OutcomeFailed})
			return removeAttachment(t, caseID, a.ID)
		})
		return Attachment{}, err
	}
	return a.Attachment, nil
}

// removeAttachment deletes an attachment's chunks (found by key, nothing unsealed)
// and its metadata.
func removeAttachment(t Tx, c, id ID) error {
	var keys []Key
	err := t.ScanKeys(RecChunk, c, func(k Key) error {
		if k.ID == id {
			keys = append(keys, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.Delete(k); err != nil {
			return err
		}
	}
	return t.Delete(attachmentKey(c, id))
}

// Attachments lists a case's finished attachments, oldest first.
func (r *Records) Attachments(caseID ID) ([]Attachment, error) {
	var out []Attachment
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return scanJSON(t, RecAttachment, caseID, func(k Key, a *attachmentRecord) error {
			if k.Order == attachmentOrder && !a.Pending {
				out = append(out, a.Attachment)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Added.Before(out[j].Added) })
	return out, err
}

// OpenAttachment returns a reader of an attachment's bytes. Each chunk is checked
// against the SHA-256 recorded for it before any of its bytes are returned, and the
// whole file against its SHA-256 at the end; a mismatch, a missing chunk or a chunk
// that fails authentication ends the read with ErrIntegrity. Callers must treat any
// error from Read (not only from OpenAttachment) as "do not use this file".
func (r *Records) OpenAttachment(caseID, id ID) (io.ReadCloser, error) {
	var a attachmentRecord
	err := r.view(func(t Tx) error {
		if _, err := getCase(t, caseID); err != nil {
			return err
		}
		return getJSON(t, attachmentKey(caseID, id), &a)
	})
	if isNotFound(err) || (err == nil && a.Pending) {
		return nil, fmt.Errorf("attachment: %w", ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	want, err := hex.DecodeString(a.SHA256)
	if err != nil || len(want) != sha256.Size || len(a.ChunkSHA256) != a.Chunks ||
		a.Size < 0 || a.Size > int64(a.Chunks)*attachmentChunkSize {
		return nil, fmt.Errorf("attachment metadata: %w", ErrIntegrity)
	}
	if err := r.logOnly(AuditEvent{Action: ActAttachmentOpened, Case: caseID, Object: id}); err != nil {
		return nil, err
	}
	return &attachmentReader{path: r.path, c: caseID, a: a, want: want, hash: sha256.New()}, nil
}

// AttachmentSaved records in the audit trail that a copy of an attachment was saved
// out of the vault (the desktop app's Save, after the file is written).
func (r *Records) AttachmentSaved(caseID, id ID) error {
	return r.logOnly(AuditEvent{Action: ActAttachmentSaved, Case: caseID, Object: id})
}

// attachmentReader streams an attachment chunk by chunk, one short read
// transaction per chunk, so a large file never holds a transaction open.
type attachmentReader struct {
	path *commitPath
	c    ID
	a    attachmentRecord
	want []byte
	hash hash.Hash
	next int    // next chunk to load
	buf  []byte // unread plaintext of the current chunk
	read int64
	err  error
}

func (ar *attachmentReader) Read(p []byte) (int, error) {
	if ar.err != nil {
		return 0, ar.err
	}
	for len(ar.buf) == 0 {
		if ar.next == ar.a.Chunks {
			ar.err = ar.end()
			return 0, ar.err
		}
		if err := ar.load(); err != nil {
			ar.err = err
			return 0, err
		}
	}
	n := copy(p, ar.buf)
	ar.buf = ar.buf[n:]
	return n, nil
}

func (ar *attachmentReader) load() error {
	var chunk []byte
	err := ar.path.view(func(t Tx) error {
		var err error
		chunk, err = t.Get(chunkKey(ar.c, ar.a.ID, ar.next))
		return err
	})
	switch {
	case isNotFound(err):
		return fmt.Errorf("attachment chunk missing: %w", ErrIntegrity)
	case err != nil:
		return err
	}
	sum := sha256.Sum256(chunk)
	last := ar.next == ar.a.Chunks-1
	if subtle.ConstantTimeCompare(sum[:], ar.a.ChunkSHA256[ar.next]) != 1 ||
		(!last && len(chunk) != attachmentChunkSize) || len(chunk) == 0 {
		clear(chunk)
		return fmt.Errorf("attachment chunk: %w", ErrIntegrity)
	}
	ar.hash.Write(chunk)
	ar.read += int64(len(chunk))
	ar.buf = chunk
	ar.next++
	return nil
}

// end checks the whole file once every chunk has been read.
func (ar *attachmentReader) end() error {
	if ar.read != ar.a.Size || subtle.ConstantTimeCompare(ar.hash.Sum(nil), ar.want) != 1 {
		return fmt.Errorf("attachment: %w", ErrIntegrity)
	}
	return io.EOF
}

// Close drops the plaintext still buffered.
func (ar *attachmentReader) Close() error {
	clear(ar.buf)
	ar.buf = nil
	if ar.err == nil {
		ar.err = errors.New("attachment reader closed")
	}
	return nil
}

// DeleteAttachment removes an attachment and all its chunks. Attachments are
// working copies (like drafts), not part of the written record, so they may go.
func (r *Records) DeleteAttachment(caseID, id ID) error {
	return r.update(func(t Tx) error {
		logEvent(t, AuditEvent{Action: ActAttachmentDeleted, Case: caseID, Object: id})
		if _, err := writableCase(t, caseID); err != nil {
			return err
		}
		if _, err := t.Get(attachmentKey(caseID, id)); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("attachment: %w", ErrNotFound)
			}
			return err
		}
		return removeAttachment(t, caseID, id)
	})
}

// unfinishedAge is how old a pending attachment must be before it is treated as
// abandoned (a crash or a failed clean-up) rather than one still being written.
const unfinishedAge = time.Hour

// RemoveUnfinishedAttachments deletes attachments left pending for over an hour by
// a crash or a failed write, across all cases, and says how many it removed. Run it
// after unlocking.
func (r *Records) RemoveUnfinishedAttachments() (int, error) {
	type stale struct{ c, id ID }
	var found []stale
	cutoff := r.now().Add(-unfinishedAge)
	err := r.view(func(t Tx) error {
		return scanJSON(t, RecAttachment, ID{}, func(k Key, a *attachmentRecord) error {
			if k.Order == attachmentOrder && a.Pending && a.Started.Before(cutoff) {
				found = append(found, stale{k.Case, k.ID})
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	for i, s := range found {
		err := r.update(func(t Tx) error {
			logEvent(t, AuditEvent{Action: ActAttachmentDeleted, Case: s.c, Object: s.id, Reason: "unfinished"})
			return removeAttachment(t, s.c, s.id)
		})
		if err != nil {
			return i, err
		}
	}
	return len(found), nil
}
