package salesdb_test

import (
	"slices"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// A discount set by an approval request is an edit of the deal: webhook
// subscribers get deal.updated with the new discount, in the request's
// transaction; a request at the discount the deal already has changes
// nothing and publishes nothing.
func TestRequestedDiscountPublishesDealUpdated(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	at := now
	rec := &events{}
	svc := a.hooked(rec, &at)
	if _, err := svc.AddWebhook(t.Context(), sales.AddWebhook{Team: a.team, Actor: a.user(t, "U0ADMIN"), URL: "https://example.com/h",
		Events: []string{pipeline.EventDealUpdated}}); err != nil {
		t.Fatal(err)
	}
	d := a.dealOf(t, "U0REP1", "lead:1")
	ask := func(bps int, key string) {
		t.Helper()
		if _, err := svc.RequestApproval(t.Context(), sales.RequestApproval{Team: a.team, Actor: a.user(t, "U0REP1"), Number: d.Number,
			DiscountBps: bps, Reason: "multi-year", IdempotencyKey: key}); err != nil {
			t.Fatal(err)
		}
	}
	ask(2000, "req1")
	if got := rec.types(); !slices.Equal(got, []string{"deal.updated"}) {
		t.Fatalf("events after a requested discount: %v, want one deal.updated", got)
	}
	if ev := rec.got[0]; ev.Deal.Number != d.Number || ev.Deal.DiscountBps != 2000 || ev.Team != a.team {
		t.Errorf("deal.updated carries D-%d with %d bps of %s, want D-%d with 2000 bps", ev.Deal.Number, ev.Deal.DiscountBps, ev.Team, d.Number)
	}
	ask(2000, "req2") // asked again at the same discount: the deal is as it was
	if got := rec.types(); len(got) != 1 {
		t.Errorf("a request at the deal's own discount published %v", got)
	}
}
