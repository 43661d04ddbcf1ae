package app

import (
	"bytes"
	"fmt"

	"casenotes/crypto"
)

// Rekey: a real change of keys, after a passphrase or a recovery key may have been
// seen by someone else.
//
// A routine passphrase change rewraps the vault key under the new passphrase: quick,
// but the vault key stays the same, so an old header (or a backup) and the old
// passphrase still open it. A rekey makes a new vault key, a new recovery key, new
// data keys for every case and new Badger keys: every record is copied, resealed,
// into a new store built beside the old one, in bounded batches that resume after a
// crash; the new header is written beside the old; and a few renames switch the
// vault over (storage/rekey.go). The old store, header and spare are then gone, so
// the old passphrase and the old recovery key open nothing current. Old backups open
// only as what they were. The user's signing and age keys are records like any
// other: copied, not changed, so the fingerprints partners hold stay the same.

// RekeyDisk is the part of the disk that builds a new store beside the vault's and
// switches to it.
type RekeyDisk interface {
	// OpenRekeyStore opens the store a rekey is building; fresh starts it over.
	OpenRekeyStore(dir string, keys StoreKeys, fresh bool) (Store, error)
	// CommitRekey writes the new header beside the old and switches the vault to
	// the new store and header. The vault's store must be closed.
	CommitRekey(dir string, header []byte) error
	// FinishRekey completes a switch a crash interrupted (or does nothing).
	FinishRekey(dir string) error
	// AbandonRekey removes an unfinished new store.
	AbandonRekey(dir string) error
}

// rekeyRecord, in the old store, keeps the new vault key while the copy runs, so a
// crashed rekey resumes with the same key. Counter is the old store's counter when
// the copy started: if anything was written since, the copy starts over.
type rekeyRecord struct {
	VaultKey []byte `json:"vault_key"`
	Counter  uint64 `json:"counter"`
}

// rekeyProgress, in the new store, says how far the copy got.
type rekeyProgress struct {
	After  []byte `json:"after,omitempty"` // the last key copied
	Copied bool   `json:"copied,omitempty"`
}

var (
	rekeyKey         = Key{Type: RecRekey, ID: ID{15: 1}}
	rekeyProgressKey = Key{Type: RecRekey, ID: ID{15: 2}}
)

// rekeyBatch is how many bytes of records one copy transaction writes (and at most
// bulkEntries records).
var rekeyBatch = 1 << 20

// rekeyHook, set only by tests, runs before each copy batch and may fail it.
var rekeyHook func(batch int) error

// Rekey changes every key of the vault: a new passphrase slot for newPass, a new
// recovery key (returned, to show once and clear), new case data keys and new store
// keys. The session is locked when it returns; unlock with the new passphrase. Nothing else
// writes while it runs. After a crash, calling it again (with the old passphrase
// unlocking the vault, as the switch had not happened) resumes the copy.
func (s *Session) Rekey(newPass []byte, progress func(records int)) (*IssuedRecoveryKey, error) {
	var rk crypto.RecoveryKey
	defer clear(rk[:]) // the caller gets a copy
	if err := CheckPassphrase(string(newPass)); err != nil {
		return nil, err
	}
	disk, ok := s.vaults.Disk.(RekeyDisk)
	if !ok {
		return nil, fmt.Errorf("%w: this disk cannot change keys", ErrStore)
	}
	if err := s.logSession(AuditEvent{Action: ActRekey}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrLocked
	}
	p := s.path
	p.state.RLock()
	p.write.Lock()
	unlocked := false
	release := func() {
		if !unlocked {
			p.write.Unlock()
			p.state.RUnlock()
			unlocked = true
		}
	}
	defer release()

	newKeys, fresh, err := s.rekeyStart(p)
	if err != nil {
		return nil, err
	}
	defer newKeys.zero()
	sk, err := newKeys.storeKeys()
	if err != nil {
		return nil, err
	}
	newStore, err := disk.OpenRekeyStore(s.dir, sk, fresh)
	sk.Zero()
	if err != nil {
		return nil, err
	}
	np := &commitPath{store: newStore} // no derivers: the copy holds them, digests come last
	closeNew := func() error { return np.close(nil) }
	counter, err := rekeyCopy(p.store, np, progress)
	if err != nil {
		closeNew()
		return nil, err
	}
	sum, err := rekeyDigests(np, counter+1)
	if err != nil {
		closeNew()
		return nil, err
	}
	if err := closeNew(); err != nil {
		return nil, err
	}

	// The new header: a passphrase slot and a new recovery slot for the new key, the
	// new store's anchor, the same vault id.
	s.hmu.Lock()
	nh := Header{Format: headerFormat, Version: HeaderVersion, VaultID: s.header.VaultID, Created: s.header.Created}
	s.hmu.Unlock()
	rk = crypto.NewRecoveryKey()
	ps, err := newPassphraseSlot(nh.VaultID, newPass, newKeys, crypto.CalibrateKDF(s.vaults.KDFTarget))
	if err != nil {
		return nil, err
	}
	rs, err := newRecoverySlot(nh.VaultID, rk, newKeys)
	if err != nil {
		return nil, err
	}
	nh.Slots = []KeySlot{ps, rs}
	nh.State = &StateAnchor{Counter: counter + 1, Digest: append(b64(nil), sum[:]...)}
	if err := nh.seal(newKeys); err != nil {
		return nil, err
	}
	hb, err := nh.Marshal()
	if err != nil {
		return nil, err
	}

	// Switch: the old store closes (its state needs no anchor: it is going away),
	// then the disk moves the new store and header in.
	s.closed = true
	release()
	_ = p.close(nil)
	s.userKeys.drop()
	s.keys.zero()
	if err := disk.CommitRekey(s.dir, hb); err != nil {
		return nil, err
	}
	return &IssuedRecoveryKey{key: rk}, nil
}

