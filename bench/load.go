package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"casenotes/app"
)

// loadResult is one side of the import comparison: each case file's time, in the
// order they were loaded into one growing vault (or database).
type loadResult struct {
	Files   []time.Duration `json:"files"`
	Cases   int             `json:"cases"`
	Notes   int             `json:"notes"`
	Bytes   int64           `json:"bytes"`    // the vault (or database) on disk afterwards
	PeakRSS uint64          `json:"peak_rss"` // VmHWM of the process
	Load    string          `json:"load"`     // load average at the start
	Version string          `json:"version,omitempty"`
}

func (l loadResult) total() time.Duration {
	var t time.Duration
	for _, d := range l.Files {
		t += d
	}
	return t
}

func caseFileList(c config) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(c.out, "cases-*.json"))
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no case files in %s: run the casefiles step first", c.out)
	}
	return files, err
}

// importFiles imports every case file, one after another, into the vault (a fresh
// one, made by the script), the way `casenotes import FILE` does
// (Records.ImportCaseFile), unlocked once, and times each.
func importFiles(c config) error {
	files, err := caseFileList(c)
	if err != nil {
		return err
	}
	res := loadResult{Load: loadAverage()}
	s, r, _, err := c.unlock()
	if err != nil {
		return err
	}
	// BENCH_IMPORT_CPUPROFILE names a file for a CPU profile of the imports.
	if f := os.Getenv("BENCH_IMPORT_CPUPROFILE"); f != "" {
		if w, err := os.Create(f); err == nil {
			pprof.StartCPUProfile(w)
			defer w.Close()
			defer pprof.StopCPUProfile()
		}
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			s.Lock()
			return err
		}
		start := time.Now()
		sum, err := r.ImportCaseFile(f)
		took := time.Since(start)
		f.Close()
		if err != nil {
			s.Lock()
			return fmt.Errorf("importing %s: %w", filepath.Base(name), err)
		}
		res.Files = append(res.Files, took)
		res.Cases += sum.Cases
		res.Notes += sum.Notes
		fmt.Fprintf(os.Stderr, "imported %s: %d cases, %d notes in %s\n", filepath.Base(name), sum.Cases, sum.Notes, human(took))
	}
	if err := s.Lock(); err != nil {
		return err
	}
	res.PeakRSS = statusKB("VmHWM:")
	res.Bytes = diskUsage(c.vault)
	return writeJSON(filepath.Join(c.out, "import.json"), res)
}

// sqliteSchema is the same case and note fields as plain text in SQLite: a table
// of cases (numbers unique, as the vault keeps them), a table of notes with an
// index by case and time (the case's note list), and an FTS5 index of the note
// text over the notes table (external content, so the text is stored once).
var sqliteSchema = []string{
	"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
	`CREATE TABLE cases (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, title TEXT, status TEXT,
		closed_reason TEXT, jurisdiction TEXT, opened TEXT, closed TEXT, assigned TEXT, tags TEXT,
		alias TEXT, age INTEGER, languages TEXT, interpreter INTEGER, placement TEXT)`,
	`CREATE TABLE notes (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id), kind TEXT,
		body TEXT, author TEXT, created TEXT, sensitivity TEXT, final INTEGER, finalised TEXT)`,
	"CREATE INDEX notes_by_case ON notes(case_id, created)",
	`CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id',
		tokenize='unicode61 remove_diacritics 2')`,
}

// sqliteLoad loads the same case files into a fresh SQLite database, one
// transaction per file (synced: synchronous=FULL, as our commits are), reading
// and decoding each file inside its time as our import does, and measures the
// database on disk after a checkpoint. The database (fictional demo text) is
// removed afterwards.
func sqliteLoad(c config) error {
	files, err := caseFileList(c)
	if err != nil {
		return err
	}
	path := filepath.Join(c.out, "load.db")
	remove := func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(path + suffix)
		}
	}
	remove()
	defer remove()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	res := loadResult{Load: loadAverage()}
	if err := db.QueryRow("select sqlite_version()").Scan(&res.Version); err != nil {
		return err
	}
	for _, stmt := range sqliteSchema {
		if _, err := db.Exec(stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	for _, name := range files {
		start := time.Now()
		cases, notes, err := sqliteFile(db, name)
		if err != nil {
			return fmt.Errorf("loading %s: %w", filepath.Base(name), err)
		}
		took := time.Since(start)
		res.Files = append(res.Files, took)
		res.Cases += cases
		res.Notes += notes
		fmt.Fprintf(os.Stderr, "SQLite loaded %s: %d cases, %d notes in %s\n", filepath.Base(name), cases, notes, human(took))
	}
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return err
	}
	res.Bytes = fileSize(path) + fileSize(path+"-wal")
	res.PeakRSS = statusKB("VmHWM:")
	return writeJSON(filepath.Join(c.out, "sqlite-load.json"), res)
}

// sqliteFile reads one case file and inserts it in one transaction.
func sqliteFile(db *sql.DB, name string) (cases, notes int, err error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, err
	}
	var cf app.CaseFile
	if err := json.Unmarshal(b, &cf); err != nil {
		return 0, 0, err
	}
	tx, err := db.Begin()
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	insCase, err := tx.Prepare(`INSERT INTO cases (number, title, status, closed_reason, jurisdiction, opened, closed,
		assigned, tags, alias, age, languages, interpreter, placement) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return 0, 0, err
	}
	insNote, err := tx.Prepare(`INSERT INTO notes (case_id, kind, body, author, created, sensitivity, final, finalised)
		VALUES (?,?,?,?,?,?,?,?)`)
	if err != nil {
		return 0, 0, err
	}
	insText, err := tx.Prepare("INSERT INTO notes_fts (rowid, body) VALUES (?, ?)")
	if err != nil {
		return 0, 0, err
	}
	for _, fc := range cf.Cases {
		v := fc.Victim
		out, err := insCase.Exec(fc.Number, fc.Title, fc.Status, fc.ClosedReason, fc.Jurisdiction, fc.Opened, fc.Closed,
			strings.Join(fc.Assigned, "\n"), strings.Join(fc.Tags, "\n"), v.Alias, v.Age,
			strings.Join(v.Languages, "\n"), v.InterpreterNeeded, v.PlacementType)
		if err != nil {
			return 0, 0, err
		}
		caseID, err := out.LastInsertId()
		if err != nil {
			return 0, 0, err
		}
		for _, n := range fc.Notes {
			out, err := insNote.Exec(caseID, n.Kind, n.Body, n.Author, n.CreatedAt, n.Sensitivity, n.Final, n.FinalisedAt)
			if err != nil {
				return 0, 0, err
			}
			id, err := out.LastInsertId()
			if err != nil {
				return 0, 0, err
			}
			if _, err := insText.Exec(id, n.Body); err != nil {
				return 0, 0, err
			}
			notes++
		}
		cases++
	}
	return cases, notes, tx.Commit()
}
