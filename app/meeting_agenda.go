package app

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// AgendaProposal is an open case the next meeting should review, and why.
type AgendaProposal struct {
	Case CaseSummary
	// NextReview is when the case was (or is) due for review; zero when it is
	// proposed only for overdue items.
	NextReview   time.Time
	LastReviewed time.Time
	DueForReview bool
	// Overdue counts the case's overdue checklist items.
	Overdue int
}

// Reasons says why the case is proposed, in words: "due for review since Nov 2,
// 2026, last reviewed Oct 3, 2026", "3 overdue checklist items".
func (p AgendaProposal) Reasons() []string {
	var out []string
	if p.DueForReview {
		s := "due for review since " + p.NextReview.Format("Jan 2, 2006")
		if p.LastReviewed.IsZero() {
			s += ", never reviewed"
		} else {
			s += ", last reviewed " + p.LastReviewed.Format("Jan 2, 2006")
		}
		out = append(out, s)
	}
	switch {
	case p.Overdue == 1:
		out = append(out, "1 overdue checklist item")
	case p.Overdue > 1:
		out = append(out, fmt.Sprintf("%d overdue checklist items", p.Overdue))
	}
	return out
}

// ProposeAgenda proposes the cases a meeting on day at should review: every open
// case of the vault (not received ones) whose next review falls on or before that
// day, and every open case with an overdue checklist item. Cases due longest ago
// come first. It reads the case list, the task index and each open case's practice
// record, never a note or the legal identity.
func (r *Records) ProposeAgenda(at time.Time) ([]AgendaProposal, error) {
	day := dateOnly(at.UTC())
	var out []AgendaProposal
	err := r.view(func(t Tx) error {
		overdue := map[ID]int{}
		err := eachTaskDueBefore(t, dueOrder(day)+1, func(c ID, kind string, due time.Time) {
			if kind == TaskChecklist && pastDue(due, day) {
				overdue[c]++
			}
		})
		if err != nil {
			return err
		}
		pending, err := pendingCases(t)
		if err != nil {
			return err
		}
		var open []CaseSummary
		err = scanSummaries(t, func(s *CaseSummary) error {
			if s.Status == CaseOpen && !s.ReadOnly && !pending[s.ID] {
				open = append(open, *s)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range open {
			p, err := readPractice(t, s.ID)
			if err != nil {
				return err
			}
			next := p.NextReview(s.Opened)
			due := !next.After(day)
			if !due && overdue[s.ID] == 0 {
				continue
			}
			out = append(out, AgendaProposal{Case: s, NextReview: next, LastReviewed: p.LastReviewed,
				DueForReview: due, Overdue: overdue[s.ID]})
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b AgendaProposal) int {
		if a.DueForReview != b.DueForReview {
			if a.DueForReview {
				return -1
			}
			return 1
		}
		if c := a.NextReview.Compare(b.NextReview); c != 0 {
			return c
		}
		return strings.Compare(a.Case.Number, b.Case.Number)
	})
	return out, err
}
