package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"

	"casenotes/app"
	"casenotes/app/export"
)

// runVerify checks a bundle without a vault: `casenotes verify FILE [--identity F |
// --bundle-passphrase-file F] [--signer FINGERPRINT]`. With --vault it opens the
// vault to decrypt with the user's own key when no other is given, and checks the
// signer against the partner directory (a revoked key fails). Any changed, missing
// or extra byte or file exits 4 and names what failed.
func runVerify(e *Env, g *globals, args []string) error {
	fs := newFlagSet("verify", e)
	idFile := fs.String("identity", "", "age identity file that opens the bundle")
	passFile := fs.String("bundle-passphrase-file", "", "file with the bundle's passphrase")
	signer := fs.String("signer", "", "the signer's fingerprint, as the sender read it to you")
	rest, err := parse(fs, g, args, 1)
	if err != nil {
		return usagef("verify: casenotes verify FILE [--identity F | --bundle-passphrase-file F] [--signer FINGERPRINT]")
	}
	if *idFile != "" && *passFile != "" {
		return usagef("verify: give --identity or --bundle-passphrase-file, not both")
	}
	if *signer != "" {
		if _, ok := app.NormalizeFingerprint(*signer); !ok {
			return usagef("verify: --signer is a fingerprint of five groups of four letters and digits")
		}
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return usagef("verify: cannot read %s", rest[0])
	}
	defer f.Close()

	var ids []age.Identity
	switch {
	case *idFile != "":
		b, err := os.ReadFile(*idFile)
		if err != nil {
			return usagef("verify: cannot read the identity file")
		}
		if ids, err = export.Identities(b, nil); err != nil {
			return &sentenceError{"The identity file holds no age key (a line starting with AGE-SECRET-KEY-1). Give the file that holds your age key."}
		}
	case *passFile != "":
		pass, err := secretFromFile(*passFile, "bundle passphrase")
		if err != nil {
			return err
		}
		ids, _ = export.Identities(nil, pass)
	}
	var dir *app.Records
	if g.vault != "" {
		s, err := unlock(e, g)
		if err != nil {
			return err
		}
		defer s.Lock()
		if dir, err = s.Records(""); err != nil {
			return err
		}
		if ids == nil {
			keys, err := s.UserKeys()
			if err != nil {
				return err
			}
			ids, _ = export.Identities([]byte(keys.AgeIdentity()), nil)
		}
	}
	if ids == nil {
		return usagef("verify: give --identity F or --bundle-passphrase-file F (or --vault DIR to use your own key)")
	}
	h := sha256.New()
	b, err := export.ReadBundle(io.TeeReader(f, h), export.ReadOptions{Identities: ids})
	if dir != nil {
		// A vault given: the check is an event of its audit trail, pass or fail.
		_, _ = io.Copy(h, f)
		if lerr := dir.LogBundleVerified(hex.EncodeToString(h.Sum(nil)), err == nil); lerr != nil && err == nil {
			return lerr
		}
	}
	if err != nil {
		return verifySentence(err)
	}
	entry, known, err := b.CheckSignerWith(export.SignerCheck{Expected: *signer, Directory: dir})
	if err != nil && !errors.Is(err, export.ErrUnknownSigner) {
		return verifySentence(err)
	}
	printBundle(e, rest[0], b, hex.EncodeToString(h.Sum(nil)))
	audit, err := b.CheckAudit()
	if err != nil {
		return verifySentence(err)
	}
	if audit.Present {
		fmt.Fprintf(e.Stdout, "Audit: this export is entry %d of the sender's audit log (%s), in its checkpoint of %d entries signed by the same key.\n",
			audit.Index, audit.Origin, audit.Size)
	} else {
		fmt.Fprintln(e.Stdout, "Audit: the bundle carries no audit checkpoint (made before the audit trail, or not logged).")
	}
	switch {
	case *signer != "":
		fmt.Fprintf(e.Stdout, "Signer: %s (matches --signer)\n", b.SignerFingerprint)
	case known:
		fmt.Fprintf(e.Stdout, "Signer: %s (%s, in your partner directory)\n", b.SignerFingerprint, entry.Name())
	case dir != nil:
		return &exitError{fmt.Sprintf("Verification failed: the bundle was signed by %s, a key that is not in your partner directory. Confirm the fingerprint with the sender and run again with --signer.", b.SignerFingerprint), ExitIntegrity}
	default:
		fmt.Fprintf(e.Stdout, "Signer: %s\nTHE SIGNER WAS NOT CHECKED: compare this fingerprint with the sender by telephone, or run again with --signer FINGERPRINT.\n", b.SignerFingerprint)
	}
	fmt.Fprintln(e.Stdout, "OK: the signature and every file's size and SHA-256 match the manifest.")
	return nil
}

func printBundle(e *Env, path string, b *export.Bundle, sum string) {
	m := b.Manifest
	w := e.Stdout
	fmt.Fprintf(w, "Bundle: %s\nBundle SHA-256: %s\n", path, sum)
	fmt.Fprintf(w, "Format: %s, made by Casenotes %s\n", m.Format, m.AppVersion)
	fmt.Fprintf(w, "Export: %s, profile %s, case %s\n", m.ExportID, m.Profile, m.CaseNumber)
	ex := []string{m.Exporter.Name}
	if m.Exporter.Role != "" {
		ex = append(ex, m.Exporter.Role)
	}
	if m.Exporter.Agency != "" {
		ex = append(ex, m.Exporter.Agency)
	}
	fmt.Fprintf(w, "Exported: %s by %s\n", m.Created.UTC().Format("2006-01-02 15:04:05 UTC"), strings.Join(ex, ", "))
	fmt.Fprintln(w, "Files:")
	for _, f := range m.Files {
		fmt.Fprintf(w, "  %s  %d bytes  sha256 %s\n", f.Path, f.Size, f.SHA256)
	}
	for _, a := range b.Attestations {
		fmt.Fprintf(w, "  %s  (attestation, not covered by the manifest)\n", a)
	}
	fmt.Fprintf(w, "Withheld: %d item(s), listed in the manifest\n", len(m.Withheld))
}

// verifySentence names what failed, exit 4 for anything about the bundle itself.
func verifySentence(err error) error {
	var ve *export.VerifyError
	if errors.As(err, &ve) {
		return &exitError{"Verification failed: " + ve.What + ". Do not use this bundle; ask the sender for a new one.", ExitIntegrity}
	}
	var fe *app.FieldError
	if errors.As(err, &fe) {
		return &exitError{app.Sentence(err), ExitIntegrity}
	}
	return err
}
