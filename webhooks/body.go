package webhooks

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// body is what a delivery posts.
type body struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	OccurredAt    string `json:"occurred_at"`
	Deal          *deal  `json:"deal"`
	PreviousStage string `json:"previous_stage,omitempty"`
}

type deal struct {
	Ref           string  `json:"ref"`
	Number        int64   `json:"number"`
	Title         string  `json:"title"`
	Company       string  `json:"company"`
	Contact       contact `json:"contact"`
	Stage         string  `json:"stage"`
	Value         value   `json:"value"`
	Owner         string  `json:"owner"`
	Source        string  `json:"source"`
	ExpectedClose *string `json:"expected_close"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
	ClosedAt      *string `json:"closed_at"`
	// DiscountBps is the discount off value in basis points (1/100 of a
	// percent); price is value less it, what the customer pays.
	DiscountBps int   `json:"discount_bps"`
	Price       value `json:"price"`
}

type contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type value struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
	Decimal  string `json:"decimal"`
}

// Body is e as its deliveries post it, the same bytes in every retry.
func Body(e sales.Event) ([]byte, error) {
	b := body{ID: e.ID, Type: e.Type, OccurredAt: stamp(e.OccurredAt), PreviousStage: string(e.PreviousStage)}
	if e.Type != pipeline.EventWebhookTest {
		b.Deal = snapshot(e.Deal)
	}
	return json.Marshal(b)
}

func snapshot(d pipeline.Deal) *deal {
	out := &deal{Ref: d.Ref(), Number: d.Number, Title: d.Title, Company: d.AccountName,
		Contact: contact{Name: d.ContactName, Email: d.ContactEmail}, Stage: string(d.Stage),
		Value: value{Minor: d.Value.Minor, Currency: d.Value.Currency, Decimal: decimal(d.Value)},
		Owner: d.OwnerID, Source: d.Source, CreatedAt: stamp(d.CreatedAt), UpdatedAt: stamp(d.UpdatedAt)}
	p := d.Price()
	out.DiscountBps, out.Price = d.DiscountBps, value{Minor: p.Minor, Currency: p.Currency, Decimal: decimal(p)}
	if d.ExpectedClose != nil {
		day := d.ExpectedClose.Format(time.DateOnly)
		out.ExpectedClose = &day
	}
	if d.ClosedAt != nil {
		at := stamp(*d.ClosedAt)
		out.ClosedAt = &at
	}
	return out
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// decimal is m in major units with the currency's digits: "12500.00".
func decimal(m pipeline.Money) string {
	digits := pipeline.MinorDigits(m.Currency)
	neg, minor := m.Minor < 0, m.Minor
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor, 10)
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
