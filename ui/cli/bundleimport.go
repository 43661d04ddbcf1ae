package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"casenotes/app"
	"casenotes/app/export"
)

// importBundleFlags are import's flags for bundles.
type importBundleFlags struct {
	signer   *string
	passFile *string
}

func bundleFlags(fs *flag.FlagSet) importBundleFlags {
	return importBundleFlags{
		signer:   fs.String("signer", "", "the sender's signing fingerprint, confirmed by telephone (for a sender not in the directory)"),
		passFile: fs.String("bundle-passphrase-file", "", "file with the bundle's passphrase (otherwise your own key opens it)"),
	}
}

// runImportBundle verifies a bundle and adds its case: a partner's export as a
// read-only received case, a transfer as an ordinary case. The signer must be in
// the partner directory (not revoked) or confirmed with --signer.
func runImportBundle(e *Env, g *globals, src io.Reader, f importBundleFlags) error {
	if *f.signer != "" {
		if _, ok := app.NormalizeFingerprint(*f.signer); !ok {
			return usagef("import: --signer is a fingerprint of five groups of four letters and digits")
		}
	}
	var pass []byte
	if *f.passFile != "" {
		var err error
		if pass, err = secretFromFile(*f.passFile, "bundle passphrase"); err != nil {
			return err
		}
	}
	s, r, err := openSession(e, g)
	if err != nil {
		return err
	}
	defer s.Lock()
	keys, err := s.UserKeys()
	if err != nil {
		return err
	}
	ids, err := export.Identities([]byte(keys.AgeIdentity()), pass)
	if err != nil {
		return err
	}
	res, err := export.ImportBundle(r, src, export.ReadOptions{Identities: ids}, export.SignerCheck{Expected: *f.signer, Directory: r})
	if err != nil {
		return importSentence(err)
	}
	m := res.Bundle.Manifest
	switch {
	case res.Doc.Profile == export.Transfer.Name:
		fmt.Fprintf(e.Stdout, "Imported the transferred case %s from %s as an ordinary case, with %d note(s).\n", res.Number, m.Exporter.Name, res.Notes)
	case res.Updated:
		fmt.Fprintf(e.Stdout, "Updated the received case %s from %s: %d new note(s); the earlier bundle's history is kept.\n", res.Number, m.Exporter.Name, res.Notes)
	default:
		fmt.Fprintf(e.Stdout, "Imported case %s from %s, read-only, with %d note(s).\n", res.Number, m.Exporter.Name, res.Notes)
	}
	fmt.Fprintf(e.Stdout, "Signed by %s; exported %s UTC.\n", res.Bundle.SignerFingerprint, m.Created.UTC().Format("2006-01-02 15:04"))
	return nil
}

func importSentence(err error) error {
	switch {
	case errors.Is(err, export.ErrUnknownSigner):
		return &exitError{"The bundle's signer is not in your partner directory. Confirm the fingerprint with the sender by telephone, then run again with --signer FINGERPRINT.", ExitIntegrity}
	case isErr(err, app.ErrBundleNotNewer):
		return &sentenceError{"This bundle, or a newer one of the same case, was already imported; nothing changed."}
	}
	return verifySentence(err)
}

func isErr(err, target error) bool { return errors.Is(err, target) }
