package app

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"casenotes/crypto"
)

// The commit path is the one way anything is written to an open vault's store.
//
// Every service change, every bulk load (seed, import) and every migration runs as
// a Change through commitPath.update. A Change is the store transaction plus a record
// of what it wrote; before it commits, the derivers bring every record derived from
// those writes up to date in the same transaction, in this order: the case index and
// the task index (derive.go), the vault totals (totals.go), the blind number index
// (numberindex.go), the vault state digest (state.go) and the audit entry (audit.go).
// Code that keeps something in memory in step with the store (the search index)
// hears every commit through observers instead. Because writes are serialized on this path,
// Badger's optimistic transactions never conflict, so no background save (autosave,
// the idle lock) can make a foreground action fail, or the reverse.

// deriver brings derived records up to date with what a change wrote. It runs inside
// the change's transaction, after the service's own writes.
type deriver func(c *Change) error

// commitPath serializes the writes of one open store and runs the derivers.
type commitPath struct {
	store Store

	// write is held for the whole of each write transaction: one writer at a time.
	write sync.Mutex
	// state guards closed: reads and writes hold it shared, close holds it alone,
	// so the store closes only when nothing is using it.
	state  sync.RWMutex
	closed bool
	// loaded is set once a bulk load (loading) has run on this path: the store's
	// close then runs bounded as the load did (close).
	loaded atomic.Bool

	derivers []deriver
	// afterCommit, when set, runs after each successful commit while the write lock
	// is still held (the session anchors its state from there).
	afterCommit func(Store)
	// committed, when set (tests only), runs after each successful commit while the
	// write lock is still held: the order it sees is the order of the commits.
	committed func()
	// anchor, when set, anchors the vault state in the header (the session's
	// Anchor); exports call it through anchorNow.
	anchor func() error
	// auditSeed is the user's audit key, set by the session (audit.go); searchKey
	// keys the blind number index (numberindex.go).
	auditSeed []byte
	searchKey []byte
	// signKey and vault, set by the session, sign the checkpoint deriveAudit makes
	// each time the log passes a multiple of checkpointEvery entries.
	signKey ed25519.PrivateKey
	vault   ID
	// now is the clock of entries written without a service's own (tests set it).
	now func() time.Time

	obsMu     sync.Mutex
	observers map[int]func(CommitEvent)
	nextObs   int
	lockHooks map[int]func() // see Records.OnLock (searchsource.go)
}

// Committed is one record a commit wrote: its key and new value (nil when deleted).
type Committed struct {
	Key     Key
	Value   []byte
	Deleted bool
}

// CommitEvent is what one commit wrote, derived records included, for observers
// that keep something in memory in step with the store (the search index).
type CommitEvent struct {
	Writes   []Committed
	Shredded []ID // cases destroyed, with every record in them
}

// Observe registers fn to run after every commit on this records' commit path, in
// commit order, with what the commit wrote. fn runs while the write lock is held: it
// must be quick, must not write, and must not keep the slices. remove unregisters it.
func (r *Records) Observe(fn func(CommitEvent)) (remove func()) {
	p := r.path
	p.obsMu.Lock()
	defer p.obsMu.Unlock()
	if p.observers == nil {
		p.observers = map[int]func(CommitEvent){}
	}
	id := p.nextObs
	p.nextObs++
	p.observers[id] = fn
	return func() {
		p.obsMu.Lock()
		defer p.obsMu.Unlock()
		delete(p.observers, id)
	}
}

// notify tells the observers what a commit wrote.
func (p *commitPath) notify(c *Change) {
	p.obsMu.Lock()
	obs := make([]func(CommitEvent), 0, len(p.observers))
	for _, fn := range p.observers {
		obs = append(obs, fn)
	}
	p.obsMu.Unlock()
	if len(obs) == 0 {
		return
	}
	ev := CommitEvent{Writes: make([]Committed, 0, len(c.writes))}
	for _, w := range c.writes {
		if w.virtual {
			continue // a checklist's untouched item, never stored (checklist_skeleton.go)
		}
		ev.Writes = append(ev.Writes, Committed{Key: w.Key, Value: w.New, Deleted: w.Deleted})
	}
	for id := range c.shred {
		ev.Shredded = append(ev.Shredded, id)
	}
	for _, fn := range obs {
		fn(ev)
	}
}

