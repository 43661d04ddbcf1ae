package export_test

import (
	"bytes"
	"testing"

	"filippo.io/age"

	"casenotes/app"
	"casenotes/app/export"
)

// fuzzIdentity is a fixed, test-only age identity: the seed bundles are sealed to it
// so that mutated inputs reach the layers behind decryption.
const fuzzIdentity = "AGE-SECRET-KEY-1HLRPF7LY3754NRCK65DASGVYAVV0346EJW0PA0ZE2Y2T0EGZXWAS4G59XT"

func seedBundles(t testing.TB) (bundles [][]byte, id *age.X25519Identity) {
	t.Helper()
	id, err := age.ParseX25519Identity(fuzzIdentity)
	must(t, err)
	f := newBundleFixture(t)
	for _, p := range []export.Profile{export.Prosecutor, export.Court, export.Transfer} {
		b, _ := f.write(t, p, export.Seal{Recipient: id.Recipient().String()})
		bundles = append(bundles, b)
	}
	// Close the vault before fuzzing: Badger's background goroutines would otherwise
	// keep changing the coverage the fuzzer watches and stall it.
	must(t, f.sess.Lock())
	return bundles, id
}

// FuzzReadBundle feeds verify's reader whole bundles: it must never panic, and
// whatever it accepts must be a bundle whose every file matched its manifest.
func FuzzReadBundle(f *testing.F) {
	bundles, id := seedBundles(f)
	for _, b := range bundles {
		f.Add(b)
	}
	f.Add([]byte("age-encryption.org/v1\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := export.ReadBundle(bytes.NewReader(in), export.ReadOptions{Identities: []age.Identity{id}})
		if err == nil && (b.SignerFingerprint == "" || len(b.Manifest.Files) == 0) {
			t.Fatalf("accepted a bundle without a signer or files: %+v", b.Manifest)
		}
	})
}

// FuzzReadArchive feeds the decrypted layer directly: tar archives derived from
// real bundles, so mutations reach the manifest, signature and path checks.
func FuzzReadArchive(f *testing.F) {
	bundles, id := seedBundles(f)
	fx := &bundleFixture{id: id}
	for _, b := range bundles {
		f.Add(fx.decrypt(f, b))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := export.ReadArchive(bytes.NewReader(in), export.ReadOptions{Keep: func(string) bool { return true }})
		if err != nil {
			return
		}
		for _, mf := range b.Manifest.Files {
			if _, ok := b.Files[mf.Path]; !ok {
				t.Fatalf("accepted without %s", mf.Path)
			}
		}
	})
}

// FuzzImportBundle runs import end to end on mutated bundles into one real vault:
// no panic, and nothing imported from a bundle that does not verify.
func FuzzImportBundle(f *testing.F) {
	bundles, id := seedBundles(f)
	for _, b := range bundles {
		f.Add(b)
	}
	_, r := vault(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		_, verr := export.ReadBundle(bytes.NewReader(in), export.ReadOptions{Identities: []age.Identity{id}})
		before, _ := r.ListCases(app.CaseFilter{})
		_, err := export.ImportBundle(r, bytes.NewReader(in), export.ReadOptions{Identities: []age.Identity{id}}, export.SignerCheck{})
		after, _ := r.ListCases(app.CaseFilter{})
		if verr != nil && (err == nil || len(after) != len(before)) {
			t.Fatalf("imported a bundle that does not verify (%v)", verr)
		}
	})
}
