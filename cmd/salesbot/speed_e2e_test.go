package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

// settableClock is a pinned clock the test moves forward.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settableClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// postInboundLead sends body to POST /v1/leads at base with the secret key and
// the Idempotency-Key, and returns the status and the JSON answer.
func postInboundLead(t *testing.T, base, key, idem, body string) (int, map[string]any) {
	t.Helper()
	a := call(t, base, http.MethodPost, "/v1/leads", "application/json", body, "Authorization", "Bearer "+key, "Idempotency-Key", idem)
	return a.status, a.body
}

// Speed to lead over the real API listener and the fake Slack: a lead
// posted with a secret key is offered to the rep the routing rule names,
// marked inbound, with the form's message, its UTM source and the deadline
// in the workspace's timezone. The same contact again is logged on that
// deal and its owner told. When the clock passes the deadline and the
// scheduler ticks, the rep's manager hears and the next rep gets the offer,
// with a fresh deadline.
func TestSpeedToLeadEndToEnd(t *testing.T) {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) // Tuesday, 10:00 in Berlin
	clk := &settableClock{t: start}
	h, _, _ := startHarness(t, harnessSpec{opts: []serviceOption{{now: clk.Now}}, env: map[string]string{"API_ADDR": "127.0.0.1:0"}})
	base := "http://" + h.svc.apiAddr()
	h.command("U0BOB", "/salesbot", "away off") // Bob and Sam are reps who take leads
	h.command("U0SAM", "/salesbot", "away off")
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0BOB>")
	if r := h.command("U0ADMIN", "/salesbot", "route industry=Software <@U0BOB>"); !strings.Contains(r.all(), "→ <@U0BOB>") {
		t.Fatalf("rule not saved: %s", r.all())
	}
	h.sql(`UPDATE workspace_settings SET timezone = 'Europe/Berlin' WHERE workspace_id = $1`, h.team)
	h.existedSince(start.Add(-24 * time.Hour))
	key := rawKey.FindString(h.command("U0ADMIN", "/salesbot", "apikey new CRM").all())
	if !strings.HasPrefix(key, "sb_secret_") {
		t.Fatal("no secret key shown")
	}

	lead := `{"company":"Acme","industry":"Software","contact_email":"jane@acme.example",
		"message":"Need <b>50 seats</b> & a demo","utm_source":"newsletter","utm_campaign":"spring"}`
	status, created := postInboundLead(t, base, key, "order-1", lead)
	ref, _ := created["ref"].(string)
	if status != 201 || created["status"] != "created" || created["routed_to"] != "U0BOB" {
		t.Fatalf("POST /v1/leads: %d %v; want 201 created, routed to U0BOB", status, created)
	}
	offer, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) })
	if err != nil {
		t.Fatalf("Bob got no offer of %s: %v", ref, err)
	}
	shown := offer.Text + "\n" + blockText(offer.Blocks)
	for _, want := range []string{"Inbound", "Need &lt;b&gt;50 seats&lt;/b&gt; &amp; a demo", "newsletter", "Answer by",
		"Tue Mar 10, 2026 at 10:05 AM CET"} {
		if !strings.Contains(shown, want) {
			t.Errorf("Bob's offer lacks %q:\n%s", want, shown)
		}
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND inbound->>'utm_source' = 'newsletter'`, h.team); n != 1 {
		t.Errorf("deals with the inbound data stored = %d, want 1", n)
	}

	// The same contact again, in other case: 200, logged on the deal once
	// however often the request is repeated, and Bob told.
	clk.Set(start.Add(2 * time.Minute))
	for range 2 {
		status, dup := postInboundLead(t, base, key, "order-2", `{"company":"Acme Inc","contact_email":"Jane@Acme.example","message":"Still keen","utm_source":"ads"}`)
		if status != 200 || dup["status"] != "duplicate" || dup["duplicate_of"] != ref || dup["ref"] != ref {
			t.Errorf("the repeat: %d %v; want 200 duplicate of %s", status, dup, ref)
		}
	}
	if n := h.count(`SELECT count(*) FROM activities a JOIN deals d ON d.id = a.deal_id
		WHERE d.workspace_id = $1 AND a.body LIKE '%Still keen%utm_source: ads%'`, h.team); n != 1 {
		t.Errorf("activities for the repeat = %d, want 1", n)
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team); n != 1 {
		t.Errorf("deals = %d, want 1", n)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, "came in again") }); err != nil {
		t.Errorf("Bob was not told of the repeat: %v", err)
	}

	// Before the deadline a tick changes nothing; past it, Bob's manager
	// hears and Sam gets the lead, to answer by 5 working minutes later.
	clk.Set(start.Add(4 * time.Minute))
	h.tick(start.Add(4 * time.Minute))
	past := start.Add(6 * time.Minute)
	clk.Set(past)
	h.tick(past)
	told, err := h.fake.WaitMessage(h.ctx, "DU0MGR", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) })
	if err != nil {
		t.Fatalf("the manager was not told: %v", err)
	}
	for _, want := range []string{"<@U0BOB> did not answer inbound lead " + ref, "10:05 AM CET", "it went to <@U0SAM>"} {
		if !strings.Contains(told.Text, want) {
			t.Errorf("the manager's DM lacks %q: %s", want, told.Text)
		}
	}
	next, err := h.fake.WaitMessage(h.ctx, "DU0SAM", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) })
	if err != nil {
		t.Fatalf("Sam got no offer: %v", err)
	}
	if s := next.Text + blockText(next.Blocks); !strings.Contains(s, "10:11 AM CET") || !strings.Contains(s, "Need &lt;b&gt;50 seats") {
		t.Errorf("Sam's offer lacks the fresh deadline or the message: %s", s)
	}
	h.tick(past) // the same minute again: nothing more
	if n := h.count(`SELECT count(*) FROM lead_offers o JOIN deals d ON d.id = o.deal_id
		WHERE d.workspace_id = $1 AND o.rep_id = 'U0BOB' AND o.missed_at IS NOT NULL`, h.team); n != 1 {
		t.Errorf("Bob's misses = %d, want 1", n)
	}
	if n := h.count(`SELECT count(*) FROM lead_offers WHERE workspace_id = $1`, h.team); n != 2 {
		t.Errorf("offers = %d, want Bob's and Sam's", n)
	}
	escalations := 0
	for _, m := range h.fake.Messages("DU0MGR") { // the digest goes there too
		if strings.Contains(m.Text, "did not answer") {
			escalations++
		}
	}
	if escalations != 1 {
		t.Errorf("the manager was told %d times, want once", escalations)
	}

	// /pipeline metrics shows the miss.
	if r := h.command("U0ADMIN", "/pipeline", "metrics"); !strings.Contains(r.all(), "Speed to lead") || !strings.Contains(r.all(), "<@U0BOB> — no lead answered · 1 SLA miss") {
		t.Errorf("metrics: %s", r.all())
	}
}

// The response SLA and working hours are settings: refused inline when
// out of range, saved when right.
func TestSpeedSettingsInTheModal(t *testing.T) {
	h := setup(t)
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	ack, _ := h.submit("U0ADMIN", h.modalFor(trigger), map[string]string{
		"Response SLA (working minutes)": "0", "Working hours": "18:00-09:00"})
	var errs struct {
		Errors map[string]string `json:"errors"`
	}
	json.Unmarshal(ack.Payload, &errs)
	if !strings.Contains(errs.Errors["response_sla"], "1 to 1440") || !strings.Contains(errs.Errors["work_hours"], "end after they start") {
		t.Errorf("inline errors = %v", errs.Errors)
	}
	_, trigger = h.slash("U0ADMIN", "/salesbot", "settings")
	ack, _ = h.submit("U0ADMIN", h.modalFor(trigger), map[string]string{
		"Response SLA (working minutes)": "15", "Working hours": "08:30 - 18:00"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("settings rejected: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") }); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1
		AND response_sla_mins = 15 AND work_start_min = 510 AND work_end_min = 1080`, h.team); n != 1 {
		t.Error("the response SLA and working hours were not saved")
	}
	_, trigger = h.slash("U0ADMIN", "/salesbot", "settings")
	if raw, _ := json.Marshal(h.modalFor(trigger).Blocks); !strings.Contains(string(raw), `"initial_value":"08:30-18:00"`) {
		t.Error("the modal does not show the saved working hours")
	}
}
