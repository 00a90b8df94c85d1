package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"salesbot/api"
	"salesbot/sales"
)

// noRedirects shows a 303 as it is, as a test must see it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// do sends a request with only the headers hdr gives (name, value pairs).
func (e env) do(t *testing.T, method, path, ctype, body string, hdr ...string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("%s %s: status %d, body %q is not JSON: %v", method, path, res.StatusCode, raw, err)
		}
	}
	return a
}

// formKey makes a form key of e's workspace for origins.
func (e env) formKey(t *testing.T, origins ...string) string {
	t.Helper()
	admin, _, err := e.svc.Actor(t.Context(), e.team, "U0ADMIN")
	if err != nil {
		t.Fatal(err)
	}
	k, err := e.svc.NewAPIKey(t.Context(), sales.NewAPIKey{Team: e.team, Actor: admin, Label: "form", Kind: sales.KeyForm,
		AllowedOrigins: origins, IdempotencyKey: "form-" + strings.Join(origins, ",")})
	if err != nil {
		t.Fatal(err)
	}
	return k.Raw
}

func detail(a answer) string { s, _ := a.body["detail"].(string); return s }

const form = "application/x-www-form-urlencoded"

// A form key creates leads from its origins only, by header or query; it
// reads nothing; a secret key is refused in a query.
func TestFormKeyOriginsAndScope(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fk := e.formKey(t, "https://shop.example")
	q := "/v1/leads?key=" + url.QueryEscape(fk)

	ok := e.do(t, "POST", q, form, "company=Acme&industry=Software", "Origin", "https://shop.example")
	if ok.status != http.StatusOK || ok.body["received"] != true || ok.header.Get("Access-Control-Allow-Origin") != "https://shop.example" {
		t.Errorf("from its origin: %d %v %v; want 200 received with its origin allowed", ok.status, ok.body, ok.header)
	}
	if a := e.do(t, "POST", "/v1/leads", "application/json", `{"company":"Beta"}`,
		"Authorization", "Bearer "+fk, "Referer", "https://Shop.example/contact?x=1"); a.status != http.StatusOK {
		t.Errorf("bearer form key, origin from Referer: %d %v", a.status, a.body)
	}
	for _, c := range []struct {
		name, path string
		hdr        []string
		want       int
		says       string
	}{
		{"no origin", q, nil, 403, "no Origin or Referer"},
		{"other origin", q, []string{"Origin", "https://evil.example"}, 403, "https://evil.example is not one of this form key's origins"},
		{"secret key in query", "/v1/leads?key=" + url.QueryEscape(e.key), []string{"Origin", "https://shop.example"}, 401, "Authorization header"},
		{"form key reads", "/v1/deals?key=" + url.QueryEscape(fk), []string{"Origin", "https://shop.example"}, 403, "can only create leads"},
	} {
		method := "POST"
		if strings.HasPrefix(c.path, "/v1/deals") {
			method = "GET"
		}
		a := e.do(t, method, c.path, form, "company=Spam", c.hdr...)
		if a.status != c.want || !strings.Contains(detail(a), c.says) {
			t.Errorf("%s: %d %q; want %d saying %q", c.name, a.status, detail(a), c.want, c.says)
		}
		if c.name == "other origin" && a.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: a foreign page may read the answer", c.name)
		}
	}
	if a := e.do(t, "GET", "/v1/deals/1", "", "", "Authorization", "Bearer "+fk, "Origin", "https://shop.example"); a.status != 403 {
		t.Errorf("form key reading a deal: %d %v", a.status, a.body)
	}
	if n := len(e.deals(t)); n != 2 {
		t.Errorf("deals = %d, want the 2 from the key's origin", n)
	}
}

// A preflight is answered for an origin of a live form key, with the key in
// the query or without one, and refused for another origin.
func TestPreflight(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fk := e.formKey(t, "https://shop.example", "https://www.shop.example")
	for _, c := range []struct {
		name, path, origin string
		want               int
	}{
		{"key in query", "/v1/leads?key=" + url.QueryEscape(fk), "https://www.shop.example", 204},
		{"no key", "/v1/leads", "https://shop.example", 204},
		{"other origin", "/v1/leads", "https://evil.example", 403},
		{"other origin, key in query", "/v1/leads?key=" + url.QueryEscape(fk), "https://evil.example", 403},
	} {
		a := e.do(t, "OPTIONS", c.path, "", "", "Origin", c.origin, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "content-type,idempotency-key")
		h := a.header
		if a.status != c.want {
			t.Errorf("%s: %d %v; want %d", c.name, a.status, a.body, c.want)
			continue
		}
		if c.want == 204 && (h.Get("Access-Control-Allow-Origin") != c.origin || h.Get("Access-Control-Allow-Methods") != "POST" ||
			!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Idempotency-Key") || h.Get("Access-Control-Max-Age") == "") {
			t.Errorf("%s: headers %v", c.name, h)
		}
		if c.want == 403 && (h.Get("Access-Control-Allow-Origin") != "" || !strings.Contains(detail(a), c.origin)) {
			t.Errorf("%s: %v %q; want no CORS headers and the origin named", c.name, h, detail(a))
		}
	}
}

