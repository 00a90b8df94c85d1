package api

import (
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"salesbot/pipeline"
	"salesbot/sales"
)

// inbound is what the form told about the lead: the message and where it
// came from, kept on the deal and shown in the rep's offer.
func inbound(b LeadBody) *pipeline.Inbound {
	t := strings.TrimSpace
	return &pipeline.Inbound{Message: t(b.Message), UTMSource: t(b.UTMSource), UTMMedium: t(b.UTMMedium),
		UTMCampaign: t(b.UTMCampaign), PageURL: t(b.PageURL)}
}

// duplicateOf answers a lead that repeated an open deal: 200 with that
// deal, status "duplicate" and duplicate_of its ref; 409 when the key came
// before with another lead.
func duplicateOf(res sales.CreatedLead) (*createLeadOutput, error) {
	if res.KeyReused {
		return nil, huma.Error409Conflict("This Idempotency-Key was used already with another lead; use a new key for a new lead.")
	}
	d := res.Deal
	return &createLeadOutput{Status: http.StatusOK, Body: Lead{Ref: d.Ref(), Number: d.Number, Company: d.AccountName,
		Title: d.Title, Owner: d.OwnerID, Stage: string(d.Stage), Status: "duplicate", DuplicateOf: d.Ref()}}, nil
}

// documentDuplicate declares the 200 of a duplicate lead, whose body is the
// 201's; when 200 already holds another body, it may be either.
func documentDuplicate(op *huma.Operation) {
	created := op.Responses["201"]
	if created == nil {
		return
	}
	const what = "The lead repeated an open deal and was logged on it as an activity (status duplicate)."
	ok := op.Responses["200"]
	if ok == nil {
		dup := *created
		dup.Description = what
		op.Responses["200"] = &dup
		return
	}
	ok.Description += "; or: " + what
	for ct, mt := range ok.Content {
		if c := created.Content[ct]; c != nil && mt.Schema != nil && c.Schema != nil {
			mt.Schema = &huma.Schema{OneOf: []*huma.Schema{mt.Schema, c.Schema}}
		}
	}
}
