package search_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"casenotes/app"
	"casenotes/app/search"
)

// A build behind a held foreground (a screen being read and drawn) reads nothing
// until the hold is released, then completes and finds what it should.
func TestBuildWaitsWhileTheForegroundIsHeld(t *testing.T) {
	_, _, r := vault(t)
	if err := r.Seed(context.Background(), 40, 2, nil); err != nil {
		t.Fatal(err)
	}
	c := newCase(t, r, "2026-TF-0777", "Hotel outreach", "Rosa M.")
	note(t, r, c, app.NoteContact, app.SensitivityStandard, "Met at the Quillbrook motel.", true)

	fg := search.NewForeground()
	release := fg.Hold()
	ix, err := search.OpenBehind(r, fg)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Far less than the longest pause (3 s), far more than this build takes free.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	err = ix.Wait(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the build finished while the foreground was held (Wait: %v)", err)
	}
	if done, total, ready := ix.Progress(); done != 0 || total != 0 || ready {
		t.Fatalf("the build read %d of %d cases (ready %v) while held, want none", done, total, ready)
	}

	release()
	release() // a second release changes nothing
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ix.Wait(ctx); err != nil {
		t.Fatalf("the build did not finish once released: %v", err)
	}
	res, err := ix.Search(search.Query{Text: "quillbrook"})
	if err != nil || res.Total != 1 {
		t.Fatalf("search after a paced build: %d hits, %v; want 1", res.Total, err)
	}
}

// A build kept waiting by a hold that is never released still ends: it runs for
// a moment after each longest pause, so an app kept busy gets its index.
func TestBuildHeldForeverStillFinishes(t *testing.T) {
	defer search.SetMaxPause(50 * time.Millisecond)() // 3 s in the app
	_, _, r := vault(t)
	if err := r.Seed(context.Background(), 20, 1, nil); err != nil {
		t.Fatal(err)
	}
	fg := search.NewForeground()
	defer fg.Hold()() // never released while the build runs
	ix, err := search.OpenBehind(r, fg)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ix.Wait(ctx); err != nil {
		t.Fatalf("a build behind a foreground held for good did not finish: %v", err)
	}
}

// Locking the vault ends a waiting build at once: its memory goes back, and the
// lock does not wait out the pause.
func TestLockEndsAWaitingBuild(t *testing.T) {
	defer search.SetMaxPause(time.Hour)() // a build that waited it out would fail below
	_, s, r := vault(t)
	if err := r.Seed(context.Background(), 20, 1, nil); err != nil {
		t.Fatal(err)
	}
	paused := make(chan struct{}, 8)
	defer search.OnPause(func() {
		select {
		case paused <- struct{}{}:
		default:
		}
	})()
	fg := search.NewForeground()
	defer fg.Hold()()
	ix, err := search.OpenBehind(r, fg)
	if err != nil {
		t.Fatal(err)
	}
	<-paused // the build is waiting for the foreground (inside a read of the store)
	locked := make(chan error, 1)
	go func() { locked <- s.Lock() }()
	select {
	case err := <-locked:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // the lock waits for reads in flight
		t.Fatal("locking waited for the build that waits for the foreground")
	}
	select {
	case <-ix.Released():
	case <-time.After(time.Minute): // far under the pause: the wait noticed the lock
		t.Fatal("the build kept waiting for the foreground after the vault locked")
	}
	if _, err := ix.Search(search.Query{Text: "motel"}); !errors.Is(err, app.ErrLocked) {
		t.Fatalf("search after lock: %v, want app.ErrLocked", err)
	}
}
