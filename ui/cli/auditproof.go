package cli

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"casenotes/app"
	"casenotes/ui/format"
)

// Checkpoints and consistency proofs for people outside the vault: a supervisor
// keeps a signed checkpoint (`audit checkpoint --out F`); later, `audit prove
// --from-checkpoint F` prints today's checkpoint and the RFC 6962 consistency proof
// from the kept one to it, which shows that nothing logged before the kept
// checkpoint was removed or rewritten since. The proof's form is documented in
// docs/audit.md and docs/formats.md.

// proofFormat is the format id of a printed consistency proof.
const proofFormat = "casenotes-consistency-proof/v1"

// maxCheckpointFile bounds what is read of a checkpoint file (a few hundred bytes).
const maxCheckpointFile = 64 << 10

// runAuditCheckpoint writes a signed checkpoint of the log as it stands, for a
// supervisor's copy, and records that it left the machine.
func runAuditCheckpoint(e *Env, g *globals, args []string) error {
	fs := newFlagSet("audit checkpoint", e)
	out := fs.String("out", "", "file to write the signed checkpoint to")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return usagef("audit checkpoint: --out FILE is required")
	}
	if err := checkNewFile("audit checkpoint", *out); err != nil {
		return err
	}
	s, err := unlock(e, g)
	if err != nil {
		return err
	}
	defer s.Lock()
	signed, err := s.Checkpoint()
	if err != nil {
		return err
	}
	keys, err := s.UserKeys()
	if err != nil {
		return err
	}
	cp, err := app.OpenCheckpoint(signed, keys.SigningPublic(), app.CheckpointOrigin(s.VaultID()))
	if err != nil {
		return err
	}
	err = writeFileAtomic(*out, func(f *os.File) error {
		_, err := f.Write(signed)
		return err
	})
	if err != nil {
		return err
	}
	if err := s.MarkCheckpointLeft(signed); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Wrote the signed checkpoint of %s to %s.\n", format.Count(int(cp.Size), "audit entry", "audit entries"), *out)
	fmt.Fprintf(e.Stdout, "Signer fingerprint: %s\n", keys.SigningFingerprint())
	fmt.Fprintln(e.Stdout, "Keep it away from this computer. Later, casenotes audit prove --from-checkpoint with this file")
	fmt.Fprintln(e.Stdout, "shows whether anything logged before it was removed or rewritten.")
	return nil
}

// runAuditProve proves that the log of an older checkpoint is a prefix of today's:
// it prints today's checkpoint and the consistency proof (text, or --json), checks
// the printed proof as a reader would, and exits 4 when the old checkpoint is not of
// this log (another vault, another signer, altered) or the log was rewritten.
func runAuditProve(e *Env, g *globals, args []string) error {
	fs := newFlagSet("audit prove", e)
	from := fs.String("from-checkpoint", "", "the older signed checkpoint (from audit checkpoint, a bundle or a backup)")
	asJSON := fs.Bool("json", false, "print the proof as one JSON object")
	out := fs.String("out", "", "write the proof to this file instead of standard output")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	if *from == "" {
		return usagef("audit prove: --from-checkpoint FILE is required")
	}
	if *out != "" {
		if err := checkNewFile("audit prove", *out); err != nil {
			return err
		}
	}
	f, err := openInput("checkpoint file", *from)
	if err != nil {
		return err
	}
	old, err := io.ReadAll(io.LimitReader(f, maxCheckpointFile))
	f.Close()
	if err != nil {
		return unreadable("checkpoint file", *from, err)
	}
	s, err := unlock(e, g)
	if err != nil {
		return err
	}
	defer s.Lock()
	fromCP, toCP, hashes, err := s.ProveConsistency(old)
	if err != nil {
		if errors.Is(err, app.ErrIntegrity) {
			return &exitError{notProven(err, *from), ExitIntegrity}
		}
		return err
	}
	p := consistencyProof{OldSize: fromCP.Size, OldRoot: fromCP.Root, NewSize: toCP.Size, NewRoot: toCP.Root,
		Hashes: hashes, Checkpoint: toCP.Note}
	var text []byte
	if *asJSON {
		text, err = p.marshalJSON()
	} else {
		text = p.marshalText()
	}
	if err != nil {
		return err
	}
	// Check what is printed, as whoever receives it will.
	keys, err := s.UserKeys()
	if err != nil {
		return err
	}
	if err := checkPrintedProof(text, old, keys.SigningPublic()); err != nil {
		return &exitError{"Not proven: " + integrityReason(err) + ".", ExitIntegrity}
	}
	if *out != "" {
		err = writeFileAtomic(*out, func(f *os.File) error { _, err := f.Write(text); return err })
		if err != nil {
			return err
		}
		if err := s.MarkCheckpointLeft(toCP.Note); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Wrote the proof to %s.\n", *out)
	} else if _, err := e.Stdout.Write(text); err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "Proven: the %s of the older checkpoint are unchanged in today's log of %s.\n",
		format.Count(int(fromCP.Size), "entry", "entries"), format.Count(int(toCP.Size), "entry", "entries"))
	return nil
}

