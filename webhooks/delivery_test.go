package webhooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// delivered is a delivery's body as a receiver reads it.
type delivered struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	OccurredAt    string `json:"occurred_at"`
	PreviousStage string `json:"previous_stage"`
	Deal          *struct {
		Ref     string `json:"ref"`
		Number  int64  `json:"number"`
		Company string `json:"company"`
		Contact struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"contact"`
		Stage string `json:"stage"`
		Value struct {
			Minor    int64  `json:"minor"`
			Currency string `json:"currency"`
			Decimal  string `json:"decimal"`
		} `json:"value"`
		Owner     string  `json:"owner"`
		Source    string  `json:"source"`
		CreatedAt string  `json:"created_at"`
		ClosedAt  *string `json:"closed_at"`
	} `json:"deal"`
}

func decode(t *testing.T, r request) delivered {
	t.Helper()
	var d delivered
	if err := json.Unmarshal(r.Body, &d); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	return d
}

// A new lead reaches the endpoint as a signed lead.created that the
// documented check accepts, with the deal's snapshot; a wrong secret, a
// changed body or an old timestamp fail that check.
func TestDeliverySignedWithTheEndpointsSecret(t *testing.T) {
	t.Parallel()
	e := setup(t, envOpts{allowPrivate: true})
	r := newReceiver(t, http.StatusNoContent)
	w := e.add(r.URL+"/hooks", pipeline.EventLeadCreated)
	d := e.lead("Acme Corp")
	e.until("the delivery", func() bool { return len(r.requests()) == 1 })

	got := r.requests()[0]
	if ct := got.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	sig := got.Header.Get("Salesbot-Signature")
	if err := verifySignature(w.Secret, sig, got.Body, now.Add(time.Minute)); err != nil {
		t.Errorf("the documented check refuses a real delivery: %v (%s)", err, sig)
	}
	if !strings.HasPrefix(sig, "t=1773136800,v1=") {
		t.Errorf("signature %q: want t= the pinned clock's time", sig)
	}
	if verifySignature("whsec_other", sig, got.Body, now) == nil ||
		verifySignature(w.Secret, sig, append([]byte(" "), got.Body...), now) == nil ||
		verifySignature(w.Secret, sig, got.Body, now.Add(6*time.Minute)) == nil {
		t.Error("the check accepts a wrong secret, a changed body or a stale timestamp")
	}
	b := decode(t, got)
	if b.ID == "" || got.Header.Get("Salesbot-Event-Id") != b.ID || b.Type != "lead.created" || b.OccurredAt != "2026-03-10T10:00:00Z" {
		t.Errorf("event %q (header %q) %q at %q", b.ID, got.Header.Get("Salesbot-Event-Id"), b.Type, b.OccurredAt)
	}
	if b.Deal == nil || b.Deal.Ref != d.Ref() || b.Deal.Company != "Acme Corp" || b.Deal.Stage != "lead" ||
		b.Deal.Value.Minor != 1_250_000 || b.Deal.Value.Decimal != "12500.00" || b.Deal.Value.Currency != "USD" ||
		b.Deal.Owner != "U0REP1" || b.Deal.Contact.Email != "jane@acme.example" || b.Deal.ClosedAt != nil {
		t.Errorf("deal snapshot: %s", got.Body)
	}
	e.until("the success recorded", func() bool { return e.webhook(w.Webhook.ID).LastSuccessAt != nil })
}

// An endpoint that answers 500 gets the same event again (same id, same
// bytes) after a backoff, and once it answers 2xx nothing more; its failing
// streak ends.
func TestDeliveryRetriedAfterAFailure(t *testing.T) {
	t.Parallel()
	e := setup(t, envOpts{allowPrivate: true, retryBase: 50 * time.Millisecond})
	r := newReceiver(t, http.StatusInternalServerError, http.StatusOK)
	w := e.add(r.URL, pipeline.EventLeadCreated)
	e.lead("Acme Corp")
	e.until("the retry", func() bool { return len(r.requests()) == 2 })
	e.until("the success recorded", func() bool { return e.webhook(w.Webhook.ID).LastSuccessAt != nil })
	got := r.requests()
	if string(got[0].Body) != string(got[1].Body) || got[0].Header.Get("Salesbot-Event-Id") != got[1].Header.Get("Salesbot-Event-Id") {
		t.Errorf("the retry differs:\n%s\n%s", got[0].Body, got[1].Body)
	}
	for _, g := range got {
		if err := verifySignature(w.Secret, g.Header.Get("Salesbot-Signature"), g.Body, now); err != nil {
			t.Error(err)
		}
	}
	hook := e.webhook(w.Webhook.ID)
	if hook.FailingSince != nil || hook.LastFailureAt == nil || hook.LastError != "answered 500 Internal Server Error" {
		t.Errorf("after the success: failing since %v, last failure %v %q", hook.FailingSince, hook.LastFailureAt, hook.LastError)
	}
	e.until("the delivery completed", func() bool {
		return e.count(`SELECT count(*) FROM river_job WHERE queue = 'webhooks_' || lower($1) AND state = 'completed'`, e.team) == 1
	})
	// Completed, the job is never run again: two requests are all there are.
	if n := len(r.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// A redirect is not followed: its target gets nothing, and it counts as a
// failure that names it.
func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	e := setup(t, envOpts{allowPrivate: true})
	target := newReceiver(t, http.StatusOK)
	r := newReceiver(t, http.StatusFound)
	r.location = target.URL
	w := e.add(r.URL, pipeline.EventLeadCreated)
	e.lead("Acme Corp")
	e.until("the failure recorded", func() bool { return e.webhook(w.Webhook.ID).LastFailureAt != nil })
	if got := e.webhook(w.Webhook.ID).LastError; got != "answered 302 Found (redirects are not followed)" {
		t.Errorf("last error %q", got)
	}
	if n := len(target.requests()); n != 0 {
		t.Errorf("the redirect's target got %d requests", n)
	}
}

// An endpoint that has failed since three days ago is disabled by its next
// failure, the admins are told, and the delivery is not retried; later
// events are not sent to it.
func TestEndpointDisabledAfterThreeDaysOfFailures(t *testing.T) {
	t.Parallel()
	e := setup(t, envOpts{allowPrivate: true, retryBase: 50 * time.Millisecond})
	r := newReceiver(t, http.StatusServiceUnavailable)
	w := e.add(r.URL)
	e.lead("Acme Corp")
	e.until("the first failure", func() bool { return e.webhook(w.Webhook.ID).FailingSince != nil })
	e.set(now.Add(pipeline.WebhookDisableAfter))
	e.until("the webhook disabled", func() bool { return e.webhook(w.Webhook.ID).State == pipeline.WebhookDisabled })
	hook := e.webhook(w.Webhook.ID)
	if !hook.DisabledAt.Equal(now.Add(pipeline.WebhookDisableAfter)) || !hook.FailingSince.Equal(now) {
		t.Errorf("disabled at %v, failing since %v", hook.DisabledAt, hook.FailingSince)
	}
	if n := e.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1
		AND args->>'channel' = 'U0ADMIN' AND args->>'kind' = 'webhook_disabled'`, e.team); n != 1 {
		t.Errorf("the admin was told %d times, want once", n)
	}
	e.until("the delivery given up", func() bool {
		return e.count(`SELECT count(*) FROM river_job WHERE queue = 'webhooks_' || lower($1) AND state = 'cancelled'`, e.team) == 1
	})
	jobs := func() int {
		return e.count(`SELECT count(*) FROM river_job WHERE queue = 'webhooks_' || lower($1)`, e.team)
	}
	before := jobs()
	e.lead("Beta Corp")
	if n := jobs(); n != before {
		t.Errorf("%d deliveries queued for a disabled webhook", n-before)
	}
	// A test that it answers brings it back.
	r.mu.Lock()
	r.statuses = []int{http.StatusOK}
	r.mu.Unlock()
	if _, err := e.svc.TestWebhook(t.Context(), sales.WebhookRequest{Team: e.team, Actor: e.user("U0ADMIN"),
		ID: "#" + strings.TrimSpace(jsonNumber(w.Webhook.ID))}); err != nil {
		t.Fatal(err)
	}
	e.until("the webhook active again", func() bool { return e.webhook(w.Webhook.ID).State == pipeline.WebhookActive })
	last := r.requests()[len(r.requests())-1]
	if b := decode(t, last); b.Type != "webhook.test" || b.Deal != nil {
		t.Errorf("test event: %s", last.Body)
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// The same event published twice for an endpoint (a transaction retried
// whole, say) is one delivery: jobs are unique by (event id, endpoint).
func TestSameEventQueuedOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, envOpts{allowPrivate: true})
	r := newReceiver(t, http.StatusOK)
	w := e.add(r.URL)
	ev := sales.Event{ID: "evt_same", Type: pipeline.EventDealUpdated, Team: e.team, OccurredAt: now,
		Deal: pipeline.Deal{Number: 1, WorkspaceID: e.team}, Endpoints: []int64{w.Webhook.ID}}
	for range 2 {
		tx, err := e.db.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.hooks.Publish(t.Context(), tx, ev); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	e.until("the delivery", func() bool { return len(r.requests()) == 1 })
	if n := e.count(`SELECT count(*) FROM river_job WHERE queue = 'webhooks_' || lower($1)`, e.team); n != 1 {
		t.Errorf("%d jobs for one event, want 1", n)
	}
}
