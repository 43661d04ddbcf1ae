package app_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/assets"
)

// Every template embedded in the binary parses and validates; the core template
// covers every phase and every MDT partner with 60 to 90 items.
func TestEmbeddedTemplatesValid(t *testing.T) {
	names, data := assets.Templates()
	if len(names) == 0 {
		t.Fatal("no embedded templates")
	}
	for i, name := range names {
		if _, err := app.ParseTemplate(data[i]); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	core := app.CoreTemplate()
	if n := len(core.Items); n < 60 || n > 90 {
		t.Errorf("core template has %d items, want 60 to 90", n)
	}
	phases := map[app.Phase]int{}
	partners := map[app.Partner]int{}
	for _, it := range core.Items {
		phases[it.Phase]++
		partners[it.Owner]++
		if !strings.HasPrefix(it.ID, clPhasePrefix(it.Phase)) {
			t.Errorf("item %s: id does not start with its phase's prefix %q", it.ID, clPhasePrefix(it.Phase))
		}
		if it.Guidance == "" {
			t.Errorf("item %s has no guidance", it.ID)
		}
	}
	for _, p := range app.Phases {
		if phases[p] == 0 {
			t.Errorf("phase %s has no items", p)
		}
	}
	for _, p := range app.Partners {
		// "Other" names a partner outside the team's list: no core item is theirs.
		if partners[p] == 0 && p != app.PartnerOther {
			t.Errorf("partner %s owns no items", p)
		}
	}
	due := func(id string) int {
		for _, it := range core.Items {
			if it.ID == id {
				if it.DueDays == nil {
					t.Fatalf("%s has no due days", id)
				}
				return *it.DueDays
			}
		}
		t.Fatalf("core template has no item %s", id)
		return 0
	}
	for id, want := range map[string]int{
		"initial.mandated-report": 1, "initial.advocate-called": 1,
		"interview.scheduled": 7, "interview.record": 14, "aftercare.mdt-review": 30,
	} {
		if got := due(id); got != want {
			t.Errorf("%s due in %d days, want %d", id, got, want)
		}
	}
}

// clPhasePrefix is the id prefix the core template uses for a phase.
func clPhasePrefix(p app.Phase) string {
	switch p {
	case app.PhaseIdentification:
		return "identify."
	case app.PhaseInitialResponse:
		return "initial."
	case app.PhaseForensicInterview:
		return "interview."
	case app.PhaseInvestigation:
		return "investigate."
	}
	return string(p) + "."
}

// The words of the core template (and of every other text users read) are checked
// by TestWording in wording_test.go.

const clValidTemplate = `{"id":"agency","name":"Agency checklist","version":1,"items":[
 {"id":"safety.plan","phase":"safety","title":"Make a safety plan","owner":"victim-services","due_days":3},
 {"id":"aftercare.review","phase":"aftercare","title":"Case review","owner":"law-enforcement"}]}`

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		field string // the field the error names; "" for a valid template
	}{
		{"valid", clValidTemplate, ""},
		{"duplicate item id", strings.Replace(clValidTemplate, `"aftercare.review"`, `"safety.plan"`, 1), "item 2 id"},
		{"unknown phase", strings.Replace(clValidTemplate, `"phase":"aftercare"`, `"phase":"arrest"`, 1), "item 2 phase"},
		{"unknown partner", strings.Replace(clValidTemplate, `"owner":"law-enforcement"`, `"owner":"fbi"`, 1), "item 2 owner"},
		{"missing title", strings.Replace(clValidTemplate, `"title":"Case review"`, `"title":"  "`, 1), "item 2 title"},
		{"negative due days", strings.Replace(clValidTemplate, `"due_days":3`, `"due_days":-1`, 1), "item 1 due days"},
		{"due days too far", strings.Replace(clValidTemplate, `"due_days":3`, `"due_days":99999`, 1), "item 1 due days"},
		{"bad item id", strings.Replace(clValidTemplate, `"safety.plan"`, `"Safety Plan"`, 1), "item 1 id"},
		{"bad template id", strings.Replace(clValidTemplate, `"agency"`, `"../etc"`, 1), "template id"},
		{"version zero", strings.Replace(clValidTemplate, `"version":1`, `"version":0`, 1), "template version"},
		{"no name", strings.Replace(clValidTemplate, `"Agency checklist"`, `""`, 1), "template name"},
		{"no items", `{"id":"a","name":"A","version":1,"items":[]}`, "template items"},
		{"unknown field", strings.Replace(clValidTemplate, `"due_days":3`, `"due_day":3`, 1), "template"},
		{"trailing data", clValidTemplate + `{}`, "template"},
		{"not json", `id: core`, "template"},
		{"wrong type", strings.Replace(clValidTemplate, `"version":1`, `"version":"1"`, 1), "template"},
		{"control character in title", strings.Replace(clValidTemplate, `Case review`, `Case\u0000review`, 1), "item 2 title"},
		// Cases found by fuzzing.
		{"null", `null`, "template id"},
		{"empty object", `{}`, "template id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := app.ParseTemplate([]byte(tt.in))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("ParseTemplate: %v", err)
				}
				if tpl.ID != "agency" || len(tpl.Items) != 2 || *tpl.Items[0].DueDays != 3 || tpl.Items[1].DueDays != nil {
					t.Fatalf("parsed %+v", tpl)
				}
				return
			}
			var fe *app.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("error %v, want one naming %q", err, tt.field)
			}
			if !errors.Is(err, app.ErrInvalid) && !errors.Is(err, app.ErrExists) {
				t.Fatalf("error %v is neither ErrInvalid nor ErrExists", err)
			}
		})
	}
}

