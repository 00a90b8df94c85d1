package api

import (
	"fmt"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"salesbot/pipeline"
)

// fieldErrors is a 422 with one message per field, in the New lead form's
// words, each located at the body field it names.
func fieldErrors(errs pipeline.FieldErrors) error {
	fields := make([]string, 0, len(errs))
	for f := range errs {
		fields = append(fields, string(f))
	}
	slices.Sort(fields) // one order for one request
	details := make([]error, 0, len(errs))
	for _, f := range fields {
		details = append(details, &huma.ErrorDetail{Location: "body." + f, Message: errs[pipeline.LeadField(f)]})
	}
	return huma.Error422UnprocessableEntity("The lead has fields to correct.", details...)
}

// notes keeps what the lead's notes carry of the form: the message, and
// where it came from, until deals hold these themselves.
func notes(b LeadBody) string {
	var lines []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			lines = append(lines, fmt.Sprintf("%s: %s", label, v))
		}
	}
	if m := strings.TrimSpace(b.Message); m != "" {
		lines = append(lines, m)
	}
	add("UTM source", b.UTMSource)
	add("UTM medium", b.UTMMedium)
	add("UTM campaign", b.UTMCampaign)
	add("Page", b.PageURL)
	return strings.Join(lines, "\n")
}

// sameLead reports whether the lead an idempotency key made is the one
// asked for again: the replay check compares what was stored.
func sameLead(d pipeline.Deal, l pipeline.NewLead) bool {
	return d.AccountName == l.Company && d.Title == l.Title && d.ContactEmail == l.ContactEmail &&
		d.ContactName == l.ContactName && d.Source == l.Source && d.Value.Minor == l.Value.Minor &&
		sameDate(d, l)
}

func sameDate(d pipeline.Deal, l pipeline.NewLead) bool {
	if d.ExpectedClose == nil || l.ExpectedClose == nil {
		return d.ExpectedClose == nil && l.ExpectedClose == nil
	}
	return d.ExpectedClose.Equal(*l.ExpectedClose)
}
