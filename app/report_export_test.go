package app

// ReportCounts is the report before de-identification, for tests that check each
// figure's count against a hand-built vault. Production code has no way to it.
func (r *Records) ReportCounts(opt ReportOptions) (*Report, error) { return r.countReport(opt) }

// DropReportFacts deletes every case's report facts straight from the store, as in
// a vault written before they existed, for the test that the report then reads the
// checklists instead.
func DropReportFacts(r *Records) error {
	return r.path.store.Update(func(t Tx) error {
		var keys []Key
		if err := t.ScanKeys(RecReportFacts, ID{}, func(k Key) error { keys = append(keys, k); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReportFactsCount counts the report facts records.
func ReportFactsCount(r *Records) (n int, err error) {
	err = r.view(func(t Tx) error { return t.ScanKeys(RecReportFacts, ID{}, func(Key) error { n++; return nil }) })
	return n, err
}

// RunReportFactsMigration runs the report facts migration to its end, in batches
// on the commit path as the migration runner does.
func RunReportFactsMigration(r *Records) error {
	var cursor []byte
	for done := false; !done; {
		err := r.path.update(func(c *Change) error {
			var err error
			cursor, done, err = migrateReportFacts(c, cursor)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