// notProven says in one line why an older checkpoint proves nothing here.
func notProven(err error, file string) string {
	why := integrityReason(err)
	switch {
	case strings.HasPrefix(why, "the checkpoint's signature"), strings.HasPrefix(why, "the checkpoint is unreadable"):
		return "Not proven: the checkpoint in " + file + " is not signed by this vault's user (it is another vault's, or it was changed)."
	case strings.HasPrefix(why, "the checkpoint is from another log"):
		return "Not proven: the checkpoint in " + file + " is of another vault's audit trail."
	case strings.HasPrefix(why, "the checkpoint is of a longer log"):
		return "Not proven: the checkpoint in " + file + " covers more entries than this vault's audit trail holds, so entries were removed; keep this vault as it is and tell your administrator."
	case strings.HasPrefix(why, "the log was rewritten"):
		return "Not proven: the audit trail was rewritten since the checkpoint in " + file + "; keep this vault as it is and tell your administrator."
	}
	return "Not proven: " + why + " (" + file + ")."
}

// integrityReason is the first part of an integrity error from the audit trail
// ("the checkpoint is from another log"), which app words for people.
func integrityReason(err error) string {
	msg := strings.TrimSuffix(err.Error(), ": "+app.ErrIntegrity.Error())
	if msg == err.Error() || msg == "" {
		return "the checkpoint does not match this vault's audit trail"
	}
	return msg
}

// consistencyProof is a printed proof: the old and new tree sizes and roots, the
// RFC 6962 consistency proof hashes (in the order proof.VerifyConsistency takes
// them) and today's signed checkpoint.
type consistencyProof struct {
	OldSize, NewSize uint64
	OldRoot, NewRoot []byte
	Hashes           [][]byte
	Checkpoint       []byte // the signed note, exactly as signed
}

// marshalText writes the text form:
//
//	casenotes-consistency-proof/v1
//	old SIZE ROOT
//	new SIZE ROOT
//	HASH            (one a line, base64; none when the sizes are equal or old is 0)
//	                (a blank line)
//	CHECKPOINT      (today's signed note, verbatim)
func (p consistencyProof) marshalText() []byte {
	var b bytes.Buffer
	enc := base64.StdEncoding.EncodeToString
	fmt.Fprintf(&b, "%s\nold %d %s\nnew %d %s\n", proofFormat, p.OldSize, enc(p.OldRoot), p.NewSize, enc(p.NewRoot))
	for _, h := range p.Hashes {
		b.WriteString(enc(h) + "\n")
	}
	b.WriteString("\n")
	b.Write(p.Checkpoint)
	return b.Bytes()
}

