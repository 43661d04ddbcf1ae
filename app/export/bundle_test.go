package export_test

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"casenotes/app"
	"casenotes/app/export"
)

// bundleFixture is a case with an attachment and a privileged note, exported as a
// prosecutor bundle to a fresh age identity.
type bundleFixture struct {
	sess     *app.Session
	r        *app.Records
	c        app.Case
	id       *age.X25519Identity
	keys     *app.UserKeys
	bundle   []byte
	document *export.Document
}

func newBundleFixture(t testing.TB) *bundleFixture {
	t.Helper()
	s, r := vault(t)
	c := demoCase(t, r, "2026-TF-0412")
	_, err := r.AddAttachment(c.ID, "patrol report.txt", strings.NewReader("Patrol report, fictional.\n"), -1, app.AttachmentReport)
	must(t, err)
	keys, err := s.UserKeys()
	must(t, err)
	id, err := age.GenerateX25519Identity()
	must(t, err)
	f := &bundleFixture{sess: s, r: r, c: c, id: id, keys: keys}
	f.bundle, f.document = f.write(t, export.Prosecutor, export.Seal{Recipient: id.Recipient().String()})
	return f
}

// write exports the fixture's case as a bundle.
func (f *bundleFixture) write(t testing.TB, p export.Profile, seal export.Seal) ([]byte, *export.Document) {
	t.Helper()
	d, err := export.Build(f.r, f.c.ID, export.ExporterOf(f.r, f.keys), export.Options{Profile: p,
		Recipient: export.Recipient{Organization: prosecutorOffice.Organisation, Category: "prosecution"}})
	must(t, err)
	var buf bytes.Buffer
	must(t, export.WriteBundle(&buf, export.BundleInput{Doc: d, Records: f.r, Signing: f.keys.SigningKey(), Seal: seal, PageSize: export.Letter}))
	return buf.Bytes(), d
}

func (f *bundleFixture) read(b []byte) (*export.Bundle, error) {
	return export.ReadBundle(bytes.NewReader(b), export.ReadOptions{Identities: []age.Identity{f.id}})
}

// decrypt returns the bundle's tar.
func (f *bundleFixture) decrypt(t testing.TB, b []byte) []byte {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(b), f.id)
	must(t, err)
	out, err := io.ReadAll(r)
	must(t, err)
	return out
}

// encrypt seals a tar for the fixture's identity.
func (f *bundleFixture) encrypt(t testing.TB, tarball []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, f.id.Recipient())
	must(t, err)
	_, err = w.Write(tarball)
	must(t, err)
	must(t, w.Close())
	return buf.Bytes()
}

type tarEntry struct {
	name string
	data []byte
}

func untar(t testing.TB, b []byte) []tarEntry {
	t.Helper()
	var out []tarEntry
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		must(t, err)
		data, err := io.ReadAll(tr)
		must(t, err)
		out = append(out, tarEntry{h.Name, data})
	}
}

func retar(t testing.TB, entries []tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		must(t, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: int64(len(e.data)), Mode: 0o600}))
		_, err := tw.Write(e.data)
		must(t, err)
	}
	must(t, tw.Close())
	return buf.Bytes()
}

func wantIntegrity(t *testing.T, err error, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: the bundle verified", what)
	}
	if !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("%s: error %v is not an integrity failure", what, err)
	}
}

func TestBundleDecryptsWithStockAgeAndUnpacksWithTar(t *testing.T) {
	needTool(t, "age", "age")
	needTool(t, "tar", "tar")
	f := newBundleFixture(t)
	dir := t.TempDir()
	idFile := filepath.Join(dir, "key.txt")
	must(t, os.WriteFile(idFile, []byte(f.id.String()+"\n"), 0o600))
	bundlePath := filepath.Join(dir, "b.age")
	must(t, os.WriteFile(bundlePath, f.bundle, 0o600))
	tarPath := filepath.Join(dir, "b.tar")
	if out, err := exec.Command("age", "-d", "-i", idFile, "-o", tarPath, bundlePath).CombinedOutput(); err != nil {
		t.Fatalf("age -d: %v\n%s", err, out)
	}
	unpack := filepath.Join(dir, "unpacked")
	must(t, os.Mkdir(unpack, 0o700))
	if out, err := exec.Command("tar", "-xf", tarPath, "-C", unpack).CombinedOutput(); err != nil {
		t.Fatalf("tar -x: %v\n%s", err, out)
	}
	for _, name := range []string{"manifest.json", "manifest.sig", "signer.pub", "2026-TF-0412-prosecutor.pdf",
		"2026-TF-0412-prosecutor.json", "attachments/2026-TF-0412-attachment-001.txt"} {
		if _, err := os.Stat(filepath.Join(unpack, name)); err != nil {
			t.Errorf("unpacked bundle lacks %s", name)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(unpack, "attachments/2026-TF-0412-attachment-001.txt")); string(b) != "Patrol report, fictional.\n" {
		t.Errorf("attachment unpacked as %q", b)
	}
	// The manifest signature checks with the public key beside it.
	m, _ := os.ReadFile(filepath.Join(unpack, "manifest.json"))
	sig64, _ := os.ReadFile(filepath.Join(unpack, "manifest.sig"))
	pub64, _ := os.ReadFile(filepath.Join(unpack, "signer.pub"))
	sig, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sig64)))
	pub, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(pub64)))
	if !ed25519.Verify(pub, m, sig) {
		t.Error("manifest.sig does not verify over manifest.json with signer.pub")
	}
}

