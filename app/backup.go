package app

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"casenotes/crypto"
)

// Backup file format (casenotes-backup/1), one file, encrypted and authenticated:
//
//	magic "CASENOTES-BACKUP\n" | version byte
//	u32 header length | vault header (JSON, the same key slots as vault.json)
//	SHA-256 of the vault header (so a damaged header reads as damage, not as a
//	wrong passphrase)
//	16-byte backup id
//	chunks: u32 length | AES-256-GCM sealed chunk
//
// A chunk's plaintext is a run of records (u16 key length | u32 value length | key |
// sealed value, exactly as the store holds them). Each chunk's associated data binds
// the SHA-256 of everything before the chunks, the chunk's number and whether it is
// the last, so a chunk cannot be altered, moved, dropped, or the file cut short
// unnoticed. The backup key is derived from the vault key, so the same passphrase or
// recovery key that opens the vault opens its backups.
const (
	backupMagic   = "CASENOTES-BACKUP\n"
	backupVersion = 1
	chunkTarget   = 1 << 20  // plaintext bytes per chunk when writing
	maxChunk      = 16 << 20 // bound on a chunk's size when reading
	maxRecordKey  = 256
)

// Backup writes an encrypted backup of the whole vault to w.
func (s *Session) Backup(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrLocked
	}
	// The backup carries the audit trail: log it and checkpoint the log first, so
	// the checkpoint it carries covers its own entry.
	if err := s.logSession(AuditEvent{Action: ActBackup}); err != nil {
		return err
	}
	if _, err := s.Checkpoint(); err != nil {
		return err
	}
	if err := s.Anchor(); err != nil {
		return err
	}
	s.hmu.Lock()
	hb, err := s.header.Marshal()
	s.hmu.Unlock()
	if err != nil {
		return err
	}
	bk, err := s.keys.derive(purposeBackup)
	if err != nil {
		return err
	}
	defer crypto.Zero(bk)
	sealer, err := crypto.NewSealer(bk)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	prefix := backupPrefix(hb, NewID())
	if _, err := bw.Write(prefix); err != nil {
		return fmt.Errorf("%w: writing the backup: %v", ErrStore, err)
	}
	cw := &chunkWriter{w: bw, sealer: sealer, bind: sha256.Sum256(prefix)}
	// Every record is opened and every digest checked as it is written: a damaged
	// vault makes no backup, so damage cannot spread into one unseen.
	var rep CheckReport
	err = s.path.view(func(t Tx) (err error) {
		rep, _, _, _, err = checkStore(t, nil, func(k Key, sealed []byte) error {
			return cw.record(k.Bytes(), sealed)
		})
		return err
	})
	if err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		return fmt.Errorf("the vault is damaged, so no backup was made (run casenotes check): %w", err)
	}
	if err := cw.finish(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("%w: writing the backup: %v", ErrStore, err)
	}
	return nil
}

func backupPrefix(header []byte, id ID) []byte {
	var b bytes.Buffer
	b.WriteString(backupMagic)
	b.WriteByte(backupVersion)
	binary.Write(&b, binary.BigEndian, uint32(len(header)))
	b.Write(header)
	sum := sha256.Sum256(header)
	b.Write(sum[:])
	b.Write(id[:])
	return b.Bytes()
}

func chunkAD(bind [32]byte, n uint64, last bool) []byte {
	ad := make([]byte, 0, 64)
	ad = append(ad, "casenotes-backup/1 chunk"...)
	ad = append(ad, bind[:]...)
	ad = binary.BigEndian.AppendUint64(ad, n)
	if last {
		return append(ad, 1)
	}
	return append(ad, 0)
}

type chunkWriter struct {
	w      io.Writer
	sealer *crypto.Sealer
	bind   [32]byte
	n      uint64
	buf    []byte
}

func (c *chunkWriter) record(key, val []byte) error {
	if len(key) > maxRecordKey || len(val) > maxChunk-1024 {
		return fmt.Errorf("%w: a record is too large to back up", ErrStore)
	}
	if len(c.buf) > 0 && len(c.buf)+6+len(key)+len(val) > chunkTarget {
		if err := c.flush(false); err != nil {
			return err
		}
	}
	c.buf = binary.BigEndian.AppendUint16(c.buf, uint16(len(key)))
	c.buf = binary.BigEndian.AppendUint32(c.buf, uint32(len(val)))
	c.buf = append(c.buf, key...)
	c.buf = append(c.buf, val...)
	return nil
}

