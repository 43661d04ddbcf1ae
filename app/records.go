package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Records is the case record service over one unlocked vault: cases, victims,
// notes, checklists, releases, referrals, timeline, attachments. Every rule of the
// domain (alias first, final notes never change, releases gate sharing) is enforced
// here, not in the screens.
type Records struct {
	path *commitPath
	// Now is the clock; tests replace it.
	Now func() time.Time
	// User is who is working: the author of notes and the one who completes items.
	User string
}

// NewRecords returns the record service for a store opened without a vault
// session (tests, benchmarks), with a commit path of its own. The app gets its
// services from Session.Records, which share the session's one commit path.
func NewRecords(store Store, user string) *Records {
	p := newCommitPath(store)
	_ = ensureUserKeys(p) // the search key of the number index; a failing store fails the first write anyway
	return newRecords(p, user)
}

func newRecords(p *commitPath, user string) *Records {
	return &Records{path: p, Now: time.Now, User: user}
}

// update runs fn as one change on the commit path: serialized with every other
// write, derived records kept in step, atomic and durable.
func (r *Records) update(fn func(t Tx) error) error {
	return r.path.updateAs(changeContext{user: r.User, now: r.Now}, func(c *Change) error { return fn(c) })
}

// updateEv is update for a change whose audit entry is ev.
func (r *Records) updateEv(ev AuditEvent, fn func(t Tx) error) error {
	return r.update(func(t Tx) error { logEvent(t, ev); return fn(t) })
}

// logOnly records an event that changes no record (a case opened for viewing, an
// attachment opened) as a commit of its own, whose one write is its audit entry.
func (r *Records) logOnly(ev AuditEvent) error {
	return r.update(func(t Tx) error { logEvent(t, ev); return nil })
}

// view runs fn in a read-only snapshot; ErrLocked once the vault is locked.
func (r *Records) view(fn func(t Tx) error) error { return r.path.view(fn) }

// now is the service clock in UTC, to the second: record times are evidence and
// should read the same on every machine.
func (r *Records) now() time.Time { return r.Now().UTC().Truncate(time.Second) }

// putJSON stores v as JSON under k.
func putJSON(w Writer, k Key, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%w: encoding: %v", ErrStore, err)
	}
	return w.Put(k, b)
}

// getJSON reads the record under k into v.
func getJSON(t Tx, k Key, v any) error {
	b, err := t.Get(k)
	if err != nil {
		return err
	}
	defer clear(b) // the unsealed bytes: no copy of a record outlives its decoding
	if err := json.Unmarshal(b, v); err != nil {
		return unreadable(k.Type)
	}
	return nil
}

// scanJSON decodes every record of type typ in case c into a fresh T and calls fn.
func scanJSON[T any](t Tx, typ RecordType, c ID, fn func(Key, *T) error) error {
	return t.Scan(typ, c, func(k Key, b []byte) error {
		defer clear(b)
		v := new(T)
		if err := json.Unmarshal(b, v); err != nil {
			return unreadable(typ)
		}
		return fn(k, v)
	})
}

// unreadable is the error for a record that unseals but does not decode: damage,
// named by the record's type only, never by what it held.
func unreadable(typ RecordType) error {
	return fmt.Errorf("record %x unreadable: %w", byte(typ), ErrIntegrity)
}

// isNotFound reports a missing record.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
