package app

// Test hooks of the MDT practice (issue 14).

// PutLegacyRelease stores a release as a vault from before release signers holds it:
// with no signer at all.
func PutLegacyRelease(r *Records, caseID ID, rel Release) error {
	return r.update(func(t Tx) error {
		rel.Case, rel.Signer = caseID, nil
		return putJSON(t, Key{Type: RecRelease, Case: caseID, Order: nextOrder(rel.Created), ID: rel.ID}, &rel)
	})
}

// SetSchemaVersion stamps the vault with an older schema version, so the next unlock
// runs the migrations after it.
func SetSchemaVersion(r *Records, version int) error {
	return r.update(func(t Tx) error { return putSchema(t, schemaRecord{Version: version}) })
}
