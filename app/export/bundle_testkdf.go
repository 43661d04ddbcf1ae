//go:build casenotes_testkdf

package export

// Tests build with casenotes_testkdf: passphrase bundles use a cheap scrypt cost so
// a test opens one in milliseconds. Production builds cannot reach this file.
func init() { scryptWorkFactor = 10 }
