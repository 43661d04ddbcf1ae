package format

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The one display format and the one entry format of dates, as US readers expect.
const (
	// DateLayout shows a calendar date: "Nov 30, 2026".
	DateLayout = "Jan 2, 2006"
	// EntryLayout is how a date is typed: "11/30/2026" (month first). Fyne's
	// DateEntry uses the same layout under a US locale.
	EntryLayout = "01/02/2006"
	// EntryHint is the placeholder of a typed date.
	EntryHint = "MM/DD/YYYY"
)

// Date shows a calendar date: "Nov 30, 2026". Record dates are calendar dates kept
// at UTC midnight, so they are read in UTC; the zero time is "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(DateLayout)
}

// DateTime shows a moment in the computer's time zone: "Nov 30, 2026, 3:04 PM".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("Jan 2, 2006, 3:04 PM")
}

// Clock shows the time of day in the computer's time zone: "3:04 PM".
func Clock(t time.Time) string { return t.Local().Format("3:04 PM") }

// EntryDate is a calendar date as it is typed: "11/30/2026"; the zero time is "".
func EntryDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(EntryLayout)
}

// ParseEntryDate reads a typed date, month first: "11/30/2026", "3/2/2026". The
// result is UTC midnight of that day, as record dates are kept.
func ParseEntryDate(s string) (time.Time, error) {
	bad := fmt.Errorf("%q is not a date written %s", s, EntryHint)
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return time.Time{}, bad
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || strings.ContainsAny(p, "+-") {
			return time.Time{}, bad
		}
		n[i] = v
	}
	t := time.Date(n[2], time.Month(n[0]), n[1], 0, 0, 0, 0, time.UTC)
	if n[0] < 1 || n[0] > 12 || t.Day() != n[1] || n[2] < 1000 {
		return time.Time{}, bad // 2/30 would roll over into March
	}
	return t, nil
}

// DayDiff is the number of calendar days (UTC, as due dates are kept) from now
// to due: 0 today, 1 tomorrow, -1 yesterday.
func DayDiff(now, due time.Time) int {
	a := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(due.UTC().Year(), due.UTC().Month(), due.UTC().Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// Due says when an item is due, in words near today and as a date further off:
// "overdue 3 days", "due today", "due tomorrow", "due Thu, Dec 3" within the
// coming week, "due Dec 7, 2026" after that.
func Due(due time.Time, overdue bool, now time.Time) string {
	d := DayDiff(now, due)
	switch {
	case overdue && d <= -1:
		return "overdue " + Count(-d, "day", "days")
	case d == 0:
		return "due today"
	case d == 1:
		return "due tomorrow"
	case d > 1 && d < 7:
		return "due " + due.UTC().Format("Mon, Jan 2")
	default:
		return "due " + Date(due)
	}
}
