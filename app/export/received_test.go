package export_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"casenotes/app"
	"casenotes/app/export"
)

// twoVaults is a sender (a detective) and a receiver (a prosecutor) who know each
// other's keys.
type twoVaults struct {
	a, b         *app.Records
	keysA, keysB *app.UserKeys
	c            app.Case
	idB          age.Identity
}

func newTwoVaults(t *testing.T) *twoVaults {
	t.Helper()
	sa, ra := vault(t)
	sb, rb := vault(t)
	_, err := rb.SaveProfile(app.Profile{DisplayName: "ADA Ruiz", Role: app.RoleProsecutor, Agency: "Demo County Prosecutor's Office"})
	must(t, err)
	ka, err := sa.UserKeys()
	must(t, err)
	kb, err := sb.UserKeys()
	must(t, err)
	idB, err := age.ParseX25519Identity(kb.AgeIdentity())
	must(t, err)
	tv := &twoVaults{a: ra, b: rb, keysA: ka, keysB: kb, idB: idB}
	tv.c = demoCase(t, ra, "2026-TF-0412")
	return tv
}

func (tv *twoVaults) export(t *testing.T, p export.Profile) []byte {
	t.Helper()
	d, err := export.Build(tv.a, tv.c.ID, export.ExporterOf(tv.a, tv.keysA), export.Options{Profile: p,
		Recipient: export.Recipient{Organization: prosecutorOffice.Organisation, Category: "prosecution"}})
	must(t, err)
	var buf bytes.Buffer
	must(t, export.WriteBundle(&buf, export.BundleInput{Doc: d, Records: tv.a, Signing: tv.keysA.SigningKey(),
		Seal: export.Seal{Recipient: tv.keysB.AgeRecipient()}}))
	return buf.Bytes()
}

func (tv *twoVaults) importInto(b []byte, check export.SignerCheck) (export.ImportResult, error) {
	return export.ImportBundle(tv.b, bytes.NewReader(b), export.ReadOptions{Identities: []age.Identity{tv.idB}}, check)
}

func TestImportReceivedCaseIsReadOnlyAndApart(t *testing.T) {
	tv := newTwoVaults(t)
	// The receiver has a local case with the same number.
	local := demoCase(t, tv.b, "2026-TF-0412")
	bundle := tv.export(t, export.Prosecutor)

	// An unknown signer is refused unless its fingerprint is confirmed.
	if _, err := tv.importInto(bundle, export.SignerCheck{Directory: tv.b}); !errors.Is(err, app.ErrIntegrity) {
		t.Fatalf("unknown signer accepted: %v", err)
	}
	if cases, _ := tv.b.ListCases(app.CaseFilter{}); len(cases) != 1 {
		t.Fatalf("a refused import wrote %d cases", len(cases))
	}
	_, err := tv.b.AddPartner(app.PartnerInput{Organization: "Demo County Police", Person: "Det. Alvarez", Category: "law-enforcement",
		SigningFingerprint: tv.keysA.SigningFingerprint(), KeysConfirmed: true})
	must(t, err)
	res, err := tv.importInto(bundle, export.SignerCheck{Directory: tv.b})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	got, err := tv.b.Case(res.Case)
	must(t, err)
	if !got.ReadOnly || got.Origin != "Det. Alvarez, Demo County Police" || got.Number != "2026-TF-0412" || got.ID == local.ID {
		t.Fatalf("received case = %+v", got)
	}
	if c, _ := tv.b.CaseByNumber("2026-TF-0412"); c.ID != local.ID {
		t.Fatal("the received case took the local case's number")
	}
	hist, ok, err := tv.b.ReceivedHistory(res.Case)
	if err != nil || !ok || len(hist.Bundles) != 1 || hist.Latest().SignerFingerprint != tv.keysA.SigningFingerprint() ||
		!hist.Latest().Exported.Equal(testNow) {
		t.Fatalf("history = %+v, %v, %v", hist, ok, err)
	}
	notes, _ := tv.b.Notes(res.Case)
	if len(notes) != 1 || notes[0].Author != "Det. Alvarez" || strings.Contains(notes[0].Body, privilegedText) {
		t.Fatalf("received notes = %+v", notes)
	}
	// Read-only: no edits, no export as one's own.
	if _, err := tv.b.AddNote(res.Case, app.NoteInput{Kind: app.NoteOther, Body: "mine"}); !errors.Is(err, app.ErrReadOnly) {
		t.Fatalf("note added to a received case: %v", err)
	}
	if _, err := tv.b.AddAddendum(res.Case, notes[0].ID, "mine"); !errors.Is(err, app.ErrReadOnly) {
		t.Fatalf("addendum added to a received note: %v", err)
	}
	if _, err := export.Build(tv.b, res.Case, export.Exporter{}, export.Options{Profile: export.Prosecutor}); !errors.Is(err, app.ErrReadOnly) {
		t.Fatalf("received case exported: %v", err)
	}

	// A newer bundle updates it and keeps what came before.
	at(tv.a, testNow.Add(24*time.Hour), func() {
		n, err := tv.a.AddNote(tv.c.ID, app.NoteInput{Kind: app.NoteCourt, Body: "Charging decision made."})
		must(t, err)
		_, err = tv.a.FinaliseNote(tv.c.ID, n.ID)
		must(t, err)
	})
	var newer []byte
	at(tv.a, testNow.Add(25*time.Hour), func() { newer = tv.export(t, export.Prosecutor) })
	res2, err := tv.importInto(newer, export.SignerCheck{Directory: tv.b})
	if err != nil || res2.Case != res.Case || !res2.Updated || res2.Notes != 1 {
		t.Fatalf("newer bundle: %+v, %v", res2.ReceivedResult, err)
	}
	if notes, _ := tv.b.Notes(res.Case); len(notes) != 2 {
		t.Fatalf("after update: %d notes, want 2", len(notes))
	}
	if hist, _, _ := tv.b.ReceivedHistory(res.Case); len(hist.Bundles) != 2 {
		t.Fatalf("history has %d bundles, want 2", len(hist.Bundles))
	}
	if _, err := tv.importInto(bundle, export.SignerCheck{Directory: tv.b}); !errors.Is(err, app.ErrBundleNotNewer) {
		t.Fatalf("older bundle re-imported: %v", err)
	}

	// Once the sender's key is revoked, its bundles are refused.
	e, _, _ := tv.b.PartnerBySigner(tv.keysA.SigningFingerprint())
	_, err = tv.b.RevokePartnerKeys(e.ID, "Laptop reported stolen.")
	must(t, err)
	if _, err := tv.importInto(newer, export.SignerCheck{Directory: tv.b, Expected: tv.keysA.SigningFingerprint()}); err == nil ||
		!strings.Contains(err.Error(), "revoked") {
		t.Fatalf("revoked signer accepted: %v", err)
	}
}

