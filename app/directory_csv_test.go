package app_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"casenotes/app"
)

const dirFingerprint = "3f2a 9c01 77de 0b4e 1a2c"

// A directory exported as CSV imports into another vault; keys arrive pending and are
// used only once a person confirms the fingerprint; a row already there is left as
// it is; formula-looking cells survive the trip.
func TestDirectoryCSVRoundTrip(t *testing.T) {
	src := newTestRecords(t)
	if _, err := src.AddPartner(app.PartnerInput{Organization: "Demo County Prosecutor's Office", Person: "ADA Ruiz",
		Category: "prosecution", Phone: "+1 555-0100", Email: "ruiz@example.org", SigningFingerprint: dirFingerprint,
		KeysConfirmed: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.AddPartner(app.PartnerInput{Organization: "=HYPERLINK(\"x\")", Category: "community"}); err != nil {
		t.Fatal(err)
	}
	lost, err := src.AddPartner(app.PartnerInput{Organization: "Demo Lost Laptop Agency", Category: "other",
		SigningFingerprint: "0000 1111 2222 3333 4444", KeysConfirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.RevokePartnerKeys(lost.ID, "Laptop stolen"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := src.ExportDirectoryCSV(&buf)
	if err != nil || n != 2 {
		t.Fatalf("exported %d: %v", n, err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "format,casenotes-directory/v1\n") || strings.Contains(out, "Lost Laptop") ||
		!strings.Contains(out, `"'=HYPERLINK(""x"")"`) || !strings.Contains(out, "'+1 555-0100") {
		t.Fatalf("export:\n%s", out)
	}

	dst := newTestRecords(t)
	if _, err := dst.AddPartner(app.PartnerInput{Organization: "Demo County Prosecutor's Office", Person: "ADA Ruiz", Category: "prosecution"}); err != nil {
		t.Fatal(err)
	}
	sum, err := dst.ImportDirectoryCSV(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 1 || sum.Unchanged != 1 || sum.KeysPending != 0 {
		t.Errorf("summary %+v", sum)
	}
	all, _ := dst.Partners()
	if len(all) != 2 || all[0].Organization != "=HYPERLINK(\"x\")" {
		t.Fatalf("imported %+v", all)
	}

	// Into an empty vault, the key waits for confirmation and is not used.
	fresh := newTestRecords(t)
	sum, err = fresh.ImportDirectoryCSV(strings.NewReader(out))
	if err != nil || sum.Added != 2 || sum.KeysPending != 1 {
		t.Fatalf("summary %+v %v", sum, err)
	}
	if !strings.Contains(sum.String(), "wait until you confirm") {
		t.Errorf("summary sentence %q", sum.String())
	}
	if _, found, _ := fresh.PartnerBySigner(dirFingerprint); found {
		t.Fatal("an imported key is trusted before its fingerprint was confirmed")
	}
	e, err := fresh.FindPartner("ADA Ruiz")
	if err != nil || e.PendingFingerprint != dirFingerprint || e.SigningFingerprint != "" || e.Phone != "+1 555-0100" {
		t.Fatalf("entry %+v %v", e, err)
	}
	_, err = fresh.ConfirmPartnerKeys(e.ID, false)
	assertFieldError(t, err, "keys", app.ErrInvalid)
	e, err = fresh.ConfirmPartnerKeys(e.ID, true)
	if err != nil || e.SigningFingerprint != dirFingerprint || e.PendingFingerprint != "" || e.KeysConfirmedBy != "Det. Alvarez" {
		t.Fatalf("confirmed %+v %v", e, err)
	}
	if _, found, _ := fresh.PartnerBySigner(dirFingerprint); !found {
		t.Error("a confirmed key is not found")
	}
}

// One bad row stores nothing, and the error names the row and the field, never the
// value.
func TestDirectoryCSVRefusals(t *testing.T) {
	r := newTestRecords(t)
	before := dumpStore(t, r.Store())
	for _, tc := range []struct {
		name, csv, want string
	}{
		{"unknown column", "organization,nickname\nA,b\n", "column (number 2)"},
		{"bad email", "organization,email\nDemo Shelter,ok@example.org\nDemo Clinic,not-an-address\n", "Row 2: email"},
		{"bad category", "organization,category\nDemo Shelter,friends\n", "Row 1: partner category"},
		{"bad fingerprint", "organization,signing_fingerprint\nDemo Shelter,zz\n", "Row 1: signing fingerprint"},
		{"newer format", "format,casenotes-directory/v9\norganization\nA\n", "newer version"},
		{"other format", "format,casenotes-case/v1\norganization\nA\n", "not \"casenotes-directory/v1\""},
		{"no partner", "organization,person\n", "holds no partner"},
		{"no name columns", "role,phone\nx,555\n", "neither an organization nor a person"},
		{"not UTF-8", "organization\nCaf\xe9\n", "not UTF-8"},
		{"broken quotes", "organization\n\"Demo\n", "not valid CSV"},
	} {
		_, err := r.ImportDirectoryCSV(strings.NewReader(tc.csv))
		if !errors.Is(err, app.ErrInvalid) && !errors.Is(err, app.ErrTooNew) {
			t.Errorf("%s: err %v", tc.name, err)
			continue
		}
		if s := app.Sentence(err); !strings.Contains(s, tc.want) {
			t.Errorf("%s: %q does not say %q", tc.name, s, tc.want)
		}
	}
	assertSameStore(t, before, dumpStore(t, r.Store()))
	// A spreadsheet's byte order mark and a header without the format line are fine.
	sum, err := r.ImportDirectoryCSV(strings.NewReader("\xef\xbb\xbfOrganization,Person,Category\nDemo Shelter,,victim-services\n\n"))
	if err != nil || sum.Added != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
}

// FuzzParseDirectoryCSV: any bytes are partners that pass the directory's checks,
// or one refusal; never a panic.
func FuzzParseDirectoryCSV(f *testing.F) {
	f.Add([]byte("format,casenotes-directory/v1\norganization,person,category\nDemo Shelter,,victim-services\n"))
	f.Add([]byte("organization,email\nA,a@example.org\n"))
	f.Add([]byte("organization\n\"x\"\"y\"\n"))
	f.Add([]byte("format\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := app.ParseDirectoryCSV(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, app.ErrInvalid) && !errors.Is(err, app.ErrTooNew) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		for _, in := range rows {
			if in.Organization == "" && in.Person == "" {
				t.Fatal("a partner without a name passed")
			}
		}
	})
}
