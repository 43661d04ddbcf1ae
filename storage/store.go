// Package storage is the Badger adapter behind app's store interfaces. Badger keeps
// the files encrypted at rest, but its encryption is not authenticated and its backup
// stream is plaintext, so every value is also sealed here with AES-256-GCM and the
// record's full key as associated data.
package storage

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"casenotes/app"
	"casenotes/crypto"
)

// valueThreshold is the sealed size from which Badger keeps a value in its value
// log instead of its tree (see Open).
const valueThreshold = 640

// maxInMemoryValue is Badger's largest value threshold, the most an in-memory
// store keeps (see Open).
const maxInMemoryValue = 1 << 20

// Options tune a store. The zero value is the production setting.
type Options struct {
	// MinFreeBytes is the free disk space below which writes are refused. Badger
	// has crashed on full disks in the field, so it is checked before writing.
	MinFreeBytes uint64
	// GCInterval is how often value-log garbage collection runs.
	GCInterval time.Duration
	// InMemory keeps the store in memory (fast unit tests only).
	InMemory bool

	// keyRotation is how long Badger uses one data key before it makes the next
	// (keyRotation below; tests shorten it).
	keyRotation time.Duration
	// small shrinks Badger's memtable, tables and levels, so that a test writing
	// megabytes sees what a vault of gigabytes does (several levels, compactions).
	small bool
}

// keyRotation is how long Badger encrypts new tables and value logs with one data
// key before it makes a new one, sealed under the store's at-rest key.
const keyRotation = 7 * 24 * time.Hour

// DefaultMinFreeBytes is the free-space safety margin for writes.
const DefaultMinFreeBytes = 64 << 20

// Store is an open, unlocked record store.
type Store struct {
	db      *badger.DB
	dir     string
	records *crypto.Sealer // seals vault-level records and wraps case keys
	minFree uint64

	mu    sync.RWMutex
	cases map[app.ID]*crypto.Sealer // unwrapped case data keys
	// shreds are the cases whose key is gone and whose records are still being
	// deleted (shred.go), under mu; shredding counts them, so that reads check
	// nothing while there are none. shredMu lets one finishShreds run at a time.
	shreds    map[app.ID]bool
	shredding atomic.Int32
	shredMu   sync.Mutex

	stop chan struct{}
	wg   sync.WaitGroup

	// checkedKey keys the list of checked tables written at a clean close
	// (tables_checked.go); nil for a store in memory.
	checkedKey []byte
	// atRest is the key Badger encrypts with, which it holds (not a copy) until it
	// closes; Close zeroes it then.
	atRest []byte
	// opts are the options Badger was opened with (settle opens it again).
	opts badger.Options
	// written counts the bytes of the values this session put (transactions,
	// batches, a restore): a bulk load's close settles the store (settle).
	written atomic.Int64
}

// bulkWritten is how much a session writes, at least, for its close to settle the
// store: one memtable's worth. A session that changes a few cases writes kilobytes;
// a bulk load (a seed, an import, a restore) hundreds of megabytes.
const bulkWritten = 16 << 20

// settleLimit bounds how long a bulk load's close waits for the compactions it left.
const settleLimit = 2 * time.Minute

// settleMemory is the soft memory limit while the store settles, and
// settleMappedSlack how far its mapped pages grow before they are handed back
// (settle).
const (
	settleMemory      = 256 << 20
	settleMappedSlack = 32 << 20
)

