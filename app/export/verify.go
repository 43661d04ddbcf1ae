package export

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"

	"casenotes/app"
)

// Reading a bundle back, for `casenotes verify` and for import. Nothing is trusted
// until it is checked: the age layer authenticates the bytes for whoever holds the
// key, the Ed25519 signature names who made the manifest, and the manifest's sizes
// and SHA-256 sums pin every file. Any changed, missing, extra or truncated byte or
// file, a path with "..", an absolute path or anything but a plain file fails with
// a VerifyError that names what failed.

// VerifyError says what failed in a bundle. It matches app.ErrIntegrity.
type VerifyError struct {
	What string // e.g. "2026-TF-0412-prosecutor.pdf: SHA-256 does not match the manifest"
}

func (e *VerifyError) Error() string { return "bundle: " + e.What }

// Is makes errors.Is(err, app.ErrIntegrity) hold.
func (e *VerifyError) Is(target error) bool { return target == app.ErrIntegrity }

func failf(format string, a ...any) error { return &VerifyError{What: fmt.Sprintf(format, a...)} }

// Limits on what a bundle may hold, so a crafted one cannot exhaust memory.
const (
	maxManifest    = 4 << 20
	maxSmallEntry  = 1 << 10 // manifest.sig, signer.pub
	maxAttestation = 1 << 20
	maxFiles       = 100_000
	// MaxKept is the most a reader keeps in memory for import (the JSON and the
	// attachments); a larger bundle verifies but does not import.
	MaxKept = 512 << 20
)

// Bundle is a verified bundle.
type Bundle struct {
	Manifest          Manifest
	ManifestBytes     []byte
	Signer            ed25519.PublicKey
	SignerFingerprint string
	// Files holds the contents of the files the reader asked to keep.
	Files map[string][]byte
	// Attestations are the paths found under attestations/, and the contents of
	// those this reader knows (CheckAudit checks them).
	Attestations     []string
	attestationFiles map[string][]byte
}

// ReadOptions choose how a bundle is opened.
type ReadOptions struct {
	// Identities decrypt the bundle: the recipient's X25519 identity, or a scrypt
	// identity made from the passphrase (see Identities).
	Identities []age.Identity
	// Keep says which manifest files' contents to keep in Bundle.Files.
	Keep func(path string) bool
}

// Identities parses an age identity file's text, or turns a passphrase into a
// scrypt identity, for ReadOptions.
func Identities(identityFile []byte, passphrase []byte) ([]age.Identity, error) {
	if len(passphrase) > 0 {
		id, err := age.NewScryptIdentity(string(passphrase))
		if err != nil {
			return nil, app.Invalid("bundle passphrase", "cannot be used")
		}
		return []age.Identity{id}, nil
	}
	ids, err := age.ParseIdentities(bytes.NewReader(identityFile))
	if err != nil || len(ids) == 0 {
		return nil, app.Invalid("identity file", "holds no age identity (a line starting with AGE-SECRET-KEY-1)")
	}
	return ids, nil
}

// ReadBundle decrypts and checks a bundle completely, reading it to the end.
func ReadBundle(r io.Reader, o ReadOptions) (*Bundle, error) {
	if len(o.Identities) == 0 {
		return nil, app.Invalid("key", "is missing: give the identity file or the bundle passphrase")
	}
	ar, err := age.Decrypt(r, o.Identities...)
	if err != nil {
		return nil, failf("it cannot be opened with this key: it was altered or damaged, or it was sealed for another key")
	}
	return readArchive(ar, o)
}

