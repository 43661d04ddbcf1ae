package app

import (
	"slices"
	"strings"
)

// ReportChoices are the values a report's filter can be set to in this vault, for
// a screen to offer: each person and partner matches at least one case, spelled as
// the records spell it (the filter ignores letter case, so each is offered once).
type ReportChoices struct {
	// Assigned: the people cases are assigned to, sorted.
	Assigned []string
	// Partners: the partners named on referrals, sorted. The partner filter matches
	// a referral's partner name, which is a directory entry's name as it was when
	// the referral was made ("Ana Ruiz at Demo Youth Shelter") or a name typed
	// there: a directory entry no referral names would match no case.
	Partners []string
	// Indicators: the vault's indicator list, then, sorted, tags on cases that are
	// no longer on it.
	Indicators []string
}

// ReportChoices reads the choices in one snapshot: the case list entries, the
// referrals and the indicator list. It reads no victim profile or note.
func (r *Records) ReportChoices() (ReportChoices, error) {
	var c ReportChoices
	err := r.view(func(t Tx) error {
		people, tags, partners := foldSet{}, foldSet{}, foldSet{}
		err := scanSummaries(t, func(s *CaseSummary) error {
			for _, p := range s.Assigned {
				people.add(p)
			}
			for _, tag := range s.Tags {
				tags.add(tag)
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = scanJSON(t, RecReferral, ID{}, func(_ Key, ref *Referral) error {
			partners.add(ref.Partner)
			return nil
		})
		if err != nil {
			return err
		}
		list, err := indicators(t)
		if err != nil {
			return err
		}
		listed := foldSet{}
		for _, tag := range list {
			listed.add(tag)
		}
		c = ReportChoices{Assigned: people.sorted(), Partners: partners.sorted(), Indicators: list}
		for _, tag := range tags.sorted() {
			if !listed.has(tag) {
				c.Indicators = append(c.Indicators, tag)
			}
		}
		return nil
	})
	return c, err
}

// foldSet collects names, letter case ignored: for each name, how often each
// spelling of it was seen.
type foldSet map[string]map[string]int

func (s foldSet) add(name string) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	key := strings.ToLower(name)
	if s[key] == nil {
		s[key] = map[string]int{}
	}
	s[key][name]++
}

func (s foldSet) has(name string) bool { return s[strings.ToLower(strings.TrimSpace(name))] != nil }

// sorted is each name once, in its most used spelling (the same one every time
// when two are used as often), in alphabetical order, letter case ignored.
func (s foldSet) sorted() []string {
	out := make([]string, 0, len(s))
	for _, spellings := range s {
		best := ""
		for name, n := range spellings {
			if m := spellings[best]; best == "" || n > m || (n == m && name < best) {
				best = name
			}
		}
		out = append(out, best)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}
