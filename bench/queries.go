package main

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"casenotes/app"
	"casenotes/app/search"
)

// benchQuery is one query as both engines run it: the words in our query language
// and the filters.
type benchQuery struct {
	Text   string `json:"text"`
	Kind   string `json:"kind,omitempty"`
	Since  string `json:"since,omitempty"` // YYYY-MM-DD
	Case   string `json:"case,omitempty"`  // case ID (hex)
	Author string `json:"author,omitempty"`
}

// queryClass is a class of query the issue names, with the queries that stand for
// it; each is run many times and the class's p50 and p99 are over all runs.
type queryClass struct {
	Name    string       `json:"name"`
	Queries []benchQuery `json:"queries"`
}

// classes builds the query set from the corpus: fixed words for the common,
// accented, prefix, phrase and two-word classes, words that occur once for the
// rare class, and the filtered class over cases and dates of this vault.
func classes(docs []app.SearchRecord, now time.Time) []queryClass {
	words := func(ws ...string) []benchQuery {
		out := make([]benchQuery, len(ws))
		for i, w := range ws {
			out[i] = benchQuery{Text: w}
		}
		return out
	}
	rare := rareWords(docs, 24)
	var firstCase, secondCase string
	for _, d := range docs {
		if d.Source == app.SourceNote {
			if firstCase == "" {
				firstCase = d.Case.String()
			} else if d.Case.String() != firstCase {
				secondCase = d.Case.String()
				break
			}
		}
	}
	since := now.AddDate(0, 0, -90).Format(time.DateOnly)
	return []queryClass{
		{"common word", words("advocate", "placement", "phone", "safety", "school", "hotel", "court", "therapy")},
		{"rare word", words(rare...)},
		{"accented name typed without accents", words("quispe martinez", "nunez", "ibanez", "castaneda",
			"zuniga", "angstrom", "belanger", "senora nunez")},
		{"prefix", words("thera*", "advoc*", "quisp*", "harbor*", "preserv*", "subpoen*", "interp*", "compens*")},
		{"phrase", words(`"safety plan"`, `"forensic interview"`, `"victim compensation"`, `"photo array"`,
			`"tip line"`, `"pine ridge motel"`, `"la joven"`, `"digital forensics"`)},
		{"two words", words("hotel receipts", "motel phone", "interpreter spanish", "placement missing",
			"therapy intake", "plate sedan", "cash room", "school attendance")},
		{"filtered", []benchQuery{
			{Text: "advocate", Kind: string(app.NoteContact), Since: since},
			{Text: "hotel", Kind: string(app.NoteObservation)},
			{Text: "phone", Since: since},
			{Text: "safety", Case: firstCase},
			{Text: "placement", Case: secondCase},
			{Text: "court", Author: "Demo Advocate Kim"},
			{Text: "therapy", Kind: string(app.NoteService), Since: since},
			{Text: "school", Author: "Demo Detective Chen", Since: since},
		}},
	}
}

var rareShape = regexp.MustCompile(`^[0-9][a-z]{3}[0-9]{3}$|^[0-9]{6}$`)

// rareWords are n plate or report numbers that occur in exactly one document.
func rareWords(docs []app.SearchRecord, n int) []string {
	count := map[string]int{}
	for _, d := range docs {
		for _, w := range strings.Fields(search.Fold(d.Text)) {
			if rareShape.MatchString(w) {
				count[w]++
			}
		}
	}
	var once []string
	for w, c := range count {
		if c == 1 {
			once = append(once, w)
		}
	}
	slices.Sort(once)
	if len(once) > n {
		step := len(once) / n
		picked := make([]string, 0, n)
		for i := 0; i < n; i++ {
			picked = append(picked, once[i*step])
		}
		once = picked
	}
	return once
}

// ourQuery is a bench query in our engine's terms.
func ourQuery(q benchQuery) search.Query {
	out := search.Query{Text: q.Text, Kind: app.NoteKind(q.Kind), Author: q.Author}
	if q.Since != "" {
		out.Since, _ = time.Parse(time.DateOnly, q.Since)
	}
	if q.Case != "" {
		out.Case, _ = app.ParseID(q.Case)
	}
	return out
}
