package main

import (
	"fmt"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// When Slack refuses to open a form, the person is told which form did not
// open and what to do, once, wherever they asked from.
func TestSilenceWhenViewsOpenFails(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme"})
	ref := fmt.Sprintf("D-%d", n)

	// A slash command whose trigger expired: the answer comes on its
	// response_url, in the channel, only for the person.
	h.fake.SetFailure("views.open", slackfake.Failure{Times: 1, Error: "expired_trigger_id"})
	h.slash("U0MARIA", "/lead", "new Beta")
	m, err := h.fake.WaitMessage(h.ctx, "C0SALES", func(m slackfake.Message) bool { return strings.Contains(m.Text, "could not open") })
	if err != nil {
		t.Fatalf("a /lead new whose form did not open left the person in silence: %v", err)
	}
	for _, want := range []string{"New lead", "3-second window", "Nothing was saved", "/lead new"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the message %q lacks %q", m.Text, want)
		}
	}
	if !m.Ephemeral || m.User != "U0MARIA" {
		t.Errorf("the message must be only for the person: %+v", m)
	}

	// A card button while Slack has an outage.
	h.command("U0MARIA", "/deal", ref)
	h.fake.SetFailure("views.open", slackfake.Failure{Times: 1, Status: 500})
	h.click("U0MARIA", h.lastMessage("C0SALES", ref), "Move stage")
	if _, err := h.fake.WaitMessage(h.ctx, "C0SALES", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "could not open") && strings.Contains(m.Text, "500") && strings.Contains(m.Text, "button again")
	}); err != nil {
		t.Errorf("a card button whose form did not open left the person in silence: %v", err)
	}

	// The global shortcut has no response_url: a DM.
	h.fake.SetFailure("views.open", slackfake.Failure{Times: 1, Error: "expired_trigger_id"})
	id, err := h.fake.SendInteraction(h.ctx, map[string]any{
		"type": "shortcut", "callback_id": "new_lead", "trigger_id": h.fake.NewTriggerID(),
		"team": map[string]any{"id": h.team}, "user": map[string]any{"id": "U0SAM", "team_id": h.team},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0SAM", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "New lead form could not open") && strings.Contains(m.Text, "shortcut again")
	}); err != nil {
		t.Errorf("a shortcut whose form did not open left the person in silence: %v", err)
	}

	// Each was told once: no generic failure message on top.
	h.svc.bot.WaitHandlers()
	for _, ch := range []string{"C0SALES", "DU0MARIA", "DU0SAM"} {
		for _, m := range h.fake.Messages(ch) {
			if strings.Contains(m.Text, "did not finish") {
				t.Errorf("told twice in %s: %q", ch, m.Text)
			}
		}
	}
}
