package export_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"casenotes/app"
	"casenotes/app/export"
	"casenotes/storage"
)

// benchCase is a case of 500 final notes (about 700 characters each, every tenth
// with an addendum), 30 timeline events, the full checklist and a 200 KiB
// attachment, in a real store: what a detective's long case looks like.
func benchCase(b *testing.B) (*app.Records, app.Case) {
	b.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	st, err := storage.Open(b.TempDir(), app.StoreKeys{AtRest: key, Records: key}, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	r := app.NewRecords(st, "Det. Alvarez")
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	r.Now = func() time.Time { return start }
	c, err := r.CreateCase(app.CaseInput{Number: "2026-TF-0500", Title: "Long case", Assigned: []string{"Det. Alvarez", "Adv. Kim"}},
		app.Victim{Alias: "Zoë Ångström", Age: 15, Languages: []string{"Spanish"}})
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Met at the child advocacy center with the advocate present; Ήλιος and Жанна were named. ", 8)
	for i := range 500 {
		t := start.Add(time.Duration(i) * 7 * time.Hour)
		r.Now = func() time.Time { return t }
		n, err := r.AddNote(c.ID, app.NoteInput{Kind: app.NoteKinds[i%len(app.NoteKinds)], Body: fmt.Sprintf("Note %d. %s", i+1, text)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.FinaliseNote(c.ID, n.ID); err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			if _, err := r.AddAddendum(c.ID, n.ID, "Correction: the time was 14:30."); err != nil {
				b.Fatal(err)
			}
		}
	}
	for i := range 30 {
		_, err := r.AddTimelineEvent(c.ID, app.TimelineInput{Kind: "other", Date: start.AddDate(0, 0, i*10), Source: "Patrol report",
			Description: "Fictional event for the benchmark."})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := r.AddAttachment(c.ID, "report.txt", strings.NewReader(strings.Repeat("Fictional report line.\n", 9000)), -1, app.AttachmentReport); err != nil {
		b.Fatal(err)
	}
	r.Now = func() time.Time { return start.AddDate(1, 0, 0) }
	return r, c
}

func exporter() export.Exporter {
	return export.Exporter{Name: "Det. Alvarez", Agency: "Demo County Police"}
}

// BenchmarkExportPDF500Notes is a 500-note case to the prosecutor's PDF: Build
// (every record read, every rule applied) and the PDF written. Target: under 2 s.
func BenchmarkExportPDF500Notes(b *testing.B) {
	r, c := benchCase(b)
	b.ReportAllocs()
	for b.Loop() {
		d, err := export.Build(r, c.ID, exporter(), export.Options{Profile: export.Prosecutor})
		if err != nil {
			b.Fatal(err)
		}
		if err := export.WritePDF(io.Discard, d, export.Letter); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportBundle500Notes is the same case as a signed bundle to an age key:
// Build, PDF, JSON, the attachment read back and checked, signing, encryption.
// Target: under 3 s.
func BenchmarkExportBundle500Notes(b *testing.B) {
	r, c := benchCase(b)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	id, _ := age.GenerateX25519Identity()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		d, err := export.Build(r, c.ID, exporter(), export.Options{Profile: export.Prosecutor})
		if err != nil {
			b.Fatal(err)
		}
		if err := export.WriteBundle(&buf, export.BundleInput{Doc: d, Records: r, Signing: priv,
			Seal: export.Seal{Recipient: id.Recipient().String()}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bundle-bytes")
}

// BenchmarkVerifyBundle500Notes reads that bundle back as verify does.
func BenchmarkVerifyBundle500Notes(b *testing.B) {
	r, c := benchCase(b)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	id, _ := age.GenerateX25519Identity()
	d, err := export.Build(r, c.ID, exporter(), export.Options{Profile: export.Prosecutor})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteBundle(&buf, export.BundleInput{Doc: d, Records: r, Signing: priv, Seal: export.Seal{Recipient: id.Recipient().String()}}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := export.ReadBundle(bytes.NewReader(buf.Bytes()), export.ReadOptions{Identities: []age.Identity{id}}); err != nil {
			b.Fatal(err)
		}
	}
}
