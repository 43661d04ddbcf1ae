package app

// Test-only hooks into the staged import, for package app_test.

// SetImportTxBudget lowers the size one import transaction may write, so a small
// file is staged; the returned function restores it.
func SetImportTxBudget(n int) (restore func()) {
	old := importTxBudget
	importTxBudget = n
	return func() { importTxBudget = old }
}

// SetImportBatchHook makes fn run at the start of each staged batch.
func SetImportBatchHook(fn func(batch int) error) (restore func()) {
	old := importBatchHook
	importBatchHook = fn
	return func() { importBatchHook = old }
}
