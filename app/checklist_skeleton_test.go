package app

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// A skeleton reads back exactly as written.
func TestSkeletonRoundTrip(t *testing.T) {
	s := checklistSkeleton{TemplateID: "core", TemplateVersion: 2,
		Opened:  time.Date(2026, 9, 11, 0, 0, 0, 0, time.UTC),
		Created: time.Date(2026, 9, 11, 14, 3, 5, 123456789, time.UTC), CreatedBy: "Det. Dana Alvarez",
		Items: []ID{NewID(), NewID(), NewID()}}
	got, err := decodeSkeleton(s.encode())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.encode(), s.encode()) || !got.Opened.Equal(s.Opened) || !got.Created.Equal(s.Created) ||
		got.CreatedBy != s.CreatedBy || got.TemplateID != s.TemplateID || got.TemplateVersion != 2 || len(got.Items) != 3 || got.Items[2] != s.Items[2] {
		t.Fatalf("read back %+v; wrote %+v", got, s)
	}
	// Every truncation, and a byte too many, is damage, never a shorter skeleton.
	b := s.encode()
	for n := range len(b) {
		if _, err := decodeSkeleton(b[:n]); !errors.Is(err, ErrIntegrity) {
			t.Fatalf("a skeleton cut to %d of %d bytes decoded: %v", n, len(b), err)
		}
	}
	if _, err := decodeSkeleton(append(b, 0)); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("a skeleton with a byte too many decoded: %v", err)
	}
}

// FuzzDecodeSkeleton: any bytes decode to a skeleton within its bounds that
// encodes back to the same bytes, or to ErrIntegrity; never a panic.
func FuzzDecodeSkeleton(f *testing.F) {
	s := checklistSkeleton{TemplateID: "core", TemplateVersion: 2, Opened: time.Unix(1_788_000_000, 0).UTC(),
		Created: time.Unix(1_788_000_123, 5).UTC(), CreatedBy: "Adv. Mina Kim", Items: []ID{{1}, {2}}}
	f.Add(s.encode())
	f.Add([]byte{skeletonFormat})
	f.Add([]byte{})
	f.Add([]byte{skeletonFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeSkeleton(b)
		if err != nil {
			if !errors.Is(err, ErrIntegrity) {
				t.Fatalf("error %v is not ErrIntegrity", err)
			}
			return
		}
		if len(got.Items) > MaxTemplateItems || got.TemplateID == "" || got.TemplateVersion < 1 ||
			len(got.TemplateID) > maxSkeletonText || len(got.CreatedBy) > maxSkeletonText {
			t.Fatalf("decoded out of bounds: %+v", got)
		}
		again, err := decodeSkeleton(got.encode())
		if err != nil || !bytes.Equal(again.encode(), got.encode()) {
			t.Fatalf("a decoded skeleton does not round-trip: %v", err)
		}
	})
}
