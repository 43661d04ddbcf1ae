package cli

import (
	"fmt"
	"time"
)

// runCheck opens every record of the vault and recomputes every digest, like
// `restic check`: it prints each damaged case by number and exits 4, or prints a
// one-line summary and exits 0.
func runCheck(e *Env, g *globals, args []string) error {
	fs := newFlagSet("check", e)
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	s, err := unlock(e, g)
	if err != nil {
		return err
	}
	defer s.Lock()
	start := time.Now()
	rep, err := s.Check(nil)
	if err != nil {
		return err
	}
	if rep.OK() {
		fmt.Fprintf(e.Stdout, "Checked %d records in %d cases in %.1f s: no damage found.\n",
			rep.Records, rep.Cases, time.Since(start).Seconds())
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(e.Stdout, p.String())
	}
	return rep.Err()
}
