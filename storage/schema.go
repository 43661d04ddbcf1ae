package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	"casenotes/app"
)

// SchemaVersion is the record format this build writes. Vaults written by older
// builds are brought up to it by the migrations below, in order, each in its own
// transaction; golden vaults of every released version live in testdata.
const SchemaVersion = 1

// migration moves a vault from version From to From+1.
type migration struct {
	From  int
	Apply func(app.Tx) error
}

// migrations lists every schema change in order. Never edit a released entry; add.
var migrations = []migration{}

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
	if cur > SchemaVersion {
		return app.ErrTooNew
	}
	if cur == 0 {
		return s.setSchema(SchemaVersion)
	}
	for _, m := range migrations {
		if m.From < cur {
			continue
		}
		if err := s.Update(func(t app.Tx) error {
			if err := m.Apply(t); err != nil {
				return err
			}
			return putSchema(t, m.From+1)
		}); err != nil {
			return fmt.Errorf("migrating the vault from version %d: %w", m.From, err)
		}
		cur = m.From + 1
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
