package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"casenotes/app"
)

// casesPerFile is how many cases one import file holds: 2,000 cases of 25 notes
// are about 40 MB, under the case file's 64 MiB limit (app.MaxCaseFile), so the
// 10,000 cases of the benchmark vault are five files imported in a row.
const casesPerFile = 2000

// caseFiles writes the seeded vault's cases, their victim profiles and notes as
// case files (casenotes-case/v1) of casesPerFile cases each, so that our import
// and SQLite load the same fictional text the seed wrote. Checklists, referrals
// and timeline events are left out: the comparison is of the case and note fields.
func caseFiles(c config) error {
	s, r, _, err := c.unlock()
	if err != nil {
		return err
	}
	defer s.Lock()
	list, err := r.ListCases(app.CaseFilter{})
	if err != nil {
		return err
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Number < list[j].Number })
	old, _ := filepath.Glob(filepath.Join(c.out, "cases-*.json"))
	for _, f := range old {
		os.Remove(f)
	}
	for first, n := 0, 1; first < len(list); first, n = first+casesPerFile, n+1 {
		var cf app.CaseFile
		cf.Format = app.CaseFileFormat
		for _, sum := range list[first:min(first+casesPerFile, len(list))] {
			fc, err := fileCase(r, sum.ID)
			if err != nil {
				return err
			}
			cf.Cases = append(cf.Cases, fc)
		}
		b, err := json.Marshal(&cf)
		if err != nil {
			return err
		}
		if len(b) > app.MaxCaseFile {
			return fmt.Errorf("case file %d is %d bytes, over the import limit", n, len(b))
		}
		if err := os.WriteFile(filepath.Join(c.out, fmt.Sprintf("cases-%02d.json", n)), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// fileCase is one case of the vault as a case file holds it.
func fileCase(r *app.Records, id app.ID) (app.FileCase, error) {
	cs, err := r.Case(id)
	if err != nil {
		return app.FileCase{}, err
	}
	v, err := r.Victim(id)
	if err != nil {
		return app.FileCase{}, err
	}
	notes, err := r.Notes(id)
	if err != nil {
		return app.FileCase{}, err
	}
	fc := app.FileCase{
		Number: cs.Number, Title: cs.Title, Status: string(cs.Status), ClosedReason: cs.ClosedReason,
		Jurisdiction: cs.Jurisdiction, Opened: day(cs.Opened), Closed: day(cs.Closed),
		Assigned: cs.Assigned, Tags: cs.Tags,
		Victim: app.FileVictim{Alias: v.Alias, Age: v.Age, AgeBand: v.AgeBand, Gender: v.Gender,
			Languages: v.Languages, InterpreterNeeded: v.InterpreterNeeded,
			GuardianType: v.GuardianType, PlacementType: v.PlacementType},
	}
	for _, n := range notes {
		fn := app.FileNote{Kind: string(n.Kind), Body: n.Body, Author: n.Author,
			CreatedAt: n.Created.UTC().Format(time.RFC3339), Sensitivity: string(n.Sensitivity), Final: n.Final()}
		if fn.Final {
			fn.FinalisedAt = n.Finalised.UTC().Format(time.RFC3339)
		}
		fc.Notes = append(fc.Notes, fn)
	}
	return fc, nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
