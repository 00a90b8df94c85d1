package pipeline

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// LeadForm is the New lead modal as the user filled it, every field still text.
type LeadForm struct {
	Company       string
	Title         string
	ContactName   string
	ContactEmail  string
	Industry      string
	CompanySize   string
	Source        string
	Value         string
	ExpectedClose string // YYYY-MM-DD
	OwnerID       string // Slack user ID, "" = route automatically
	Notes         string
}

// NewLead is a validated lead, ready to be stored.
type NewLead struct {
	WorkspaceID   string
	Company       string
	Title         string
	ContactName   string
	ContactEmail  string
	Industry      string
	CompanySize   string
	Source        string
	Value         Money
	ExpectedClose *time.Time
	OwnerID       string
	Notes         string
	CreatedBy     string
	// Territory is used by routing rules only (imports may carry it).
	Territory string
	// IdempotencyKey makes a redelivered submission create nothing new.
	IdempotencyKey string
	// Inbound is set for a lead from outside (the API, a web form); nil for
	// leads made in Slack.
	Inbound *Inbound
}

// LeadField names a field of the New lead form.
type LeadField string

// The New lead form's fields.
const (
	FieldCompany       LeadField = "company"
	FieldTitle         LeadField = "title"
	FieldContactName   LeadField = "contact_name"
	FieldContactEmail  LeadField = "contact_email"
	FieldIndustry      LeadField = "industry"
	FieldCompanySize   LeadField = "company_size"
	FieldSource        LeadField = "source"
	FieldValue         LeadField = "value"
	FieldExpectedClose LeadField = "expected_close"
	FieldOwner         LeadField = "owner"
	FieldNotes         LeadField = "notes"
)

// Text limits, in characters.
const (
	MaxNameLen  = 200
	MaxEmailLen = 254
	MaxShortLen = 100
	MaxNotesLen = 3000
)

// CompanySizes are the choices offered for a company's size.
var CompanySizes = []string{"1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"}

// LeadSources are the channels a lead can come from.
var LeadSources = []string{"conference", "cold call", "email", "social", "content", "referral", "inbound", "other"}

// FieldErrors maps a form field to what is wrong with it, in words for the user.
type FieldErrors map[LeadField]string

// ValidateLead checks the form and returns the lead to store, or what is wrong
// with each bad field. The amount is read in the workspace currency.
func ValidateLead(f LeadForm, currency string) (NewLead, FieldErrors) {
	errs := FieldErrors{}
	lead := NewLead{
		Company:      strings.TrimSpace(f.Company),
		Title:        strings.TrimSpace(f.Title),
		ContactName:  strings.TrimSpace(f.ContactName),
		ContactEmail: strings.TrimSpace(f.ContactEmail),
		Industry:     strings.TrimSpace(f.Industry),
		CompanySize:  strings.TrimSpace(f.CompanySize),
		Source:       strings.TrimSpace(f.Source),
		OwnerID:      strings.TrimSpace(f.OwnerID),
		Notes:        strings.TrimSpace(f.Notes),
		Value:        Money{Currency: currency},
	}
	if lead.Company == "" {
		errs[FieldCompany] = "Enter the company name."
	}
	checkLen(errs, FieldCompany, "Company", lead.Company, MaxNameLen)
	checkLen(errs, FieldTitle, "Deal title", lead.Title, MaxNameLen)
	checkLen(errs, FieldContactName, "Contact name", lead.ContactName, MaxNameLen)
	checkLen(errs, FieldIndustry, "Industry", lead.Industry, MaxShortLen)
	checkLen(errs, FieldNotes, "Notes", lead.Notes, MaxNotesLen)
	if lead.ContactEmail != "" {
		if msg := checkEmail(lead.ContactEmail); msg != "" {
			errs[FieldContactEmail] = msg
		}
	}
	if lead.CompanySize != "" && !contains(CompanySizes, lead.CompanySize) {
		errs[FieldCompanySize] = "Choose one of " + strings.Join(CompanySizes, ", ") + "."
	}
	if lead.Source != "" && !contains(LeadSources, lead.Source) {
		errs[FieldSource] = "Choose one of " + strings.Join(LeadSources, ", ") + "."
	}
	if v := strings.TrimSpace(f.Value); v != "" {
		m, err := ParseAmount(v, currency)
		if err != nil {
			errs[FieldValue] = capitalize(err.Error()) + "."
		}
		lead.Value = m
	}
	if d := strings.TrimSpace(f.ExpectedClose); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			errs[FieldExpectedClose] = fmt.Sprintf("%q is not a date: pick one from the calendar (YYYY-MM-DD).", d)
		} else {
			lead.ExpectedClose = &t
		}
	}
	if lead.OwnerID != "" && !ValidUserID(lead.OwnerID) {
		errs[FieldOwner] = "Pick a person from the list."
	}
	if lead.Title == "" && lead.Company != "" {
		lead.Title = lead.Company
	}
	if len(errs) > 0 {
		return NewLead{}, errs
	}
	return lead, nil
}

func checkLen(errs FieldErrors, field LeadField, label, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		errs[field] = fmt.Sprintf("%s is %d characters long; the limit is %d.", label, n, max)
	}
}

func checkEmail(s string) string {
	if utf8.RuneCountInString(s) > MaxEmailLen {
		return fmt.Sprintf("The email address is too long; the limit is %d characters.", MaxEmailLen)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return fmt.Sprintf("%q is not an email address: use name@company.com.", s)
	}
	local, domain, _ := strings.Cut(s, "@")
	if local == "" || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, ".") {
		return fmt.Sprintf("%q is not an email address: use name@company.com.", s)
	}
	return ""
}

// ValidUserID reports whether s has the shape of a Slack user ID (U… or W…).
func ValidUserID(s string) bool {
	if len(s) < 3 || len(s) > 20 || (s[0] != 'U' && s[0] != 'W') {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
