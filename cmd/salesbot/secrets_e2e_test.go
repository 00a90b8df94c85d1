package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

// logBuffer collects everything the service logs, safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// setupLogged is setup with the given Slack tokens and the service's log,
// at debug level, written to logs. stop shuts the service down and waits.
func setupLogged(t *testing.T, botToken, appToken string, logs *logBuffer) (h *harness, dbURL string, stop func()) {
	t.Helper()
	return startHarness(t, harnessSpec{botToken: botToken, appToken: appToken, logs: logs})
}

// A full run — commands, a modal, buttons, and Slack failing in every way
// an after-ack path logs — leaves no token, response_url, trigger_id or
// database credential in the log or in /metrics.
func TestSecretsNeverInLogsOrMetrics(t *testing.T) {
	const botToken, appToken = "xoxb-botx-SECRET-bot-token", "xapp-botx-SECRET-app-token"
	logs := &logBuffer{}
	h, dbURL, stop := setupLogged(t, botToken, appToken, logs)

	// The happy path: a lead through the modal, its card, a button's modal.
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Contact email": "jane@acme.example"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", ref)
	h.modalFor(h.click("U0MARIA", h.lastMessage("C0SALES", ref), "Move stage"))
	h.command("U0MARIA", "/salesbot", "help")

	// Slack failing: views.open answers 500, then ok:false; response_urls
	// answer 500.
	h.fake.SetFailure("views.open", slackfake.Failure{Times: 1, Status: 500})
	h.slash("U0MARIA", "/lead", "new Beta")
	h.fake.SetFailure("views.open", slackfake.Failure{Times: 1, Error: "expired_trigger_id"})
	h.click("U0MARIA", h.lastMessage("C0SALES", ref), "Log activity")
	h.fake.SetFailure("response_url", slackfake.Failure{Times: 3, Status: 500})
	h.slash("U0MARIA", "/pipeline", "")
	h.svc.bot.WaitHandlers()

	// A response_url nobody answers: the HTTP client's error quotes it.
	dead := deadResponseURL(t)
	raw := map[string]any{
		"envelope_id": "env-dead-url", "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]string{
			"team_id": h.team, "channel_id": "C0SALES", "user_id": "U0MARIA", "user_name": "maria",
			"command": "/pipeline", "text": "", "trigger_id": h.fake.NewTriggerID(), "response_url": dead, "api_app_id": slackfake.AppID,
		},
	}
	if err := h.fake.SendRaw(h.ctx, raw); err != nil {
		t.Fatal(err)
	}
	h.ack("env-dead-url")
	h.svc.bot.WaitHandlers()
	// The person of the dead response_url hears by DM; the failure is logged.
	wctx, cancel := context.WithTimeout(h.ctx, 15*time.Second)
	defer cancel()
	if _, err := h.fake.WaitMessage(wctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "`/pipeline`") }); err != nil {
		t.Errorf("the failure on a dead response_url was not told by DM: %v", err)
	}
	metrics := h.metrics()
	stop()

	secrets := map[string]string{"bot token": botToken, "app token": appToken}
	for _, env := range h.fake.Envelopes() {
		var p struct {
			TriggerID   string `json:"trigger_id"`
			ResponseURL string `json:"response_url"`
		}
		json.Unmarshal(env.Payload, &p)
		if p.TriggerID != "" {
			secrets["trigger_id of "+env.ID] = p.TriggerID
		}
		if p.ResponseURL != "" {
			secrets["response_url of "+env.ID] = p.ResponseURL
			secrets["response_url path of "+env.ID] = pathOf(p.ResponseURL)
		}
	}
	secrets["database URL"] = dbURL
	if u, err := url.Parse(dbURL); err == nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			secrets["database password"] = pw
		}
	}
	log := logs.String()
	if !strings.Contains(log, "handler failed") {
		t.Fatalf("the run logged no failure, so the scan proves nothing:\n%s", log)
	}
	for what, s := range secrets {
		for _, l := range strings.Split(log, "\n") {
			if strings.Contains(l, s) {
				t.Errorf("the %s is in the log: %s", what, l)
				break
			}
		}
		if strings.Contains(metrics, s) {
			t.Errorf("the %s is in /metrics", what)
		}
	}
}

// deadResponseURL is a response_url on a port where nothing listens.
func deadResponseURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/actions/T0/1234/SeCrEtHoOk"
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}
