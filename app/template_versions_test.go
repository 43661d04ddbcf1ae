package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"casenotes/app"
	"casenotes/assets"
)

// releasedCore pins every released version of the core checklist template. Cases
// keep the version they started with, so a released version must never change: a
// change to the template is a new file (templates/core-vN.json) with a new version,
// pinned here in the commit that releases it.
var releasedCore = map[int]string{
	1: "c8cd6587baac820a81c8c5999a0771f5b6cc3684c2080f2890900650fded4218",
	2: "d2127996e95f45ca654251155ca77b33e1cd2e7503183be98c659a1c3fd59204",
}

func TestReleasedTemplateVersionsNeverChange(t *testing.T) {
	all := assets.CoreTemplates()
	for i, b := range all {
		v := i + 1
		sum := sha256.Sum256(b)
		want, pinned := releasedCore[v]
		switch {
		case !pinned:
			t.Errorf("core template version %d is not pinned in releasedCore: add its SHA-256 when releasing it", v)
		case hex.EncodeToString(sum[:]) != want:
			t.Errorf("core template version %d changed after its release: make the change a new version (core-v%d.json)", v, len(all)+1)
		}
		tpl, err := app.ParseTemplate(b)
		if err != nil || tpl.Version != v {
			t.Errorf("core-v%d.json: version %d, %v", v, tpl.Version, err)
		}
	}
	if len(all) < len(releasedCore) {
		t.Errorf("%d released core template versions are pinned but only %d ship: a released version was removed", len(releasedCore), len(all))
	}
}

// A case keeps the template version it started with after a newer one becomes the
// default: its checklist does not change, and that version stays loadable.
func TestCasesKeepTheirTemplateVersion(t *testing.T) {
	r := newTestRecords(t)
	c := newTestCase(t, r, "2026-1")
	started, _ := r.Case(c.ID)
	before, _ := r.Checklist(c.ID)
	tpl := app.CoreTemplate()
	tpl.Version = 99
	tpl.Items = tpl.Items[:10]
	if err := r.SaveTemplate(tpl); err != nil {
		t.Fatal(err)
	}
	if err := r.SetDefaultTemplate("core", 99); err != nil {
		t.Fatal(err)
	}
	got, _ := r.Case(c.ID)
	after, _ := r.Checklist(c.ID)
	if got.TemplateVersion != started.TemplateVersion || len(after) != len(before) {
		t.Fatalf("the case moved to template version %d with %d items; want version %d with %d",
			got.TemplateVersion, len(after), started.TemplateVersion, len(before))
	}
	if _, err := r.Template("core", got.TemplateVersion); err != nil {
		t.Fatalf("the case's template version no longer loads: %v", err)
	}
	newer := newTestCase(t, r, "2026-2")
	if n, _ := r.Checklist(newer.ID); len(n) != 10 {
		t.Fatalf("a new case has %d items; want the new default's 10", len(n))
	}
}