// settle opens Badger again after a bulk load's close and waits, up to settleLimit,
// until its compactors have brought every level under its target size, then closes
// it.
//
// The bulk load's close merges its level-0 tables into the base level (82 MB in 5
// tables after a 10,000-case seed), which leaves the base level three times its
// target (196 of 64 MB, the next open's level scores). Left there, the next user's
// session paid for it: its compactors rewrote those tables while the dashboard and
// the case list loaded, and the UI's ticks were posted late (225 ms at 50,000 cases,
// docs/PERFORMANCE.md, "A bulk load's close settles the store"). Here the load pays,
// once, with nothing on screen waiting for it. A clean close records its tables as
// checked, so this open reads no table twice; and it replays no log.
func (s *Store) settle() error {
	// What the closed Badger held (its memtables, its caches, the load's garbage)
	// is collected first, so that the two are not in memory at once.
	runtime.GC()
	debug.FreeOSMemory()
	// Its compactions keep their table builders live (16 MiB each, up to a dozen
	// at a time: 160-220 MiB at 50,000 cases) and little else. Without a limit the
	// collector let the heap grow to twice that, and after a 50,000-case seed the
	// settling was where the process peaked (567 MB resident against 479 MB for the
	// seed without it); under this limit the collector took 4-5% of the CPU
	// (docs/PERFORMANCE.md, "A derivation's memory and the settling's"). A lower limit the user or
	// the process set (GOMEMLIMIT) is kept.
	if prev := debug.SetMemoryLimit(-1); prev > settleMemory {
		debug.SetMemoryLimit(settleMemory)
		defer debug.SetMemoryLimit(prev)
	}
	// It reads nothing but what its compactions read, and writes nothing: small
	// caches and memtable.
	db, err := badger.Open(s.opts.WithBlockCacheSize(8 << 20).WithIndexCacheSize(16 << 20).WithMemTableSize(1 << 20))
	if err != nil {
		return openError(err)
	}
	// The tables it reads and writes are mapped into memory, and every page it
	// touched stayed counted in the process's memory: the mapped pages are handed
	// back once they have grown by settleMappedSlack, as a bulk load's are.
	base, known := s.MappedResident()
	deadline := time.Now().Add(settleLimit)
	for time.Now().Before(deadline) && !settled(db.Levels()) {
		time.Sleep(100 * time.Millisecond)
		if now, ok := s.MappedResident(); !known || !ok || now >= base+settleMappedSlack {
			s.ReleaseMappedPages()
		}
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("%w: closing the store: %v", app.ErrStore, err)
	}
	return nil
}

// settled reports whether every level between level 0 and the last is under its
// target size, counting the tables a compaction is rewriting: Badger's own score
// leaves those out, so a compaction under way would look settled while its output
// was still to land on the level below (a level above the base level has a target
// of zero, and must be empty).
func settled(levels []badger.LevelInfo) bool {
	for _, l := range levels[:max(len(levels)-1, 0)] {
		if l.Level > 0 && l.Size > 0 && l.Size >= l.TargetSize {
			return false
		}
	}
	return true
}

var _ app.Store = (*Store)(nil)

