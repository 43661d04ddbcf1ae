package export_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"casenotes/app"
	"casenotes/app/export"
)

// newEntries returns the receiver's audit entries appended by do, oldest first.
func newEntries(t *testing.T, r *app.Records, do func()) []app.AuditRow {
	t.Helper()
	count := func() uint64 {
		p, err := r.AuditEntries(app.AuditFilter{}, 0, 1)
		must(t, err)
		return p.Total
	}
	before := count()
	do()
	n := int(count() - before)
	if n == 0 {
		return nil
	}
	p, err := r.AuditEntries(app.AuditFilter{}, 0, n)
	must(t, err)
	rows := p.Rows // newest first
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// Importing a bundle appends exactly one bundle-imported entry naming the new case
// and the bundle's SHA-256 (a bundle with attachments adds one more as they finish
// going in: a bulk write logs each of its commits); a
// bundle that fails its check appends exactly one bundle-verified entry, failed,
// with the SHA-256 of the file as received, and no case; an unknown signer (the
// user is then asked to confirm it) appends nothing.
func TestBundleImportAndRefusalAreLoggedOnce(t *testing.T) {
	tv := newTwoVaults(t)
	bundle := tv.export(t, export.Prosecutor)

	got := newEntries(t, tv.b, func() {
		if _, err := tv.importInto(bundle, export.SignerCheck{Directory: tv.b}); err == nil {
			t.Fatal("an unknown signer was accepted")
		}
	})
	if len(got) != 0 {
		t.Fatalf("an unknown signer (to confirm) logged %d entries: %+v", len(got), got)
	}

	damaged := bytes.Clone(bundle)
	damaged[len(damaged)/2] ^= 0x01
	sum := sha256.Sum256(damaged)
	got = newEntries(t, tv.b, func() {
		if _, err := tv.importInto(damaged, export.SignerCheck{Expected: tv.keysA.SigningFingerprint()}); err == nil {
			t.Fatal("a damaged bundle was imported")
		}
	})
	if len(got) != 1 || got[0].Action != app.ActBundleVerified || got[0].Outcome != app.OutcomeFailed ||
		got[0].Hash != hex.EncodeToString(sum[:]) || !got[0].Case.IsZero() {
		t.Fatalf("a damaged bundle logged %+v; want one failed bundle-verified entry with its hash", got)
	}

	var res export.ImportResult
	got = newEntries(t, tv.b, func() {
		var err error
		if res, err = tv.importInto(bundle, export.SignerCheck{Expected: tv.keysA.SigningFingerprint()}); err != nil {
			t.Fatal(err)
		}
	})
	n := 0
	good := sha256.Sum256(bundle)
	for _, e := range got {
		if e.Action == app.ActBundleImported && e.Case == res.Case && e.Hash == hex.EncodeToString(good[:]) &&
			e.Profile == export.Prosecutor.Name && e.Reason == string(app.ReceivedCopy) {
			n++
		}
		if e.Action == app.ActBundleVerified {
			t.Errorf("a good bundle logged a bundle-verified entry as well")
		}
	}
	if n != 1 {
		t.Fatalf("%d bundle-imported entries for the case; want 1 (%+v)", n, got)
	}
}
