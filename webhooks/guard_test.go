package webhooks_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"salesbot/webhooks"
)

// Without WEBHOOK_ALLOW_PRIVATE, an endpoint on a private, loopback,
// link-local or otherwise internal address, or not on https, is refused
// when added, in words that say why.
func TestGuardRefusesInternalAddresses(t *testing.T) {
	t.Parallel()
	g := webhooks.Guard{}
	for url, want := range map[string]string{
		"https://10.0.0.1/hook":                    "goes to 10.0.0.1, a private address",
		"https://127.0.0.1/hook":                   "goes to 127.0.0.1, a loopback address",
		"https://[::1]:8443/hook":                  "goes to ::1, a loopback address",
		"https://169.254.169.254/latest/meta-data": "goes to 169.254.169.254, a link-local address",
		"https://[::ffff:192.168.1.1]/":            "goes to 192.168.1.1, a private address",
		"https://[fe80::1]/":                       "a link-local address",
		"https://[fd00::1]/":                       "a private address",
		"https://0.0.0.0/":                         "an unspecified address",
		"https://239.1.1.1/":                       "a multicast address",
		"https://100.64.0.1/":                      "a reserved address",
		"https://[64:ff9b::a00:1]/":                "goes to 64:ff9b::a00:1, a private address",
		"http://93.184.215.14/hook":                "is not https: webhooks are sent over https only",
		"ftp://93.184.215.14/":                     "is not a URL",
		"https://user:pw@93.184.215.14/":           "carries a user name or password",
	} {
		_, err := g.CheckURL(t.Context(), url)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", url, err, want)
		}
	}
	for _, url := range []string{"https://93.184.215.14/hook", "https://[2606:4700::6810:84e5]/x"} {
		if got, err := g.CheckURL(t.Context(), url); err != nil || got != url {
			t.Errorf("%s: %q, %v; want it taken", url, got, err)
		}
	}
	if _, err := (webhooks.Guard{AllowPrivate: true}).CheckURL(context.Background(), "http://127.0.0.1:9/x"); err != nil {
		t.Errorf("allowed private: %v", err)
	}
}

// The admin is told the same through the use case.
func TestAddRefusesInternalAddresses(t *testing.T) {
	t.Parallel()
	e := setup(t, envOpts{})
	for _, url := range []string{"https://10.0.0.1/h", "https://127.0.0.1/h", "https://[::1]/h", "https://169.254.169.254/h", "http://93.184.215.14/h"} {
		_, err := e.svc.AddWebhook(t.Context(), salesAdd(e, url))
		if err == nil || !strings.Contains(err.Error(), url) {
			t.Errorf("%s: %v, want a refusal naming it", url, err)
		}
	}
	if n := e.count(`SELECT count(*) FROM webhook_endpoints WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("%d endpoints stored", n)
	}
}

// An endpoint whose address turned private after it was added (DNS
// rebinding, or a row written some other way) is refused when connecting:
// the receiver gets nothing, and the failure says why.
func TestDeliveryRefusedAtConnect(t *testing.T) {
	t.Parallel()
	e := setup(t, envOpts{})
	var hit atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit.Add(1) }))
	t.Cleanup(srv.Close)
	// Written directly: the use case would refuse it.
	var id int64
	if err := e.db.GetContext(t.Context(), &id, `INSERT INTO webhook_endpoints (workspace_id, url, events, secret, created_by, created_at)
		VALUES ($1, $2, '{lead.created}', 'whsec_x', 'U0ADMIN', $3) RETURNING id`, e.team, srv.URL, now); err != nil {
		t.Fatal(err)
	}
	e.lead("Acme Corp")
	e.until("the failure recorded", func() bool { return e.webhook(id).LastFailureAt != nil })
	if got := e.webhook(id).LastError; !strings.Contains(got, "refused") || !strings.Contains(got, "127.0.0.1 is a loopback address") {
		t.Errorf("last error %q", got)
	}
	if n := hit.Load(); n != 0 {
		t.Errorf("the internal receiver got %d requests", n)
	}
}