// anchorNow anchors the vault state now, when the path belongs to a session.
func (p *commitPath) anchorNow() error {
	if p.anchor == nil {
		return nil
	}
	return p.anchor()
}

// newCommitPath returns the commit path of a store with today's derivers.
func newCommitPath(store Store) *commitPath {
	return &commitPath{store: store, derivers: []deriver{deriveCaseIndexes, deriveTotals, deriveNumbers, deriveReportFacts, deriveState, deriveAudit}}
}

// maxConflictRetries bounds how often a write is retried after a conflict. With all
// writes serialized a conflict cannot happen inside one process; the retry covers a
// store shared by two commit paths (tests that build services by hand).
const maxConflictRetries = 3

// update runs fn in one atomic, durable transaction, then the derivers, and commits.
// An error from fn or a deriver stores nothing.
func (p *commitPath) update(fn func(c *Change) error) error {
	return p.updateAs(changeContext{}, fn)
}

// changeContext is who makes a change and by which clock, for its audit entry.
type changeContext struct {
	user string
	now  func() time.Time
}

// updateAs is update with the change's context.
func (p *commitPath) updateAs(ctx changeContext, fn func(c *Change) error) error {
	p.state.RLock()
	defer p.state.RUnlock()
	if p.closed {
		return ErrLocked
	}
	p.write.Lock()
	defer p.write.Unlock()
	var err error
	var c *Change
	for range maxConflictRetries {
		err = p.store.Update(func(t Tx) error {
			c = newChange(t)
			c.path, c.ctx = p, ctx
			if err := fn(c); err != nil {
				return err
			}
			return c.derive(p.derivers)
		})
		if !errors.Is(err, ErrConflict) {
			break
		}
	}
	if err == nil {
		p.notify(c)
	}
	if err == nil && p.afterCommit != nil {
		p.afterCommit(p.store)
	}
	if err == nil && p.committed != nil {
		p.committed()
	}
	return err
}

// updateLocked is update for a caller that already holds the write lock (a rekey,
// which keeps other writers out while it copies the vault).
func (p *commitPath) updateLocked(fn func(c *Change) error) error {
	return p.store.Update(func(t Tx) error {
		c := newChange(t)
		c.path = p
		if err := fn(c); err != nil {
			return err
		}
		return c.derive(p.derivers)
	})
}

// putOutsideLog writes records that are outside the digests and the audit log
// (signed checkpoints and their marks), for a caller holding the write lock: no
// deriver runs, so writing them appends no entry and changes no digest.
func (p *commitPath) putOutsideLog(fn func(c *Change) error) error {
	return p.store.Update(func(t Tx) error {
		c := newChange(t)
		c.path = p
		if err := fn(c); err != nil {
			return err
		}
		for _, w := range c.writes {
			switch typ := w.Key.Type; {
			case inState(typ), typ == RecAudit, typ == RecLegacyAudit, typ == RecAuditState, typ == RecLegacyAuditState:
				return fmt.Errorf("%w: record %x written outside the log", ErrStore, byte(w.Key.Type))
			}
		}
		return nil
	})
}

// view runs fn in a read-only snapshot; ErrLocked once the vault is locked.
func (p *commitPath) view(fn func(t Tx) error) error {
	p.state.RLock()
	defer p.state.RUnlock()
	if p.closed {
		return ErrLocked
	}
	return p.store.View(fn)
}

// close waits for every read and write in flight, refuses new ones with ErrLocked,
// runs final (when set) on the quiet store, and closes it. It is safe to call twice.
func (p *commitPath) close(final func(Store)) error {
	p.locking() // before waiting: in-memory case data goes, long reads stop
	p.state.Lock()
	defer p.state.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	if final != nil {
		final(p.store)
	}
	// A bulk load leaves compactions behind it, and the store's close waits for
	// the one running. Once the load had ended, so had its bound on the heap and
	// its hand-back of mapped pages: at the end of a 10,000-case seed, a
	// compaction of level 0 into the base level ran as the command closed the
	// vault, and the process went from about 470 MB to 853-977 MB resident (the
	// heap doubling, 370-430 MB of table pages). After a load the close runs
	// bounded too (docs/PERFORMANCE.md, "The seed's close").
	if p.loaded.Load() {
		defer p.loading()()
	}
	return p.store.Close()
}

