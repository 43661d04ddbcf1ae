package app

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTaskEncoding(t *testing.T) {
	tests := []taskEntry{
		{Case: NewID(), Item: NewID(), Kind: TaskChecklist, Due: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			Title: "Make the mandated report", Partner: "law-enforcement"},
		{Case: NewID(), Item: NewID(), Kind: TaskReferral, Due: time.Unix(0, 0).UTC(), Title: "Terapia – evaluación inicial"},
		{Case: NewID(), Item: NewID(), Kind: TaskChecklist, Due: time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC),
			Title: "Kiểm tra an toàn", Partner: "victim-services"},
	}
	for _, e := range tests {
		got, err := decodeTask(encodeTask(e))
		if err != nil || got != e {
			t.Errorf("round trip of %+v: %+v, %v", e, got, err)
		}
	}
	// A title too long for the format is cut on a character boundary.
	long := taskEntry{Case: NewID(), Item: NewID(), Kind: TaskChecklist, Due: time.Unix(100, 0).UTC(),
		Title: strings.Repeat("é", 40000)}
	got, err := decodeTask(encodeTask(long))
	if err != nil || len(got.Title) > 65535 || !strings.HasPrefix(long.Title, got.Title) {
		t.Fatalf("long title: %d bytes, %v", len(got.Title), err)
	}
	for _, b := range [][]byte{nil, {2}, bytes.Repeat([]byte{1}, 43), append(encodeTask(tests[0]), 0)} {
		if _, err := decodeTask(b); !errors.Is(err, ErrIntegrity) {
			t.Errorf("decode %x: %v, want ErrIntegrity", b, err)
		}
	}
}

// FuzzDecodeTask: decoding never panics, and whatever decodes encodes back to the
// same bytes.
func FuzzDecodeTask(f *testing.F) {
	f.Add(encodeTask(taskEntry{Case: NewID(), Item: NewID(), Kind: TaskChecklist, Due: time.Unix(1e9, 0), Title: "x"}))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeTask(b)
		if err != nil {
			return
		}
		if again := encodeTask(e); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs")
		}
	})
}

// mapWriter is a Writer that keeps plaintext records in memory.
type mapWriter map[Key][]byte

func (w mapWriter) Put(k Key, v []byte) error { w[k] = append([]byte(nil), v...); return nil }
func (w mapWriter) NewCase(ID) error          { return nil }

