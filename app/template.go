package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"casenotes/assets"
)

// Phase is one of the nine phases of the MDT checklist (docs/domain.md, "The
// checklist, by phase"). The set is fixed: templates may not invent phases, so
// progress reads the same across agencies.
type Phase string

// The phases, in the order a case usually moves through them.
const (
	PhaseIdentification    Phase = "identification"
	PhaseInitialResponse   Phase = "initial-response"
	PhaseSafety            Phase = "safety"
	PhaseForensicInterview Phase = "forensic-interview"
	PhaseMedical           Phase = "medical"
	PhaseServices          Phase = "services"
	PhaseInvestigation     Phase = "investigation"
	PhaseProsecution       Phase = "prosecution"
	PhaseAftercare         Phase = "aftercare"
)

// Phases lists the phases in checklist order.
var Phases = []Phase{
	PhaseIdentification, PhaseInitialResponse, PhaseSafety, PhaseForensicInterview,
	PhaseMedical, PhaseServices, PhaseInvestigation, PhaseProsecution, PhaseAftercare,
}

var phaseTitles = map[Phase]string{
	PhaseIdentification:    "Identification and screening",
	PhaseInitialResponse:   "Initial response",
	PhaseSafety:            "Safety",
	PhaseForensicInterview: "Forensic interview",
	PhaseMedical:           "Medical",
	PhaseServices:          "Services",
	PhaseInvestigation:     "Investigation",
	PhaseProsecution:       "Prosecution coordination",
	PhaseAftercare:         "Aftercare",
}

// Title is the phase's heading as people read it.
func (p Phase) Title() string { return phaseTitles[p] }

// Rank is the phase's position in Phases, or -1 for an unknown phase.
func (p Phase) Rank() int {
	for i, q := range Phases {
		if q == p {
			return i
		}
	}
	return -1
}

// TemplateItem is one item of a checklist template. ID is stable across versions
// ("safety.safety-plan"), so progress can be compared between cases that started on
// different versions.
type TemplateItem struct {
	ID       string  `json:"id"`
	Phase    Phase   `json:"phase"`
	Title    string  `json:"title"`
	Guidance string  `json:"guidance,omitempty"`
	Owner    Partner `json:"owner"`
	// DueDays, when set, makes the item due that many days after the case opens.
	DueDays *int `json:"due_days,omitempty"`
}

// Template is a versioned checklist template. A case keeps the ID and version it
// started with; a new version changes only cases opened after it becomes the default.
type Template struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Version     int            `json:"version"`
	Description string         `json:"description,omitempty"`
	Items       []TemplateItem `json:"items"`
}

// Limits on templates, so a crafted file cannot exhaust memory or flood a case.
const (
	MaxTemplateBytes    = 1 << 20
	MaxTemplateItems    = 500
	MaxItemTitle        = 200  // characters
	MaxItemGuidance     = 1000 // characters
	MaxTemplateDueDays  = 3650
	maxTemplateName     = 100
	maxTemplateVersion  = 1_000_000
	maxTemplateDescribe = 2000
)

