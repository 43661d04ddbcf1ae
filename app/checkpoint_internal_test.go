package app

import (
	"bytes"
	"crypto/ed25519"
	"testing"
)

// A checkpoint file comes from outside (a supervisor's copy, a bundle): opening it
// never panics, and whatever opens is exactly what was signed, since a changed
// size, root or origin breaks the signature.
func FuzzOpenCheckpoint(f *testing.F) {
	pub, key, err := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{3}, 64)))
	if err != nil {
		f.Fatal(err)
	}
	vault := ID{1, 2, 3}
	root := bytes.Repeat([]byte{9}, 32)
	signed, err := signCheckpoint(vault, 1234, root, key)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(bytes.Replace(signed, []byte("1234"), []byte("1235"), 1))
	f.Add([]byte("casenotes.vault/x\n1\nAA==\n\n— casenotes.signer/00 AAAAAA==\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		cp, err := OpenCheckpoint(b, pub, "")
		if err != nil {
			return
		}
		if cp.Size != 1234 || !bytes.Equal(cp.Root, root) || cp.Origin != CheckpointOrigin(vault) {
			t.Fatalf("a changed checkpoint opened: size %d, origin %s", cp.Size, cp.Origin)
		}
	})
}