// readArchive checks the decrypted tar, reading it to its end.
func readArchive(ar io.Reader, o ReadOptions) (*Bundle, error) {
	var err error
	b := &Bundle{Files: map[string][]byte{}}
	cr := &countingReader{r: ar}
	ar = cr
	tr := tar.NewReader(cr)
	// The three fixed entries come first, in order.
	readFixed := func(name string, limit int64) ([]byte, error) {
		hdr, err := tr.Next()
		if err != nil {
			return nil, failf("%s is missing or the archive is damaged", name)
		}
		if hdr.Name != name || hdr.Typeflag != tar.TypeReg {
			return nil, failf("%s is missing (found %s first)", name, safeQuote(hdr.Name))
		}
		if hdr.Size > limit {
			return nil, failf("%s is too large", name)
		}
		data, err := io.ReadAll(io.LimitReader(tr, limit+1))
		if err != nil || int64(len(data)) != hdr.Size {
			return nil, failf("%s is truncated", name)
		}
		return data, nil
	}
	if b.ManifestBytes, err = readFixed(ManifestName, maxManifest); err != nil {
		return nil, err
	}
	sigText, err := readFixed(SignatureName, maxSmallEntry)
	if err != nil {
		return nil, err
	}
	pubText, err := readFixed(SignerName, maxSmallEntry)
	if err != nil {
		return nil, err
	}
	pub, err := base64.StdEncoding.Strict().DecodeString(strings.TrimSuffix(string(pubText), "\n"))
	if err != nil || len(pub) != ed25519.PublicKeySize || string(pubText) != base64.StdEncoding.EncodeToString(pub)+"\n" {
		return nil, failf("%s is not an Ed25519 public key", SignerName)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(strings.TrimSuffix(string(sigText), "\n"))
	if err != nil || len(sig) != ed25519.SignatureSize || string(sigText) != base64.StdEncoding.EncodeToString(sig)+"\n" {
		return nil, failf("%s is not an Ed25519 signature", SignatureName)
	}
	if !ed25519.Verify(pub, b.ManifestBytes, sig) {
		return nil, failf("the signature in %s does not match %s", SignatureName, ManifestName)
	}
	b.Signer, b.SignerFingerprint = pub, SignerFingerprint(pub)
	if err := b.parseManifest(); err != nil {
		return nil, err
	}
	want := map[string]ManifestFile{}
	var kept int64
	for _, f := range b.Manifest.Files {
		want[f.Path] = f
		if o.Keep != nil && o.Keep(f.Path) {
			kept += f.Size
		}
	}
	if kept > MaxKept {
		return nil, app.Invalid("bundle", fmt.Sprintf("is larger than %d MiB, the most Casenotes imports at once", MaxKept>>20))
	}
	seen := map[string]bool{ManifestName: true, SignatureName: true, SignerName: true}
	for {
		before := cr.n
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			// A complete archive ends with two zero blocks; the reader also stops
			// cleanly where they are missing, which is a truncated archive.
			if cr.n-before < 2*512 {
				return nil, failf("the archive is truncated (its end marker is missing)")
			}
			break
		}
		if err != nil {
			return nil, failf("the archive is damaged or truncated")
		}
		name := hdr.Name
		if err := checkPath(name); err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, failf("%s appears twice", safeQuote(name))
		}
		seen[name] = true
		if hdr.Typeflag != tar.TypeReg {
			return nil, failf("%s is not a plain file", safeQuote(name))
		}
		if strings.HasPrefix(name, AttestationsDir) {
			if hdr.Size > maxAttestation {
				return nil, failf("%s is too large", safeQuote(name))
			}
			data, err := io.ReadAll(tr)
			if err != nil || int64(len(data)) != hdr.Size {
				return nil, failf("%s is truncated", safeQuote(name))
			}
			b.Attestations = append(b.Attestations, name)
			if knownAttestation(name) {
				if b.attestationFiles == nil {
					b.attestationFiles = map[string][]byte{}
				}
				b.attestationFiles[name] = data
			}
			continue
		}
		mf, ok := want[name]
		if !ok {
			return nil, failf("%s is not in the manifest", safeQuote(name))
		}
		if hdr.Size != mf.Size {
			return nil, failf("%s: size does not match the manifest", name)
		}
		h := sha256.New()
		var dst io.Writer = h
		var buf *bytes.Buffer
		if o.Keep != nil && o.Keep(name) {
			buf = bytes.NewBuffer(make([]byte, 0, mf.Size))
			dst = io.MultiWriter(h, buf)
		}
		n, err := io.Copy(dst, tr)
		if err != nil || n != mf.Size {
			return nil, failf("%s is truncated", name)
		}
		if hex.EncodeToString(h.Sum(nil)) != mf.SHA256 {
			return nil, failf("%s: SHA-256 does not match the manifest", name)
		}
		if buf != nil {
			b.Files[name] = buf.Bytes()
		}
	}
	for _, f := range b.Manifest.Files {
		if !seen[f.Path] {
			return nil, failf("%s is in the manifest but missing from the bundle", f.Path)
		}
	}
	// Read the age stream to its end: only then has its last chunk been
	// authenticated, so a truncated file is caught. Past the tar's end, only the
	// zero padding a tar writer may add is allowed.
	rest, err := io.ReadAll(io.LimitReader(ar, 1<<20+1))
	if err != nil {
		return nil, failf("the encrypted file is truncated or altered")
	}
	if len(rest) > 1<<20 || bytes.ContainsFunc(rest, func(r rune) bool { return r != 0 }) {
		return nil, failf("there is data after the end of the archive")
	}
	return b, nil
}

