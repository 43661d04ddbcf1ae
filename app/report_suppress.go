package app

// De-identification of a report table (issue 15): small-cell suppression with
// complementary suppression, the rule statistical agencies publish tables by.
//
//  1. Primary: a count from 1 to k-1 (k the smallest count shown, 5 unless
//     configured, never below 3) is hidden and reads "fewer than k".
//  2. Complementary: in every line that adds up (the rows of a column ending in a
//     total row, the columns of a row ending in a total column), a single hidden
//     cell could be recovered by subtraction from the total, and two hidden cells
//     that add up to less than k narrow each other down. While some line holds one
//     hidden cell, or hidden cells adding up to less than k, the smallest other
//     non-zero cell of that line (the total only when nothing else is left) is
//     hidden too; a line whose total is hidden is hidden whole. This repeats until
//     every line is safe, since hiding a cell can make another line unsafe.
//  3. A hidden cell's value is set to zero here, before the report leaves app, so
//     nothing that prints a report can print it.
//
// Medians, percentiles, percentages and money totals over fewer than
// MinCasesForStatistic cases are withheld where they are computed
// (report_figures.go). docs/report.md says what these rules do not protect against.

// deidentify applies the rules to one table with threshold k.
func deidentify(t *ReportTable, k int) {
	if !t.items {
		for i := range t.Rows {
			for j := range t.Rows[i].Cells {
				c := &t.Rows[i].Cells[j]
				if c.Status == CellShown && c.Unit == UnitCount && c.Value > 0 && c.Value < int64(k) {
					c.Status = CellSmall
				}
			}
		}
		lines := additiveLines(t)
		for changed := true; changed; {
			changed = false
			for _, line := range lines {
				if complement(t, line, k) {
					changed = true
				}
			}
		}
	}
	for i := range t.Rows {
		for j := range t.Rows[i].Cells {
			if c := &t.Rows[i].Cells[j]; c.Status != CellShown {
				c.Value = 0
			}
		}
	}
}

// cellRef is a cell's place in a table.
type cellRef struct{ row, col int }

// additiveLines lists the lines of count cells whose last member is the sum of
// the others.
func additiveLines(t *ReportTable) [][]cellRef {
	var lines [][]cellRef
	ncol := len(t.Columns)
	total := -1
	for i, r := range t.Rows {
		if r.Total {
			total = i
		}
	}
	if total > 0 {
		for j := range ncol {
			var line []cellRef
			for i := 0; i <= total; i++ {
				if j < len(t.Rows[i].Cells) && t.Rows[i].Cells[j].Unit == UnitCount {
					line = append(line, cellRef{i, j})
				}
			}
			if len(line) > 1 {
				lines = append(lines, line)
			}
		}
	}
	if t.totalCol && ncol > 1 {
		for i := range t.Rows {
			var line []cellRef
			for j := range ncol {
				if j < len(t.Rows[i].Cells) && t.Rows[i].Cells[j].Unit == UnitCount {
					line = append(line, cellRef{i, j})
				}
			}
			if len(line) > 1 {
				lines = append(lines, line)
			}
		}
	}
	return lines
}

// complement hides more cells of a line that would otherwise give a hidden cell
// away, and reports whether it did. A line is safe when it has no hidden cell, or
// when at least two of its cells are hidden and they add up to k or more (two
// hidden cells adding up to 2 would each be 1). A line whose total is hidden is
// hidden whole, zeros included: which months or services had anything at all
// would otherwise point to the few youth behind that total.
func complement(t *ReportTable, line []cellRef, k int) bool {
	cell := func(ref cellRef) *ReportCell { return &t.Rows[ref.row].Cells[ref.col] }
	last := len(line) - 1 // the total
	if cell(line[last]).Status != CellShown {
		changed := false
		for _, ref := range line[:last] {
			if c := cell(ref); c.Status == CellShown {
				c.Status, changed = CellComplement, true
			}
		}
		return changed
	}
	hidden, sum := 0, int64(0)
	for _, ref := range line[:last] {
		if c := cell(ref); c.Status != CellShown {
			hidden++
			sum += c.Value
		}
	}
	if hidden == 0 || (hidden >= 2 && sum >= int64(k)) {
		return false
	}
	pick := -1
	for n, ref := range line[:last] {
		c := cell(ref)
		if c.Status != CellShown || c.Value == 0 {
			continue
		}
		if pick < 0 || c.Value < cell(line[pick]).Value {
			pick = n
		}
	}
	if pick < 0 {
		pick = last // nothing else to hide: the total goes, and with it the line
	}
	cell(line[pick]).Status = CellComplement
	return true
}
