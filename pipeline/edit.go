package pipeline

import (
	"strings"
	"time"
)

// FieldRecurring is the edit form's one-off/recurring switch.
const FieldRecurring LeadField = "recurring"

// EditForm is the Edit deal modal as the user filled it.
type EditForm struct {
	Title         string
	Value         string
	Recurring     bool
	ExpectedClose string // YYYY-MM-DD, "" = unknown
	Source        string
	ContactName   string
	ContactEmail  string
	// Discount is the discount as typed ("15", "12.5%", "" for none); nil
	// when the form does not show it, which keeps the deal's.
	Discount *string
}

// FieldDiscount is the edit form's discount, in percent.
const FieldDiscount LeadField = "discount"

// ValidateEdit checks the form against the deal it edits and returns the
// deal as it would be after the edit and what changed, field by field, or
// what is wrong with each bad field. Nothing changed is a valid, empty edit.
func ValidateEdit(d Deal, f EditForm) (Deal, []FieldChange, FieldErrors) {
	company := d.AccountName
	lead, errs := ValidateLead(LeadForm{
		Company: company, Title: f.Title, ContactName: f.ContactName, ContactEmail: f.ContactEmail,
		Source: f.Source, Value: f.Value, ExpectedClose: f.ExpectedClose,
	}, d.Value.Currency)
	if strings.TrimSpace(f.Title) == "" {
		if errs == nil {
			errs = FieldErrors{}
		}
		errs[FieldTitle] = "Enter a title for the deal."
	}
	discount := d.DiscountBps
	if f.Discount != nil {
		var err error
		if discount, err = parseDiscountField(*f.Discount); err != nil {
			if errs == nil {
				errs = FieldErrors{}
			}
			errs[FieldDiscount] = "Enter the discount as a percentage from 0 to 100, such as 15 or 12.5."
		}
	}
	if len(errs) > 0 {
		return d, nil, errs
	}
	out := d
	var changes []FieldChange
	set := func(field, old, new string) {
		if old != new {
			changes = append(changes, FieldChange{Field: field, Old: old, New: new})
		}
	}
	set("title", d.Title, lead.Title)
	out.Title = lead.Title
	set("amount", d.Value.String(), lead.Value.String())
	out.Value = lead.Value
	set(string(FieldDiscount), FormatDiscount(d.DiscountBps), FormatDiscount(discount))
	out.DiscountBps = discount
	set("recurring", yesNo(d.Recurring), yesNo(f.Recurring))
	out.Recurring = f.Recurring
	set("expected_close", dateText(d.ExpectedClose), dateText(lead.ExpectedClose))
	out.ExpectedClose = lead.ExpectedClose
	set("source", d.Source, lead.Source)
	out.Source = lead.Source
	set("contact_name", d.ContactName, lead.ContactName)
	out.ContactName = lead.ContactName
	set("contact_email", d.ContactEmail, lead.ContactEmail)
	out.ContactEmail = lead.ContactEmail
	return out, changes, nil
}

func yesNo(b bool) string {
	if b {
		return "recurring"
	}
	return "one-off"
}

func dateText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// parseDiscountField reads the form's discount: empty is none.
func parseDiscountField(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return ParseDiscount(s)
}
