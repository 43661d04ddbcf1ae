package app_test

import (
	"errors"
	"strings"
	"testing"

	"casenotes/app"
	"casenotes/crypto"
)

func TestDirectoryValidation(t *testing.T) {
	r := newTestRecords(t)
	_, rcpt, err := crypto.NewAgeIdentity()
	if err != nil {
		t.Fatal(err)
	}
	good := app.PartnerInput{Organization: "Demo County Prosecutor's Office", Person: "Ana Ruiz", Category: "prosecution",
		Role: "assistant district attorney", Phone: "+1 (555) 010-0200", Email: "ana.ruiz@example.org",
		AgeRecipient: rcpt, SigningFingerprint: "3F2A-9C01-77DE-0B4E-1A2C", KeysConfirmed: true}
	tests := []struct {
		name   string
		change func(*app.PartnerInput)
		want   string // the one sentence, "" for accepted
	}{
		{"good", func(*app.PartnerInput) {}, ""},
		{"no name", func(in *app.PartnerInput) { in.Organization, in.Person = " ", "" }, "partner needs an organization, a person, or both"},
		{"category", func(in *app.PartnerInput) { in.Category = "police" }, "partner category is not one of the mdt partners"},
		{"phone", func(in *app.PartnerInput) { in.Phone = "call me" }, "phone may hold only digits"},
		{"email", func(in *app.PartnerInput) { in.Email = "ana at example" }, "email is not an e-mail address"},
		{"recipient", func(in *app.PartnerInput) { in.AgeRecipient = "age1notakey" }, "age recipient is not an age public key"},
		{"fingerprint", func(in *app.PartnerInput) { in.SigningFingerprint = "3f2a 9c01" }, "signing fingerprint is not five groups"},
		{"unconfirmed", func(in *app.PartnerInput) { in.KeysConfirmed = false }, "keys are not confirmed"},
		{"no keys need no confirmation", func(in *app.PartnerInput) {
			in.AgeRecipient, in.SigningFingerprint, in.KeysConfirmed = "", "", false
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good
			tt.change(&in)
			e, err := r.AddPartner(in)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, app.ErrInvalid) || !strings.Contains(strings.ToLower(app.Sentence(err)), tt.want) {
				t.Fatalf("got %+v, %v; want %q", e, err, tt.want)
			}
		})
	}
	all, err := r.Partners()
	if err != nil || len(all) != 2 {
		t.Fatalf("partners = %d, %v; want the 2 accepted", len(all), err)
	}
	if all[0].SigningFingerprint != "" && all[0].SigningFingerprint != "3f2a 9c01 77de 0b4e 1a2c" {
		t.Fatalf("fingerprint not normalized: %q", all[0].SigningFingerprint)
	}
}

func TestDirectoryRevokedKeyStaysRevoked(t *testing.T) {
	r := newTestRecords(t)
	in := app.PartnerInput{Organization: "Hope House", Category: "victim-services", SigningFingerprint: "aaaa bbbb cccc dddd eeee", KeysConfirmed: true}
	e, err := r.AddPartner(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.RevokePartnerKeys(e.ID, "Laptop reported stolen."); err != nil {
		t.Fatal(err)
	}
	got, ok, err := r.PartnerBySigner("AAAA-BBBB-CCCC-DDDD-EEEE")
	if err != nil || !ok || !got.IsRevoked() || got.RevokedReason != "Laptop reported stolen." {
		t.Fatalf("by signer = %+v, %v, %v", got, ok, err)
	}
	in.Organization = "Hope House (new entry)"
	if _, err := r.AddPartner(in); err == nil || !strings.Contains(app.Sentence(err), "was revoked on") {
		t.Fatalf("a revoked key was accepted again: %v", err)
	}
	if _, err := r.UpdatePartner(e.ID, app.PartnerInput{Organization: "Hope House", Category: "victim-services",
		SigningFingerprint: "1111 2222 3333 4444 5555", KeysConfirmed: true}); !errors.Is(err, app.ErrFinal) {
		t.Fatalf("a revoked entry took a new key: %v", err)
	}
	if _, err := r.FindPartner("hope house"); err != nil {
		t.Fatalf("find by name: %v", err)
	}
	if _, err := r.FindPartner("Nobody"); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("unknown partner: %v", err)
	}
}

func TestVaultSettingsNotice(t *testing.T) {
	r := newTestRecords(t)
	s, err := r.Settings()
	if err != nil || s.Notice() != app.DefaultConfidentialityNotice {
		t.Fatalf("default notice = %q, %v", s.Notice(), err)
	}
	if _, err := r.SaveSettings(app.VaultSettings{ConfidentialityNotice: "  Agency wording.  "}); err != nil {
		t.Fatal(err)
	}
	if s, _ := r.Settings(); s.Notice() != "Agency wording." {
		t.Fatalf("notice = %q", s.Notice())
	}
	if _, err := r.SaveSettings(app.VaultSettings{ConfidentialityNotice: strings.Repeat("x", 301)}); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("long notice accepted: %v", err)
	}
}
