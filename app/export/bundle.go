package export

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"filippo.io/age"

	"casenotes/app"
	"casenotes/crypto"
)

// The bundle (docs/export.md): one standard age file, to an X25519 recipient or to
// a passphrase (scrypt, the only recipient then), holding an uncompressed tar:
//
//	manifest.json   casenotes-bundle/v1: every file's path, size and SHA-256, the
//	                exporter, profile, recipient, withheld list, time, app version
//	manifest.sig    Ed25519 signature over the exact bytes of manifest.json (base64)
//	signer.pub      the Ed25519 public key that made it (base64)
//	<case>-<profile>.pdf, <case>-<profile>.json, attachments/...
//	attestations/   reserved: the audit trail adds its checkpoint and inclusion proof
//	                here, outside the manifest; readers ignore what is under it
//
// `age -d` decrypts it and `tar x` unpacks it; `casenotes verify` checks it.

// BundleFormatID is the manifest's format id and the newest version this build
// writes and reads.
var BundleFormatID = app.FormatID{Name: "casenotes-bundle", Version: 1}

// BundleFormat is BundleFormatID as written in a manifest.
var BundleFormat = BundleFormatID.String()

// Names of the fixed entries and the reserved folder.
const (
	ManifestName    = "manifest.json"
	SignatureName   = "manifest.sig"
	SignerName      = "signer.pub"
	AttestationsDir = "attestations/"
)

// Manifest lists what a bundle holds. Its exact bytes are signed.
type Manifest struct {
	Format     string         `json:"format"`
	ExportID   app.ID         `json:"export_id"`
	Created    time.Time      `json:"created"`
	AppVersion string         `json:"app_version"`
	Profile    string         `json:"profile"`
	CaseNumber string         `json:"case_number"`
	Exporter   Exporter       `json:"exporter"`
	Recipient  Recipient      `json:"recipient"`
	Withheld   []Withheld     `json:"withheld"`
	Files      []ManifestFile `json:"files"`
}

// ManifestFile is one file of the bundle.
type ManifestFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Seal says whom a bundle is encrypted to: an age X25519 recipient ("age1..."), or
// a passphrase for a prosecutor without the app. Exactly one.
type Seal struct {
	Recipient  string
	Passphrase []byte
}

// scryptWorkFactor is the cost of a passphrase bundle (age's default, about a
// second); tests build with the casenotes_testkdf tag to lower it.
var scryptWorkFactor = 18

func (s Seal) recipient() (age.Recipient, error) {
	switch {
	case s.Recipient != "" && len(s.Passphrase) > 0:
		return nil, app.Invalid("bundle recipient", "is both a key and a passphrase: choose one")
	case s.Recipient != "":
		r, err := age.ParseX25519Recipient(strings.TrimSpace(s.Recipient))
		if err != nil {
			return nil, app.Invalid("age recipient", "is not an age public key (it starts with age1)")
		}
		return r, nil
	case len(s.Passphrase) > 0:
		if len(s.Passphrase) < 12 {
			return nil, app.Invalid("bundle passphrase", "is shorter than 12 characters: use several unrelated words")
		}
		r, err := age.NewScryptRecipient(string(s.Passphrase))
		if err != nil {
			return nil, app.Invalid("bundle passphrase", "cannot be used")
		}
		r.SetWorkFactor(scryptWorkFactor)
		return r, nil
	}
	return nil, app.Invalid("bundle recipient", "is missing: give the partner's age key or a passphrase")
}

// BundleInput is what WriteBundle needs.
type BundleInput struct {
	Doc *Document
	// Records reads the attachments the document's evidence index puts in the bundle.
	Records *app.Records
	// Signing signs the manifest (the exporter's key).
	Signing  ed25519.PrivateKey
	Seal     Seal
	PageSize PageSize
	// Progress, when set, hears how many of the bundle's files are written.
	Progress func(done, total int)
	// Attest, when set, logs the export in the audit trail with the manifest's
	// hash and returns the checkpoint and proof the bundle carries beside the
	// manifest (Session.AttestExport).
	Attest func(manifestSHA256 string) (*app.Attestation, error)
}

