package format

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDateAndDue(t *testing.T) {
	now := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) // a Monday
	if got := Date(day(2026, 11, 30)); got != "Nov 30, 2026" {
		t.Errorf("Date = %q", got)
	}
	if got := EntryDate(day(2026, 3, 2)); got != "03/02/2026" {
		t.Errorf("EntryDate = %q", got)
	}
	for _, tc := range []struct {
		due     time.Time
		overdue bool
		want    string
	}{
		{day(2026, 11, 29), true, "overdue 1 day"},
		{day(2026, 11, 20), true, "overdue 10 days"},
		{day(2026, 11, 30), false, "due today"},
		{day(2026, 12, 1), false, "due tomorrow"},
		{day(2026, 12, 3), false, "due Thu, Dec 3"},
		{day(2026, 12, 6), false, "due Sun, Dec 6"},
		{day(2026, 12, 7), false, "due Dec 7, 2026"},
		{day(2027, 1, 15), false, "due Jan 15, 2027"},
	} {
		if got := Due(tc.due, tc.overdue, now); got != tc.want {
			t.Errorf("Due(%s) = %q, want %q", tc.due.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 open cases", 1: "1 open case", 2: "2 open cases"} {
		if got := Count(n, "open case", "open cases"); got != want {
			t.Errorf("Count(%d) = %q", n, got)
		}
	}
}

// parseCases seed FuzzParseEntryDate; cases found by fuzzing are kept here too.
var parseCases = []struct {
	in   string
	want time.Time
	ok   bool
}{
	{"11/30/2026", day(2026, 11, 30), true},
	{"3/2/2026", day(2026, 3, 2), true},
	{" 03/02/2026 ", day(2026, 3, 2), true},
	{"2/29/2028", day(2028, 2, 29), true},
	{"2/29/2026", time.Time{}, false},
	{"2/30/2026", time.Time{}, false},
	{"30/11/2026", time.Time{}, false},
	{"13/1/2026", time.Time{}, false},
	{"0/1/2026", time.Time{}, false},
	{"1/0/2026", time.Time{}, false},
	{"2026-11-30", time.Time{}, false},
	{"11/30/26", time.Time{}, false},
	{"+1/2/2026", time.Time{}, false},
	{"1/-2/2026", time.Time{}, false},
	{"", time.Time{}, false},
	{"1/2/0999", time.Time{}, false},
}

func TestParseEntryDate(t *testing.T) {
	for _, tc := range parseCases {
		got, err := ParseEntryDate(tc.in)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseEntryDate(%q) = %s, %v; want %s ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// FuzzParseEntryDate: never panics, and whatever it accepts writes back to a date
// that parses to the same day.
func FuzzParseEntryDate(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseEntryDate(s)
		if err != nil {
			return
		}
		again, err := ParseEntryDate(EntryDate(d))
		if err != nil || !again.Equal(d) {
			t.Fatalf("%q -> %s -> %q -> %s, %v", s, d, EntryDate(d), again, err)
		}
	})
}