// rekeyStart returns the new vault key: the one an interrupted rekey was using, if
// nothing was written since, else a new one recorded in the old store. fresh says
// whether the new store starts over.
func (s *Session) rekeyStart(p *commitPath) (*Keyring, bool, error) {
	var rec rekeyRecord
	var counter uint64
	err := p.store.View(func(t Tx) error {
		if err := getJSON(t, rekeyKey, &rec); err != nil && !isNotFound(err) {
			return err
		}
		var err error
		counter, _, _, err = stateOf(t)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if len(rec.VaultKey) == crypto.KeySize && rec.Counter == counter {
		return newKeyring(bytes.Clone(rec.VaultKey)), false, nil
	}
	key := crypto.RandomKey()
	rec = rekeyRecord{VaultKey: bytes.Clone(key), Counter: counter}
	// The rekey record is outside the digests (it is not the vault's data), so
	// writing it leaves the counter where the copy starts.
	err = p.updateLocked(func(c *Change) error { return putJSON(c, rekeyKey, &rec) })
	crypto.Zero(rec.VaultKey)
	if err != nil {
		crypto.Zero(key)
		return nil, false, err
	}
	return newKeyring(key), true, nil
}

// skipOnRekey are the records a rekey does not copy: the old case keys (each case
// gets a new one), the digests (recomputed over the new seals), the rekey's own and
// a staged shred's marker (the old store's walk already skips what it marks).
func skipOnRekey(t RecordType) bool {
	return t == RecCaseKey || t == RecCaseState || t == RecVaultState || t == RecRekey || t == RecShred
}

// rekeyCopy copies every record from the old store into the new one in batches,
// resuming after the last key the new store's progress record names. It returns the
// old store's counter.
func rekeyCopy(old Store, fresh *commitPath, progress func(int)) (uint64, error) {
	var prog rekeyProgress
	err := fresh.view(func(t Tx) error {
		if err := getJSON(t, rekeyProgressKey, &prog); err != nil && !isNotFound(err) {
			return err
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var counter uint64
	if err := old.View(func(t Tx) (err error) { counter, _, _, err = stateOf(t); return err }); err != nil {
		return 0, err
	}
	copied := 0
	for batch := 0; !prog.Copied; batch++ {
		if rekeyHook != nil {
			if err := rekeyHook(batch); err != nil {
				return 0, err
			}
		}
		type rec struct {
			k Key
			v []byte
		}
		var recs []rec
		size, last := 0, prog.After
		err := old.View(func(t Tx) error {
			done := true
			err := t.Walk(prog.After, func(k Key, _, value []byte, err error) error {
				if err != nil {
					return fmt.Errorf("a record cannot be read, so the keys were not changed (run casenotes check): %w", ErrIntegrity)
				}
				if size >= rekeyBatch || len(recs) >= bulkEntries {
					done = false
					return ErrStopScan
				}
				last = k.Bytes()
				if !skipOnRekey(k.Type) {
					recs = append(recs, rec{k, value})
					size += len(value) + KeySize
				}
				return nil
			})
			if done && err == nil {
				last = nil
			}
			return err
		})
		if err != nil {
			return 0, err
		}
		err = fresh.update(func(t *Change) error {
			for _, r := range recs {
				if !r.k.Case.IsZero() {
					if _, ok, err := t.SealedSum(caseKeyRecord(r.k.Case)); err != nil {
						return err
					} else if !ok {
						if err := t.NewCase(r.k.Case); err != nil {
							return err
						}
					}
				}
				if err := t.Put(r.k, r.v); err != nil {
					return err
				}
			}
			next := rekeyProgress{After: last, Copied: last == nil}
			return putJSON(t.Tx, rekeyProgressKey, &next)
		})
		for _, r := range recs {
			crypto.Zero(r.v)
		}
		if err != nil {
			return 0, err
		}
		copied += len(recs)
		if progress != nil {
			progress(copied)
		}
		prog.After, prog.Copied = last, last == nil
	}
	return counter, nil
}

// rekeyDigests computes the new store's digests (its seals are new), gives it the
// counter it continues from, and removes the progress record. It returns the short
// form of the vault digest, for the new header's anchor.
func rekeyDigests(p *commitPath, counter uint64) ([32]byte, error) {
	var cursor []byte
	for {
		var done bool
		err := p.update(func(c *Change) (err error) {
			cursor, done, err = migrateStateDigests(c, cursor)
			return err
		})
		if err != nil {
			return [32]byte{}, err
		}
		if done {
			break
		}
	}
	var sum [32]byte
	err := p.update(func(c *Change) error {
		vs, h, err := readVaultState(c)
		if err != nil {
			return err
		}
		vs.Counter = counter
		sum = h.Sum()
		if err := c.Tx.Delete(rekeyProgressKey); err != nil {
			return err
		}
		return putJSON(c.Tx, vaultStateKey, vs)
	})
	return sum, err
}