// proofJSON is the JSON form: the same fields, hashes in base64.
type proofJSON struct {
	Format     string   `json:"format"`
	OldSize    uint64   `json:"old_size"`
	OldRoot    []byte   `json:"old_root"`
	NewSize    uint64   `json:"new_size"`
	NewRoot    []byte   `json:"new_root"`
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

func (p consistencyProof) marshalJSON() ([]byte, error) {
	hs := p.Hashes
	if hs == nil {
		hs = [][]byte{}
	}
	b, err := json.MarshalIndent(proofJSON{Format: proofFormat, OldSize: p.OldSize, OldRoot: p.OldRoot,
		NewSize: p.NewSize, NewRoot: p.NewRoot, Proof: hs, Checkpoint: string(p.Checkpoint)}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// errBadProof is a printed proof that does not read as one.
var errBadProof = fmt.Errorf("the proof is not a %s: %w", proofFormat, app.ErrIntegrity)

// maxProofHashes bounds the proof's length: a consistency proof has at most about
// 2*log2(size) hashes.
const maxProofHashes = 128

// parseConsistencyProof reads either form.
func parseConsistencyProof(b []byte) (consistencyProof, error) {
	var p consistencyProof
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		var j proofJSON
		if err := json.Unmarshal(b, &j); err != nil || j.Format != proofFormat || len(j.Proof) > maxProofHashes {
			return p, errBadProof
		}
		p = consistencyProof{OldSize: j.OldSize, OldRoot: j.OldRoot, NewSize: j.NewSize, NewRoot: j.NewRoot,
			Hashes: j.Proof, Checkpoint: []byte(j.Checkpoint)}
		// The JSON form holds what the text form holds, no more: a root or hash of
		// another length is not a proof of this format, whichever form carries it.
		if len(p.OldRoot) != 32 || len(p.NewRoot) != 32 {
			return consistencyProof{}, errBadProof
		}
		for _, h := range p.Hashes {
			if len(h) != 32 {
				return consistencyProof{}, errBadProof
			}
		}
		return p, nil
	}
	head, note, ok := bytes.Cut(b, []byte("\n\n"))
	if !ok {
		return p, errBadProof
	}
	lines := strings.Split(string(head), "\n")
	if len(lines) < 3 || lines[0] != proofFormat || len(lines)-3 > maxProofHashes {
		return p, errBadProof
	}
	var err error
	if p.OldSize, p.OldRoot, err = treeLine(lines[1], "old"); err != nil {
		return p, err
	}
	if p.NewSize, p.NewRoot, err = treeLine(lines[2], "new"); err != nil {
		return p, err
	}
	for _, l := range lines[3:] {
		h, err := base64.StdEncoding.DecodeString(l)
		if err != nil || len(h) != 32 {
			return p, errBadProof
		}
		p.Hashes = append(p.Hashes, h)
	}
	p.Checkpoint = note
	return p, nil
}

// treeLine reads "old SIZE ROOT" or "new SIZE ROOT".
func treeLine(l, name string) (uint64, []byte, error) {
	f := strings.Split(l, " ")
	if len(f) != 3 || f[0] != name {
		return 0, nil, errBadProof
	}
	size, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0, nil, errBadProof
	}
	root, err := base64.StdEncoding.DecodeString(f[2])
	if err != nil || len(root) != 32 {
		return 0, nil, errBadProof
	}
	return size, root, nil
}

// checkPrintedProof verifies a printed proof against the older checkpoint, as a
// recipient holding both and the signer's public key would: both checkpoints
// verify, the proof's sizes and roots are theirs, and the proof holds.
func checkPrintedProof(text, oldNote []byte, pub ed25519.PublicKey) error {
	p, err := parseConsistencyProof(text)
	if err != nil {
		return err
	}
	oldCP, err := app.OpenCheckpoint(oldNote, pub, "")
	if err != nil {
		return err
	}
	newCP, err := app.OpenCheckpoint(p.Checkpoint, pub, oldCP.Origin)
	if err != nil {
		return err
	}
	if oldCP.Size != p.OldSize || !bytes.Equal(oldCP.Root, p.OldRoot) ||
		newCP.Size != p.NewSize || !bytes.Equal(newCP.Root, p.NewRoot) {
		return fmt.Errorf("the proof's trees are not the checkpoints' trees: %w", app.ErrIntegrity)
	}
	return app.VerifyConsistency(oldCP, newCP, p.Hashes)
}
