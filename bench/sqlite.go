package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"casenotes/app"
	"casenotes/app/search"

	_ "modernc.org/sqlite"
)

// peerResult is what the sqlite step measured.
type peerResult struct {
	Version  string        `json:"version"`
	Docs     int           `json:"docs"`
	Load     time.Duration `json:"load"` // inserting every document and optimizing
	DBBytes  int64         `json:"db_bytes"`
	LoadAvg  string        `json:"load_avg"`
	Snippets bool          `json:"snippets"`
}

// peerSetup loads the text our index holds into SQLite FTS5 (unicode61 with
// remove_diacritics 2, BM25 ranking, snippet()), in a database under the results
// folder (fictional demo text), removed by cleanup.
func peerSetup(c config, all []app.SearchRecord) (db *sql.DB, res peerResult, cleanup func(), err error) {
	path := filepath.Join(c.out, "peer.db")
	remove := func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(path + suffix)
		}
	}
	remove()
	db, err = sql.Open("sqlite", path)
	if err != nil {
		return nil, res, nil, err
	}
	cleanup = func() { db.Close(); remove() }
	db.SetMaxOpenConns(1)
	res.LoadAvg, res.Snippets = loadAverage(), true
	if err := db.QueryRow("select sqlite_version()").Scan(&res.Version); err != nil {
		return nil, res, cleanup, err
	}
	for _, stmt := range []string{
		"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536",
		`CREATE VIRTUAL TABLE docs USING fts5(body, case_id UNINDEXED, kind UNINDEXED, author UNINDEXED,
			date UNINDEXED, source UNINDEXED, sensitivity UNINDEXED, tokenize='unicode61 remove_diacritics 2')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			return nil, res, cleanup, fmt.Errorf("%s: %w", stmt, err)
		}
	}
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return nil, res, cleanup, err
	}
	ins, err := tx.Prepare("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return nil, res, cleanup, err
	}
	kindOf := map[app.ID]app.NoteKind{}
	for _, d := range all {
		kind := d.Kind
		switch d.Source {
		case app.SourceNote:
			kindOf[d.Note] = d.Kind
		case app.SourceAddendum:
			kind = kindOf[d.Note]
		}
		if _, err := ins.Exec(d.Text, d.Case.String(), string(kind), d.Author, d.Date.Unix(), string(d.Source), string(d.Sensitivity)); err != nil {
			return nil, res, cleanup, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, res, cleanup, err
	}
	if _, err := db.Exec("INSERT INTO docs(docs) VALUES('optimize')"); err != nil {
		return nil, res, cleanup, err
	}
	res.Load, res.Docs = time.Since(start), len(all)
	res.DBBytes = fileSize(path) + fileSize(path+"-wal")
	return db, res, cleanup, nil
}

// runPeerQuery runs one query the way our engine answers it: the best 20 hits by
// BM25, each with a snippet, read to the end.
func runPeerQuery(db *sql.DB, match, where string, args []any) (int, error) {
	q := `SELECT rowid, case_id, kind, author, date, snippet(docs, 0, '[', ']', '…', 24)
		FROM docs WHERE docs MATCH ?` + where + ` ORDER BY rank LIMIT 20`
	rows, err := db.Query(q, append([]any{match}, args...)...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, date int64
		var cs, kind, author, snip string
		if err := rows.Scan(&id, &cs, &kind, &author, &date, &snip); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// fts5Query translates a bench query into an FTS5 MATCH expression (each word
// quoted, prefixes as "word"*, exclusions with NOT) and the filters into SQL.
func fts5Query(q benchQuery) (match, where string, args []any) {
	var pos, neg []string
	for _, part := range splitQuery(q.Text) {
		not := strings.HasPrefix(part, "-") && len(part) > 1
		if not {
			part = part[1:]
		}
		prefix := strings.HasSuffix(part, "*") && !strings.HasPrefix(part, `"`)
		toks := search.Fold(strings.Trim(part, `"*`))
		if toks == "" {
			continue
		}
		term := `"` + toks + `"`
		if prefix {
			term += "*"
		}
		if not {
			neg = append(neg, term)
		} else {
			pos = append(pos, term)
		}
	}
	match = strings.Join(pos, " AND ")
	for _, n := range neg {
		match += " NOT " + n
	}
	if q.Kind != "" {
		where += " AND kind = ?"
		args = append(args, q.Kind)
	}
	if q.Since != "" {
		t, _ := time.Parse(time.DateOnly, q.Since)
		where += " AND date >= ?"
		args = append(args, t.Unix())
	}
	if q.Case != "" {
		where += " AND case_id = ?"
		args = append(args, q.Case)
	}
	if q.Author != "" {
		where += " AND lower(author) = lower(?)"
		args = append(args, q.Author)
	}
	return match, where, args
}

// splitQuery splits a query into words and quoted phrases, keeping a leading "-".
func splitQuery(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if unicode.IsSpace(rune(s[i])) {
			i++
			continue
		}
		j := i
		if s[j] == '-' {
			j++
		}
		if j < len(s) && s[j] == '"' {
			end := strings.IndexByte(s[j+1:], '"')
			if end < 0 {
				end = len(s) - j - 1
			}
			k := min(j+2+end, len(s))
			out = append(out, s[i:k])
			i = k
			continue
		}
		for j < len(s) && !unicode.IsSpace(rune(s[j])) {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}
