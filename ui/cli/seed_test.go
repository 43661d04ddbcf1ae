package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/storage"
)

// TestSeedWithAFixedClock: `seed --now DAY` writes demo cases dated relative to
// that day, leaves the vault's profile alone, and says how long it took in words
// that are never "0s".
func TestSeedWithAFixedClock(t *testing.T) {
	dir, passFile, _ := initVault(t)
	r := run(t, "seed", "--vault", dir, "--passphrase-file", passFile, "--cases", "20", "--notes-per-case", "1", "--now", "2026-11-30")
	if r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	if !regexp.MustCompile(`^Seeded 20 fictional demo cases with 1 note each in ([1-9][0-9]* ms|[0-9]+\.[0-9] s)\.\n$`).MatchString(r.stdout) {
		t.Errorf("seed said %q", r.stdout)
	}
	r = run(t, "cases", "--json", "--vault", dir, "--passphrase-file", passFile)
	if r.code != 0 {
		t.Fatalf("cases: %d %s", r.code, r.stderr)
	}
	var cases []struct {
		Number   string    `json:"number"`
		Opened   time.Time `json:"opened"`
		Assigned []string  `json:"assigned"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &cases); err != nil || len(cases) != 20 {
		t.Fatalf("%d cases, %v: %s", len(cases), err, r.stdout)
	}
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for _, c := range cases {
		if c.Opened.After(day) || c.Opened.Before(day.AddDate(-1, 0, 0)) {
			t.Errorf("%s opened %s: not within the year before --now", c.Number, c.Opened.Format(time.DateOnly))
		}
		for _, who := range c.Assigned {
			if !strings.HasPrefix(who, "Demo ") {
				t.Errorf("%s assigned to %q", c.Number, who)
			}
		}
	}
	bad := run(t, "seed", "--vault", dir, "--passphrase-file", passFile, "--cases", "1", "--now", "yesterday")
	if bad.code != 2 || strings.Count(bad.stderr, "\n") != 1 || !strings.Contains(bad.stderr, "--now") {
		t.Errorf("seed --now yesterday: exit %d, %q", bad.code, bad.stderr)
	}
}

// TestInitWithAProfile: `init --name --role` records who will use the vault, the
// way onboarding does, so a scripted demo vault opens ready; seeding keeps it.
func TestInitWithAProfile(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "vault")
	passFile := writeFile(t, tmp, "pass", pass1+"\n")
	r := run(t, "init", "--vault", dir, "--passphrase-file", passFile, "--name", "Demo Detective Alvarez", "--role", "detective", "--agency", "Demo County Task Force")
	if r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	if r := run(t, "seed", "--vault", dir, "--passphrase-file", passFile, "--cases", "2"); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	s, err := app.NewVaults(&storage.Disk{}).Unlock(dir, []byte(pass1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	rec, _ := s.Records("")
	p, err := rec.Profile()
	if err != nil || p.DisplayName != "Demo Detective Alvarez" || p.Role != app.RoleDetective || p.Agency != "Demo County Task Force" {
		t.Errorf("profile %+v, %v", p, err)
	}
	for _, args := range [][]string{{"--name", "A"}, {"--role", "detective"}, {"--name", "A", "--role", "pilot"}} {
		bad := run(t, append([]string{"init", "--vault", filepath.Join(tmp, "other"), "--passphrase-file", passFile}, args...)...)
		if bad.code != 2 || strings.Count(bad.stderr, "\n") != 1 {
			t.Errorf("init %q: exit %d, %q", args, bad.code, bad.stderr)
		}
		if _, err := os.Stat(filepath.Join(tmp, "other")); !os.IsNotExist(err) {
			t.Fatalf("init %q created a vault", args)
		}
	}
}

// TestSeedPractice: `seed --practice` also writes a fictional partner directory and a
// case review meeting of the cases due for review, with reviews and action items.
func TestSeedPractice(t *testing.T) {
	dir, passFile, _ := initVault(t)
	r := run(t, "seed", "--vault", dir, "--passphrase-file", passFile, "--cases", "12", "--notes-per-case", "0", "--now", "2026-11-30", "--practice")
	if r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "\nSeeded a fictional partner directory and a case review meeting of 6 cases.\n") {
		t.Errorf("seed said %q", r.stdout)
	}
}
