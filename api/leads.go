package api

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"slices"
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
	Owner         string   `json:"owner,omitempty" doc:"A Slack user ID; routed when empty. Secret keys only."`
	Message       string   `json:"message,omitempty" doc:"What the person wrote in the form."`
	UTMSource     string   `json:"utm_source,omitempty"`
	UTMMedium     string   `json:"utm_medium,omitempty"`
	UTMCampaign   string   `json:"utm_campaign,omitempty"`
	PageURL       string   `json:"page_url,omitempty" doc:"The page the form was on."`
	Honeypot      string   `json:"honeypot,omitempty" doc:"Form keys: a hidden field people leave empty; a submission that fills it is answered 200 and dropped."`
	Redirect      string   `json:"redirect,omitempty" doc:"Form keys: a page on one of the key's origins to send the visitor to (303) once the form is received."`
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

// Receipt is a form key's answer: a web page needs no more, and a spam bot
// caught by the honeypot gets the same.
type Receipt struct {
	Received bool   `json:"received"`
	Message  string `json:"message"`
}

type createLeadOutput struct {
	Status   int
	Location string `header:"Location"`
	Body     any    // Lead (201), Receipt (200), or nothing for a redirect (303)
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
		Security:      []map[string][]string{{"bearer": {}}, {"formKey": {}}},
		Middlewares:   huma.Middlewares{s.auth(a, true)},
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict,
			http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			"application/json": {}, formType: {}}},
	}, s.createLead)
	// Both media types read the one schema huma made for application/json.
	op := a.OpenAPI().Paths["/v1/leads"].Post
	op.RequestBody.Content[formType].Schema = op.RequestBody.Content["application/json"].Schema
	// The body's Go type is any; the document says what each status holds.
	reg := a.OpenAPI().Components.Schemas
	json := func(v any, name string) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{"application/json": {Schema: reg.Schema(reflect.TypeOf(v), true, name)}}
	}
	op.Responses["201"] = &huma.Response{Description: "Created (secret keys)", Content: json(Lead{}, "Lead")}
	op.Responses["200"] = &huma.Response{Description: "Received (form keys)", Content: json(Receipt{}, "Receipt")}
	op.Responses["303"] = &huma.Response{Description: "Received (form keys with redirect): see the redirect page",
		Headers: map[string]*huma.Param{"Location": {Schema: &huma.Schema{Type: "string"}}}}
	documentDuplicate(op)
}

func (s *server) createLead(ctx context.Context, in *createLeadInput) (*createLeadOutput, error) {
	k := ctx.Value(keyCtx{}).(sales.APIKey)
	b := in.Body
	var form *createLeadOutput // a form key's answer
	if k.Kind == sales.KeyForm {
		var err error
		if form, err = received(k, b.Redirect); err != nil {
			return nil, err
		}
		if strings.TrimSpace(b.Honeypot) != "" {
			return form, nil // a bot: nothing is read or stored
		}
		if strings.TrimSpace(b.Owner) != "" { // a public page must not pick who gets its leads
			return nil, huma.Error422UnprocessableEntity("A form key cannot choose the owner: leads from web forms are routed.",
				&huma.ErrorDetail{Location: "body.owner", Message: "Leave owner out: leads from web forms are routed.", Value: clipped(b.Owner)})
		}
	}
	ws, err := s.sales.Workspace(ctx, k.Team)
	if err != nil {
		return nil, s.refusal(err, "body", "The lead could not be stored; try again.")
	}
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
		return nil, s.refusal(err, "body", "The lead could not be stored; try again.")
	}
	if res.Duplicate {
		if form != nil && !res.KeyReused {
			return form, nil // a web page learns nothing of the pipeline
		}
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
	if form != nil {
		return form, nil
	}
	out.Status = "created"
	return &createLeadOutput{Status: http.StatusCreated, Body: out}, nil
}

// received is a form key's answer: 303 to redirect when one is given (it
// must be a page of the key's origins, not a way to send visitors
// elsewhere), else 200 with a Receipt.
func received(k sales.APIKey, redirect string) (*createLeadOutput, error) {
	redirect = strings.TrimSpace(redirect)
	if redirect == "" {
		return &createLeadOutput{Status: http.StatusOK,
			Body: Receipt{Received: true, Message: "Thank you: your message was received."}}, nil
	}
	u, err := url.Parse(redirect)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		!slices.Contains(k.AllowedOrigins, strings.ToLower(u.Scheme+"://"+u.Host)) {
		return nil, huma.Error422UnprocessableEntity("The form's redirect is not a page of this form key's origins.",
			&huma.ErrorDetail{Location: "body.redirect", Message: "Give a full URL of a page on one of the key's origins, such as https://example.com/thanks.", Value: clipped(redirect)})
	}
	return &createLeadOutput{Status: http.StatusSeeOther, Location: u.String(), Body: []byte(nil)}, nil
}

func clipped(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}
