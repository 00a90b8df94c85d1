package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/webhooks"
)

var webhookSecret = strings.NewReplacer("```", "")

// An admin adds a webhook for deal.won with the slash command (its secret
// shown once, ephemerally; a rep refused; a bad event named), wins a deal,
// and the receiver gets one signed deal.won, then nothing more.
func TestWebhookCommandAndDelivery(t *testing.T) {
	at := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	type got struct {
		header http.Header
		body   []byte
	}
	var received []got
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, got{r.Header.Clone(), b})
		mu.Unlock()
	}))
	defer rcv.Close()
	h, _, _ := startHarness(t, harnessSpec{env: map[string]string{"WEBHOOK_ALLOW_PRIVATE": "true"},
		opts: []serviceOption{{now: func() time.Time { return at }}}})

	if r := h.command("U0BOB", "/salesbot", "webhook add "+rcv.URL); !strings.Contains(r.all(), "Only admins (<@U0ADMIN>) can manage webhooks") {
		t.Errorf("a rep added a webhook: %s", r.all())
	}
	if r := h.command("U0ADMIN", "/salesbot", "webhook add "+rcv.URL+" deal.exploded"); !strings.Contains(r.all(), "&quot;deal.exploded&quot; is not an event") &&
		!strings.Contains(r.all(), `"deal.exploded" is not an event`) {
		t.Errorf("an unknown event: %s", r.all())
	}
	r := h.command("U0ADMIN", "/salesbot", "webhook add <"+rcv.URL+"/in> deal.won")
	i := strings.Index(r.all(), "whsec_")
	if i < 0 || !strings.Contains(r.all(), "Webhook `#") {
		t.Fatalf("no secret shown: %s", r.all())
	}
	secret := strings.Fields(webhookSecret.Replace(r.all()[i:]))[0]
	shown := 0
	for _, c := range h.fake.Calls("") {
		if strings.Contains(string(c.Body), secret) {
			shown++
			if c.Method != "response_url" || !strings.Contains(string(c.Body), `"response_type":"ephemeral"`) {
				t.Errorf("the secret went out in %s", c.Method)
			}
		}
	}
	if shown != 1 {
		t.Errorf("the secret was sent %d times, want once", shown)
	}
	if l := h.command("U0ADMIN", "/salesbot", "webhook list"); !strings.Contains(l.all(), rcv.URL+"/in · deal.won · active") || strings.Contains(l.all(), secret) {
		t.Errorf("list: %s", l.all())
	}

	n := h.newDeal("U0ADMIN", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	if r := h.command("U0ADMIN", "/deal", "won D-"+strconv.FormatInt(n, 10)); !strings.Contains(r.all(), "won") {
		t.Fatalf("won: %s", r.all())
	}
	queue := "webhooks_" + strings.ToLower(h.team)
	waitUntil(t, h.ctx, "the delivery to complete", func() bool {
		return h.count(`SELECT count(*) FROM river_job WHERE queue = $1 AND state = 'completed'`, queue) >= 1
	})
	if left := h.count(`SELECT count(*) FROM river_job WHERE queue = $1 AND state <> 'completed'`, queue); left != 0 {
		t.Errorf("%d more deliveries queued", left)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) != 1 {
		t.Fatalf("the receiver got %d requests, want 1", len(received))
	}
	var body map[string]any
	if err := json.Unmarshal(received[0].body, &body); err != nil {
		t.Fatal(err)
	}
	deal, _ := body["deal"].(map[string]any)
	if body["type"] != "deal.won" || body["previous_stage"] != "lead" || deal["ref"] != "D-"+strconv.FormatInt(n, 10) ||
		deal["stage"] != "won" || body["occurred_at"] != "2026-03-10T15:00:00Z" || received[0].header.Get("Salesbot-Event-Id") != body["id"] {
		t.Errorf("delivery: %s", received[0].body)
	}
	if sig := received[0].header.Get("Salesbot-Signature"); sig != webhooks.Signature(secret, at, received[0].body) {
		t.Errorf("signature %q, want the body's with the secret shown", sig)
	}
}

// Without WEBHOOK_ALLOW_PRIVATE, an admin who names an internal address or
// a plain http URL is told why it is refused, and nothing is stored.
func TestWebhookAddRefusesInternalAddresses(t *testing.T) {
	h := setup(t)
	for url, want := range map[string]string{
		"https://10.0.0.1/hook":        "https://10.0.0.1/hook goes to 10.0.0.1, a private address: webhooks only reach public addresses.",
		"https://169.254.169.254/":     "goes to 169.254.169.254, a link-local address",
		"https://[::1]/hook":           "goes to ::1, a loopback address",
		"http://93.184.215.14/hook":    "http://93.184.215.14/hook is not https: webhooks are sent over https only.",
		"https://127.0.0.1:8443/x?a=b": "goes to 127.0.0.1, a loopback address",
	} {
		if r := h.command("U0ADMIN", "/salesbot", "webhook add "+url); !strings.Contains(r.all(), want) {
			t.Errorf("%s: %s", url, r.all())
		}
	}
	if n := h.count(`SELECT count(*) FROM webhook_endpoints WHERE workspace_id = $1`, h.team); n != 0 {
		t.Errorf("%d webhooks stored", n)
	}
}
