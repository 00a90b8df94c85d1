package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// apiAnswer is an answer of the HTTP API as a client sees it.
type apiAnswer struct {
	status int
	header http.Header
	body   map[string]any
}

func (a apiAnswer) detail() string { s, _ := a.body["detail"].(string); return s }

// apiHarness starts salesbot with its API on a port of its own.
func apiHarness(t *testing.T, env map[string]string) (*harness, string) {
	t.Helper()
	env["API_ADDR"] = "127.0.0.1:0"
	h, _, _ := startHarness(t, harnessSpec{env: env})
	return h, "http://" + h.svc.apiAddr()
}

// call sends one request to the API at base; hdr are name, value pairs.
// Redirects are shown, not followed.
func call(t *testing.T, base, method, path, ctype, body string, hdr ...string) apiAnswer {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := apiAnswer{status: res.StatusCode, header: res.Header}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("%s %s: %d %q is not JSON", method, path, res.StatusCode, raw)
		}
	}
	if a.status >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("%s %s: %d is %q, not problem+json", method, path, a.status, res.Header.Get("Content-Type"))
	}
	return a
}

// newKey has the admin make a key with /salesbot apikey new and returns it.
func (h *harness) newKey(args string) string {
	h.t.Helper()
	r := h.command("U0ADMIN", "/salesbot", "apikey new "+args)
	m := rawKey.FindString(r.all())
	if m == "" {
		h.t.Fatalf("no key shown for %q: %s", args, r.all())
	}
	return m
}

// Over the real listener: a key made in Slack creates a lead that is routed
// and offered in the rep's DM; idempotency; every error status; form keys'
// origins, preflight, honeypot, redirect and IP limit.
func TestAPIEndToEnd(t *testing.T) {
	// The IP bucket holds one form submission and fills in 100 s; the
	// client IP is X-Forwarded-For's last entry, so each part uses its own.
	h, base := apiHarness(t, map[string]string{"API_IP_RATE": "0.01", "API_TRUST_PROXY": "true"})
	h.command("U0BOB", "/salesbot", "away off") // Bob, a rep, is known and takes leads
	if r := h.command("U0ADMIN", "/salesbot", "route industry=Software <@U0BOB>"); !strings.Contains(r.all(), "→ <@U0BOB>") {
		t.Fatalf("rule not saved: %s", r.all())
	}
	secret := h.newKey("CRM")
	form := h.newKey("Website form https://shop.example")
	bearer := []string{"Authorization", "Bearer " + secret}
	jsonType, formType := "application/json", "application/x-www-form-urlencoded"

	// A lead lands, is routed by the rule and offered to Bob in Slack.
	body := `{"company":"Acme <Corp>","industry":"Software","contact_email":"jane@acme.example","message":"Call me","utm_source":"ads"}`
	first := call(t, base, "POST", "/v1/leads", jsonType, body, append(bearer, "Idempotency-Key", "order-1")...)
	ref, _ := first.body["ref"].(string)
	if first.status != 201 || ref == "" || first.body["routed_to"] != "U0BOB" {
		t.Fatalf("POST /v1/leads: %d %v; want 201 routed to U0BOB", first.status, first.body)
	}
	offer, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) })
	if err != nil {
		t.Fatalf("Bob got no offer of %s: %v", ref, err)
	}
	findButton(t, offer.Blocks, "Accept")
	if strings.Contains(offer.Text+blockText(offer.Blocks), "Acme <Corp>") {
		t.Errorf("the company is not escaped in the offer: %s", offer.Text)
	}

	// The same key and body: the first answer, and no second deal; the
	// key with another body: 409.
	again := call(t, base, "POST", "/v1/leads", jsonType, body, append(bearer, "Idempotency-Key", "order-1")...)
	if again.status != 201 || again.body["ref"] != ref || again.body["owner"] != first.body["owner"] {
		t.Errorf("replay: %d %v; want %v", again.status, again.body, first.body)
	}
	other := call(t, base, "POST", "/v1/leads", jsonType, `{"company":"Other"}`, append(bearer, "Idempotency-Key", "order-1")...)
	if other.status != 409 || !strings.Contains(other.detail(), "Idempotency-Key") {
		t.Errorf("key reused with another body: %d %v", other.status, other.body)
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team); n != 1 {
		t.Errorf("deals = %d, want 1", n)
	}

	// The deal reads back with the secret key.
	if d := call(t, base, "GET", "/v1/deals/"+ref, "", "", bearer...); d.status != 200 || d.body["company"] != "Acme <Corp>" || d.body["owner"] != "U0BOB" {
		t.Errorf("GET %s: %d %v", ref, d.status, d.body)
	}
	if l := call(t, base, "GET", "/v1/deals?owner=U0BOB", "", "", bearer...); l.status != 200 || len(l.body["deals"].([]any)) != 1 {
		t.Errorf("GET /v1/deals: %d %v", l.status, l.body)
	}

	// Each error status, with a detail that says what is wrong.
	fq := "/v1/leads?key=" + url.QueryEscape(form)
	for _, c := range []struct {
		name, method, path, ctype, body string
		hdr                             []string
		want                            int
		says                            string
	}{
		{"bad JSON", "POST", "/v1/leads", jsonType, `{"company":`, bearer, 400, ""},
		{"no key", "POST", "/v1/leads", jsonType, `{"company":"A"}`, nil, 401, "Authorization: Bearer"},
		{"revoked-looking key", "GET", "/v1/deals", "", "", []string{"Authorization", "Bearer sb_secret_aaaaaaaa_x"}, 401, "not valid"},
		{"secret key in the URL", "GET", "/v1/deals?key=" + url.QueryEscape(secret), "", "", nil, 401, "Authorization header"},
		{"form key reads", "GET", "/v1/deals?key=" + url.QueryEscape(form), "", "", []string{"Origin", "https://shop.example"}, 403, "only create leads"},
		{"form key elsewhere", "POST", fq, formType, "company=A", []string{"Origin", "https://evil.example"}, 403, "https://evil.example"},
		{"form key, no origin", "POST", fq, formType, "company=A", nil, 403, "no Origin or Referer"},
		{"unknown deal", "GET", "/v1/deals/D-999", "", "", bearer, 404, "D-999"},
		{"too large", "POST", "/v1/leads", jsonType, `{"company":"` + strings.Repeat("a", 64<<10) + `"}`, bearer, 413, ""},
		{"text", "POST", "/v1/leads", "text/plain", "company=A", bearer, 415, "application/json"},
		{"fields", "POST", "/v1/leads", jsonType, `{"contact_email":"jane@"}`, bearer, 422, ""},
		{"stage", "GET", "/v1/deals?stage=nope", "", "", bearer, 422, "stage"},
	} {
		a := call(t, base, c.method, c.path, c.ctype, c.body, c.hdr...)
		if a.status != c.want || a.body["status"] != float64(c.want) || a.detail() == "" || !strings.Contains(a.detail(), c.says) {
			t.Errorf("%s: %d %v; want %d saying %q", c.name, a.status, a.body, c.want, c.says)
		}
	}

	// Form key: the preflight, then a plain HTML form post from its page.
	pre := call(t, base, "OPTIONS", fq, "", "", "Origin", "https://shop.example", "Access-Control-Request-Method", "POST")
	if pre.status != 204 || pre.header.Get("Access-Control-Allow-Origin") != "https://shop.example" || pre.header.Get("Access-Control-Allow-Methods") != "POST" {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}
	from := func(ip string) []string {
		return []string{"Origin", "https://shop.example", "X-Forwarded-For", "198.51.100.7, " + ip}
	}
	posted := call(t, base, "POST", fq, formType, "company=Form+Co&industry=Software&redirect=https%3A%2F%2Fshop.example%2Fthanks", from("203.0.113.1")...)
	if posted.status != 303 || posted.header.Get("Location") != "https://shop.example/thanks" {
		t.Errorf("form post: %d %v; want 303 to the thanks page", posted.status, posted.header)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Form Co") }); err != nil {
		t.Errorf("the form's lead was not offered: %v", err)
	}
	// The honeypot: answered as a real submission, nothing stored.
	bot := call(t, base, "POST", fq, formType, "company=Spam+Co&honeypot=buy+now", from("203.0.113.2")...)
	if bot.status != 200 || bot.body["received"] != true {
		t.Errorf("honeypot: %d %v; want 200 received", bot.status, bot.body)
	}
	// The same address again within its bucket: 429 with Retry-After.
	limited := call(t, base, "POST", fq, formType, "company=Again+Co", from("203.0.113.2")...)
	if secs, err := strconv.Atoi(limited.header.Get("Retry-After")); limited.status != 429 || err != nil || secs < 1 {
		t.Errorf("second post from one address: %d Retry-After %q; want 429 and whole seconds", limited.status, limited.header.Get("Retry-After"))
	}
	if n := h.count(`SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 AND a.name IN ('Spam Co', 'Again Co')`, h.team); n != 0 {
		t.Errorf("%d deals from the honeypot or the refused post", n)
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team); n != 2 {
		t.Errorf("deals = %d, want Acme and Form Co", n)
	}
}

