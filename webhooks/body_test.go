package webhooks_test

import (
	"encoding/json"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/webhooks"
)

// A delivery carries the deal's discount and the price it leaves, so that
// a deal.updated for a discount says what changed.
func TestBodyCarriesTheDiscountAndPrice(t *testing.T) {
	at := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	b, err := webhooks.Body(sales.Event{ID: "evt_1", Type: pipeline.EventDealUpdated, OccurredAt: at,
		Deal: pipeline.Deal{Number: 42, Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, DiscountBps: 1250, CreatedAt: at, UpdatedAt: at}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Deal struct {
			DiscountBps int `json:"discount_bps"`
			Price       struct {
				Minor    int64
				Currency string
				Decimal  string
			} `json:"price"`
		} `json:"deal"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if d := got.Deal; d.DiscountBps != 1250 || d.Price.Minor != 1_093_750 || d.Price.Currency != "USD" || d.Price.Decimal != "10937.50" {
		t.Errorf("deal in the body: %+v (%s)", d, b)
	}
}
