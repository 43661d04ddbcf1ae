package ui

import "time"

// clipboardClearAfter is how long text the app copied may stay on the clipboard.
const clipboardClearAfter = 30 * time.Second

// clipboardGuard remembers text the app put on the clipboard, so it can clear the
// clipboard later without wiping something the user copied elsewhere since.
type clipboardGuard struct {
	shell *Shell
	held  string
	stop  func()
}

// copyToClipboard puts text on the clipboard and clears it after 30 seconds, or
// at lock, if it still holds that text.
func (s *Shell) copyToClipboard(text string) {
	g := s.clip
	if g.stop != nil {
		g.stop()
	}
	s.app.Clipboard().SetContent(text)
	g.held = text
	g.stop = s.clock.After(clipboardClearAfter, g.clearIfOurs)
}

// CopyToClipboard is copyToClipboard for the case screens (note text, numbers).
func (s *Shell) CopyToClipboard(text string) { s.copyToClipboard(text) }

func (g *clipboardGuard) clearIfOurs() {
	if g.stop != nil {
		g.stop()
		g.stop = nil
	}
	if g.held == "" {
		return
	}
	cb := g.shell.app.Clipboard()
	if cb.Content() == g.held {
		cb.SetContent("")
	}
	g.held = ""
}
