package app

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	tlog "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"
)

// Checkpoints: the audit log's size and root hash, signed with the user's Ed25519
// signing key (the key partners already hold the fingerprint of) as a C2SP
// tlog-checkpoint signed note. One is made each time the log passes a multiple of
// checkpointEvery entries (deriveAudit, in the commit that passes it), at every
// lock and at every export; an export's bundle carries it with the inclusion proof of
// its export entry, so a recipient can check that the export was logged, and an
// auditor holding an older checkpoint can ask for a consistency proof to today's.
//
// What a checkpoint proves: only what has left the machine. The log is MACed and
// signed with the user's own keys, so someone holding those keys could rewrite the
// log and sign a new history; they cannot make it agree with a checkpoint already in
// a prosecutor's bundle, a backup or a supervisor's copy (docs/SECURITY.md).

// checkpointEvery is how many entries may pass between checkpoints (a commit that
// logs a batch may pass it by that batch).
const checkpointEvery = 1000

// storedCheckpoint is a checkpoint kept in the vault.
type storedCheckpoint struct {
	Note string    `json:"note"`
	Made time.Time `json:"made"`
	// Left is when the checkpoint went out with an export or a backup.
	Left time.Time `json:"left,omitzero"`
}

func checkpointKey(size uint64) Key { return Key{Type: RecCheckpoint, Order: size} }

// CheckpointOrigin names a vault's log in its checkpoints.
func CheckpointOrigin(vault ID) string { return "casenotes.vault/" + vault.String() }

// signerName is the note signer name of a public key: short, with no spaces.
func signerName(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return fmt.Sprintf("casenotes.signer/%x", sum[:8])
}

// noteSigner signs checkpoints with an Ed25519 key, as golang.org/x/mod/sumdb/note's
// Ed25519 keys do.
type noteSigner struct {
	name string
	hash uint32
	key  ed25519.PrivateKey
}

func newNoteSigner(key ed25519.PrivateKey) *noteSigner {
	pub := key.Public().(ed25519.PublicKey)
	name := signerName(pub)
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(append([]byte{1}, pub...)) // algorithm 1: Ed25519
	return &noteSigner{name: name, hash: binary.BigEndian.Uint32(h.Sum(nil)), key: key}
}

func (s *noteSigner) Name() string                    { return s.name }
func (s *noteSigner) KeyHash() uint32                 { return s.hash }
func (s *noteSigner) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(s.key, msg), nil }

// CheckpointVerifier is the note verifier of a signer's public key.
func CheckpointVerifier(pub ed25519.PublicKey) (note.Verifier, error) {
	vkey, err := note.NewEd25519VerifierKey(signerName(pub), pub)
	if err != nil {
		return nil, err
	}
	return note.NewVerifier(vkey)
}

// signCheckpoint makes the signed note of a tree.
func signCheckpoint(vault ID, size uint64, root []byte, key ed25519.PrivateKey) ([]byte, error) {
	cp := tlog.Checkpoint{Origin: CheckpointOrigin(vault), Size: size, Hash: root}
	return note.Sign(&note.Note{Text: string(cp.Marshal())}, newNoteSigner(key))
}

// Checkpoint is a verified checkpoint.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   []byte
	Note   []byte // the signed note, as kept and sent
}

// OpenCheckpoint verifies a signed checkpoint against a signer's public key and, when
// origin is not empty, the log it must come from.
func OpenCheckpoint(signed []byte, pub ed25519.PublicKey, origin string) (*Checkpoint, error) {
	v, err := CheckpointVerifier(pub)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("the checkpoint's signature does not verify: %w", ErrIntegrity)
	}
	var cp tlog.Checkpoint
	if _, err := cp.Unmarshal([]byte(n.Text)); err != nil {
		return nil, fmt.Errorf("the checkpoint is unreadable: %w", ErrIntegrity)
	}
	if !strings.HasPrefix(cp.Origin, "casenotes.vault/") || origin != "" && cp.Origin != origin {
		return nil, fmt.Errorf("the checkpoint is from another log: %w", ErrIntegrity)
	}
	return &Checkpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Hash, Note: signed}, nil
}

