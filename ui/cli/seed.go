package cli

import (
	"context"
	"fmt"
	"time"
)

// runSeed writes clearly fictional demo cases, for demos and benchmarks.
func runSeed(e *Env, g *globals, args []string) error {
	fs := newFlagSet("seed", e)
	cases := fs.Int("cases", 0, "how many demo cases to write")
	notes := fs.Int("notes-per-case", 25, "how many notes each case gets")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *cases < 1 {
		return usagef("seed: --cases N (at least 1) is required")
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
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
	fmt.Fprintf(e.Stdout, "Seeded %d fictional demo case(s) with %d note(s) each in %s.\n",
		*cases, *notes, time.Since(start).Round(100*time.Millisecond))
	return nil
}