// Open opens (or creates) the Badger store in dir with the two keys a store needs
// (app.StoreKeys: it never sees the vault key) and starts value-log GC. It keeps no
// reference to the key slices; the caller zeroes them. Migrations of the records
// are the app's (app/migrate.go).
func Open(dir string, keys app.StoreKeys, o Options) (s *Store, err error) {
	defer guard(&err)
	if len(keys.AtRest) != crypto.KeySize || len(keys.Records) != crypto.KeySize {
		return nil, fmt.Errorf("%w: store keys missing", app.ErrStore)
	}
	// Badger keeps this slice, not a copy, and needs it for as long as the store is
	// open: once its newest data key is older than keyRotation it makes another for
	// the next table or value log and seals it under this key. Zeroed here after the
	// open, the new data key was sealed under zeros, and the next open found the
	// tables written with it unreadable (TestDataKeyRotationKeepsTheVaultReadable).
	// The store zeroes it when Badger has closed, or here when the open fails.
	badgerKey := bytes.Clone(keys.AtRest)
	defer func() {
		if s == nil {
			crypto.Zero(badgerKey)
		}
	}()
	records, err := crypto.NewSealer(keys.Records)
	if err != nil {
		return nil, err
	}
	if o.MinFreeBytes == 0 {
		o.MinFreeBytes = DefaultMinFreeBytes
	}
	if o.GCInterval == 0 {
		o.GCInterval = 10 * time.Minute
	}
	path := dir
	if o.InMemory {
		path = ""
	}
	bo := badger.DefaultOptions(path).
		WithInMemory(o.InMemory).
		WithEncryptionKey(badgerKey).
		WithEncryptionKeyRotationDuration(cmp.Or(o.keyRotation, keyRotation)).
		// Table blocks of 16 KiB, not Badger's 4 KiB: a table's index holds a key
		// and an offset per block, and with encryption Badger decrypts every
		// table's index at open and again whenever the index cache (32 MiB) has
		// let it go. At 50,000 cases (25 notes a case) the 4 KiB tables' indexes
		// outgrew that cache: the store's open took 0.59-0.74 s against 0.20-0.23 s
		// with 16 KiB blocks (the same seed's vaults, alternated four times, quiet),
		// and indexes decrypted again were 8.7% of the CPU of the UI benchmark's
		// walks. Seeding 50,000 cases peaked at 450 MB (423-468 MB with 4 KiB); the
		// five-file import of 10,000 cases and the 10,000-case screen reads took
		// the same time (docs/PERFORMANCE.md, "The lock's release, deletion in
		// stages, 16 KiB table blocks"). Existing vaults open as they are: their
		// tables take the new size as compactions rewrite them.
		WithBlockSize(16 << 10).
		WithBlockCacheSize(64 << 20).
		WithIndexCacheSize(32 << 20).
		WithSyncWrites(true).
		// Two memtables (the one written and one being flushed), not three, of 16
		// MiB each: each is an arena on the Go heap, a bulk load keeps them full,
		// and a flush builds its table in buffers that grow by doubling. Seeding
		// 50,000 cases peaked at 434 MB against 530 MB with 32 MiB memtables, and
		// the UI at 10,000 cases stalled no longer (docs/PERFORMANCE.md, "The
		// seed's peak"). Badger refuses a transaction above 15% of the memtable
		// (2.5 MB) or with more entries than that over 96 bytes (26,214): the
		// least the app counts on is app.MaxTxEntries and app.MaxTxBytes.
		WithMemTableSize(16 << 20).
		WithNumMemtables(2).
		WithValueLogFileSize(128 << 20).
		WithCompression(options.None). // sealed values are random bytes
		// Badger checks its block and value checksums only when asked: a flipped
		// byte in a table then reads as damage instead of as a different record.
		// (Not OnTableAndBlockRead: Badger's whole-table check at open dereferences a
		// nil block on the first bad one and ends the process; verifyTables checks
		// every block before Badger opens the store instead.)
		WithChecksumVerificationMode(options.OnBlockRead).
		WithVerifyValueChecksum(true).
		WithNumCompactors(2).
		// Compaction was the part of an import that grew with the vault (the
		// fifth 2,000-case file took twice the CPU of the first, the difference
		// all compaction): record ids are random, so every level-0 table spans
		// the whole key range and each level-0 compaction rewrites the whole base
		// level. Ten level-0 tables (stall at 20) merge twice the data per rewrite
		// (importing 10,000 cases in five files, one run each at load 5-7: 61 s of
		// CPU against 80 s, the last file 1.25x the first against 2.67x), with a
		// 64 MiB base level. Tables of 4 MiB, not 8: a table is built in an arena
		// twice its size, grown by doubling and pooled at what it grew to, and up to
		// a dozen are built at once; those arenas were most of the live heap at a
		// bulk load's high. The scale table at both sizes, 4 MiB against 8 MiB: the
		// 10,000-case seed peaked at 355 MB against 416 MB (for a quarter more CPU),
		// every other row held (the import 1.2x and 1.3x SQLite at 10,000 and 50,000
		// cases); at 50,000 the seed's largest anonymous memory 305 MB against 339-362
		// (docs/PERFORMANCE.md, "Table size at the scale table's two sizes"). A store
		// setting: existing vaults' tables take the new size as compactions rewrite them.
		WithNumLevelZeroTables(10).
		WithNumLevelZeroTablesStall(20).
		WithBaseTableSize(4 << 20).
		WithBaseLevelSize(64 << 20).
		// Values of 640 bytes and more (sealed) go to the value log, and the tree
		// keeps a pointer to them. Notes, addenda, case digests, checklist bases
		// and attachment chunks are read a case at a time; in the tree every
		// compaction copied them again, and each memtable flush built them twice
		// (plain and encrypted) in buffers that grow by doubling. The entries the
		// screens scan across the vault stay in the tree: the case list's (about
		// 450-520 bytes sealed in a seeded vault), the task, number and audit
		// indexes (70-270 bytes). Importing 10,000 cases (five files): 24 s of CPU
		// and a 580 MB peak, against 35 s and 1.2 GB with every value in the tree;
		// with a threshold of 1,024 bytes (notes only half out), 29 s and 720 MB
		// (docs/PERFORMANCE.md, "Scale"). Existing vaults need nothing: Badger
		// reads each entry as it was written.
		WithValueThreshold(valueThreshold).
		// At its close the store merges level 0 into the base level, after the
		// compactors stop and the last memtable is flushed. A bulk load left its
		// level-0 tables (82 MB in 5 tables after a 10,000-case seed, each spanning
		// every record type) for a later user's fifth unlock to merge with the whole
		// base level, while the screens load. Merged at the load's own close
		// instead, fresh 10,000-case seeds, alternated: the seed's peak 376 and 372
		// MB against 523 and 563 MB, for the same CPU; the lock's stall after a seed
		// (seven pairs) median 38 against 115 ms, and Lock to closed 0.8 against 2.2
		// s. An ordinary session's level-0 table holds only the audit log's records
		// (0x2A-0x2C, schema 12), so its merge at the lock rewrites the one base-level
		// table that holds the log's newest records (docs/PERFORMANCE.md, "The audit
		// log's state after its entries").
		WithCompactL0OnClose(true).
		WithLogger(quietLogger{})
	// Every level's tables the base level's size (4 MiB), not twice the size of the
	// level above. A compaction builds up to a dozen tables at once, each in a
	// buffer twice its table's size, and at 50,000 cases the last level's 32 MiB
	// tables made those buffers the seed's peak. Seeding 50,000 cases (two at a
	// time, load 3-8): 632 MB peak and 954 s of CPU against 803 MB and 1,140 s; at
	// 10,000 cases the seed and the five-file import were the same either way
	// (docs/PERFORMANCE.md, "Scale"). A store setting: existing vaults open as
	// they are, and their larger tables go as compactions rewrite them.
	bo.TableSizeMultiplier = 1
	if o.small {
		bo = bo.WithMemTableSize(1 << 20).WithBaseTableSize(256 << 10).WithBaseLevelSize(2 << 20)
	}
	if o.InMemory {
		// An in-memory store has no value log: Badger must keep every value in its
		// tree, and crashes writing one it would have sent to the log. Its largest
		// threshold keeps all values under 1 MiB in the tree (tests and benchmarks
		// only; the largest records, attachment chunks, are 256 KiB).
		bo = bo.WithValueThreshold(maxInMemoryValue)
	} else if err := verifyTables(dir, badgerKey); err != nil {
		return nil, err
	}
	db, err := badger.Open(bo)
	if err != nil {
		return nil, openError(err)
	}
	s = &Store{db: db, dir: dir, records: records, minFree: o.MinFreeBytes, atRest: badgerKey, opts: bo,
		cases: map[app.ID]*crypto.Sealer{}, shreds: map[app.ID]bool{}, stop: make(chan struct{})}
	// A case's deletion cut short after its key went: its records are deleted
	// now. Until they are, reads skip them; what fails here is tried again at the
	// next open.
	if err := s.loadShreds(); err != nil {
		_ = db.Close()
		return nil, err // s is nil: the key is zeroed
	}
	_ = s.finishShreds()
	if !o.InMemory {
		s.checkedKey = checkedKey(badgerKey)
		s.wg.Add(1)
		go s.collectGarbage(o.GCInterval)
	}
	return s, nil
}

