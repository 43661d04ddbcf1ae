//go:build casenotes_testkdf

package crypto

// Built only with -tags casenotes_testkdf: makes CalibrateKDF return cheap
// parameters so test suites that create many vaults stay fast, as age does.
// Production builds never carry this file.
func init() { testCost = true }