// bulkBudget is the size of records one bulk transaction collects before it
// commits, and bulkEntries how many records it writes or deletes (with what the
// derivers will add for each case it touched): a whole unit (a case) may still be
// added after either is reached, within what a store must take in one transaction
// (MaxTxBytes, MaxTxEntries).
var (
	bulkBudget  = 2 << 20
	bulkEntries = 8192
)

// derivedEntriesPerCase is how many records the derivers write for each case a
// change touched, at most: its state digest, its case and number index entries,
// its report facts and task entries beyond those the change wrote itself.
const derivedEntriesPerCase = 8

// bulk writes units (cases, in practice) through the commit path in bounded
// transactions: each transaction holds whole units, and a new one starts once the
// current one passes bulkBudget. Derived records are brought up to date per
// transaction like any other change, so a crash leaves whole units behind, never a
// half-written one. flushed, when set, is called after each commit with the number
// of units written so far; stop, when set, is checked between units and ends the
// load early with its error.
func (p *commitPath) bulk(units int, write func(i int, c *Change) error, flushed func(done int), stop func() error) error {
	defer p.loading()()
	for done := 0; done < units; {
		start := done
		err := p.update(func(c *Change) error {
			done = start
			for done < units && (done == start || !c.full(bulkBudget)) {
				if stop != nil {
					if err := stop(); err != nil {
						return err
					}
				}
				if err := write(done, c); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if flushed != nil {
			flushed(done)
		}
	}
	return nil
}

// pageReleaseEvery is how often a bulk load looks at how much of the store's files
// is mapped into the process, and mappedSlack how much more than at its start it
// lets be before it hands the pages back.
//
// Badger writes its tables and reads them to compact through memory maps, so the
// pages a load writes and a compaction reads stay resident in the process until
// handed back. Handing them back after each of the load's transactions was not
// enough: while Badger holds the writes back (level 0 full, a memtable still being
// flushed) no transaction ends, and compactions went on mapping tables. Seeding
// 50,000 cases (with 2 MiB tables, an experiment), 224 MB of table pages were
// resident at the peak (517 MB); handed back every 250 ms instead, 10 MB (479 MB),
// but for 15% more CPU: each hand-back drops the pages from the system's cache
// too, and a compaction reads some of them again. Handing them back only past the
// slack keeps the bound for fewer of them (docs/PERFORMANCE.md, "The seed's peak").
const (
	pageReleaseEvery = 250 * time.Millisecond
	mappedSlack      = 32 << 20
)

// mappedMeter is a store that knows how much of the process's memory is mapped
// from files (storage.Store, on Linux).
type mappedMeter interface {
	MappedResident() (bytes uint64, ok bool)
}

// loading starts a bulk load (a seed, an import's staged writes, the migrations):
// it bounds the heap (boundBulkMemory) and, every pageReleaseEvery, hands back the
// store's mapped pages once more than mappedSlack has been mapped since the load
// began (every time where that is not known), and once more at the end. It
// returns the function that ends it.
func (p *commitPath) loading() (end func()) {
	p.loaded.Store(true)
	restore := boundBulkMemory()
	pr, ok := p.store.(pageReleaser)
	if !ok {
		return restore
	}
	pr.ReleaseMappedPages()
	grown := func() bool { return true } // not known: hand back at every turn
	if meter, ok := p.store.(mappedMeter); ok {
		if base, ok := meter.MappedResident(); ok {
			grown = func() bool {
				now, ok := meter.MappedResident()
				return !ok || now >= base+mappedSlack
			}
		}
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(pageReleaseEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if grown() {
					pr.ReleaseMappedPages()
				}
			}
		}
	}()
	return func() {
		close(stop)
		<-stopped
		pr.ReleaseMappedPages()
		restore()
	}
}

// Change is one transaction on the commit path: the store transaction, and what it
// wrote. Services use it as a Tx; derivers read what it wrote.
type Change struct {
	Tx
	writes       []*write
	byKey        map[Key]*write
	created      []ID
	shred        map[ID][]Key          // shredded cases, with the keys of the task entries they had
	shredState   map[ID]*crypto.LtHash // shredded cases' digests from before the change
	shredNumbers map[ID]shredNumber    // shredded cases' numbers, for the number index
	size         int                   // bytes of keys and values written, and an estimate of what derivers add
	entries      int                   // records written and deleted (a store's transaction counts each)
	touched      map[ID]bool           // cases written to

	path     *commitPath
	ctx      changeContext
	events   []AuditEvent // what the services say the change is, for its audit entry
	appended []AuditEntry // the entries it appended
	// skipTotals says the change wrote the vault totals counted afresh (their
	// migration): deriveTotals leaves them as they are.
	skipTotals bool
	// skeletons are the checklist skeletons written anew in this change (a new
	// case's), decoded once; compact are the shared task entries being built for
	// their untouched items (tasks_compact.go).
	skeletons map[ID]*checklistSkeleton
	compact   map[ID][]*compactTasks
	// quietChecklist says the change only moves checklists to their sparse form
	// (their migration): what a user sees does not change, so the derivers leave
	// the indexes, counts and facts of checklists as they are.
	quietChecklist bool
}

// now is the time of the change's audit entry.
func (c *Change) now() time.Time {
	if c.ctx.now != nil {
		return c.ctx.now()
	}
	if c.path != nil && c.path.now != nil {
		return c.path.now()
	}
	return time.Now()
}

// who names the user making the change: the service's user, else the profile's name.
func (c *Change) who() string {
	if c.ctx.user != "" {
		return c.ctx.user
	}
	var p Profile
	if getJSON(c.Tx, profileKey, &p) == nil {
		return p.DisplayName
	}
	return ""
}

// write is one record a change put or deleted. Old holds the record as it was
// before the change, for the record types derivers compare (tracksOld); New is the
// value written last, nil once deleted. oldSum is the SealedSum of the record
// before the change (hadSum false when there was none), for the state digest.
type write struct {
	Key     Key
	Old     []byte
	New     []byte
	Deleted bool
	hadOld  bool
	oldSum  [32]byte
	hadSum  bool
	// virtual marks an untouched checklist item of a skeleton written in this
	// change: shown to the derivers, never stored (expandSkeletons). It has no New
	// bytes, only item.
	virtual bool
	// oldDefault says Old is the item's skeleton default (it had no record before
	// the change): its task entry, if any, is in its case's compact entry.
	oldDefault bool
	// item is New decoded, for checklist item writes: a virtual write carries it
	// from its skeleton, a stored one is decoded at its first use (newItem).
	item *ChecklistItem
}

// newItem is a checklist item write's value, decoded once for every deriver that
// reads it (tasks, counts, report facts): a bulk load writes each case's 85 items.
func (w *write) newItem() (*ChecklistItem, error) {
	if w.item == nil {
		var it ChecklistItem
		if err := json.Unmarshal(w.New, &it); err != nil {
			return nil, fmt.Errorf("checklist item: %w", ErrIntegrity)
		}
		w.item = &it
	}
	return w.item, nil
}

// tracksOld reports whether derivers need a type's value from before the change.
func tracksOld(t RecordType) bool {
	switch t {
	case RecCase, RecVictim, RecChecklist, RecReferral, RecCaseIndex:
		return true
	case RecActionItem, RecHearing, RecReference: // task sources: the old value places the entry
		return true
	case RecTask: // a compact entry's old items, for the totals
		return true
	}
	return false
}

func newChange(t Tx) *Change { return &Change{Tx: t, byKey: map[Key]*write{}, touched: map[ID]bool{}} }

// derivedPerCase estimates what the derivers write for each case a change touches:
// its state digest and its index entry.
const derivedPerCase = crypto.LtHashSize + 1024

// entry returns the record of k's write in this change, capturing the value before
// the change on first touch.
func (c *Change) entry(k Key) (*write, error) { return c.entryOf(k, false) }

// entryOf is entry; fresh says k cannot exist before this change (a key made from a
// case created in it, such as its task entries), so there is nothing to read.
func (c *Change) entryOf(k Key, fresh bool) (*write, error) {
	if w, ok := c.byKey[k]; ok {
		return w, nil
	}
	w := &write{Key: k}
	if !k.Case.IsZero() && !c.touched[k.Case] {
		c.touched[k.Case] = true
		c.size += derivedPerCase
	}
	if !fresh && !c.isNew(k.Case) {
		sum, ok, err := c.Tx.SealedSum(k)
		if err != nil {
			return nil, err
		}
		w.oldSum, w.hadSum = sum, ok
		if ok && tracksOld(k.Type) {
			if w.Old, err = c.Tx.Get(k); err != nil {
				return nil, err
			}
			w.hadOld = true
		}
		if !ok && k.Type == RecChecklist {
			if err := defaultAsOld(c, w); err != nil {
				return nil, err
			}
		}
	}
	c.byKey[k] = w
	c.writes = append(c.writes, w)
	return w, nil
}

// Put writes a record and notes it for the derivers.
func (c *Change) Put(k Key, value []byte) error { return c.put(k, value, false) }

// freshWriter writes keys that cannot exist before the change (Change.entryOf):
// a new case's task entries, whose keys are made from the case's random id. It
// saves two reads of the store for each open item of every case an import brings.
type freshWriter struct{ *Change }

func (f freshWriter) Put(k Key, value []byte) error { return f.put(k, value, true) }

func (c *Change) put(k Key, value []byte, fresh bool) error {
	w, err := c.entryOf(k, fresh)
	if err != nil {
		return err
	}
	if err := c.Tx.Put(k, value); err != nil {
		return err
	}
	w.New, w.Deleted, w.item = value, false, nil
	c.size += KeySize + len(value) + 64
	c.entries++
	return nil
}

// full says the change holds what one bulk transaction should: budget bytes, or
// bulkEntries records with what the derivers will add for the cases it touched.
func (c *Change) full(budget int) bool {
	return c.size >= budget || c.entries+len(c.touched)*derivedEntriesPerCase >= bulkEntries
}

// Delete removes a record and notes it for the derivers.
func (c *Change) Delete(k Key) error {
	w, err := c.entry(k)
	if err != nil {
		return err
	}
	if err := c.Tx.Delete(k); err != nil {
		return err
	}
	w.New, w.Deleted, w.item = nil, true, nil
	c.size += KeySize
	c.entries++
	return nil
}

// NewCase creates a case's data key and notes the case as new: it has no records
// from before this change to compare with.
func (c *Change) NewCase(id ID) error {
	if err := c.Tx.NewCase(id); err != nil {
		return err
	}
	c.created = append(c.created, id)
	c.entries++            // the store writes the case's sealed key
	k := caseKeyRecord(id) // written by the store: noted for the state digest
	w := &write{Key: k}
	c.byKey[k] = w
	c.writes = append(c.writes, w)
	return nil
}

// ShredCase destroys a case. Before its records go, the task index entries of its
// task sources (checklist items, referrals and the practice's sources:
// taskSourceTypes) are gathered, so the derivers can clear them: they live outside
// the case.
func (c *Change) ShredCase(id ID) error {
	if cs, err := getCase(c.Tx, id); err == nil {
		if c.shredNumbers == nil {
			c.shredNumbers = map[ID]shredNumber{}
		}
		c.shredNumbers[id] = shredNumber{cs.Number, cs.ReadOnly}
	} else if !isNotFound(err) {
		return err
	}
	if !c.isNew(id) {
		h, found, err := readCaseState(c.Tx, id)
		if err != nil {
			return err
		}
		if found {
			if c.shredState == nil {
				c.shredState = map[ID]*crypto.LtHash{}
			}
			c.shredState[id] = h
		}
	}
	// The case's task entries live outside it: gather them while its records (and
	// the due dates that place the entries) can still be read.
	keys, err := caseTasksBefore(c, id)
	if err != nil {
		return err
	}
	if err := c.Tx.ShredCase(id); err != nil {
		return err
	}
	if c.shred == nil {
		c.shred = map[ID][]Key{}
	}
	c.shred[id] = append(c.shred[id], keys...)
	c.created = slices.DeleteFunc(c.created, func(x ID) bool { return x == id })
	return nil
}

// shredNumber is a shredded case's number, as the number index holds it.
type shredNumber struct {
	number   string
	received bool
}

// derive runs the derivers over what the change wrote so far. Their own writes are
// part of the change too.
func (c *Change) derive(ds []deriver) error {
	if err := expandSkeletons(c); err != nil {
		return fmt.Errorf("keeping derived records: %w", err)
	}
	for _, d := range ds {
		if err := d(c); err != nil {
			return fmt.Errorf("keeping derived records: %w", err)
		}
	}
	return nil
}

// isNew reports whether the case was created in this change.
func (c *Change) isNew(id ID) bool { return slices.Contains(c.created, id) }