// openError maps Badger's open failures to the app's sentinels. The vault's header
// has already authenticated the keys, so a store that will not open with them is
// damaged, unless the operating system refused (permissions, a full disk).
func openError(err error) error {
	var pe *fs.PathError
	switch {
	case strings.Contains(err.Error(), "Cannot acquire directory lock"):
		return app.ErrVaultInUse
	case errors.Is(err, badger.ErrEncryptionKeyMismatch):
		return fmt.Errorf("store key does not match: %w", app.ErrIntegrity)
	case errors.Is(err, fs.ErrPermission), errors.As(err, &pe) && errors.Is(pe.Err, syscall.ENOSPC):
		return fmt.Errorf("%w: opening the store: %v", app.ErrStore, err)
	default:
		return fmt.Errorf("the store's files are damaged: %w", app.ErrIntegrity)
	}
}

// Close stops garbage collection, then closes Badger and drops cached keys.
func (s *Store) Close() (err error) {
	defer guard(&err)
	close(s.stop)
	s.wg.Wait()
	s.mu.Lock()
	clear(s.cases)
	s.records = nil // drop the key schedule even if something still holds the store
	s.mu.Unlock()
	defer crypto.Zero(s.checkedKey)
	defer crypto.Zero(s.atRest) // after Badger's close, which may still seal a data key
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("%w: closing the store: %v", app.ErrStore, err)
	}
	if s.checkedKey == nil {
		return nil // in memory: nothing to settle
	}
	if s.written.Load() >= bulkWritten {
		// The store is closed and whole: settling only saves the next session
		// work, so a failure of it is not the lock's (what it left is compacted
		// then). The list of checked files is written after it: a settling cut
		// short (a crash, a failure) leaves none, as any session that does not
		// close cleanly does, since its Badger reopened the value log for writing.
		if s.settle() != nil {
			return nil
		}
	}
	writeChecked(s.dir, s.checkedKey)
	return nil
}

