package api

import (
	"slices"

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
