package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
)

// runImport imports a case file (casenotes-case/v1) all or nothing.
func runImport(e *Env, g *globals, args []string) error {
	fs := newFlagSet("import", e)
	bf := bundleFlags(fs)
	rest, err := parse(fs, g, args, 1)
	if err != nil {
		return usagef("import: give one file: casenotes import FILE")
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return usagef("import: cannot read %s", rest[0])
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if head, _ := br.Peek(len("age-encryption.org/")); bytes.Equal(head, []byte("age-encryption.org/")) {
		return runImportBundle(e, g, br, bf)
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	sum, err := r.ImportCaseFile(br)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, sum.String())
	return nil
}
