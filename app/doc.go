// Package app is the domain of Casenotes and its use cases: cases, victims (alias
// first, the legal identity apart), notes and addenda, checklists, releases of
// information, referrals, the timeline, attachments, the MDT practice (meetings,
// the partner directory, references, the court log, outcomes, retention), and the
// vault itself: its keys, header, integrity digests, audit trail, backups and
// migrations. Every rule of the domain is enforced here, never in a screen, so the
// desktop app (ui/) and the command line (ui/cli) get the same answers.
//
// The package never imports Fyne, Badger, storage or ui (app/layering_test.go): it
// declares what it needs from the disk as interfaces, VaultDisk (vault.go) and Store,
// Tx and Writer (store.go), and storage/ implements them. It builds and tests
// without cgo or a display.
//
// # Main types
//
//   - [Vaults] (vault.go) creates, unlocks and restores vaults, changes and resets
//     passphrases, and keeps the lockout (lockout.go). Create, Unlock and
//     UnlockWithRecoveryKey return a Session.
//   - [Session] (session.go) is one unlocked vault. It owns the [Keyring]
//     (keyring.go), the only holder of the vault key, and the store's one commit
//     path. It hands out Records, the user's keys (userkeys.go), backups
//     (backup.go), the full check (check.go), the rekey (rekey.go), and the audit
//     trail's verification and checkpoints (audit_session.go, audit_verify.go,
//     checkpoint.go). Lock ends it and zeroes every key.
//   - [Records] (records.go) is the record service: every method that reads or
//     changes a case, a note, a release, a meeting and the rest, one file per
//     topic (case.go, note.go, release.go, meeting.go ...).
//   - The commit path (commit.go: commitPath, [Change]) is the one way anything is
//     written. It serializes writes and, in the same transaction, runs the
//     derivers that keep the case and task indexes (derive.go), the vault totals
//     (totals.go), the blind number index (numberindex.go), the state digests
//     (state.go) and the audit entry (audit.go); then it tells observers
//     ([Records.Observe]). app/commitpath_rule_test.go fails if anything else
//     writes to the store.
//
// Record types ([RecordType]) and the key layout ([Key]) are in store.go and are
// part of the vault format; schema migrations are in migrate.go. What may leave a
// vault, and how, is the sub-package app/export.
//
// # Where to start reading
//
// docs/design.md (the design as built: the vault on disk, the key hierarchy, every
// record type, the commit path) and docs/domain.md (who the users are and where each
// principle is enforced). Then vault.go (Vaults.open is the unlock), records.go,
// commit.go, and one service end to end: note.go, from AddNote to FinaliseNote and
// AddAddendum.
package app