func TestVerifyPassesOnARealBundle(t *testing.T) {
	f := newBundleFixture(t)
	b, err := f.read(f.bundle)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if b.SignerFingerprint != f.keys.SigningFingerprint() {
		t.Fatalf("signer %s, want %s", b.SignerFingerprint, f.keys.SigningFingerprint())
	}
	must(t, b.CheckSigner(strings.ToUpper(strings.ReplaceAll(f.keys.SigningFingerprint(), " ", "-"))))
	if b.Manifest.Profile != "prosecutor" || b.Manifest.Exporter.Name != "Det. Alvarez" || len(b.Manifest.Files) != 3 {
		t.Fatalf("manifest = %+v", b.Manifest)
	}
	if !strings.Contains(string(b.ManifestBytes), "advocate-privileged note of Mar 4, 2026") {
		t.Error("the manifest lacks the withheld list")
	}
	if strings.Contains(string(f.bundle), "Zoë") || strings.Contains(string(f.bundle), "2026-TF-0412") {
		t.Error("the bundle is not encrypted")
	}
}

func TestVerifyPassphraseBundle(t *testing.T) {
	f := newBundleFixture(t)
	pass := []byte("violet harbour lantern quietly")
	b, _ := f.write(t, export.Prosecutor, export.Seal{Passphrase: pass})
	ids, err := export.Identities(nil, pass)
	must(t, err)
	if _, err := export.ReadBundle(bytes.NewReader(b), export.ReadOptions{Identities: ids}); err != nil {
		t.Fatalf("verify with the passphrase: %v", err)
	}
	ids, _ = export.Identities(nil, []byte("another passphrase entirely"))
	_, err = export.ReadBundle(bytes.NewReader(b), export.ReadOptions{Identities: ids})
	wantIntegrity(t, err, "wrong passphrase")
}

// TestVerifyRefusesEveryChangedByte flips one byte at a time: every byte of the age
// header and the first and last kilobytes, and every 61st byte between.
func TestVerifyRefusesEveryChangedByte(t *testing.T) {
	f := newBundleFixture(t)
	n := len(f.bundle)
	checked := 0
	for i := 0; i < n; i++ {
		if i >= 1024 && i < n-1024 && i%61 != 0 {
			continue
		}
		for _, flip := range []byte{0x01, 0x80} {
			b := bytes.Clone(f.bundle)
			b[i] ^= flip
			if _, err := f.read(b); err == nil || !errors.Is(err, app.ErrIntegrity) {
				t.Fatalf("byte %d of %d changed (xor %#x): verify returned %v", i, n, flip, err)
			}
			checked++
		}
	}
	t.Logf("%d single-byte changes over %d bytes, all refused", checked, n)
}

func TestVerifyRefusesTruncation(t *testing.T) {
	f := newBundleFixture(t)
	for _, cut := range []int{0, 1, 20, 100, len(f.bundle) / 2, len(f.bundle) - 17, len(f.bundle) - 1} {
		_, err := f.read(f.bundle[:cut])
		wantIntegrity(t, err, "truncated")
	}
	// A tar cut short inside the (re-encrypted) archive.
	tarball := f.decrypt(t, f.bundle)
	for _, cut := range []int{100, 512, 1500, len(tarball) / 2, len(tarball) - 1024} {
		_, err := f.read(f.encrypt(t, tarball[:cut]))
		wantIntegrity(t, err, "archive truncated")
	}
}

func TestVerifyRefusesASwappedFile(t *testing.T) {
	f := newBundleFixture(t)
	other, _ := f.write(t, export.Prosecutor, export.Seal{Recipient: f.id.Recipient().String()})
	mine, theirs := untar(t, f.decrypt(t, f.bundle)), untar(t, f.decrypt(t, other))
	for i := range mine {
		if !strings.HasSuffix(mine[i].name, ".pdf") && !strings.HasSuffix(mine[i].name, ".json") || i < 3 {
			continue
		}
		swapped := append([]tarEntry(nil), mine...)
		swapped[i] = theirs[i]
		_, err := f.read(f.encrypt(t, retar(t, swapped)))
		wantIntegrity(t, err, "swapped "+mine[i].name)
		if !strings.Contains(err.Error(), mine[i].name) {
			t.Errorf("the error does not name the swapped file: %v", err)
		}
	}
	// The whole manifest and signature swapped for the other bundle's: the files no
	// longer match.
	swapped := append([]tarEntry(nil), theirs[:3]...)
	swapped = append(swapped, mine[3:]...)
	_, err := f.read(f.encrypt(t, retar(t, swapped)))
	wantIntegrity(t, err, "manifest swapped")
}

