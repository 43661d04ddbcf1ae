package app

// ReportCounts is the report before de-identification, for tests that check each
// figure's count against a hand-built vault. Production code has no way to it.
func (r *Records) ReportCounts(opt ReportOptions) (*Report, error) { return r.countReport(opt) }
