package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/fb"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/badger/v4/y"
	"github.com/dgraph-io/ristretto/v2"
	"github.com/dgraph-io/ristretto/v2/z"
	"google.golang.org/protobuf/proto"

	"casenotes/app"
)

// checkTableFooter reads a table's footer before anything parses it: the lengths of
// the index and of its checksum, in bounds, and the index's checksum. Badger reads
// these in goroutines of its own and panics, ending the process, when a damaged
// footer points outside the file; checked here, the same damage is one ErrIntegrity
// instead. Only the tables the MANIFEST lists are checked (verifyTables): a table a
// crash left half-written is not in it, and Badger deletes it at open.
func checkTableFooter(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	read := func(at, n int64) ([]byte, error) {
		if at < 0 || n < 0 || at+n > size {
			return nil, fmt.Errorf("footer points outside the file")
		}
		b := make([]byte, n)
		_, err := f.ReadAt(b, at)
		return b, err
	}
	pos := size - 4
	b, err := read(pos, 4)
	if err != nil {
		return err
	}
	checksumLen := int64(binary.BigEndian.Uint32(b))
	pos -= checksumLen
	sumBytes, err := read(pos, checksumLen)
	if err != nil {
		return err
	}
	var sum pb.Checksum
	if err := proto.Unmarshal(sumBytes, &sum); err != nil {
		return fmt.Errorf("index checksum unreadable")
	}
	pos -= 4
	if b, err = read(pos, 4); err != nil {
		return err
	}
	indexLen := int64(binary.BigEndian.Uint32(b))
	pos -= indexLen
	index, err := read(pos, indexLen)
	if err != nil {
		return err
	}
	if err := y.VerifyChecksum(index, &sum); err != nil {
		return fmt.Errorf("index checksum mismatch")
	}
	return nil
}

// verifyTables reads and checks every block of every table the manifest names,
// before Badger opens the store, but for the tables a clean close recorded and whose
// files have not changed since (tables_checked.go); and after a clean close, the
// newest value log (valuelog.go). Badger reads a table's first and last blocks at
// open in goroutines of its own, parses a block's entry list before checking its
// checksum, and drops a table whose block fails the check from the store without
// an error; damage there would end the process or quietly lose records. Checked here
// in the caller's goroutine, every such damage is one ErrIntegrity, and a store that
// opens has tables whose every block matches its checksum.
func verifyTables(dir string, key []byte) (err error) {
	fp, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if errors.Is(err, fs.ErrNotExist) {
		forgetChecked(dir)
		return nil // a new store: Badger creates the manifest
	}
	if err != nil {
		return fmt.Errorf("%w: reading the store's table list: %v", app.ErrStore, err)
	}
	manifest, _, err := badger.ReplayManifestFile(fp, 0, badger.DefaultOptions(dir).WithLogger(quietLogger{}))
	fp.Close()
	if err != nil {
		return fmt.Errorf("the store's table list is damaged: %w", app.ErrIntegrity)
	}
	registry, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{
		Dir: dir, ReadOnly: true, EncryptionKey: key,
		EncryptionKeyRotationDuration: 7 * 24 * time.Hour,
	})
	if err != nil {
		return fmt.Errorf("the store's key list is damaged: %w", app.ErrIntegrity)
	}
	defer registry.Close()
	indexes, err := ristretto.NewCache(&ristretto.Config[uint64, *fb.TableIndex]{
		NumCounters: 1 << 12, MaxCost: 32 << 20, BufferItems: 64,
	})
	if err != nil {
		return fmt.Errorf("%w: %v", app.ErrStore, err)
	}
	defer indexes.Close()
	checked, clean := readChecked(dir, checkedKey(key))
	if err := verifyValueLog(dir, registry, checked, clean); err != nil {
		return err
	}
	ids := make([]uint64, 0, len(manifest.Tables))
	for id := range manifest.Tables {
		if !unchanged(checked, id, table.NewFilename(id, dir)) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	// Tables are independent files: check them on every core, the first damage found
	// (in table order) is the one reported.
	errs := make([]error, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(ids))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				tm := manifest.Tables[ids[i]]
				name := table.NewFilename(ids[i], dir)
				if err := checkTableFooter(name); err != nil {
					errs[i] = fmt.Errorf("table %s: %v: %w", filepath.Base(name), err, app.ErrIntegrity)
					continue
				}
				dataKey, err := registry.DataKey(tm.KeyID)
				if err != nil {
					errs[i] = fmt.Errorf("table %s: its key is missing: %w", filepath.Base(name), app.ErrIntegrity)
					continue
				}
				opts := table.Options{ChkMode: options.NoVerification, Compression: tm.Compression,
					DataKey: dataKey, IndexCache: indexes}
				if err := verifyTable(name, opts); err != nil {
					errs[i] = fmt.Errorf("table %s: %v: %w", filepath.Base(name), err, app.ErrIntegrity)
				}
			}
		}()
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	forgetChecked(dir)
	return nil
}

// verifyTable opens one table read-only and checks every block's checksum. Badger's
// block parser indexes into what it decrypted before the checksum is checked, so a
// damaged block can panic; that is recovered here and reported as damage.
func verifyTable(name string, opts table.Options) (err error) {
	mf, err := z.OpenMmapFile(name, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("missing")
	}
	if err != nil {
		return err
	}
	var t *table.Table
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("a block is damaged")
		}
		if t != nil {
			t.Close(-1)
		} else {
			mf.Close(-1)
		}
	}()
	// With NoVerification, OpenTable closes the file only on errors it cannot reach
	// here (a bad name, a failed stat), so the deferred close is the only one.
	if t, err = table.OpenTable(mf, opts); err != nil {
		t = nil
		return errors.New("its index is damaged")
	}
	// Every block read asks the index cache for the table's index and, on a miss,
	// decrypts the whole index again; the cache takes a new entry asynchronously.
	// Read the index once (StaleDataSize reads it through the cache) and wait for
	// the cache to hold it, so the blocks below find it.
	t.StaleDataSize()
	opts.IndexCache.Wait()
	defer opts.IndexCache.Del(t.ID()) // checked once: the next table needs the room
	if err := t.VerifyChecksum(); err != nil {
		return errors.New("a block is damaged")
	}
	return nil
}
