package pipeline

import (
	"strings"
	"testing"
)

func TestValidateLead(t *testing.T) {
	t.Parallel()
	ok := LeadForm{Company: " Acme ", ContactEmail: "jane@acme.com", Value: "12.5k", ExpectedClose: "2026-12-01", Source: "referral", CompanySize: "11-50"}
	lead, errs := ValidateLead(ok, "USD")
	if errs != nil {
		t.Fatalf("valid form rejected: %v", errs)
	}
	if lead.Company != "Acme" || lead.Title != "Acme" || lead.Value.Minor != 1_250_000 || lead.ExpectedClose.Format("2006-01-02") != "2026-12-01" {
		t.Errorf("lead = %+v", lead)
	}

	long := strings.Repeat("x", MaxNameLen+1)
	tests := []struct {
		name  string
		form  LeadForm
		field LeadField
		says  string
	}{
		{"no company", LeadForm{Company: "  "}, FieldCompany, "company name"},
		{"long company", LeadForm{Company: long}, FieldCompany, "limit is 200"},
		{"bad email", LeadForm{Company: "A", ContactEmail: "jane@"}, FieldContactEmail, "not an email"},
		{"email with name", LeadForm{Company: "A", ContactEmail: "Jane <jane@acme.com>"}, FieldContactEmail, "not an email"},
		{"email without dot", LeadForm{Company: "A", ContactEmail: "jane@localhost"}, FieldContactEmail, "not an email"},
		{"negative value", LeadForm{Company: "A", Value: "-100"}, FieldValue, "negative"},
		{"absurd value", LeadForm{Company: "A", Value: "10000000000000"}, FieldValue, "exceed"},
		{"words for value", LeadForm{Company: "A", Value: "lots"}, FieldValue, "such as"},
		{"bad date", LeadForm{Company: "A", ExpectedClose: "next week"}, FieldExpectedClose, "not a date"},
		{"impossible date", LeadForm{Company: "A", ExpectedClose: "2026-02-30"}, FieldExpectedClose, "not a date"},
		{"long notes", LeadForm{Company: "A", Notes: strings.Repeat("n", MaxNotesLen+1)}, FieldNotes, "limit is 3000"},
		{"unknown size", LeadForm{Company: "A", CompanySize: "huge"}, FieldCompanySize, "Choose one of"},
		{"unknown source", LeadForm{Company: "A", Source: "carrier pigeon"}, FieldSource, "Choose one of"},
		{"bad owner", LeadForm{Company: "A", OwnerID: "bob"}, FieldOwner, "Pick a person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ValidateLead(tt.form, "USD")
			msg, ok := errs[tt.field]
			if !ok {
				t.Fatalf("no error on %s; errors: %v", tt.field, errs)
			}
			if !strings.Contains(msg, tt.says) {
				t.Errorf("%s error %q does not say %q", tt.field, msg, tt.says)
			}
			if len(errs) != 1 {
				t.Errorf("expected only %s to be wrong, got %v", tt.field, errs)
			}
		})
	}
}

func TestParseRef(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"D-42", "d-42", "42", " D42 "} {
		if n, err := ParseRef(in); err != nil || n != 42 {
			t.Errorf("ParseRef(%q) = %d, %v", in, n, err)
		}
	}
	for _, in := range []string{"", "D-", "D-0", "D--4", "x42", "D-4a", "-42", "D-+4"} {
		if _, err := ParseRef(in); err == nil {
			t.Errorf("ParseRef(%q) accepted", in)
		}
	}
}
