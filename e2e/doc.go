// Package e2e holds the end-to-end test of the desktop app: the real casenotes
// binary, under its own Xvfb display, driven with xdotool as a user drives it
// (keys and mouse clicks), checked afterwards through the command line. It has no
// code of its own; see gui_test.go. Run it with `make e2e` (or CASENOTES_E2E=1
// go test ./e2e/); plain go test ./... skips it, as it takes one to three minutes.
package e2e