func TestVerifyNamesAReSigner(t *testing.T) {
	f := newBundleFixture(t)
	entries := untar(t, f.decrypt(t, f.bundle))
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	entries[1].data = []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(priv, entries[0].data)) + "\n")
	entries[2].data = []byte(base64.StdEncoding.EncodeToString(pub) + "\n")
	b, err := f.read(f.encrypt(t, retar(t, entries)))
	if err != nil {
		t.Fatalf("a consistently re-signed bundle should read: %v", err)
	}
	err = b.CheckSigner(f.keys.SigningFingerprint())
	wantIntegrity(t, err, "re-signed")
	if !strings.Contains(err.Error(), "not by the expected "+f.keys.SigningFingerprint()) {
		t.Errorf("error = %v", err)
	}
	// Re-signed with the manifest changed: the old signature no longer matches.
	entries = untar(t, f.decrypt(t, f.bundle))
	entries[0].data = bytes.Replace(entries[0].data, []byte("prosecutor"), []byte("prosecuted"), 1)
	_, err = f.read(f.encrypt(t, retar(t, entries)))
	wantIntegrity(t, err, "manifest edited")
}

func TestVerifyRefusesPathsAndExtraFiles(t *testing.T) {
	f := newBundleFixture(t)
	base := untar(t, f.decrypt(t, f.bundle))
	for _, name := range []string{"../escape.txt", "/etc/passwd", "attachments/../../x", "extra.txt", "a\\b", ".hidden", "attachments//x"} {
		entries := append(append([]tarEntry(nil), base...), tarEntry{name, []byte("x")})
		_, err := f.read(f.encrypt(t, retar(t, entries)))
		wantIntegrity(t, err, "entry "+name)
	}
	// A file missing from the archive.
	_, err := f.read(f.encrypt(t, retar(t, base[:len(base)-1])))
	wantIntegrity(t, err, "missing file")
	// The same file twice.
	_, err = f.read(f.encrypt(t, retar(t, append(append([]tarEntry(nil), base...), base[3]))))
	wantIntegrity(t, err, "duplicate")
	// Attestations are reserved: ignored, and the bundle still verifies.
	entries := append(append([]tarEntry(nil), base...), tarEntry{"attestations/checkpoint.txt", []byte("later")})
	b, err := f.read(f.encrypt(t, retar(t, entries)))
	if err != nil || len(b.Attestations) != 1 {
		t.Fatalf("attestation refused: %v", err)
	}
	// A manifest (validly signed) that lists a path with "..".
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	bad := append([]tarEntry(nil), base...)
	bad[0].data = bytes.Replace(bad[0].data, []byte(`"path": "attachments/`), []byte(`"path": "../attachments/`), 1)
	bad[1].data = []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(priv, bad[0].data)) + "\n")
	bad[2].data = []byte(base64.StdEncoding.EncodeToString(pub) + "\n")
	_, err = f.read(f.encrypt(t, retar(t, bad)))
	wantIntegrity(t, err, "manifest path with ..")
}

// TestPassphraseBundleDecryptsWithStockAge: the stock age command reads a passphrase
// only from a terminal, so the test gives it one through script(1).
func TestPassphraseBundleDecryptsWithStockAge(t *testing.T) {
	needTool(t, "age", "age")
	needTool(t, "script", "bsdutils")
	f := newBundleFixture(t)
	pass := "violet harbour lantern quietly"
	b, _ := f.write(t, export.Prosecutor, export.Seal{Passphrase: []byte(pass)})
	dir := t.TempDir()
	bundlePath, tarPath := filepath.Join(dir, "b.age"), filepath.Join(dir, "b.tar")
	must(t, os.WriteFile(bundlePath, b, 0o600))
	cmd := exec.Command("script", "-qec", "age -d -o "+tarPath+" "+bundlePath, "/dev/null")
	cmd.Stdin = strings.NewReader(pass + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("age -d with the passphrase: %v\n%s", err, out)
	}
	tarball, err := os.ReadFile(tarPath)
	must(t, err)
	names := []string{}
	for _, e := range untar(t, tarball) {
		names = append(names, e.name)
	}
	if len(names) < 4 || names[0] != "manifest.json" || names[3] != "2026-TF-0412-prosecutor.pdf" {
		t.Fatalf("decrypted archive holds %q", names)
	}
}