func TestParseTemplateTooLarge(t *testing.T) {
	big := `{"id":"a","name":"` + strings.Repeat("x", app.MaxTemplateBytes) + `"}`
	if _, err := app.ParseTemplate([]byte(big)); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("error %v, want ErrInvalid", err)
	}
}

// FuzzParseTemplate: parsing never panics, and a template that parses survives a
// round trip through JSON unchanged.
func FuzzParseTemplate(f *testing.F) {
	f.Add(assets.CoreTemplate())
	f.Add([]byte(clValidTemplate))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id":"a","name":"A","version":1,"items":[{"id":"x","phase":"safety","title":"T","owner":"school","due_days":0}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tpl, err := app.ParseTemplate(b)
		if err != nil {
			return
		}
		out, err := json.Marshal(tpl)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := app.ParseTemplate(out)
		if err != nil {
			t.Fatalf("re-parse of a valid template failed: %v", err)
		}
		if !reflect.DeepEqual(tpl, again) {
			t.Fatalf("round trip changed the template")
		}
	})
}

// An agency saves its own template and versions of it; the default decides what a
// new case gets; a case keeps the version it started with.
func TestVaultTemplates(t *testing.T) {
	r, _ := clVault(t)
	core := app.CoreTemplate()

	old := clCase(t, r, "2026-001", time.Time{})
	if old.TemplateID != core.ID || old.TemplateVersion != core.Version {
		t.Fatalf("new case template %s v%d, want %s v%d", old.TemplateID, old.TemplateVersion, core.ID, core.Version)
	}

	tpl, err := app.ParseTemplate([]byte(clValidTemplate))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SaveTemplate(tpl); err != nil {
		t.Fatalf("save: %v", err)
	}
	if err := r.SaveTemplate(tpl); !errors.Is(err, app.ErrExists) {
		t.Fatalf("saving the same version again: %v, want ErrExists", err)
	}
	if err := r.SaveTemplate(core); !errors.Is(err, app.ErrExists) {
		t.Fatalf("saving the built-in version as a vault template: %v, want ErrExists", err)
	}
	v2 := tpl
	v2.Version = 2
	v2.Items = append(v2.Items[:1:1], app.TemplateItem{ID: "services.housing", Phase: app.PhaseServices,
		Title: "Find housing", Owner: app.PartnerChildWelfare})
	if err := r.SaveTemplate(v2); err != nil {
		t.Fatalf("save v2: %v", err)
	}
	bad := tpl
	bad.Version = 3
	bad.Items = nil
	if err := r.SaveTemplate(bad); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("saving an invalid template: %v, want ErrInvalid", err)
	}

	list, err := r.Templates()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ti := range list {
		s := ti.ID + "/" + string(rune('0'+ti.Version))
		if ti.Default {
			s += "*"
		}
		got = append(got, s)
	}
	if want := []string{"agency/1", "agency/2", "core/1", "core/2*"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("templates %v, want %v", got, want)
	}

	if err := r.SetDefaultTemplate("agency", 9); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("default to a missing version: %v, want ErrNotFound", err)
	}
	if err := r.SetDefaultTemplate("agency", 2); err != nil {
		t.Fatal(err)
	}
	def, err := r.DefaultTemplate()
	if err != nil || def.ID != "agency" || def.Version != 2 {
		t.Fatalf("default %s v%d (%v), want agency v2", def.ID, def.Version, err)
	}

	c := clCase(t, r, "2026-002", time.Time{})
	if c.TemplateID != "agency" || c.TemplateVersion != 2 {
		t.Fatalf("new case template %s v%d, want agency v2", c.TemplateID, c.TemplateVersion)
	}
	items, err := r.Checklist(c.ID)
	if err != nil || len(items) != 2 || items[0].TemplateItem != "safety.plan" || items[1].TemplateItem != "services.housing" {
		t.Fatalf("new case checklist %+v (%v)", items, err)
	}
	// The first case keeps the core template it started with.
	again, err := r.Case(old.ID)
	if err != nil || again.TemplateID != core.ID || again.TemplateVersion != core.Version {
		t.Fatalf("old case now %s v%d (%v)", again.TemplateID, again.TemplateVersion, err)
	}
	oldItems, err := r.Checklist(old.ID)
	if err != nil || len(oldItems) != len(core.Items) {
		t.Fatalf("old case has %d items (%v), want %d", len(oldItems), err, len(core.Items))
	}
	stored, err := r.Template("agency", 1)
	if err != nil || !reflect.DeepEqual(stored, tpl) {
		t.Fatalf("stored template differs (%v)", err)
	}
}

func BenchmarkParseCoreTemplate(b *testing.B) {
	data := assets.CoreTemplate()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := app.ParseTemplate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// docs/checklist.md lists every item of the core template, so the page cannot
// drift from the file it describes.
func TestChecklistDocCoversCoreTemplate(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "checklist.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range app.CoreTemplate().Items {
		if !strings.Contains(string(doc), "(`"+it.ID+"`)") {
			t.Errorf("docs/checklist.md does not list %s", it.ID)
		}
	}
}
