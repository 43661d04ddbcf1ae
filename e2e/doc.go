// Package e2e holds the end-to-end test of the desktop app: the real casenotes
// binary, under its own Xvfb display, driven with xdotool as a user drives it
// (keys and mouse clicks), checked afterwards through the command line. It has no
// code of its own; see gui_test.go.
package e2e
