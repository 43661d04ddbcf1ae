package ui

import (
	"slices"
	"unicode"
)

// Where an edit leaves the cursor of a word-wrapping entry.
//
// Fyne 2.7.1's widget.Entry keeps its cursor as a row and a column of the wrapped
// text. Word wrapping drops the space where a line breaks from both rows, so the
// place right after that space has no row and column when a line break or the end
// of the text follows it: the cursor after a space typed at a wrap point. The
// entry's rowColFromTextPos then answers the row after the last one (or the first
// row of the next line), and every Refresh pulls a column past a row's end back to
// that end; the next character goes in before the space ("thegroup home ...
// stay. "). See docs/editor.md and docs/upstream/.
//
// textEntry works around it from outside Fyne. For each input event it knows where
// the edit must leave the cursor, as an offset in the text (one rune after the
// cursor for a typed rune, the start of the selection for Backspace over it ...).
// When Fyne's cursor is elsewhere, textEntry puts it there: at the row that starts
// at or before that offset, with the column counted from that row's start, which is
// past the row's end for the place after a dropped space. Fyne's Refresh clamps
// such a column again, so textEntry remembers it (heldCursor) and sets it back
// before the next event reaches the entry.

// rowCol is a cursor as widget.Entry keeps it.
type rowCol struct{ row, col int }

// heldCursor is a cursor textEntry placed that Fyne may clamp on its next refresh.
type heldCursor struct {
	set  bool
	text string // the text it belongs to
	at   rowCol
}

// editBefore is what an input event found: the text, the cursor's offset and the
// selected text.
type editBefore struct {
	text   []rune
	cursor int
	sel    []rune
}

// expectation says where an edit leaves the cursor: ends lists the offsets it can
// be at, given the text before and after the edit. A nil ends means wherever Fyne
// put it. withRaw narrows them to the offsets Fyne's own row and column can mean.
type expectation struct {
	ends    func(b editBefore, after []rune) []int
	withRaw bool
}

// selectionStarts are the offsets where the selected text can start: the cursor is
// at one end of the selection, and only the text says which.
func selectionStarts(b editBefore) []int {
	n := len(b.sel)
	if n == 0 {
		return []int{b.cursor}
	}
	var starts []int
	if b.cursor-n >= 0 && slices.Equal(b.text[b.cursor-n:b.cursor], b.sel) {
		starts = append(starts, b.cursor-n)
	}
	if b.cursor+n <= len(b.text) && slices.Equal(b.text[b.cursor:b.cursor+n], b.sel) {
		starts = append(starts, b.cursor)
	}
	return starts
}

// replacing expects ins to have replaced the selection (or been inserted at the
// cursor), with the cursor right after it.
func replacing(ins []rune) expectation { return expectation{ends: replaced(ins)} }

func replaced(ins []rune) func(editBefore, []rune) []int {
	return func(b editBefore, after []rune) []int {
		var out []int
		for _, a := range selectionStarts(b) {
			end := a + len(b.sel)
			if len(after) == len(b.text)-len(b.sel)+len(ins) &&
				slices.Equal(after[:a], b.text[:a]) &&
				slices.Equal(after[a:a+len(ins)], ins) &&
				slices.Equal(after[a+len(ins):], b.text[end:]) {
				out = append(out, a+len(ins))
			}
		}
		return out
	}
}

// deleting expects the selection, or else the rune before (back) or after the
// cursor, to be gone, with the cursor where it was.
func deleting(back bool) expectation {
	return expectation{ends: func(b editBefore, after []rune) []int {
		if len(b.sel) > 0 {
			return replaced(nil)(b, after)
		}
		from := b.cursor
		if back {
			from--
		}
		if from < 0 || from >= len(b.text) || len(after) != len(b.text)-1 ||
			!slices.Equal(after[:from], b.text[:from]) || !slices.Equal(after[from:], b.text[from+1:]) {
			return nil
		}
		return []int{from}
	}}
}

// stepping expects Left (-1) or Right (+1) without Shift: one rune along, or to
// that end of the selection.
func stepping(dir int) expectation {
	return expectation{ends: func(b editBefore, after []rune) []int {
		if !slices.Equal(after, b.text) {
			return nil
		}
		if len(b.sel) == 0 {
			return []int{min(max(b.cursor+dir, 0), len(b.text))}
		}
		var out []int
		for _, a := range selectionStarts(b) {
			if dir < 0 {
				out = append(out, a)
			} else {
				out = append(out, a+len(b.sel))
			}
		}
		return out
	}}
}

// toStart expects the cursor before the first rune (Page Up).
var toStart = expectation{ends: func(editBefore, []rune) []int { return []int{0} }}

// toEnd expects the cursor after the last rune (Page Down; Select all leaves it
// there).
var toEnd = expectation{ends: func(_ editBefore, after []rune) []int { return []int{len(after)} }}

// pureEditEnds are the offsets where the cursor can be after text was only
// inserted or only deleted somewhere (undo, redo): right after the inserted text,
// or where the deleted text was. Several when the edit could have been made at
// several places of a run of equal runes; nil when after is no such edit of before.
func pureEditEnds(before, after []rune) []int {
	short, long := before, after
	if len(after) < len(before) {
		short, long = after, before
	}
	d := len(long) - len(short)
	if d == 0 {
		return nil
	}
	p := 0
	for p < len(short) && short[p] == long[p] {
		p++
	}
	q := 0
	for q < len(short) && short[len(short)-1-q] == long[len(long)-1-q] {
		q++
	}
	var out []int
	for a := len(short) - q; a <= p; a++ {
		if len(after) > len(before) {
			out = append(out, a+d)
		} else {
			out = append(out, a)
		}
	}
	return out
}