func (c *chunkWriter) flush(last bool) error {
	sealed := c.sealer.Seal(nil, c.buf, chunkAD(c.bind, c.n, last))
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(sealed)))
	if _, err := c.w.Write(l[:]); err != nil {
		return fmt.Errorf("%w: writing the backup: %v", ErrStore, err)
	}
	if _, err := c.w.Write(sealed); err != nil {
		return fmt.Errorf("%w: writing the backup: %v", ErrStore, err)
	}
	c.n++
	c.buf = c.buf[:0]
	return nil
}

func (c *chunkWriter) finish() error { return c.flush(true) }

// BackupReader reads a backup file. ReadBackupHeader gives the vault header (to
// unlock); Records then streams the records after checking every chunk.
type BackupReader struct {
	r      *bufio.Reader
	Header *Header
	bind   [32]byte
}

// magicDiff counts the bytes of start that differ from the start of backupMagic.
func magicDiff(start []byte) int {
	n := 0
	for i, b := range start {
		if b != backupMagic[i] {
			n++
		}
	}
	return n
}

// NewBackupReader reads and checks the start of a backup.
func NewBackupReader(r io.Reader) (*BackupReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	bad := func(what string) error { return fmt.Errorf("backup %s: %w", what, ErrIntegrity) }
	magic := make([]byte, len(backupMagic)+1)
	n, err := io.ReadFull(br, magic)
	if differ := magicDiff(magic[:min(n, len(backupMagic))]); differ > 2 {
		return nil, ErrNotBackup // another kind of file altogether
	}
	if err != nil || string(magic[:len(backupMagic)]) != backupMagic {
		return nil, bad("start damaged") // a backup's start, cut short or with a byte or two changed
	}
	if magic[len(backupMagic)] != backupVersion {
		if magic[len(backupMagic)] > backupVersion {
			return nil, ErrTooNew
		}
		return nil, bad("version unknown")
	}
	var hl uint32
	if err := binary.Read(br, binary.BigEndian, &hl); err != nil || hl > maxHeaderSize {
		return nil, bad("header damaged")
	}
	hb := make([]byte, hl)
	if _, err := io.ReadFull(br, hb); err != nil {
		return nil, bad("header damaged")
	}
	var sum [32]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil || sum != sha256.Sum256(hb) {
		return nil, bad("header damaged")
	}
	h, err := ParseHeader(hb)
	if err != nil {
		return nil, err
	}
	var id ID
	if _, err := io.ReadFull(br, id[:]); err != nil {
		return nil, bad("header damaged")
	}
	return &BackupReader{r: br, Header: h, bind: sha256.Sum256(backupPrefix(hb, id))}, nil
}

// Records calls fn for every record in order, checking each chunk before its records
// are handed out. It fails with ErrIntegrity on any change, reorder or truncation.
func (b *BackupReader) Records(keys *Keyring, fn func(key, sealed []byte) error) error {
	bk, err := keys.derive(purposeBackup)
	if err != nil {
		return err
	}
	defer crypto.Zero(bk)
	sealer, err := crypto.NewSealer(bk)
	if err != nil {
		return err
	}
	bad := func(what string) error { return fmt.Errorf("backup %s: %w", what, ErrIntegrity) }
	var buf []byte
	for n := uint64(0); ; n++ {
		var l uint32
		if err := binary.Read(b.r, binary.BigEndian, &l); err != nil {
			return bad("is cut short")
		}
		if l > maxChunk+crypto.SealOverhead || l < crypto.SealOverhead {
			return bad("is damaged")
		}
		if cap(buf) < int(l) {
			buf = make([]byte, l)
		}
		buf = buf[:l]
		if _, err := io.ReadFull(b.r, buf); err != nil {
			return bad("is cut short")
		}
		last := false
		plain, err := sealer.Open(nil, buf, chunkAD(b.bind, n, false))
		if err != nil {
			plain, err = sealer.Open(nil, buf, chunkAD(b.bind, n, true))
			if err != nil {
				return bad("has been altered or damaged")
			}
			last = true
		}
		if err := splitRecords(plain, fn); err != nil {
			return err
		}
		if last {
			if _, err := b.r.ReadByte(); !errors.Is(err, io.EOF) {
				return bad("has data after its end")
			}
			return nil
		}
	}
}

func splitRecords(p []byte, fn func(key, sealed []byte) error) error {
	for len(p) > 0 {
		if len(p) < 6 {
			return fmt.Errorf("backup record damaged: %w", ErrIntegrity)
		}
		kl := int(binary.BigEndian.Uint16(p))
		vl := int(binary.BigEndian.Uint32(p[2:]))
		p = p[6:]
		if kl > maxRecordKey || kl+vl > len(p) || kl+vl < kl {
			return fmt.Errorf("backup record damaged: %w", ErrIntegrity)
		}
		if err := fn(p[:kl:kl], p[kl:kl+vl:kl+vl]); err != nil {
			return err
		}
		p = p[kl+vl:]
	}
	return nil
}
