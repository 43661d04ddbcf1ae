package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	"casenotes/app"
)

// migration moves a vault from version i+1 to i+2, where i is its place in the list.
type migration func(app.Tx) error

// migrations lists every schema change in order, each run in its own transaction.
// Never edit or reorder a released entry; append. Golden vaults of every released
// version live in testdata and are opened by the tests.
var migrations = []migration{}

// SchemaVersion is the record format this build writes: 1 plus one per migration.
func SchemaVersion() int { return 1 + len(migrations) }

type schemaRecord struct {
	Version int `json:"version"`
}

var schemaKey = app.Key{Type: app.RecSchema}

// migrate stamps a new store with SchemaVersion, refuses a newer vault and runs the
// migrations an older one needs.
func (s *Store) migrate() error {
	var cur int
	err := s.View(func(t app.Tx) error {
		b, err := t.Get(schemaKey)
		if errors.Is(err, app.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		var r schemaRecord
		if err := json.Unmarshal(b, &r); err != nil || r.Version < 1 {
			return fmt.Errorf("schema record: %w", app.ErrIntegrity)
		}
		cur = r.Version
		return nil
	})
	if err != nil {
		return err
	}
	if cur > SchemaVersion() {
		return app.ErrTooNew
	}
	if cur == 0 {
		return s.setSchema(SchemaVersion())
	}
	for ; cur < SchemaVersion(); cur++ {
		m := migrations[cur-1]
		if err := s.Update(func(t app.Tx) error {
			if err := m(t); err != nil {
				return err
			}
			return putSchema(t, cur+1)
		}); err != nil {
			return fmt.Errorf("migrating the vault from version %d: %w", cur, err)
		}
	}
	return nil
}

func (s *Store) setSchema(v int) error {
	return s.Update(func(t app.Tx) error { return putSchema(t, v) })
}

func putSchema(t app.Tx, v int) error {
	b, _ := json.Marshal(schemaRecord{Version: v})
	return t.Put(schemaKey, b)
}