// A new case's core checklist gets one shared task entry for each day its dated
// items fall due, from the commit path's deriver, written without reading back the
// new items: each item with its template position and ID, under its due date.
func TestWriteChecklistFromTemplate(t *testing.T) {
	tx := mapTx{mapWriter{}}
	w := tx.mapWriter
	c := &Case{ID: NewID(), Number: "SEED-1", Status: CaseOpen, Opened: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
	ch := newChange(tx)
	if err := ch.NewCase(c.ID); err != nil {
		t.Fatal(err)
	}
	if err := writeChecklistFromTemplate(ch, c, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := putCase(ch, c); err != nil {
		t.Fatal(err)
	}
	if err := ch.derive([]deriver{deriveCaseIndexes}); err != nil {
		t.Fatal(err)
	}
	tpl := CoreTemplate()
	dated, days := 0, map[int]bool{}
	for _, it := range tpl.Items {
		if it.DueDays != nil {
			dated++
			days[*it.DueDays] = true
		}
	}
	items, skeletons, tasks, inEntries := 0, 0, 0, 0
	for k, v := range w {
		switch k.Type {
		case RecChecklist:
			items++
		case RecChecklistBase:
			skeletons++
		case RecTask:
			tasks++
			ct, err := decodeCompactTasks(v)
			if err != nil || ct.Case != c.ID || k != compactKey(c.ID, ct.Due) || ct.TemplateID != tpl.ID || ct.TemplateVersion != tpl.Version {
				t.Fatalf("task entry %+v %v", ct, err)
			}
			for _, it := range ct.Items {
				ti := tpl.Items[it.Position]
				if ti.DueDays == nil || !ct.Due.Equal(c.Opened.AddDate(0, 0, *ti.DueDays)) {
					t.Fatalf("item %+v in the entry due %s; template item %+v", it, ct.Due, ti)
				}
			}
			inEntries += len(ct.Items)
		}
	}
	// Sparse: one skeleton and no item records until an item changes; every dated
	// item in the shared entry of its due day.
	if items != 0 || skeletons != 1 || tasks != len(days) || inEntries != dated || c.TemplateID != tpl.ID || c.TemplateVersion != tpl.Version {
		t.Fatalf("%d items, %d skeletons, %d task records, template %s v%d", items, skeletons, tasks, c.TemplateID, c.TemplateVersion)
	}
}

// mapTx is a Tx over a mapWriter, enough for the task index and checklist helpers.
type mapTx struct{ mapWriter }

func (t mapTx) Get(k Key) ([]byte, error) {
	v, ok := t.mapWriter[k]
	if !ok {
		return nil, ErrNotFound
	}
	return bytes.Clone(v), nil // a store hands out a fresh copy, which readers may clear
}
func (t mapTx) Delete(k Key) error { delete(t.mapWriter, k); return nil }
func (t mapTx) Scan(typ RecordType, c ID, fn func(Key, []byte) error) error {
	return t.ScanKeys(typ, c, func(k Key) error { return fn(k, bytes.Clone(t.mapWriter[k])) })
}
func (t mapTx) ScanKeys(typ RecordType, c ID, fn func(Key) error) error {
	var keys []Key
	for k := range t.mapWriter {
		if k.Type == typ && (c.IsZero() || k.Case == c) {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if err := fn(k); err != nil {
			return err
		}
	}
	return nil
}
func (t mapTx) ShredCase(ID) error { return nil }
func (t mapTx) SealedSum(k Key) ([32]byte, bool, error) {
	v, ok := t.mapWriter[k]
	return sha256.Sum256(v), ok, nil
}
func (t mapTx) CaseSums(c ID, fn func(Key, [32]byte) error) error {
	for k, v := range t.mapWriter {
		if k.Case == c {
			if err := fn(k, sha256.Sum256(v)); err != nil {
				return err
			}
		}
	}
	return nil
}
func (t mapTx) Walk(_ []byte, fn func(Key, []byte, []byte, error) error) error {
	for k, v := range t.mapWriter {
		if err := fn(k, v, v, nil); err != nil {
			return err
		}
	}
	return nil
}

// Closing a case clears its tasks and reopening restores exactly the entries it
// had: the commit path's deriver does both from the case's records.
func TestClosingAndReopeningKeepsTasks(t *testing.T) {
	tx := mapTx{mapWriter{}}
	c := &Case{ID: NewID(), Status: CaseOpen, Opened: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
	change := func(fn func(ch *Change) error) {
		t.Helper()
		ch := newChange(tx)
		if err := fn(ch); err != nil {
			t.Fatal(err)
		}
		if err := ch.derive([]deriver{deriveCaseIndexes}); err != nil {
			t.Fatal(err)
		}
	}
	tasks := func() map[Key]string {
		m := map[Key]string{}
		for k, v := range tx.mapWriter {
			if k.Type == RecTask {
				m[k] = string(v)
			}
		}
		return m
	}
	change(func(ch *Change) error {
		if err := ch.NewCase(c.ID); err != nil {
			return err
		}
		if err := writeChecklistFromTemplate(ch, c, c.Opened); err != nil {
			return err
		}
		return putCase(ch, c)
	})
	before := tasks()
	if len(before) == 0 {
		t.Fatal("a new case has no task entries")
	}
	c.Status = CaseClosed
	change(func(ch *Change) error { return putCase(ch, c) })
	if n := len(tasks()); n != 0 {
		t.Fatalf("%d task records survived closing the case", n)
	}
	c.Status = CaseOpen
	change(func(ch *Change) error { return putCase(ch, c) })
	after := tasks()
	if len(after) != len(before) {
		t.Fatalf("%d task records after reopening, want %d", len(after), len(before))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("task record differs after reopening")
		}
	}
}

// writeChecklistFromTemplate writes the built-in core template's checklist for
// case c through a Writer, without reading anything, as a bulk load does.
func writeChecklistFromTemplate(w Writer, c *Case, now time.Time) error {
	return writeChecklist(w, c, core(), now)
}