var (
	templateIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	itemIDPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,63}$`)
)

// ParseTemplate reads and validates a template in JSON. Unknown fields are refused,
// so a misspelt "due_days" is caught instead of silently ignored.
func ParseTemplate(b []byte) (Template, error) {
	var tpl Template
	if len(b) > MaxTemplateBytes {
		return tpl, Invalid("template", fmt.Sprintf("is larger than %d KiB", MaxTemplateBytes>>10))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tpl); err != nil {
		if name, ok := unknownTemplateField(err); ok {
			return Template{}, Invalid("template", fmt.Sprintf("has a field Casenotes does not know: %q (check its spelling)", name))
		}
		return Template{}, Invalid("template", "is not a valid template file ("+jsonProblem(err)+")")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Template{}, Invalid("template", "has data after its end")
	}
	if err := tpl.Validate(); err != nil {
		return Template{}, err
	}
	return tpl, nil
}

// unknownTemplateField is the name of the field a template file misspelt. A
// template holds no case data, so a short field name in the template's own
// vocabulary (letters and underscores) is safe to repeat back; anything else is not
// echoed.
func unknownTemplateField(err error) (string, bool) {
	name, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return "", false
	}
	name, err = strconv.Unquote(name)
	if err != nil || name == "" || len(name) > 40 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return "", false
	}
	return name, true
}

// jsonProblem describes a decoding failure without echoing the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		if te.Field != "" {
			return "wrong type for " + te.Field
		}
		return "wrong type of value"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return "unknown field"
	default:
		return "unreadable"
	}
}

// Validate checks a template: ids in the allowed form and unique, known phases and
// partners, titles present, lengths and due days within limits.
func (tpl Template) Validate() error {
	switch {
	case !templateIDPattern.MatchString(tpl.ID):
		return Invalid("template id", "must be 1 to 40 lowercase letters, digits or dashes")
	case !plainText(tpl.Name, maxTemplateName, false):
		return Invalid("template name", fmt.Sprintf("must be 1 to %d characters on one line", maxTemplateName))
	case tpl.Version < 1 || tpl.Version > maxTemplateVersion:
		return Invalid("template version", "must be a whole number from 1")
	case utf8.RuneCountInString(tpl.Description) > maxTemplateDescribe || !utf8.ValidString(tpl.Description):
		return Invalid("template description", fmt.Sprintf("must be at most %d characters", maxTemplateDescribe))
	case len(tpl.Items) == 0:
		return Invalid("template items", "are missing")
	case len(tpl.Items) > MaxTemplateItems:
		return Invalid("template items", fmt.Sprintf("are more than %d", MaxTemplateItems))
	}
	seen := make(map[string]bool, len(tpl.Items))
	for i, it := range tpl.Items {
		field := func(f string) string { return fmt.Sprintf("item %d %s", i+1, f) }
		switch {
		case !itemIDPattern.MatchString(it.ID):
			return Invalid(field("id"), "must be 1 to 64 lowercase letters, digits, dots or dashes")
		case seen[it.ID]:
			return &FieldError{Field: field("id"), Reason: "is used by an earlier item", Err: ErrExists}
		case it.Phase.Rank() < 0:
			return Invalid(field("phase"), "is not one of the nine checklist phases")
		case !it.Owner.Known():
			return Invalid(field("owner"), "is not one of the MDT partners")
		case !plainText(it.Title, MaxItemTitle, false):
			return Invalid(field("title"), fmt.Sprintf("must be 1 to %d characters on one line", MaxItemTitle))
		case it.Guidance != "" && !plainText(it.Guidance, MaxItemGuidance, true):
			return Invalid(field("guidance"), fmt.Sprintf("must be at most %d characters", MaxItemGuidance))
		case it.DueDays != nil && (*it.DueDays < 0 || *it.DueDays > MaxTemplateDueDays):
			return Invalid(field("due days"), fmt.Sprintf("must be from 0 to %d", MaxTemplateDueDays))
		}
		seen[it.ID] = true
	}
	return nil
}

// plainText reports whether s is valid UTF-8 text of 1 to max characters, not only
// spaces, without control characters (newlines allowed only if multiline).
func plainText(s string, max int, multiline bool) bool {
	if !utf8.ValidString(s) || strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return false
		}
	}
	return true
}

// builtins are the released versions of the core template, oldest first. A case
// keeps the version it started with, so every version stays loadable.
var builtins = sync.OnceValue(func() []Template {
	var out []Template
	for i, b := range assets.CoreTemplates() {
		tpl, err := ParseTemplate(b)
		if err != nil || tpl.ID != "core" || tpl.Version != i+1 {
			// The embedded files are checked by a test; a broken build must not start.
			panic(fmt.Sprintf("casenotes: embedded core checklist template version %d is invalid: %v", i+1, err))
		}
		out = append(out, tpl)
	}
	return out
})

// core is the newest built-in template, the default of a new vault.
func core() Template {
	all := builtins()
	return all[len(all)-1]
}

// builtin returns a released version of a built-in template.
func builtin(id string, version int) (Template, bool) {
	for _, tpl := range builtins() {
		if tpl.ID == id && tpl.Version == version {
			return tpl, true
		}
	}
	return Template{}, false
}

// CoreTemplate returns the core MDT checklist embedded in the binary, the default
// for a vault that has not chosen another.
func CoreTemplate() Template { return cloneTemplate(core()) }

func cloneTemplate(tpl Template) Template {
	items := make([]TemplateItem, len(tpl.Items))
	copy(items, tpl.Items)
	for i := range items {
		if d := items[i].DueDays; d != nil {
			v := *d
			items[i].DueDays = &v
		}
	}
	tpl.Items = items
	return tpl
}

// TemplateInfo describes a template available in a vault, for a picker.
type TemplateInfo struct {
	ID      string
	Name    string
	Version int
	Items   int
	Builtin bool // embedded in Casenotes, not saved by the agency
	Default bool // the template new cases start from
	SavedAt time.Time
	SavedBy string
}

// Vault templates are vault-level RecTemplate records with Order templateOrder and
// a random ID (template ids are typed by people, so they never go into a key). The
// choice of default is one record at Order 0 with the zero ID.
const templateOrder = 1

var defaultTemplateKey = Key{Type: RecTemplate}

type storedTemplate struct {
	Template Template  `json:"template"`
	SavedAt  time.Time `json:"saved_at"`
	SavedBy  string    `json:"saved_by"`
}

type templateChoice struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

// SaveTemplate stores an agency's template in the vault: a new template id, or a
// higher version of an existing one (built-in or saved). It does not become the
// default until SetDefaultTemplate chooses it.
func (r *Records) SaveTemplate(tpl Template) error {
	if err := tpl.Validate(); err != nil {
		return err
	}
	now := r.now()
	return r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "template"}, func(t Tx) error {
		latest := 0
		err := eachTemplate(t, func(_ Key, st *storedTemplate) error {
			if st.Template.ID == tpl.ID && st.Template.Version > latest {
				latest = st.Template.Version
			}
			return nil
		})
		if err != nil {
			return err
		}
		if c := core(); c.ID == tpl.ID && c.Version > latest {
			latest = c.Version
		}
		if tpl.Version <= latest {
			return &FieldError{Field: "template version",
				Reason: fmt.Sprintf("must be higher than %d, the latest version of this template", latest),
				Err:    ErrExists}
		}
		st := storedTemplate{Template: cloneTemplate(tpl), SavedAt: now, SavedBy: r.who(t)}
		return putJSON(t, Key{Type: RecTemplate, Order: templateOrder, ID: NewID()}, st)
	})
}

func eachTemplate(t Tx, fn func(Key, *storedTemplate) error) error {
	return scanJSON(t, RecTemplate, ID{}, func(k Key, st *storedTemplate) error {
		if k.Order != templateOrder {
			return nil
		}
		return fn(k, st)
	})
}

// Templates lists the built-in and saved templates, every version, by id then version.
func (r *Records) Templates() ([]TemplateInfo, error) {
	var out []TemplateInfo
	err := r.view(func(t Tx) error {
		def, err := defaultChoice(t)
		if err != nil {
			return err
		}
		for _, c := range builtins() {
			out = append(out, TemplateInfo{ID: c.ID, Name: c.Name, Version: c.Version, Items: len(c.Items),
				Builtin: true, Default: def == templateChoice{c.ID, c.Version}})
		}
		return eachTemplate(t, func(_ Key, st *storedTemplate) error {
			out = append(out, TemplateInfo{ID: st.Template.ID, Name: st.Template.Name,
				Version: st.Template.Version, Items: len(st.Template.Items),
				Default: def == templateChoice{st.Template.ID, st.Template.Version},
				SavedAt: st.SavedAt, SavedBy: st.SavedBy})
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Version < out[j].Version
	})
	return out, err
}

// Template returns one version of a template, built-in or saved.
func (r *Records) Template(id string, version int) (Template, error) {
	var tpl Template
	err := r.view(func(t Tx) error {
		var err error
		tpl, err = loadTemplate(t, id, version)
		return err
	})
	return tpl, err
}

// DefaultTemplate returns the template new cases start from.
func (r *Records) DefaultTemplate() (Template, error) {
	var tpl Template
	err := r.view(func(t Tx) error {
		var err error
		tpl, err = defaultTemplate(t)
		return err
	})
	return tpl, err
}

// SetDefaultTemplate chooses the template (id and version) that new cases start
// from. Cases already open keep theirs.
func (r *Records) SetDefaultTemplate(id string, version int) error {
	return r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "template"}, func(t Tx) error {
		if _, err := loadTemplate(t, id, version); err != nil {
			return err
		}
		return putJSON(t, defaultTemplateKey, templateChoice{ID: id, Version: version})
	})
}

func loadTemplate(t Tx, id string, version int) (Template, error) {
	if c, ok := builtin(id, version); ok {
		return cloneTemplate(c), nil
	}
	var found *Template
	err := eachTemplate(t, func(_ Key, st *storedTemplate) error {
		if st.Template.ID == id && st.Template.Version == version {
			found = &st.Template
			return ErrStopScan
		}
		return nil
	})
	if err != nil {
		return Template{}, err
	}
	if found == nil {
		return Template{}, fmt.Errorf("template: %w", ErrNotFound)
	}
	return *found, nil
}

func defaultChoice(t Tx) (templateChoice, error) {
	var ch templateChoice
	err := getJSON(t, defaultTemplateKey, &ch)
	if isNotFound(err) {
		c := core()
		return templateChoice{ID: c.ID, Version: c.Version}, nil
	}
	return ch, err
}

func defaultTemplate(t Tx) (Template, error) {
	ch, err := defaultChoice(t)
	if err != nil {
		return Template{}, err
	}
	return loadTemplate(t, ch.ID, ch.Version)
}