// parseManifest reads and checks the signed manifest.
func (b *Bundle) parseManifest() error {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(b.ManifestBytes, &head); err != nil {
		return failf("%s is not valid JSON", ManifestName)
	}
	if _, err := app.ReadableFormat(head.Format, BundleFormatID, "a Casenotes bundle manifest"); err != nil {
		if errors.Is(err, app.ErrTooNew) {
			return app.Invalid("bundle", "was made by a newer version of Casenotes: update Casenotes to read it")
		}
		return failf("%s is not a Casenotes bundle manifest", ManifestName)
	}
	if err := json.Unmarshal(b.ManifestBytes, &b.Manifest); err != nil {
		return failf("%s does not read as a manifest", ManifestName)
	}
	if len(b.Manifest.Files) > maxFiles {
		return failf("%s lists too many files", ManifestName)
	}
	seen := map[string]bool{}
	for _, f := range b.Manifest.Files {
		if err := checkPath(f.Path); err != nil {
			return err
		}
		if f.Path == ManifestName || f.Path == SignatureName || f.Path == SignerName || strings.HasPrefix(f.Path, AttestationsDir) {
			return failf("%s lists a reserved name", ManifestName)
		}
		if seen[f.Path] {
			return failf("%s lists %s twice", ManifestName, f.Path)
		}
		seen[f.Path] = true
		if f.Size < 0 || len(f.SHA256) != 64 {
			return failf("%s: entry %s is malformed", ManifestName, f.Path)
		}
		if _, err := hex.DecodeString(f.SHA256); err != nil {
			return failf("%s: entry %s is malformed", ManifestName, f.Path)
		}
	}
	return nil
}

// checkPath refuses any path but a plain relative one built of ASCII letters,
// digits, '.', '-' and '_' between single slashes: no absolute path, no "..", no
// backslash, no hidden or empty parts.
func checkPath(p string) error {
	if p == "" || len(p) > 200 {
		return failf("a file name is empty or too long")
	}
	if strings.HasPrefix(p, "/") {
		return failf("%s is an absolute path", safeQuote(p))
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return failf("%s climbs out of the bundle (\"..\")", safeQuote(p))
		}
		if part == "" || part == "." || strings.HasPrefix(part, ".") {
			return failf("%s is not a plain file name", safeQuote(p))
		}
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
				return failf("%s holds characters a bundle's file names never have", safeQuote(p))
			}
		}
	}
	return nil
}

// safeQuote shows a name found in a bundle without letting it carry arbitrary text
// into a message: printable ASCII only, at most 60 characters.
func safeQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 60 {
			b.WriteString("…")
			break
		}
		if r < 0x20 || r > 0x7e {
			b.WriteByte('?')
			continue
		}
		b.WriteRune(r)
	}
	return strconv.Quote(b.String())
}

// CheckSigner compares the bundle's signer with the fingerprint a person expects
// (typed or read from the directory). It fails with a VerifyError naming both.
func (b *Bundle) CheckSigner(expected string) error {
	fp, ok := app.NormalizeFingerprint(expected)
	if !ok {
		return app.Invalid("signer", "is not a fingerprint of five groups of four letters and digits")
	}
	if fp != b.SignerFingerprint {
		return &VerifyError{What: fmt.Sprintf("it was signed by %s, not by the expected %s", b.SignerFingerprint, fp)}
	}
	return nil
}

// DocumentPath is the export document (JSON) listed in the manifest.
func (b *Bundle) DocumentPath() string {
	for _, f := range b.Manifest.Files {
		if !strings.Contains(f.Path, "/") && strings.HasSuffix(f.Path, ".json") {
			return f.Path
		}
	}
	return ""
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
