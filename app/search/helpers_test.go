package search_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/app/search"
	"casenotes/storage"
)

// testNow is the clock of these tests.
var testNow = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

const testPass = "correct horse battery staple tango"

// vault creates a real vault (Badger in a temporary folder, the test KDF cost) and
// returns its folder, session and record service, working as Det. Alvarez.
func vault(t testing.TB) (string, *app.Session, *app.Records) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	s, _, err := app.NewVaults(&storage.Disk{}).Create(dir, []byte(testPass))
	if err != nil {
		t.Fatalf("create vault: %v", err)
	}
	t.Cleanup(func() { s.Lock() })
	r, err := s.Records("")
	if err != nil {
		t.Fatal(err)
	}
	r.Now = func() time.Time { return testNow }
	if _, err := r.SaveProfile(app.Profile{DisplayName: "Det. Alvarez", Role: app.RoleDetective}); err != nil {
		t.Fatal(err)
	}
	return dir, s, r
}

// open builds the index and waits for it.
func open(t testing.TB, r *app.Records) *search.Index {
	t.Helper()
	ix, err := search.Open(r)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ix.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	return ix
}

// newCase opens a case.
func newCase(t testing.TB, r *app.Records, number, title, alias string) app.Case {
	t.Helper()
	c, err := r.CreateCase(app.CaseInput{Number: number, Title: title, Assigned: []string{"Det. Alvarez"}},
		app.Victim{Alias: alias})
	if err != nil {
		t.Fatalf("create case %s: %v", number, err)
	}
	return c
}

// note writes a note, final unless draft.
func note(t testing.TB, r *app.Records, c app.Case, kind app.NoteKind, sens app.Sensitivity, body string, final bool) app.Note {
	t.Helper()
	n, err := r.AddNote(c.ID, app.NoteInput{Kind: kind, Body: body, Sensitivity: sens})
	if err != nil {
		t.Fatal(err)
	}
	if final {
		if n, err = r.FinaliseNote(c.ID, n.ID); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// as runs fn with the record service writing as someone else.
func as(r *app.Records, who string, fn func()) {
	old := r.User
	r.User = who
	defer func() { r.User = old }()
	fn()
}

// on runs fn with the clock at day.
func on(r *app.Records, day time.Time, fn func()) {
	old := r.Now
	r.Now = func() time.Time { return day }
	defer func() { r.Now = old }()
	fn()
}

// find runs a query and fails the test on an error.
func find(t testing.TB, ix *search.Index, q search.Query) search.Results {
	t.Helper()
	res, err := ix.Search(q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	return res
}

// noteIDs are the notes the hits open, best first.
func noteIDs(res search.Results) []app.ID {
	var out []app.ID
	for _, h := range res.Hits {
		out = append(out, h.Note)
	}
	return out
}

func hasNote(res search.Results, id app.ID) bool { return slices.Contains(noteIDs(res), id) }
