package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesbot/config"
	"salesbot/internal/pgtest"
	"salesbot/sales"
	"salesbot/simulator"
)

// startDevServing starts `salesbot dev` on the database at url, logging
// everything into logs, and serves it (the API answers only then) until the
// test ends.
func startDevServing(t *testing.T, ctx context.Context, url string, logs io.Writer) *devService {
	t.Helper()
	env := map[string]string{"DATABASE_URL": url, "SIM_ADDR": "127.0.0.1:0", "HTTP_ADDR": "127.0.0.1:0"}
	cfg, err := config.Load(func(k string) string { return env[k] }, false)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := startDev(ctx, cfg, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- dev.serve(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		dev.close()
	})
	return dev
}

type leadsPanel struct {
	Available             bool
	Origin, Action        string
	Snippet, Curl         string
	formKey, secretKey    string
	formPrefix, secPrefix string
}

// panelOf reads the simulator page's "Leads from your website" panel.
func panelOf(t *testing.T, dev *devService) leadsPanel {
	t.Helper()
	resp, err := http.Get(dev.sim.URL() + "sim/leads")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p leadsPanel
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /sim/leads: %s %v", resp.Status, err)
	}
	if m := rawKey.FindStringSubmatch(p.Snippet); m != nil && m[1] == "form" {
		p.formKey, p.formPrefix = m[0], m[2]
	}
	if m := rawKey.FindStringSubmatch(p.Curl); m != nil && m[1] == "secret" {
		p.secretKey, p.secPrefix = m[0], m[2]
	}
	return p
}

// postLead posts a lead to the API: form-encoded from origin with the key
// in the query when form is true, else JSON with a bearer key.
func postLead(t *testing.T, apiURL, key, origin string, form bool, company string) int {
	t.Helper()
	if form {
		return call(t, apiURL, http.MethodPost, "/v1/leads?key="+key, "application/x-www-form-urlencoded", "company="+company, "Origin", origin).status
	}
	return call(t, apiURL, http.MethodPost, "/v1/leads", "application/json", `{"company":"`+company+`"}`, "Authorization", "Bearer "+key).status
}

// received tells a lead the API took: a form key is answered with a
// receipt (200), a secret key with the lead (201).
func received(status int) bool { return status == http.StatusOK || status == http.StatusCreated }

// Each start of `salesbot dev` shows the page a fresh form key (allowed
// from the page's origin only) and secret key, both working; the previous
// start's keys are revoked and refused; no raw key is in the log.
func TestDevMakesFreshAPIKeysEachStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	dbURL := pgtest.Fresh(t)
	logs := &logBuffer{}
	first := startDevServing(t, ctx, dbURL, logs)
	p1 := panelOf(t, first)
	api1 := "http://" + first.svc.apiAddr()
	if !p1.Available || p1.formKey == "" || p1.secretKey == "" {
		t.Fatalf("the panel has no keys: %+v", p1)
	}
	if want := api1 + "/v1/leads?key=" + p1.formKey; p1.Action != want || !strings.Contains(p1.Snippet, `action="`+want+`"`) {
		t.Errorf("the form posts to %q (snippet %q), want %q", p1.Action, p1.Snippet, want)
	}
	if origin := strings.TrimSuffix(first.sim.URL(), "/"); p1.Origin != origin {
		t.Errorf("origin %q, want the page's %q", p1.Origin, origin)
	}
	for _, want := range []string{`method="post"`, `name="company"`, `name="contact_name"`, `name="contact_email"`,
		`name="message"`, `type="hidden" name="utm_source"`, `type="hidden" name="page_url"`, `name="honeypot"`,
		`type="hidden" name="redirect" value="` + first.sim.URL() + `thanks.html"`} {
		if !strings.Contains(p1.Snippet, want) {
			t.Errorf("the snippet lacks %s:\n%s", want, p1.Snippet)
		}
	}
	for _, want := range []string{"curl ", "'" + api1 + "/v1/leads'", "'Authorization: Bearer " + p1.secretKey + "'", "Idempotency-Key: "} {
		if !strings.Contains(p1.Curl, want) {
			t.Errorf("the curl example lacks %q:\n%s", want, p1.Curl)
		}
	}
	if st := postLead(t, api1, p1.formKey, p1.Origin, true, "First+Form"); !received(st) {
		t.Errorf("the first start's form key: %d, want it received", st)
	}
	if st := postLead(t, api1, p1.secretKey, "", false, "First Curl"); st != http.StatusCreated {
		t.Errorf("the first start's secret key: %d, want 201", st)
	}

	second := startDevServing(t, ctx, dbURL, logs)
	p2 := panelOf(t, second)
	api2 := "http://" + second.svc.apiAddr()
	if p2.formKey == "" || p2.formKey == p1.formKey || p2.secretKey == "" || p2.secretKey == p1.secretKey {
		t.Fatalf("the second start's keys are not new ones: form %s, secret %s", p2.formPrefix, p2.secPrefix)
	}
	if st := postLead(t, api2, p1.formKey, p1.Origin, true, "Stale+Form"); st != http.StatusUnauthorized {
		t.Errorf("the first start's form key after a restart: %d, want 401", st)
	}
	if st := postLead(t, api2, p1.secretKey, "", false, "Stale Curl"); st != http.StatusUnauthorized {
		t.Errorf("the first start's secret key after a restart: %d, want 401", st)
	}
	if st := postLead(t, api2, p2.formKey, p2.Origin, true, "Second+Form"); !received(st) {
		t.Errorf("the second start's form key: %d, want it received", st)
	}
	if st := postLead(t, api2, p2.secretKey, "", false, "Second Curl"); st != http.StatusCreated {
		t.Errorf("the second start's secret key: %d, want 201", st)
	}

	admin, _, err := second.svc.sales.Actor(ctx, simulator.TeamID, "U01ALEX")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := second.svc.sales.ListAPIKeys(ctx, sales.ListAPIKeys{Team: simulator.TeamID, Actor: admin})
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]sales.APIKey{}
	for _, k := range keys {
		if k.RevokedAt == nil {
			live[k.Prefix] = k
		}
	}
	if f, s := live[p2.formPrefix], live[p2.secPrefix]; len(live) != 2 || f.Label != devFormKeyLabel || f.Kind != sales.KeyForm ||
		len(f.AllowedOrigins) != 2 || f.AllowedOrigins[0] != p2.Origin ||
		f.AllowedOrigins[1] != strings.Replace(p2.Origin, "127.0.0.1", "localhost", 1) || s.Label != devSecretKeyLabel || s.Kind != sales.KeySecret {
		t.Errorf("live keys %+v; want the second start's form key (origins %s and its localhost) and secret key only", live, p2.Origin)
	}
	var leads int
	if err := second.svc.db.GetContext(ctx, &leads, `SELECT count(*) FROM deals WHERE workspace_id = $1`, simulator.TeamID); err != nil {
		t.Fatal(err)
	}
	if leads != 4 {
		t.Errorf("%d deals, want the 4 accepted leads", leads)
	}
	for _, k := range []string{p1.formKey, p1.secretKey, p2.formKey, p2.secretKey} {
		if strings.Contains(logs.String(), k[len(k)-20:]) {
			t.Errorf("a raw key (%s) is in the log", k[:16])
		}
	}
}
