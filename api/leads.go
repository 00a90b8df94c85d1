package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"salesbot/pipeline"
	"salesbot/sales"
)

// LeadBody is a lead from outside: the CSV import's columns, plus what a
// web form or an ad tells about where it came from. Every field is text and
// optional in the schema: the New lead form's rules check them, so the
// messages are the form's.
type LeadBody struct {
	_             struct{} `json:"-" additionalProperties:"true"` // plain HTML forms send their buttons too
	Company       string   `json:"company,omitempty" doc:"The company; required."`
	Title         string   `json:"title,omitempty" doc:"The deal's title; the company when empty."`
	ContactName   string   `json:"contact_name,omitempty"`
	ContactEmail  string   `json:"contact_email,omitempty"`
	Industry      string   `json:"industry,omitempty"`
	CompanySize   string   `json:"company_size,omitempty" doc:"One of 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+."`
	Source        string   `json:"source,omitempty" doc:"One of conference, cold call, email, social, content, referral, inbound, other; inbound when empty."`
	Value         string   `json:"value,omitempty" doc:"An amount in the workspace currency, such as 12500."`
	ExpectedClose string   `json:"expected_close,omitempty" doc:"YYYY-MM-DD."`
	Owner         string   `json:"owner,omitempty" doc:"A Slack user ID; routed when empty."`
	Message       string   `json:"message,omitempty" doc:"What the person wrote in the form."`
	UTMSource     string   `json:"utm_source,omitempty"`
	UTMMedium     string   `json:"utm_medium,omitempty"`
	UTMCampaign   string   `json:"utm_campaign,omitempty"`
	PageURL       string   `json:"page_url,omitempty" doc:"The page the form was on."`
}

type createLeadInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"The same key with the same body returns the first response and creates nothing new."`
	Body           LeadBody
}

// Lead is a created lead as the API shows it.
type Lead struct {
	Ref         string `json:"ref" doc:"The deal's reference, such as D-42."`
	Number      int64  `json:"number"`
	Company     string `json:"company"`
	Title       string `json:"title"`
	Owner       string `json:"owner" doc:"The Slack user ID of the rep who owns it."`
	Stage       string `json:"stage"`
	RoutedTo    string `json:"routed_to,omitempty" doc:"The rep routing chose, when it chose one."`
	Status      string `json:"status" enum:"created,duplicate" doc:"created (201), or duplicate (200): the lead matched an open deal by contact email, or by company when it had no email, and was logged on it as an activity; ref is that deal."`
	DuplicateOf string `json:"duplicate_of,omitempty" doc:"The open deal the lead repeated, when status is duplicate."`
}

type createLeadOutput struct {
	Status int
	Body   Lead
}

func (s *server) register(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID:   "create-lead",
		Method:        http.MethodPost,
		Path:          "/v1/leads",
		Summary:       "Create a lead",
		Description:   "Creates a lead and routes it to a rep at once, as a new lead without an owner is. Accepts JSON or a plain HTML form (application/x-www-form-urlencoded).",
		DefaultStatus: http.StatusCreated,
		MaxBodyBytes:  MaxBody,
		Security:      []map[string][]string{{"bearer": {}}},
		Middlewares:   huma.Middlewares{s.auth(a)},
		Errors:        []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity},
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			"application/json": {}, formType: {}}},
	}, s.createLead)
	// Both media types read the one schema huma made for application/json.
	op := a.OpenAPI().Paths["/v1/leads"].Post
	op.RequestBody.Content[formType].Schema = op.RequestBody.Content["application/json"].Schema
	documentDuplicate(op)
}

func (s *server) createLead(ctx context.Context, in *createLeadInput) (*createLeadOutput, error) {
	k := ctx.Value(keyCtx{}).(sales.APIKey)
	ws, err := s.sales.Workspace(ctx, k.Team)
	if err != nil {
		return nil, err
	}
	b := in.Body
	f := pipeline.LeadForm{Company: b.Company, Title: b.Title, ContactName: b.ContactName, ContactEmail: b.ContactEmail,
		Industry: b.Industry, CompanySize: b.CompanySize, Source: b.Source, Value: b.Value,
		ExpectedClose: b.ExpectedClose, OwnerID: b.Owner}
	if f.Source == "" {
		f.Source = "inbound"
	}
	lead, ferrs := pipeline.ValidateLead(f, ws.Settings.Currency)
	if len(ferrs) > 0 {
		return nil, fieldErrors(ferrs)
	}
	lead.WorkspaceID, lead.CreatedBy, lead.Inbound = k.Team, k.CreatedBy, inbound(b)
	key := strings.TrimSpace(in.IdempotencyKey)
	if key == "" {
		key = newKey() // no key: each request is its own lead
	}
	lead.IdempotencyKey = "api:" + key
	res, err := s.sales.CreateLead(ctx, lead)
	if err != nil {
		return nil, err
	}
	if res.Duplicate {
		return duplicateOf(res)
	}
	if !res.Created && !sameLead(res.Deal, lead) {
		return nil, huma.Error409Conflict("This Idempotency-Key was used already with another lead; use a new key for a new lead.")
	}
	d := res.Deal
	out := Lead{Ref: d.Ref(), Number: d.Number, Company: d.AccountName, Title: d.Title, Owner: d.OwnerID,
		Stage: string(d.Stage)}
	if strings.TrimSpace(b.Owner) == "" && d.OwnerID != k.CreatedBy { // routed, also on a replay
		out.RoutedTo = d.OwnerID
	}
	out.Status = "created"
	return &createLeadOutput{Status: http.StatusCreated, Body: out}, nil
}
