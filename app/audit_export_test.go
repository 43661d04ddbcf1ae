package app

// LogEvents appends n entries for ev to the session's audit trail, in commits of
// at most batch events each: a large log for benchmarks, built in seconds instead
// of n synced commits. The entries are written by the commit path as any other
// (sequence, MAC, Merkle tree, vault state), so verifying them costs what verifying
// a real log of that size costs.
func LogEvents(s *Session, n, batch int, ev AuditEvent) error {
	for n > 0 {
		k := min(n, batch)
		err := s.path.updateAs(s.context(), func(c *Change) error {
			for range k {
				logEvent(c, ev)
			}
			return nil
		})
		if err != nil {
			return err
		}
		n -= k
	}
	return nil
}
