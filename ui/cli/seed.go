package cli

import (
	"context"
	"fmt"
	"time"

	"casenotes/ui/format"
)

// runSeed writes clearly fictional demo cases, for demos and benchmarks.
func runSeed(e *Env, g *globals, args []string) error {
	fs := newFlagSet("seed", e)
	cases := fs.Int("cases", 0, "how many demo cases to write")
	notes := fs.Int("notes-per-case", 25, "how many notes each case gets")
	nowFlag := fs.String("now", "", "the demo's today: YYYY-MM-DD (09:00 UTC) or an RFC 3339 time; dates are relative to it")
	practice := fs.Bool("practice", false, "also write a fictional partner directory and a case review meeting")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *cases < 1 {
		return usagef("seed: --cases N (at least 1) is required")
	}
	var now time.Time
	if *nowFlag != "" {
		var err error
		if now, err = parseSeedNow(*nowFlag); err != nil {
			return err
		}
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	if !now.IsZero() {
		r.Now = func() time.Time { return now }
	}
	start := time.Now()
	var progress func(int)
	if e.Terminal != nil {
		progress = func(n int) { fmt.Fprintf(e.Stderr, "\rSeeding: %d of %d cases", n, *cases) }
	}
	err = r.Seed(context.Background(), *cases, *notes, progress)
	if progress != nil {
		fmt.Fprintln(e.Stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Seeded %s with %s each in %s.\n",
		format.Count(*cases, "fictional demo case", "fictional demo cases"), format.Count(*notes, "note", "notes"), elapsed(time.Since(start)))
	if *practice {
		m, err := r.SeedPractice()
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Seeded a fictional partner directory and a case review meeting of %s.\n", format.Count(len(m.Cases), "case", "cases"))
	}
	return nil
}

// parseSeedNow reads --now: a calendar date (taken as 09:00 UTC, the start of an
// office day) or a full RFC 3339 time.
func parseSeedNow(s string) (time.Time, error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Add(9 * time.Hour), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, usagef("seed: --now %q is not a date (YYYY-MM-DD) or an RFC 3339 time (2026-11-30T09:00:00Z)", s)
}

// elapsed says how long something took, readably at any length: "40 ms", "1.2 s",
// "2 min 5 s".
func elapsed(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	default:
		d = d.Round(time.Second)
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
}
