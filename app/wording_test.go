package app_test

import (
	"casenotes/app"
	"casenotes/assets"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The words users read are US English and never stigmatize the child: the users
// are US agencies and their summaries go to US prosecutors, and the child is a
// victim, never an offender. TestWording scans everything a user reads: the Go
// string literals of the app and the command line (ui/, app/), the checklist
// templates, the demo and example case data, and the documentation.

// britishSpellings are British forms and their US spelling.
var britishSpellings = []struct{ re, us string }{
	{`centres?\b|centred`, "center"},
	{`paediatric`, "pediatric"},
	{`counsell(or|ors|ing|ed)`, "counselor, counseling"},
	{`finalis(e|es|ed|ing|ation)`, "finalize"},
	{`organis(e|es|ed|ing|ation|ations|ational)\b`, "organization"},
	{`labour`, "labor"},
	{`specialis(e|es|ed|ing|t|ts)\b`, "specialized"},
	{`colour`, "color"},
	{`behaviour`, "behavior"},
	{`favour`, "favor"},
	{`licence`, "license"},
	{`practis(e|es|ed|ing)\b`, "practice (the verb)"},
	{`analys(e|ed|ing)\b`, "analyze"},
	{`recognis`, "recognize"},
	{`judgement`, "judgment"},
	{`programmes?\b`, "program"},
	{`enrol(ment|ments|s)?\b`, "enroll, enrollment"},
	{`defence|offence`, "defense, offense"},
	{`catalogue`, "catalog"},
	{`\b(whilst|amongst)\b`, "while, among"},
	{`ageing`, "aging"},
	{`\b(learnt|spelt)\b`, "learned, spelled"},
	{`travell(ed|ing|er)`, "traveled"},
	{`modell(ed|ing)`, "modeled"},
	{`\bfulfil\b`, "fulfill"},
	{`\bgrey\b`, "gray"},
	// -ise verbs: US English writes -ize.
	{`\b(priorit|summar|author|minim|maxim|apolog|real|categor|normal|initial|capital|custom|util|memor|sanit|serial|standard|visual|optim|critic|familiar|harmon|mobil|stabil|synchron|emphas|notar|trauma?t|victim|stigmat|sensit|immun|hospital|computer|character|legal|central|apolog)is(e|es|ed|ing|ation)\b`, "-ize"},
}

// stigmatizing are words that blame or label the child.
var stigmatizing = []struct{ re, why string }{
	{`runaways?\b|\brun(ning)? away\b|\bran away\b`, `say "missing from care" or "missing episode"`},
	{`prostitut`, "a child is a victim of sex trafficking, never a prostitute"},
	{`\bchild sex workers?\b|\bsex workers?\b`, "a child is a victim of sex trafficking"},
	{`(^|[^d] |[^n] )offenders?\b`, `"offender" names an adult (an alleged or known offender), never the child`},
	{`\bsubjects?\b`, `the child is the "victim", never the "subject"`},
	{`delinquen`, "the child is a victim"},
	{`promiscu`, "blames the child"},
}

// allowedTerms are user-visible names the vault format keeps, allowed alone, in
// double quotes, or (for names with "_" or ".") anywhere: stored and
// file-format field names are part of the format and cannot change (see
// docs/case-format.md), and stored template item IDs, such as
// "safety.runaway-risk", identify items in existing vaults.
var allowedTerms = []string{"organisation", "finalised_at", "finalised_by", "finalised", "safety.runaway-risk"}

// phrasesAllowed are stigmatizing-looking words in a sense that does not apply
// to the child.
var phrasesAllowed = regexp.MustCompile(`(?i)alleged offenders?|known offenders?|subject to\b|offenders?' (lawyer|attorney)`)

type wordingFinding struct{ where, text, problem string }

// checkWording reports every British spelling and stigmatizing term in text.
func checkWording(where, text string) []wordingFinding {
	for _, a := range allowedTerms {
		// A field name alone, or quoted, or written with its underscore.
		if text == a {
			return nil
		}
		text = strings.ReplaceAll(text, `"`+a+`"`, "")
		if strings.ContainsAny(a, "_.") {
			text = strings.ReplaceAll(text, a, "")
		}
	}
	text = phrasesAllowed.ReplaceAllString(text, "")
	var out []wordingFinding
	for _, b := range britishSpellings {
		if m := regexp.MustCompile(`(?i)\w*(` + b.re + `)\w*`).FindString(text); m != "" {
			out = append(out, wordingFinding{where, text, "British spelling " + strconv.Quote(m) + ": US English writes " + b.us})
		}
	}
	for _, s := range stigmatizing {
		if m := regexp.MustCompile(`(?i)` + s.re).FindString(text); m != "" {
			out = append(out, wordingFinding{where, text, strconv.Quote(strings.TrimSpace(m)) + ": " + s.why})
		}
	}
	return out
}

// goStrings are the string literals of the Go files under dir (tests and struct
// tags left out: tags are stored field names, tests are not read by users).
func goStrings(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		tags := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if fl, ok := n.(*ast.Field); ok && fl.Tag != nil {
				tags[fl.Tag] = true
			}
			if imp, ok := n.(*ast.ImportSpec); ok {
				tags[imp.Path] = true
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && !tags[lit] {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out[p] = append(out[p], s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonStrings are the string values of a JSON file, without keys and without the
// values of identifier fields ("id", "item"), which are stored identifiers.
func jsonStrings(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case string:
			if key != "id" && key != "item" {
				out = append(out, x)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		}
	}
	walk("", v)
	return out
}

// markdownProse is a Markdown file without its code: code spans and blocks
// show file formats, whose field names are fixed.
func markdownProse(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile("(?s)```.*?```").ReplaceAllString(string(b), "")
	return regexp.MustCompile("`[^`\n]*`").ReplaceAllString(s, "")
}

func TestWording(t *testing.T) {
	root := ".."
	var findings []wordingFinding
	for _, dir := range []string{"ui", "app"} {
		for file, lits := range goStrings(t, filepath.Join(root, dir)) {
			for _, s := range lits {
				findings = append(findings, checkWording(file, s)...)
			}
		}
	}
	// Of the built-in template, only the newest version: a released version never
	// changes (cases keep theirs), so a wording fix is a new version.
	versions := assets.CoreTemplates()
	jsonFiles := []string{filepath.Join(root, "assets", "templates", fmt.Sprintf("core-v%d.json", len(versions)))}
	cases, _ := filepath.Glob(filepath.Join(root, "testdata", "cases", "*.json"))
	jsonFiles = append(append(jsonFiles, cases...), filepath.Join(root, ".ci", "screenshot-case.json"))
	for _, p := range jsonFiles {
		for _, s := range jsonStrings(t, p) {
			findings = append(findings, checkWording(p, s)...)
		}
	}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	for _, p := range append(docs, filepath.Join(root, "README.md")) {
		for i, line := range strings.Split(markdownProse(t, p), "\n") {
			findings = append(findings, checkWording(p+":"+strconv.Itoa(i+1), line)...)
		}
	}
	if len(jsonFiles) < 3 || len(docs) < 2 {
		t.Fatalf("scanned %d JSON files and %d docs: the paths are wrong", len(jsonFiles), len(docs))
	}
	for _, f := range findings {
		t.Errorf("%s: %s\n\t%q", f.where, f.problem, f.text)
	}
}

// TestWordingCatchesWhatItShould keeps the scanner honest: each of these must be
// caught, and the allowed uses must not.
func TestWordingCatchesWhatItShould(t *testing.T) {
	for _, bad := range []string{
		"Met at the child advocacy centre", "Offer a paediatric exam", "School counsellor report",
		"Finalise this note?", "the organisation", "labour exploitation", "a specialised placement",
		"no school enrolment", "Runaway episode follow-up", "Assess runaway risk", "child prostitution",
		"the subject was interviewed", "the victim is a juvenile offender", "Recognise the signs",
		"a judgement call", "the therapy programme", "prioritise the referral", "authorised by",
		"Sign and notarise it", "finalised by Det. Alvarez",
	} {
		if len(checkWording("test", bad)) == 0 {
			t.Errorf("%q is not caught", bad)
		}
	}
	for _, good := range []string{
		"Ask probation and parole about known offenders", "never signed by an alleged offender",
		`the field "organisation" of the case file`, "finalised_at", "subject to a protective order",
		"the child is missing from care", "Emphasis on safety", "the analysis", "center, pediatric, finalize",
	} {
		if f := checkWording("test", good); len(f) != 0 {
			t.Errorf("%q is wrongly caught: %s", good, f[0].problem)
		}
	}
}

// TestLockoutTimeReadsAsUS: the lockout sentence gives the time as US readers
// write it ("3:04 PM"), on the unlock screen and the command line alike.
func TestLockoutTimeReadsAsUS(t *testing.T) {
	err := &app.LockoutError{Until: time.Date(2026, 11, 30, 15, 4, 0, 0, time.Local)}
	if s := app.Sentence(err); !strings.Contains(s, "opens again at 3:04 PM;") {
		t.Errorf("lockout sentence %q", s)
	}
}