// collectGarbage reclaims value-log space on a ticker until the store closes.
func (s *Store) collectGarbage(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			for {
				select {
				case <-s.stop:
					return
				default:
				}
				if s.db.RunValueLogGC(0.5) != nil {
					break
				}
			}
		}
	}
}

// View runs fn in a read-only snapshot.
func (s *Store) View(fn func(app.Tx) error) (err error) {
	defer guard(&err)
	return s.db.View(func(txn *badger.Txn) error {
		return fn(&tx{s: s, txn: txn})
	})
}

// Update runs fn in one atomic, synced transaction.
func (s *Store) Update(fn func(app.Tx) error) (err error) {
	defer guard(&err)
	if err := s.checkSpace(); err != nil {
		return err
	}
	t := &tx{s: s, write: true}
	err = s.db.Update(func(txn *badger.Txn) error {
		t.txn = txn
		return fn(t)
	})
	if err != nil {
		for _, c := range t.staged {
			s.unmarkShred(c)
		}
	}
	if errors.Is(err, badger.ErrTxnTooBig) {
		return fmt.Errorf("%w: too much to save at once", app.ErrStore)
	}
	if errors.Is(err, badger.ErrConflict) {
		return app.ErrConflict
	}
	if err != nil {
		return err
	}
	t.committed()
	if len(t.staged) > 0 {
		// The shredded cases' keys are gone and committed: the deletion holds.
		// What is left of their records is deleted now; a failure leaves it,
		// skipped by reads, for the next open.
		_ = s.finishShreds()
	}
	return nil
}

// Load writes many records in batches (not atomic), for demo data and restores.
// The keys of the cases it creates are not cached: a later read unwraps each again.
func (s *Store) Load(fn func(app.Writer) error) (err error) {
	defer guard(&err)
	if err := s.checkSpace(); err != nil {
		return err
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	w := &batch{s: s, wb: wb, pending: map[app.ID]*crypto.Sealer{}}
	if err := fn(w); err != nil {
		return err
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("%w: writing: %v", app.ErrStore, err)
	}
	return nil
}

// checkSpace refuses a write when the disk is nearly full.
func (s *Store) checkSpace() error {
	if s.dir == "" {
		return nil
	}
	free, err := freeBytes(s.dir)
	if err != nil {
		return nil // an unknown file system: let Badger report real failures
	}
	if free < s.minFree {
		return app.ErrDiskFull
	}
	return nil
}

// guard turns a panic inside Badger (or our own code on bad data) into ErrStore,
// so the app reports it instead of crashing. The panic value is not logged: it
// could in principle carry record bytes.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: internal failure in the store", app.ErrStore)
	}
}

// quietLogger keeps Badger's errors and warnings (file names, never values) and
// drops its chatty info and debug lines.
type quietLogger struct{}

func (quietLogger) Errorf(f string, a ...any)   { log.Printf("store error: "+f, a...) }
func (quietLogger) Warningf(f string, a ...any) { log.Printf("store warning: "+f, a...) }
func (quietLogger) Infof(string, ...any)        {}
func (quietLogger) Debugf(string, ...any)       {}
