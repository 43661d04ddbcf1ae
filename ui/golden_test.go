package ui

import (
	"testing"
)

// Golden markup of the screens a user meets first. Masters live in testdata/; a
// changed screen writes testdata/failed/ for review before it replaces a master.

func TestUnlockScreenMarkup(t *testing.T) {
	h := newHarness(t)
	h.withVault()
	h.start()
	h.assertMarkup("unlock.xml")

	h.unlockWith("not the passphrase")
	h.assertMarkup("unlock_wrong.xml")
}

func TestOnboardingScreenMarkup(t *testing.T) {
	h := newHarness(t).start()
	h.assertMarkup("onboarding.xml")
}

func TestRecoveryKeyScreenMarkup(t *testing.T) {
	h := newHarness(t).start()
	// A fixed key: the real one is random.
	h.shell.showRecoveryKey("0A3F7-K9QZ2-M4T8C-X1B6H-7PWRN-2D5GE-Q8JVA-C3Y9T-H6MKB-5RXFD-W2N7P-J4E8S-9TGBZ")
	h.assertMarkup("recovery_key.xml")
}
