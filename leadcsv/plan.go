package leadcsv

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"salesbot/pipeline"
)

// Valid is a row that passed validation, ready to be stored.
type Valid struct {
	Line int
	Lead pipeline.NewLead
}

// Plan validates the rows with the New lead rules (amounts read in currency)
// and leaves out a row that repeats an earlier one of the file (same company
// and contact email, whatever the case): those come back as duplicates.
func Plan(rows []Row, currency string) (ok []Valid, dups []Rejected, bad []Rejected) {
	seen := map[string]int{}
	for _, r := range rows {
		if r.Currency != "" && r.Currency != currency {
			bad = append(bad, Rejected{Line: r.Line, Company: r.Form.Company,
				Reason: fmt.Sprintf("the value is in %s; this workspace counts in %s", clip(r.Currency, 10), currency)})
			continue
		}
		lead, errs := pipeline.ValidateLead(r.Form, currency)
		if len(errs) > 0 {
			bad = append(bad, Rejected{Line: r.Line, Company: r.Form.Company, Reason: reasons(errs)})
			continue
		}
		k := Key(lead.Company, lead.ContactEmail)
		if first, dup := seen[k]; dup {
			dups = append(dups, Rejected{Line: r.Line, Company: lead.Company,
				Reason: fmt.Sprintf("same company and contact email as line %d", first)})
			continue
		}
		seen[k] = r.Line
		ok = append(ok, Valid{Line: r.Line, Lead: lead})
	}
	return ok, dups, bad
}

// Key identifies a lead for duplicate checks: its company and contact email,
// case-insensitive.
func Key(company, email string) string {
	return strings.ToLower(strings.TrimSpace(company)) + "\x00" + strings.ToLower(strings.TrimSpace(email))
}

// IdempotencyKey is the deal's idempotency key for an imported lead: the same
// company and email import to the same deal however often the file is run.
func IdempotencyKey(company, email string) string {
	sum := sha256.Sum256([]byte(Key(company, email)))
	return "import:" + hex.EncodeToString(sum[:12])
}

var fieldLabels = map[pipeline.LeadField]string{
	pipeline.FieldCompany: "company", pipeline.FieldTitle: "title", pipeline.FieldContactName: "contact name",
	pipeline.FieldContactEmail: "contact email", pipeline.FieldIndustry: "industry",
	pipeline.FieldCompanySize: "company size", pipeline.FieldSource: "source", pipeline.FieldValue: "value",
	pipeline.FieldExpectedClose: "expected close", pipeline.FieldOwner: "owner", pipeline.FieldNotes: "notes",
}

// reasons lists what is wrong with a row, column by column, in a stable order.
func reasons(errs pipeline.FieldErrors) string {
	fields := make([]pipeline.LeadField, 0, len(errs))
	for f := range errs {
		fields = append(fields, f)
	}
	slices.SortFunc(fields, func(a, b pipeline.LeadField) int { return cmp.Compare(fieldLabels[a], fieldLabels[b]) })
	parts := make([]string, len(fields))
	for i, f := range fields {
		msg := errs[f]
		if f == pipeline.FieldOwner {
			msg = "Give the owner's Slack user ID, such as U0123ABCD."
		}
		parts[i] = fieldLabels[f] + ": " + msg
	}
	return strings.Join(parts, " ")
}
