package app

// migrateReleaseSigners records "signer not recorded" on every release made before
// releases recorded who signed them (issue 14): a release's signer is then always
// known to be either recorded or not, and screens and exports say which. It walks the
// case index in batches of signerBatch cases; a batch rewrites only the releases that
// have no signer yet, so running a batch again changes nothing.
func migrateReleaseSigners(c *Change, cursor []byte) ([]byte, bool, error) {
	return casesAfter(c, cursor, signerBatch, func(id ID) error {
		var keys []Key
		var rels []*Release
		err := scanJSON(c.Tx, RecRelease, id, func(k Key, rel *Release) error {
			if rel.Signer == nil {
				keys, rels = append(keys, k), append(rels, rel)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, rel := range rels {
			rel.Signer = &ReleaseSigner{Kind: SignerNotRecorded}
			if err := putJSON(c, keys[i], rel); err != nil {
				return err
			}
		}
		return nil
	})
}

// signerBatch is how many cases one batch of the signer migration visits: a case
// has a handful of releases of under a kilobyte each.
const signerBatch = 200