func TestTransferImportsAsAnEditableCase(t *testing.T) {
	tv := newTwoVaults(t)
	_, err := tv.a.AddAttachment(tv.c.ID, "report.txt", strings.NewReader("Fictional report.\n"), -1, app.AttachmentReport)
	must(t, err)
	bundle := tv.export(t, export.Transfer)
	res, err := tv.importInto(bundle, export.SignerCheck{Directory: tv.b, Expected: tv.keysA.SigningFingerprint()})
	if err != nil {
		t.Fatalf("transfer import: %v", err)
	}
	c, err := tv.b.Case(res.Case)
	must(t, err)
	if c.ReadOnly || c.Origin != "" {
		t.Fatalf("transferred case is not an ordinary case: %+v", c)
	}
	notes, _ := tv.b.Notes(res.Case)
	var bodies []string
	for _, n := range notes {
		bodies = append(bodies, n.Body)
		if !n.Final() {
			t.Fatal("a draft was transferred")
		}
	}
	all := strings.Join(bodies, "\n")
	if !strings.Contains(all, privilegedText) || !strings.Contains(all, "Case transferred from Det. Alvarez, Demo County Police") || strings.Contains(all, draftText) {
		t.Fatalf("transferred notes = %q", bodies)
	}
	id, err := tv.b.RevealIdentity(res.Case, "check transfer")
	if err != nil || id.LegalName != legalName {
		t.Fatalf("identity not transferred: %+v, %v", id, err)
	}
	atts, _ := tv.b.Attachments(res.Case)
	if len(atts) != 1 || atts[0].Name != "report.txt" {
		t.Fatalf("attachments = %+v", atts)
	}
	if _, err := tv.b.AddNote(res.Case, app.NoteInput{Kind: app.NoteOther, Body: "editable"}); err != nil {
		t.Fatalf("transferred case refused a note: %v", err)
	}
	// A second transfer of the same number collides with the local case.
	if _, err := tv.importInto(tv.export(t, export.Transfer), export.SignerCheck{Expected: tv.keysA.SigningFingerprint()}); !errors.Is(err, app.ErrExists) {
		t.Fatalf("transfer onto a taken number: %v", err)
	}
	// Transfers are bundles to a key, never files or passphrase bundles.
	d, _ := export.Build(tv.a, tv.c.ID, export.Exporter{}, export.Options{Profile: export.Transfer})
	if err := export.WritePDF(&bytes.Buffer{}, d, export.A4); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("transfer as a PDF: %v", err)
	}
	err = export.WriteBundle(&bytes.Buffer{}, export.BundleInput{Doc: d, Records: tv.a, Signing: tv.keysA.SigningKey(),
		Seal: export.Seal{Passphrase: []byte("a long enough passphrase")}})
	if !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("transfer to a passphrase: %v", err)
	}
}
