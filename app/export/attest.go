package export

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"

	"casenotes/app"
)

// The audit attestation a bundle carries beside its manifest (not inside it: the
// manifest's hash is in the entry, so it could not also hold the entry): the sender's
// signed audit checkpoint made right after the export was logged, the export's entry,
// and its inclusion proof. A recipient checks with them that this export is in the
// sender's audit log; an auditor with a later checkpoint can check the log kept it.
const (
	AuditCheckpointName = AttestationsDir + "audit-checkpoint.txt"
	AuditEntryName      = AttestationsDir + "audit-entry.json"
	AuditProofName      = AttestationsDir + "audit-proof.json"
)

// auditProofFile is the inclusion proof as written in the bundle.
type auditProofFile struct {
	Format string   `json:"format"`
	Index  uint64   `json:"leaf_index"`
	Size   uint64   `json:"tree_size"`
	Hashes []string `json:"hashes"` // base64, RFC 6962 inclusion proof
}

const auditProofFormat = "casenotes-audit-proof/v1"

func knownAttestation(name string) bool {
	return name == AuditCheckpointName || name == AuditEntryName || name == AuditProofName
}

// attestationFiles are the files of an attestation, to add to a bundle.
func attestationFiles(a *app.Attestation) (map[string][]byte, error) {
	pf := auditProofFile{Format: auditProofFormat, Index: a.Index, Size: a.Size}
	for _, h := range a.Proof {
		pf.Hashes = append(pf.Hashes, base64.StdEncoding.EncodeToString(h))
	}
	proof, err := json.MarshalIndent(pf, "", "  ")
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		AuditCheckpointName: a.Checkpoint,
		AuditEntryName:      a.Entry,
		AuditProofName:      append(proof, '\n'),
	}, nil
}

// manifestHash is the hash an export's audit entry records of its manifest.
func manifestHash(manifest []byte) string {
	sum := sha256.Sum256(manifest)
	return hex.EncodeToString(sum[:])
}

// AuditCheck is what a bundle's attestation proves, once checked.
type AuditCheck struct {
	Present    bool   // the bundle carries an attestation
	Index      uint64 // the export's entry in the sender's log
	Size       uint64 // the checkpoint's log size
	Origin     string // the sender's log
	Checkpoint []byte // the signed checkpoint, for an auditor to keep
}

// CheckAudit checks the bundle's audit attestation, if it has one: the checkpoint is
// signed by the bundle's signer, the entry is an export entry recording this
// manifest's hash, and the proof puts the entry in the checkpoint's log. Anything
// wrong is an integrity error naming it.
func (b *Bundle) CheckAudit() (AuditCheck, error) {
	var c AuditCheck
	cp, entry, proof := b.attestationFiles[AuditCheckpointName], b.attestationFiles[AuditEntryName], b.attestationFiles[AuditProofName]
	if cp == nil && entry == nil && proof == nil {
		return c, nil
	}
	c.Present = true
	if cp == nil || entry == nil || proof == nil {
		return c, failf("the audit attestation is incomplete")
	}
	checkpoint, err := app.OpenCheckpoint(cp, b.Signer, "")
	if err != nil {
		return c, failf("the audit checkpoint is not signed by the bundle's signer")
	}
	var e app.AuditEntry
	if json.Unmarshal(entry, &e) != nil || e.Action != app.ActExport {
		return c, failf("the audit entry is not an export entry")
	}
	if e.Hash != manifestHash(b.ManifestBytes) {
		return c, failf("the audit entry records another manifest")
	}
	var pf auditProofFile
	if json.Unmarshal(proof, &pf) != nil || pf.Size != checkpoint.Size || pf.Index != e.Seq {
		return c, failf("the audit proof does not match its checkpoint")
	}
	hashes := make([][]byte, len(pf.Hashes))
	for i, h := range pf.Hashes {
		if hashes[i], err = base64.StdEncoding.DecodeString(h); err != nil {
			return c, failf("the audit proof is unreadable")
		}
	}
	if err := app.VerifyInclusion(checkpoint, pf.Index, entry, hashes); err != nil {
		return c, failf("the export is not in the sender's audit log at that checkpoint")
	}
	c.Index, c.Size, c.Origin, c.Checkpoint = pf.Index, checkpoint.Size, checkpoint.Origin, cp
	return c, nil
}

// Attester is the BundleInput.Attest of an export from an unlocked session: it logs
// the export with the manifest's hash and returns the attestation.
func Attester(s *app.Session, d *Document) func(string) (*app.Attestation, error) {
	return func(manifestSHA256 string) (*app.Attestation, error) {
		a, err := s.AttestExport(app.AuditEvent{Case: d.Case.ID, Object: d.ExportID, Profile: d.Profile,
			Format: "bundle", Recipient: d.Recipient.auditKey(), Included: len(d.Notes),
			Withheld: len(d.Withheld), Hash: manifestSHA256})
		if err != nil {
			return nil, err
		}
		return &a, nil
	}
}
