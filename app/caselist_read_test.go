package app_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"casenotes/app"
)

// The case list reads its entries with a hand-written decoder (issue 12): what a
// user sees must be what the stored entries say, read by encoding/json, for text
// encoding/json escapes, accents, several tags and people, every status, in the
// list's order.
func TestListCasesReadsEntriesAsStored(t *testing.T) {
	r := newTestRecords(t)
	if err := r.SetIndicators([]string{"sextortion", "trata & tráfico", `"online" <enticement>`}); err != nil {
		t.Fatal(err)
	}
	inputs := []struct {
		in    app.CaseInput
		alias string
	}{
		{app.CaseInput{Number: "2026-c-3", Title: `He said "meet me" <at> the mall & left`,
			Tags: []string{"sextortion", `"online" <enticement>`}, Assigned: []string{"Det. Alvarez", "Sam O'Neil"}}, "Zoë Nguyễn"},
		{app.CaseInput{Number: "2026-A-2", Title: "Trata – evaluación inicial", Tags: []string{"trata & tráfico"}}, "Kai"},
		{app.CaseInput{Number: "2026-B-1", Title: "Plain", Assigned: []string{"Det. Alvarez"}}, `Robin \ "R"`},
		{app.CaseInput{Number: "2026-B-10", Title: "Closed later"}, "Ash"},
	}
	var ids []app.ID
	for _, c := range inputs {
		cs, err := r.CreateCase(c.in, app.Victim{Alias: c.alias})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cs.ID)
	}
	if _, err := r.SetCaseStatus(ids[3], app.CaseClosed, "Services completed"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetCaseStatus(ids[1], app.CaseInactive, ""); err != nil {
		t.Fatal(err)
	}
	var want []app.CaseSummary
	err := r.Store().View(func(tx app.Tx) error {
		return tx.Scan(app.RecCaseIndex, app.ID{}, func(_ app.Key, b []byte) error {
			var s app.CaseSummary
			if err := json.Unmarshal(b, &s); err != nil {
				return err
			}
			want = append(want, s)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(want, func(a, b app.CaseSummary) int {
		if c := strings.Compare(strings.ToUpper(a.Number), strings.ToUpper(b.Number)); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	got, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(inputs) || !reflect.DeepEqual(got, want) {
		t.Fatalf("case list:\n got %+v\nwant %+v", got, want)
	}
	var order []string
	for _, s := range got {
		order = append(order, s.Number)
	}
	if strings.Join(order, " ") != "2026-A-2 2026-B-1 2026-B-10 2026-c-3" {
		t.Errorf("order %v", order)
	}
	for _, s := range got {
		if one, err := r.CaseSummary(s.ID); err != nil || !reflect.DeepEqual(one, s) {
			t.Errorf("CaseSummary(%s) = %+v, %v; the list has %+v", s.Number, one, err, s)
		}
	}
	// The filters read the same entries.
	open, err := r.ListCases(app.CaseFilter{Status: app.CaseOpen, Tag: `"online" <enticement>`, Assigned: "sam o'neil"})
	if err != nil || len(open) != 1 || open[0].ID != ids[0] {
		t.Fatalf("filtered list = %+v, %v", open, err)
	}
}