// VerifyInclusion checks that the entry (its encoded bytes) is leaf index of the
// checkpoint's tree, with RFC 6962 proof hashes.
func VerifyInclusion(cp *Checkpoint, index uint64, entry []byte, hashes [][]byte) error {
	if err := proof.VerifyInclusion(auditHasher, index, cp.Size, leafHash(entry), hashes, cp.Root); err != nil {
		return fmt.Errorf("the entry is not in the checkpoint's log: %w", ErrIntegrity)
	}
	return nil
}

// VerifyConsistency checks that the log of checkpoint a grew into that of b without
// any entry removed or rewritten.
func VerifyConsistency(a, b *Checkpoint, hashes [][]byte) error {
	if err := proof.VerifyConsistency(auditHasher, a.Size, b.Size, hashes, a.Root, b.Root); err != nil {
		return fmt.Errorf("the log was rewritten between the two checkpoints: %w", ErrIntegrity)
	}
	return nil
}

// leafHashes reads the leaf hashes of the log's first size entries.
func leafHashes(t Tx, size uint64) ([][]byte, error) {
	out := make([][]byte, 0, size)
	err := t.Scan(RecAudit, ID{}, func(k Key, b []byte) error {
		if k.Order >= size {
			return ErrStopScan
		}
		if k.Order != uint64(len(out)) {
			return fmt.Errorf("audit entry %d is missing: %w", len(out), ErrIntegrity)
		}
		out = append(out, leafHash(b))
		return nil
	})
	if err == nil && uint64(len(out)) != size {
		err = fmt.Errorf("audit entry %d is missing: %w", len(out), ErrIntegrity)
	}
	return out, err
}

// subtreeHash is the hash of the perfect subtree a proof node stands for.
func subtreeHash(leaves [][]byte, level uint, index uint64) ([]byte, error) {
	begin, end := index<<level, (index+1)<<level
	r := auditRanges.NewEmptyRange(begin)
	for i := begin; i < end; i++ {
		if err := r.Append(leaves[i], nil); err != nil {
			return nil, err
		}
	}
	// An aligned, perfect range is covered by exactly one node: the subtree's root.
	if hs := r.Hashes(); len(hs) == 1 {
		return hs[0], nil
	}
	return nil, fmt.Errorf("audit proof node: %w", ErrIntegrity)
}

// proofHashes turns proof nodes into their hashes.
func proofHashes(n proof.Nodes, leaves [][]byte) ([][]byte, error) {
	hs := make([][]byte, len(n.IDs))
	for i, id := range n.IDs {
		h, err := subtreeHash(leaves, id.Level, id.Index)
		if err != nil {
			return nil, err
		}
		hs[i] = h
	}
	return n.Rehash(hs, auditHasher.HashChildren)
}

// inclusionProof proves leaf index in the tree of size.
func inclusionProof(t Tx, index, size uint64) ([][]byte, error) {
	n, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, Invalid("entry", "is not in the log at that size")
	}
	leaves, err := leafHashes(t, size)
	if err != nil {
		return nil, err
	}
	return proofHashes(n, leaves)
}

// consistencyProof proves the tree of size1 is a prefix of the tree of size2.
func consistencyProof(t Tx, size1, size2 uint64) ([][]byte, error) {
	n, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, Invalid("checkpoint", "is larger than the log")
	}
	leaves, err := leafHashes(t, size2)
	if err != nil {
		return nil, err
	}
	return proofHashes(n, leaves)
}

// putCheckpoint signs and stores a checkpoint of the log as it stands in the change.
func putCheckpoint(c *Change, vault ID, st *auditState, key ed25519.PrivateKey) ([]byte, error) {
	var kept storedCheckpoint
	err := getJSON(c.Tx, checkpointKey(st.Size), &kept)
	if err == nil {
		return []byte(kept.Note), nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	signed, err := signCheckpoint(vault, st.Size, st.Root, key)
	if err != nil {
		return nil, err
	}
	kept = storedCheckpoint{Note: string(signed), Made: c.now().UTC()}
	return signed, putJSON(c, checkpointKey(st.Size), &kept)
}

// errNoLog says the vault's log has not started (a store opened without a session).
var errNoLog = errors.New("the audit log has not started")