// changing expects a pure insertion or deletion anywhere (undo and redo), where
// Fyne's own row and column tell equal runes apart.
var changing = expectation{
	ends:    func(b editBefore, after []rune) []int { return pureEditEnds(b.text, after) },
	withRaw: true,
}

// afterSpaceBeforeBreak reports whether offset p of text is right after a space
// that ends a line or the text: the only place Fyne loses a cursor.
func afterSpaceBeforeBreak(text []rune, p int) bool {
	return p > 0 && p <= len(text) && unicode.IsSpace(text[p-1]) && text[p-1] != '\n' &&
		(p == len(text) || text[p] == '\n')
}

// pickCursor chooses the cursor offset among the candidates: the only one; else Fyne's
// own when it is one of them (Fyne is right wherever it can hold the cursor);
// else the only one Fyne cannot hold.
func pickCursor(cands []int, fyneAt int, text []rune) (int, bool) {
	switch {
	case len(cands) == 0:
		return 0, false
	case len(cands) == 1:
		return cands[0], true
	case slices.Contains(cands, fyneAt):
		return fyneAt, true
	}
	found, n := 0, 0
	for _, c := range cands {
		if afterSpaceBeforeBreak(text, c) {
			found, n = c, n+1
		}
	}
	return found, n == 1
}

// rowStart is the offset where row r of the wrapped text starts, or 0 past the
// last row (the rows after the first start after offset 0). It reads the entry's
// rows through its public cursor: CursorTextOffset is the row's start plus the
// column.
func (e *textEntry) rowStart(r int) int {
	saved := rowCol{e.CursorRow, e.CursorColumn}
	e.CursorRow, e.CursorColumn = r, 0
	start := e.CursorTextOffset()
	e.CursorRow, e.CursorColumn = saved.row, saved.col
	return start
}

// rowColAt is the row and column that hold offset p: the last row starting at or
// before p, and p counted from that row's start.
func (e *textEntry) rowColAt(p int) rowCol {
	past := 1 // a row past the last one
	for e.rowStart(past) > 0 {
		past *= 2
	}
	lo, hi := 0, past // row lo starts at or before p; row hi does not, or is past the end
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if s := e.rowStart(mid); s > 0 && s <= p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return rowCol{lo, p - e.rowStart(lo)}
}

// rawOffsets are the offsets Fyne may have meant by a row and column it computed
// for an edit: the column counted from that row's start, or, when Fyne lost the
// cursor after a dropped space, from the start of the row before.
func (e *textEntry) rawOffsets(rc rowCol) []int {
	var out []int
	if rc.row == 0 || e.rowStart(rc.row) > 0 {
		out = append(out, e.rowStart(rc.row)+rc.col)
	}
	if rc.row > 0 {
		out = append(out, e.rowStart(rc.row-1)+rc.col)
	}
	return out
}

// settle puts the cursor where the edit that found b must leave it.
func (e *textEntry) settle(want expectation, b editBefore) {
	if want.ends == nil {
		e.held = heldCursor{}
		return
	}
	after := []rune(e.Text)
	cands := want.ends(b, after)
	if want.withRaw && e.raw != nil {
		cands = intersect(cands, e.rawOffsets(*e.raw))
	}
	p, ok := pickCursor(cands, e.CursorTextOffset(), after)
	if !ok {
		e.held = heldCursor{}
		return
	}
	e.placeCursor(p)
}

func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// placeCursor moves the cursor to offset p and holds it there.
func (e *textEntry) placeCursor(p int) {
	shown := rowCol{e.CursorRow, e.CursorColumn}
	at := e.rowColAt(p)
	e.held = heldCursor{set: true, text: e.Text, at: at}
	if shown == at {
		return
	}
	e.CursorRow, e.CursorColumn = at.row, at.col
	// Fyne draws the cursor where its refresh clamps it: at the end of the same row
	// for a column past it. Redraw only when that is not where it already is.
	if shown != (rowCol{at.row, at.col - 1}) {
		e.Refresh()
	}
	e.hold()
}

// hold sets a held cursor back after a refresh clamped it, and tells Fyne's
// selection about it. Nothing else moves the cursor between two input events, and
// each event drops the hold unless it placed the cursor itself.
func (e *textEntry) hold() {
	h := e.held
	if !h.set {
		return
	}
	if e.Text != h.text || e.CursorRow != h.at.row || (e.CursorColumn != h.at.col && e.CursorColumn != h.at.col-1) {
		e.held = heldCursor{}
		return
	}
	if e.CursorColumn != h.at.col {
		e.CursorColumn = h.at.col
	}
	// DragEnd copies the cursor into the entry's selection state (and ends a
	// selection only when it is empty), which a typed rune and Shift use.
	e.Entry.DragEnd()
}

// cursorOffset is where typed text goes: the held cursor's offset, which a
// refresh may have clamped on screen, else Fyne's.
func (e *textEntry) cursorOffset() int {
	saved := rowCol{e.CursorRow, e.CursorColumn}
	if h := e.held; h.set && e.Text == h.text && saved.row == h.at.row && saved.col == h.at.col-1 {
		e.CursorColumn = h.at.col
		defer func() { e.CursorColumn = saved.col }()
	}
	return e.CursorTextOffset()
}
