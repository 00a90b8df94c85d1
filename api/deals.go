package api

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Amount is money as the API shows it: exact minor units, and the same as
// a decimal string for people and spreadsheets (never a float).
type Amount struct {
	Minor    int64  `json:"minor" doc:"In the currency's minor unit, such as cents."`
	Currency string `json:"currency" doc:"ISO 4217 code."`
	Decimal  string `json:"decimal" doc:"The amount in major units, such as 12500.00."`
}

// DealSnapshot is a deal as the API and webhooks show it.
type DealSnapshot struct {
	Ref           string     `json:"ref" doc:"The deal's reference, such as D-42."`
	Number        int64      `json:"number"`
	Title         string     `json:"title"`
	Company       string     `json:"company"`
	ContactName   string     `json:"contact_name,omitempty"`
	ContactEmail  string     `json:"contact_email,omitempty"`
	Stage         string     `json:"stage" doc:"The stage's key, such as proposal or won."`
	Value         Amount     `json:"value"`
	Owner         string     `json:"owner" doc:"The Slack user ID of the rep who owns it."`
	Source        string     `json:"source,omitempty"`
	ExpectedClose string     `json:"expected_close,omitempty" doc:"YYYY-MM-DD."`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
}

// NewDealSnapshot is d as the API shows it.
func NewDealSnapshot(d pipeline.Deal) DealSnapshot {
	s := DealSnapshot{Ref: d.Ref(), Number: d.Number, Title: d.Title, Company: d.AccountName,
		ContactName: d.ContactName, ContactEmail: d.ContactEmail, Stage: string(d.Stage),
		Value: Amount{Minor: d.Value.Minor, Currency: d.Value.Currency, Decimal: decimal(d.Value)},
		Owner: d.OwnerID, Source: d.Source, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	if d.ExpectedClose != nil {
		s.ExpectedClose = d.ExpectedClose.Format(time.DateOnly)
	}
	if d.ClosedAt != nil {
		c := d.ClosedAt.UTC()
		s.ClosedAt = &c
	}
	return s
}

// decimal writes m in major units with the currency's digits: 1250050 USD
// is "12500.50", 500 JPY is "500".
func decimal(m pipeline.Money) string {
	digits := pipeline.MinorDigits(m.Currency)
	v, sign := m.Minor, ""
	if v < 0 {
		v, sign = -v, "-"
	}
	if digits == 0 {
		return sign + strconv.FormatInt(v, 10)
	}
	scale := int64(1)
	for range digits {
		scale *= 10
	}
	return fmt.Sprintf("%s%d.%0*d", sign, v/scale, digits, v%scale)
}

type getDealInput struct {
	Ref string `path:"ref" doc:"D-42 or 42."`
}

type getDealOutput struct{ Body DealSnapshot }

type listDealsInput struct {
	Stage        string `query:"stage" doc:"A stage of the workspace, such as proposal (a unique prefix is enough)."`
	Owner        string `query:"owner" doc:"A Slack user ID."`
	UpdatedSince string `query:"updated_since" doc:"RFC 3339 time: deals changed at or after it."`
	Cursor       string `query:"cursor" doc:"The next_cursor of the previous page."`
	Limit        int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

// DealList is a page of deals, oldest change first.
type DealList struct {
	Deals      []DealSnapshot `json:"deals"`
	NextCursor string         `json:"next_cursor,omitempty" doc:"Pass it as cursor for the next page; absent on the last page."`
}

type listDealsOutput struct{ Body DealList }

func (s *server) registerDeals(a huma.API) {
	sec := []map[string][]string{{"bearer": {}}}
	huma.Register(a, huma.Operation{
		OperationID: "get-deal",
		Method:      http.MethodGet,
		Path:        "/v1/deals/{ref}",
		Summary:     "Get a deal",
		Description: "A deal of the key's workspace. Secret keys only.",
		Security:    sec,
		Middlewares: huma.Middlewares{s.auth(a, false)},
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
			http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.getDeal)
	huma.Register(a, huma.Operation{
		OperationID: "list-deals",
		Method:      http.MethodGet,
		Path:        "/v1/deals",
		Summary:     "List deals",
		Description: "The key's workspace's deals, oldest change first (updated_at, then id), a page at a time. A deal that changes while you page comes again on a later page, so none is missed. Secret keys only.",
		Security:    sec,
		Middlewares: huma.Middlewares{s.auth(a, false)},
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
			http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.listDeals)
}

func (s *server) getDeal(ctx context.Context, in *getDealInput) (*getDealOutput, error) {
	k := ctx.Value(keyCtx{}).(sales.APIKey)
	n, err := pipeline.ParseRef(in.Ref)
	if err != nil {
		return nil, huma.Error422UnprocessableEntity("The deal reference cannot be read.",
			&huma.ErrorDetail{Location: "path.ref", Message: "Write a deal as D-42 or 42.", Value: clipped(in.Ref)})
	}
	d, err := s.sales.APIDeal(ctx, k.Team, n)
	if err != nil {
		return nil, s.refusal(err, "query", "The deal could not be read; try again.")
	}
	return &getDealOutput{Body: NewDealSnapshot(d)}, nil
}

func (s *server) listDeals(ctx context.Context, in *listDealsInput) (*listDealsOutput, error) {
	k := ctx.Value(keyCtx{}).(sales.APIKey)
	f := sales.DealFilter{Stage: strings.TrimSpace(in.Stage), Owner: strings.TrimSpace(in.Owner), Limit: in.Limit}
	if v := strings.TrimSpace(in.UpdatedSince); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity("updated_since cannot be read.",
				&huma.ErrorDetail{Location: "query.updated_since", Message: "Give a time as RFC 3339, such as 2026-03-01T00:00:00Z.", Value: clipped(v)})
		}
		f.UpdatedSince = &t
	}
	if in.Cursor != "" {
		c, err := readCursor(in.Cursor)
		if err != nil {
			return nil, huma.Error400BadRequest("The cursor is not one this API gave: pass next_cursor from the previous page as it is.",
				&huma.ErrorDetail{Location: "query.cursor", Message: "Pass next_cursor from the previous page as it is.", Value: clipped(in.Cursor)})
		}
		f.After = &c
	}
	page, err := s.sales.APIDeals(ctx, k.Team, f)
	if err != nil {
		return nil, s.refusal(err, "query", "The deals could not be read; try again.")
	}
	out := DealList{Deals: make([]DealSnapshot, len(page.Deals))}
	for i, d := range page.Deals {
		out.Deals[i] = NewDealSnapshot(d)
	}
	if page.Next != nil {
		out.NextCursor = writeCursor(*page.Next)
	}
	return &listDealsOutput{Body: out}, nil
}

// refusal is the answer to a use case's error: 404 for a deal not in the
// key's workspace, 422 for an input it cannot take (located in where:
// query or body), else a 500 that says failed and logs the cause rather
// than showing it.
func (s *server) refusal(err error, where, failed string) error {
	var nf sales.ErrNotFound
	var ve *sales.ValidationError
	switch {
	case errors.As(err, &nf):
		return huma.Error404NotFound(fmt.Sprintf("%s is not a deal of this workspace.", pipeline.FormatRef(nf.Number)))
	case errors.As(err, &ve):
		return huma.Error422UnprocessableEntity(fmt.Sprintf("%s cannot be used: %s", ve.Field, ve.Msg),
			&huma.ErrorDetail{Location: where + "." + ve.Field, Message: ve.Msg})
	}
	s.log.Error("api: "+failed, "error", err)
	return huma.Error500InternalServerError(failed)
}

// A cursor is the last deal's updated_at and id, opaque to clients.
const cursorVersion = "c1"

func writeCursor(c sales.DealCursor) string {
	raw := fmt.Sprintf("%s.%d.%d", cursorVersion, c.UpdatedAt.UnixMicro(), c.ID)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func readCursor(s string) (sales.DealCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return sales.DealCursor{}, err
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 || parts[0] != cursorVersion {
		return sales.DealCursor{}, errors.New("not a cursor")
	}
	us, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return sales.DealCursor{}, errors.New("not a cursor")
	}
	return sales.DealCursor{UpdatedAt: time.UnixMicro(us).UTC(), ID: id}, nil
}
