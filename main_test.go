package main

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// fyneAppField reads one "Key = value" line of a section of FyneApp.toml, without
// its quotes ("" when absent).
func fyneAppField(t *testing.T, section, key string) string {
	t.Helper()
	f, err := os.Open("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			in = strings.Trim(line, "[]")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && in == section && strings.TrimSpace(k) == key {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

// TestDesktopMetadata: the packaged desktop entry is named after a proper app ID
// (not "org.casenotes.desktop.desktop"), is filed under Office with a comment and
// keywords people search for, and the running app uses the same ID.
func TestDesktopMetadata(t *testing.T) {
	id := fyneAppField(t, "Details", "ID")
	if id != appID {
		t.Errorf("FyneApp.toml ID %q, main.go appID %q: they must agree", id, appID)
	}
	if strings.HasSuffix(strings.ToLower(id), ".desktop") || strings.Count(id, ".") < 2 {
		t.Errorf("ID %q: want a reverse-DNS name such as org.casenotes.Casenotes (the desktop file is ID.desktop)", id)
	}
	if c := fyneAppField(t, "LinuxAndBSD", "Categories"); !strings.Contains(c, `"Office"`) {
		t.Errorf("Categories = %s, want Office", c)
	}
	if c := fyneAppField(t, "LinuxAndBSD", "Comment"); len(c) < 20 {
		t.Errorf("Comment = %q", c)
	}
	k := fyneAppField(t, "LinuxAndBSD", "Keywords")
	if !strings.Contains(k, `"case"`) || strings.Contains(strings.ToLower(k), "fyne") {
		t.Errorf("Keywords = %s: want the words users search for, not the toolkit's name", k)
	}
}