// WriteBundle writes the encrypted, signed bundle to w. The files are checked as
// they are read (attachments against the SHA-256 recorded when they were added),
// so a damaged attachment fails the bundle rather than leaving in it.
func WriteBundle(w io.Writer, in BundleInput) error {
	d := in.Doc
	if len(in.Signing) != ed25519.PrivateKeySize {
		return app.Invalid("signing key", "is missing")
	}
	rcpt, err := in.Seal.recipient()
	if err != nil {
		return err
	}
	if d.Profile == Transfer.Name && in.Seal.Recipient == "" {
		return app.Invalid("transfer", "goes only to a colleague's age key, never to a passphrase")
	}
	d.Recipient.AgeRecipient = strings.TrimSpace(in.Seal.Recipient)
	d.Recipient.Passphrase = len(in.Seal.Passphrase) > 0

	type entry struct {
		path   string
		data   []byte           // PDF and JSON, in memory
		attach *AttachmentEntry // streamed from the store
	}
	var entries []entry
	base := SafeName(d.Case.Number) + "-" + SafeName(d.Profile)
	if d.Profile != Transfer.Name {
		var pdf bytes.Buffer
		if err := WritePDF(&pdf, d, in.PageSize); err != nil {
			return err
		}
		entries = append(entries, entry{path: base + ".pdf", data: pdf.Bytes()})
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, d); err != nil {
		return err
	}
	entries = append(entries, entry{path: base + ".json", data: js.Bytes()})
	if d.Evidence != nil {
		for i := range d.Evidence.Attachments {
			if a := &d.Evidence.Attachments[i]; a.File != "" {
				entries = append(entries, entry{path: a.File, attach: a})
			}
		}
	}

	m := Manifest{Format: BundleFormat, ExportID: d.ExportID, Created: d.Created, AppVersion: d.AppVersion,
		Profile: d.Profile, CaseNumber: d.Case.Number, Exporter: d.Exporter, Recipient: d.Recipient, Withheld: d.Withheld}
	for _, e := range entries {
		f := ManifestFile{Path: e.path}
		if e.attach != nil {
			f.Size, f.SHA256 = e.attach.Size, e.attach.SHA256
		} else {
			sum := sha256.Sum256(e.data)
			f.Size, f.SHA256 = int64(len(e.data)), hex.EncodeToString(sum[:])
		}
		m.Files = append(m.Files, f)
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: encoding the manifest: %v", app.ErrStore, err)
	}
	manifest = append(manifest, '\n')
	sig := ed25519.Sign(in.Signing, manifest)
	pub := in.Signing.Public().(ed25519.PublicKey)

	aw, err := age.Encrypt(w, rcpt)
	if err != nil {
		return fmt.Errorf("%w: starting encryption: %v", app.ErrStore, err)
	}
	tw := tar.NewWriter(aw)
	put := func(name string, size int64, src io.Reader) error {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: d.Created, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		n, err := io.Copy(tw, src)
		if err != nil {
			return err
		}
		if n != size {
			return fmt.Errorf("%s: %w", name, app.ErrIntegrity)
		}
		return nil
	}
	fixed := [][2][]byte{
		{[]byte(ManifestName), manifest},
		{[]byte(SignatureName), []byte(base64.StdEncoding.EncodeToString(sig) + "\n")},
		{[]byte(SignerName), []byte(base64.StdEncoding.EncodeToString(pub) + "\n")},
	}
	for _, f := range fixed {
		if err := put(string(f[0]), int64(len(f[1])), bytes.NewReader(f[1])); err != nil {
			return err
		}
	}
	for i, e := range entries {
		var src io.Reader
		if e.attach != nil {
			rc, err := in.Records.OpenAttachment(d.Case.ID, e.attach.ID)
			if err != nil {
				return err
			}
			err = put(e.path, e.attach.Size, rc)
			rc.Close()
			if err != nil {
				return err
			}
		} else {
			src = bytes.NewReader(e.data)
			if err := put(e.path, int64(len(e.data)), src); err != nil {
				return err
			}
		}
		if in.Progress != nil {
			in.Progress(i+1, len(entries))
		}
	}
	if in.Attest != nil {
		a, err := in.Attest(manifestHash(manifest))
		if err != nil {
			return err
		}
		files, err := attestationFiles(a)
		if err != nil {
			return err
		}
		for _, name := range []string{AuditCheckpointName, AuditEntryName, AuditProofName} {
			if err := put(name, int64(len(files[name])), bytes.NewReader(files[name])); err != nil {
				return err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return aw.Close()
}

// SignerFingerprint is the short form of a signer's key, as the directory keeps it.
func SignerFingerprint(pub ed25519.PublicKey) string { return crypto.Fingerprint(pub) }
