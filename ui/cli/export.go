package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"casenotes/app"
	"casenotes/app/export"
)

// exitError is a failure whose message is already one sentence for people, with
// the exit code it maps to (4 for a bundle that fails verification).
type exitError struct {
	msg  string
	code int
}

func (e *exitError) Error() string { return e.msg }

// runExport writes a case's export: `casenotes export --case NUMBER --profile P
// --format pdf|md|json|bundle [--recipient NAME|age1...] [--to-passphrase-file F]
// [--include-identity] [--dry-run] [--page-size letter|a4] --out F`. What was
// withheld goes to standard error; --dry-run prints the preview and writes nothing.
func runExport(e *Env, g *globals, args []string) error {
	fs := newFlagSet("export", e)
	number := fs.String("case", "", "case number")
	profile := fs.String("profile", "prosecutor", "prosecutor, partner, court or transfer")
	format := fs.String("format", "pdf", "pdf, md, json or bundle")
	recipient := fs.String("recipient", "", "a partner's name from the directory, or an age1... key")
	passFile := fs.String("to-passphrase-file", "", "seal the bundle with the passphrase in this file")
	identity := fs.Bool("include-identity", false, "include the legal identity where a release covers it")
	dryRun := fs.Bool("dry-run", false, "print what would leave, write nothing")
	pageSize := fs.String("page-size", "letter", "letter or a4 (PDF)")
	out := fs.String("out", "", "file to write")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	p, err := export.ProfileByName(*profile)
	if err != nil {
		return usagef("export: --profile is prosecutor, partner, court or transfer")
	}
	if err := checkChoice("export", "--format", *format, "pdf", "md", "json", "bundle"); err != nil {
		return err
	}
	a4, err := a4Page("export", *pageSize)
	if err != nil {
		return err
	}
	size := export.Letter
	if a4 {
		size = export.A4
	}
	switch {
	case *number == "":
		return usagef("export: --case NUMBER is required")
	case *out == "" && !*dryRun:
		return usagef("export: --out FILE is required (or --dry-run to see what would leave)")
	case p.Everything && *format != "bundle":
		return usagef("export: a transfer is written only as a bundle (--format bundle)")
	case *format != "bundle" && *passFile != "":
		return usagef("export: --to-passphrase-file seals a bundle; use it with --format bundle")
	case p.Everything && *passFile != "":
		return usagef("export: a transfer goes only to a colleague's age key, never to a passphrase")
	}
	if *out != "" && !*dryRun {
		if err := checkNewFile("export", *out); err != nil {
			return err
		}
	}
	var seal export.Seal
	if *passFile != "" {
		pass, err := secretFromFile(*passFile, "bundle passphrase")
		if err != nil {
			return err
		}
		seal.Passphrase = pass
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
	to, err := exportRecipient(r, *recipient)
	if err != nil {
		return err
	}
	if *format == "bundle" && len(seal.Passphrase) == 0 {
		if to.AgeRecipient == "" {
			return usagef("export: a bundle needs --recipient with an age key (a partner in the directory, or age1...) or --to-passphrase-file")
		}
		seal.Recipient = to.AgeRecipient
	}
	if *format == "bundle" && len(seal.Passphrase) > 0 && strings.HasPrefix(*recipient, "age1") {
		return usagef("export: give an age key or a passphrase, not both")
	}
	c, err := r.CaseByNumber(*number)
	if err != nil {
		if errors.Is(err, app.ErrNotFound) {
			return &sentenceError{"No case with that number is in this vault. Check the number with casenotes cases."}
		}
		return err
	}
	d, err := export.Build(r, c.ID, export.ExporterOf(r, keys), export.Options{Profile: p, Recipient: to, IncludeIdentity: *identity})
	if err != nil {
		return exportSentence(err)
	}
	if *dryRun {
		fmt.Fprint(e.Stdout, d.Preview().Text())
		return nil
	}
	sum := sha256.New()
	err = export.WriteFile(*out, func(f *os.File) error {
		w := io.MultiWriter(f, sum)
		switch *format {
		case "pdf":
			return export.WritePDF(w, d, size)
		case "md":
			return export.WriteMarkdown(w, d)
		case "json":
			return export.WriteJSON(w, d)
		default:
			return export.WriteBundle(w, export.BundleInput{Doc: d, Records: r, Signing: keys.SigningKey(), Seal: seal, PageSize: size,
				Attest: export.Attester(s, d)})
		}
	})
	if err != nil {
		return exportSentence(err)
	}
	digest := hex.EncodeToString(sum.Sum(nil))
	if err := export.Record(r, d, *format, digest); err != nil {
		return &sentenceError{"The export was written to " + *out + ", but it could not be recorded in the case: " + app.Sentence(err)}
	}
	fmt.Fprint(e.Stderr, d.WithheldSummary())
	fmt.Fprintf(e.Stdout, "Wrote %s\nSHA-256: %s\nSigner fingerprint: %s\n", *out, digest, keys.SigningFingerprint())
	return nil
}

// setAuthor names the user as openRecords does: the profile's name, else the login.
func setAuthor(e *Env, r *app.Records) {
	if p, err := r.Profile(); err == nil && p.DisplayName != "" {
		r.User = p.DisplayName
	} else {
		r.User = loginName(e)
	}
}

// exportRecipient turns --recipient into the recipient releases are checked
// against: a directory entry by name, or a bare age key (which no release names).
func exportRecipient(r *app.Records, given string) (export.Recipient, error) {
	given = strings.TrimSpace(given)
	if given == "" {
		return export.Recipient{}, nil
	}
	if strings.HasPrefix(given, "age1") {
		if err := app.ValidAgeRecipient(given); err != nil {
			return export.Recipient{}, &sentenceError{"That age key is not valid: an age public key starts with age1 and is 62 characters long."}
		}
		return export.Recipient{AgeRecipient: given}, nil
	}
	entry, err := r.FindPartner(given)
	switch {
	case errors.Is(err, app.ErrNotFound):
		return export.Recipient{}, &sentenceError{"No partner by that name is in the directory. Add the partner in Settings, or give their age1 key."}
	case err != nil:
		return export.Recipient{}, err
	case entry.IsRevoked():
		return export.Recipient{}, &sentenceError{"That partner's keys were revoked on " + entry.Revoked.Format("Jan 2, 2006") + ". Ask them for their new key and add it as a new entry."}
	}
	return export.Recipient{Organization: entry.Organization, Person: entry.Person, Category: string(entry.Category),
		AgeRecipient: entry.AgeRecipient}, nil
}

// exportSentence turns an export failure into one sentence of what happened and
// what to do.
func exportSentence(err error) error {
	switch {
	case errors.Is(err, export.ErrDestination):
		return &sentenceError{"The export could not be written there (a missing folder or no permission); nothing was written. Choose another place."}
	case errors.Is(err, export.ErrReceivedCase):
		return &sentenceError{"This case was received from a partner; it cannot be exported again as your own. Forward the partner's original bundle instead."}
	}
	return err
}
