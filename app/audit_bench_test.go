package app_test

import (
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// The audit trail's costs (issue 11): appending an entry to every save, and
// verifying a long log. Figures and the command are in docs/PERFORMANCE.md.

// benchNote is a typical paragraph of a contact note (fictional).
var benchNote = strings.Repeat("Met the advocate at the child advocacy center; safety plan reviewed, next contact agreed. ", 8)

// benchSession is a new vault at the KDF floor (the benchmarks measure writes and
// reads, not the unlock), with a profile; o are its store's options.
func benchSession(b *testing.B, o storage.Options) *app.Session {
	b.Helper()
	v := app.NewVaults(&storage.Disk{Options: o})
	v.KDFTarget = time.Millisecond // the floor: calibration is not what is measured
	s, _, err := v.Create(filepath.Join(b.TempDir(), "vault"), []byte(pass1))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Lock() })
	r, _ := s.Records("")
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Det. Dana Alvarez", Role: app.RoleDetective}); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkNoteSaveAudit is a draft save (sealed and synced: the autosave path)
// with the audit trail, as every session writes, and without it: the same services
// over a bare store (app.NewRecords over storage.Open), which keeps the state
// digests but has no log. The difference is the cost of appending an entry. The
// in-memory pair takes the disk out, to show the CPU cost alone.
func BenchmarkNoteSaveAudit(b *testing.B) {
	save := func(b *testing.B, r *app.Records) {
		c := newTestCase(b, r, "2026-TF-0412")
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteContact})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := r.SaveDraft(c.ID, n.ID, benchNote); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, place := range []struct {
		name string
		o    storage.Options
	}{{"synced", storage.Options{}}, {"in-memory", storage.Options{InMemory: true}}} {
		b.Run(place.name+"/with-audit", func(b *testing.B) {
			s := benchSession(b, place.o)
			r, _ := s.Records("")
			save(b, r)
			b.StopTimer()
			if page, err := r.AuditEntries(app.AuditFilter{Action: app.ActNoteEdited}, 0, 1); err != nil || page.Matching < b.N {
				b.Fatalf("the saves were not logged: %d entries for %d saves (%v)", page.Matching, b.N, err)
			}
		})
		b.Run(place.name+"/without-audit", func(b *testing.B) {
			key := make([]byte, 32)
			rand.Read(key)
			dir := b.TempDir()
			if place.o.InMemory {
				dir = ""
			}
			st, err := storage.Open(dir, app.StoreKeys{AtRest: key, Records: key}, place.o)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			r := app.NewRecords(st, "Det. Dana Alvarez")
			save(b, r)
			b.StopTimer()
			if page, err := r.AuditEntries(app.AuditFilter{}, 0, 1); err != nil || page.Total != 0 {
				b.Fatalf("the bare store has a log of %d entries (%v)", page.Total, err)
			}
		})
	}
}

// auditLog100k is a session whose audit trail holds 100,000 entries (and the
// vault's own few): case views of 50 cases, in commits of 1,000.
func auditLog100k(b *testing.B) (*app.Session, *app.Records, app.ID) {
	b.Helper()
	s := benchSession(b, storage.Options{})
	r, _ := s.Records("")
	var last app.ID
	for i := range 50 {
		c := newTestCase(b, r, "2026-TF-"+string(rune('A'+i/26))+string(rune('A'+i%26)))
		last = c.ID
		if err := app.LogEvents(s, 2000, 1000, app.AuditEvent{Action: app.ActCaseOpened, Case: c.ID}); err != nil {
			b.Fatal(err)
		}
	}
	return s, r, last
}

// BenchmarkVerifyAudit100k is `casenotes audit verify` on a log of 100,000 entries:
// every entry read, its MAC checked, the tree rebuilt and every checkpoint checked.
func BenchmarkVerifyAudit100k(b *testing.B) {
	s, _, _ := auditLog100k(b)
	if _, err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := s.VerifyAudit()
		if err != nil || !rep.OK() || rep.Checked < 100_000 {
			b.Fatalf("verification: %d checked, %q, %v", rep.Checked, rep.Problem, err)
		}
	}
}

// BenchmarkAuditPage100k is one page of the Activity screens (100 rows, newest
// first) on a log of 100,000 entries: unfiltered pages read only their own rows,
// at the start or deep in the log; a filtered page (one case) reads the log once.
func BenchmarkAuditPage100k(b *testing.B) {
	_, r, c := auditLog100k(b)
	for _, bc := range []struct {
		name   string
		f      app.AuditFilter
		offset int
	}{
		{"newest", app.AuditFilter{}, 0},
		{"page-500", app.AuditFilter{}, 50_000},
		{"one-case", app.AuditFilter{Case: c}, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := r.AuditEntries(bc.f, bc.offset, 100)
				if err != nil || len(p.Rows) != 100 {
					b.Fatalf("%d rows, %v", len(p.Rows), err)
				}
			}
		})
	}
}

// BenchmarkAuditSeqs100k is what a filtered Activity screen does once per filter
// (find the matching entries: here one case's 2,000 of 100,000) before it reads
// pages of 100 by sequence number.
func BenchmarkAuditSeqs100k(b *testing.B) {
	_, r, c := auditLog100k(b)
	for _, bc := range []struct {
		name string
		f    app.AuditFilter
	}{
		{"one-case", app.AuditFilter{Case: c}},
		{"one-user", app.AuditFilter{User: "det. dana alvarez"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				seqs, err := r.AuditSeqs(bc.f)
				if err != nil || len(seqs) < 2000 {
					b.Fatalf("%d matches, %v", len(seqs), err)
				}
				if _, err := r.AuditRows(seqs[:100]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuditKeyMigration100k is the audit key range migration (schema 10 -> 11)
// of a log of 100,000 entries: each iteration moves them back under the old record
// type (not timed), then runs the migration's batches on the commit path, as the
// unlock of an older vault does.
func BenchmarkAuditKeyMigration100k(b *testing.B) {
	s, _, _ := auditLog100k(b)
	st, _ := s.Store()
	move := func(from, to app.RecordType) {
		for {
			var keys []app.Key
			var vals [][]byte
			err := st.View(func(tx app.Tx) error {
				return tx.Scan(from, app.ID{}, func(k app.Key, v []byte) error {
					if len(keys) == 2_000 {
						return app.ErrStopScan
					}
					keys, vals = append(keys, k), append(vals, v)
					return nil
				})
			})
			if err == nil && len(keys) > 0 {
				err = st.Update(func(tx app.Tx) error {
					for i, k := range keys {
						if err := tx.Delete(k); err != nil {
							return err
						}
						k.Type = to
						if err := tx.Put(k, vals[i]); err != nil {
							return err
						}
					}
					return nil
				})
			}
			if err != nil {
				b.Fatal(err)
			}
			if len(keys) == 0 {
				return
			}
		}
	}
	for b.Loop() {
		b.StopTimer()
		move(app.RecAudit, app.RecLegacyAudit)
		b.StartTimer()
		batches, err := app.RunMigrationStep(s, "audit key range")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(batches), "batches")
	}
	rep, err := s.VerifyAudit()
	if err != nil || !rep.OK() || rep.Checked < 100_000 {
		b.Fatalf("after the migrations: %d checked, %q, %v", rep.Checked, rep.Problem, err)
	}
}