// A filled honeypot answers as a real submission does and stores nothing;
// a redirect on the key's origins answers 303, another is refused.
func TestHoneypotAndRedirect(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fk := e.formKey(t, "https://shop.example")
	q := "/v1/leads?key=" + url.QueryEscape(fk)
	real := e.do(t, "POST", q, form, "company=Real+Co", "Origin", "https://shop.example")
	bot := e.do(t, "POST", q, form, "company=Spam+Co&honeypot=http%3A%2F%2Fspam", "Origin", "https://shop.example")
	if bot.status != real.status || bot.status != 200 || bot.body["message"] != real.body["message"] {
		t.Errorf("honeypot %d %v; real %d %v: want the same answer", bot.status, bot.body, real.status, real.body)
	}
	botRedir := e.do(t, "POST", q, form, "company=Spam+Co&honeypot=x&redirect=https%3A%2F%2Fshop.example%2Fthanks", "Origin", "https://shop.example")
	redir := e.do(t, "POST", q, form, "company=Redirect+Co&redirect=https%3A%2F%2Fshop.example%2Fthanks", "Origin", "https://shop.example")
	if redir.status != http.StatusSeeOther || redir.header.Get("Location") != "https://shop.example/thanks" ||
		botRedir.status != redir.status || botRedir.header.Get("Location") != redir.header.Get("Location") {
		t.Errorf("redirect: %d %q, honeypot %d %q; want 303 to the thanks page for both", redir.status, redir.header.Get("Location"),
			botRedir.status, botRedir.header.Get("Location"))
	}
	away := e.do(t, "POST", q, form, "company=Away+Co&redirect=https%3A%2F%2Fevil.example%2F", "Origin", "https://shop.example")
	if away.status != 422 || !strings.Contains(strings.ToLower(detail(away)), "redirect") {
		t.Errorf("redirect elsewhere: %d %v; want 422 about the redirect", away.status, away.body)
	}
	owned := e.do(t, "POST", q, form, "company=Owned+Co&owner=U0ADMIN", "Origin", "https://shop.example")
	if owned.status != 422 || !strings.Contains(fmt.Sprint(owned.body["errors"]), "body.owner") {
		t.Errorf("a form choosing the owner: %d %v; want 422 on owner", owned.status, owned.body)
	}
	var companies []string
	if err := e.db.DB().SelectContext(t.Context(), &companies, `SELECT a.name FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 ORDER BY d.number`, e.team); err != nil {
		t.Fatal(err)
	}
	if strings.Join(companies, ",") != "Real Co,Redirect Co" {
		t.Errorf("stored %v; want Real Co and Redirect Co only", companies)
	}
}

// retryAfter reads Retry-After: whole seconds, at least 1.
func retryAfter(t *testing.T, a answer) int {
	t.Helper()
	n, err := strconv.Atoi(a.header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Errorf("Retry-After %q; want whole seconds ≥ 1", a.header.Get("Retry-After"))
	}
	return n
}

// A key's bucket and, for form keys, the client IP's: a request past either
// is 429 with Retry-After; X-Forwarded-For counts only when trusted.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	// 0.01/s: a bucket of one request that takes 100 s to fill again.
	e := setup(t, api.Config{KeyRate: 0.01, IPRate: 1000})
	if a := e.do(t, "GET", "/v1/deals", "", "", "Authorization", "Bearer "+e.key); a.status != 200 {
		t.Fatalf("first request: %d %v", a.status, a.body)
	}
	a := e.do(t, "GET", "/v1/deals", "", "", "Authorization", "Bearer "+e.key)
	if a.status != http.StatusTooManyRequests || retryAfter(t, a) != 100 {
		t.Errorf("second request: %d %v %q; want 429 after 100 s", a.status, a.body, a.header.Get("Retry-After"))
	}

	for _, trust := range []bool{false, true} {
		e := setup(t, api.Config{KeyRate: 1000, IPRate: 0.01, TrustProxy: trust})
		fk := e.formKey(t, "https://shop.example")
		q := "/v1/leads?key=" + url.QueryEscape(fk)
		var got []int
		for _, ip := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.2"} {
			a := e.do(t, "POST", q, form, "company=Acme", "Origin", "https://shop.example", "X-Forwarded-For", "198.51.100.9, "+ip)
			got = append(got, a.status)
			if a.status == 429 {
				retryAfter(t, a)
				if a.header.Get("Access-Control-Allow-Origin") != "https://shop.example" || a.header.Get("Access-Control-Expose-Headers") != "Retry-After" {
					t.Errorf("the page cannot read its 429: %v", a.header)
				}
			}
		}
		want := []int{200, 429, 429} // one IP: the connection's
		if trust {
			want = []int{200, 200, 429} // the proxy's last entry
		}
		if !slicesEqual(got, want) {
			t.Errorf("trust proxy %v: statuses %v, want %v", trust, got, want)
		}
		// The secret key has no IP bucket.
		if a := e.do(t, "GET", "/v1/deals", "", "", "Authorization", "Bearer "+e.key); a.status != 200 {
			t.Errorf("secret key after the form's 429: %d", a.status)
		}
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
