// Package crypto is the leaf of the Casenotes key hierarchy: passphrase key
// derivation (Argon2id), key wrapping, authenticated sealing of values
// (AES-256-GCM with random nonces), HKDF sub-keys, MACs, printable recovery
// keys and the per-user signing and age identities.
//
// It imports only the standard library and golang.org/x/crypto so that the
// code an auditor must read to trust a vault stays small and self-contained.
// Every decryption failure is reported as [ErrUnauthenticated], whatever its
// cause, so callers cannot leak which check failed.
package crypto