// Two workspaces in one database, each with its own salesbot: a key reads
// and writes its own workspace only, whichever listener it is sent to.
func TestAPIWorkspacesApart(t *testing.T) {
	a, baseA := apiHarness(t, map[string]string{})
	b, baseB := apiHarness(t, map[string]string{})
	keyA, keyB := a.newKey("A's CRM"), b.newKey("B's CRM")
	post := func(base, key, company string) string {
		t.Helper()
		r := call(t, base, "POST", "/v1/leads", "application/json", fmt.Sprintf(`{"company":%q,"owner":"U0ADMIN"}`, company),
			"Authorization", "Bearer "+key)
		if r.status != 201 {
			t.Fatalf("lead %s: %d %v", company, r.status, r.body)
		}
		return r.body["ref"].(string)
	}
	refA := post(baseA, keyA, "Alpha Ltd")
	for _, base := range []string{baseA, baseB} {
		if r := call(t, base, "GET", "/v1/deals/"+refA, "", "", "Authorization", "Bearer "+keyB); r.status != 404 {
			t.Errorf("B's key reads A's %s: %d %v", refA, r.status, r.body)
		}
		if r := call(t, base, "GET", "/v1/deals", "", "", "Authorization", "Bearer "+keyB); r.status != 200 || len(r.body["deals"].([]any)) != 0 {
			t.Errorf("B's key lists: %d %v", r.status, r.body)
		}
	}
	refB := post(baseA, keyB, "Beta GmbH") // B's key on A's listener writes to B
	for key, want := range map[string]string{keyA: "Alpha Ltd", keyB: "Beta GmbH"} {
		for _, base := range []string{baseA, baseB} {
			r := call(t, base, "GET", "/v1/deals", "", "", "Authorization", "Bearer "+key)
			ds, _ := r.body["deals"].([]any)
			if len(ds) != 1 || ds[0].(map[string]any)["company"] != want {
				t.Errorf("list with %s's key: %v; want %s only", want, r.body, want)
			}
		}
	}
	if n := a.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, b.team); refB != refA || n != 1 {
		t.Errorf("B's deal %s (A's is %s), B has %d deals; want each workspace its own D-1", refB, refA, n)
	}
}
