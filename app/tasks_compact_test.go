package app

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// A shared entry reads back as written, and stands for one task an item, each due
// on its date.
func TestCompactTasksRoundTrip(t *testing.T) {
	ct := compactTasks{Case: ID{9}, TemplateID: "core", TemplateVersion: 3, Due: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Items: []compactItem{{Position: 0, ID: ID{1}}, {Position: 84, ID: ID{2}}}}
	got, err := decodeCompactTasks(ct.encode())
	if err != nil || !bytes.Equal(got.encode(), ct.encode()) || got.Case != ct.Case || len(got.Items) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	var dues []time.Time
	if err := eachTaskDue(ct.encode(), func(c ID, kind string, due time.Time) {
		if c != ct.Case || kind != TaskChecklist {
			t.Fatalf("case %x kind %s", c, kind)
		}
		dues = append(dues, due)
	}); err != nil {
		t.Fatal(err)
	}
	if len(dues) != 2 || !dues[0].Equal(ct.Due) || !dues[1].Equal(ct.Due) {
		t.Fatalf("due dates %v", dues)
	}
	// One byte tells the two forms apart.
	single := encodeTask(taskEntry{Case: ID{9}, Item: ID{1}, Kind: TaskReferral, Due: ct.Due, Title: "Referral: counseling"})
	if isCompactTasks(single) || !isCompactTasks(ct.encode()) {
		t.Fatal("a single entry and a compact entry are not told apart")
	}
}

// Whatever bytes a damaged vault holds, decoding a shared entry gives an entry
// within bounds that round-trips, or ErrIntegrity; it never panics.
func FuzzDecodeCompactTasks(f *testing.F) {
	ct := compactTasks{Case: ID{9}, TemplateID: "core", TemplateVersion: 3, Due: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC),
		Items: []compactItem{{Position: 1, ID: ID{1}}, {Position: 2, ID: ID{2}}}}
	f.Add(ct.encode())
	f.Add([]byte{compactTaskFormat})
	f.Add([]byte{})
	f.Add(append([]byte{compactTaskFormat}, make([]byte, 16)...))
	f.Add(encodeTask(taskEntry{Case: ID{9}, Item: ID{1}, Kind: TaskChecklist, Due: ct.Due}))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeCompactTasks(b)
		if err != nil {
			if !errors.Is(err, ErrIntegrity) {
				t.Fatalf("error %v is not ErrIntegrity", err)
			}
			return
		}
		if len(got.Items) == 0 || len(got.Items) > MaxTemplateItems || got.TemplateID == "" || got.TemplateVersion < 1 {
			t.Fatalf("decoded out of bounds: %+v", got)
		}
		for _, it := range got.Items {
			if it.Position < 0 || it.Position >= MaxTemplateItems {
				t.Fatalf("item out of bounds: %+v", it)
			}
		}
		again, err := decodeCompactTasks(got.encode())
		if err != nil || !bytes.Equal(again.encode(), got.encode()) {
			t.Fatalf("a decoded entry does not round-trip: %v", err)
		}
	})
}
