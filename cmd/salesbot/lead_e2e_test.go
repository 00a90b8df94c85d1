package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"salesbot/internal/slackfake"
)

var leadLabels = []string{"Company", "Deal title", "Contact name", "Contact email", "Industry", "Company size", "Source", "Estimated value", "Expected close date", "Owner", "Notes"}

func TestNewLeadEndToEnd(t *testing.T) {
	h := setup(t)
	view := h.openLeadModal("U0MARIA", "Acme")

	var labels []string
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			labels = append(labels, in.Label.Text)
			if in.Label.Text == "Company" {
				if el, ok := in.Element.(*slack.PlainTextInputBlockElement); !ok || el.InitialValue != "Acme" {
					t.Errorf("Company is not prefilled with Acme: %#v", in.Element)
				}
			}
		}
	}
	if strings.Join(labels, "|") != strings.Join(leadLabels, "|") {
		t.Errorf("modal labels = %q, want %q", labels, leadLabels)
	}

	ack, _ := h.submit("U0MARIA", view, map[string]string{
		"Company": "Acme", "Deal title": "Website redesign", "Contact name": "Jane Doe",
		"Contact email": "jane@acme.com", "Industry": "Software", "Company size": "51-200",
		"Source": "referral", "Estimated value": "12,500", "Expected close date": "2036-12-01",
	})
	if len(ack.Payload) != 0 && string(ack.Payload) != "null" {
		t.Errorf("a valid submission must close the modal with a bare ack, got %s", ack.Payload)
	}

	msg, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "created") })
	if err != nil {
		t.Fatalf("no confirmation DM: %v", err)
	}
	blocks := blockText(msg.Blocks)
	for _, want := range []string{"D-1", "Acme", "Website redesign", "$12,500", "Lead", "<@U0MARIA>", "Jane Doe", "Referral", "Dec 1, 2036"} {
		if !strings.Contains(blocks, want) {
			t.Errorf("confirmation card lacks %q: %s", want, blocks)
		}
	}

	var deal struct {
		Number  int64  `db:"number"`
		Stage   string `db:"stage"`
		Amount  int64  `db:"amount_minor"`
		Owner   string `db:"owner_id"`
		Account string `db:"account"`
		Contact string `db:"contact"`
	}
	err = h.svc.db.GetContext(h.ctx, &deal, `
		SELECT d.number, d.stage, d.amount_minor, d.owner_id, a.name AS account, c.email AS contact
		FROM deals d JOIN accounts a ON a.id = d.account_id JOIN contacts c ON c.id = d.contact_id
		WHERE d.workspace_id = $1`, h.team)
	if err != nil {
		t.Fatal(err)
	}
	if deal.Number != 1 || deal.Stage != "lead" || deal.Amount != 1_250_000 || deal.Owner != "U0MARIA" || deal.Account != "Acme" || deal.Contact != "jane@acme.com" {
		t.Errorf("stored deal = %+v", deal)
	}
	if n := h.count(`SELECT count(*) FROM deal_history WHERE workspace_id = $1 AND action = 'created'`, h.team); n != 1 {
		t.Errorf("history entries = %d, want 1", n)
	}

	// A second lead for "ACME" reuses the account, case-insensitively.
	view2 := h.openLeadModal("U0MARIA", "ACME")
	h.submit("U0MARIA", view2, map[string]string{"Company": "ACME"})
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "D-2") }); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM accounts WHERE workspace_id = $1`, h.team); n != 1 {
		t.Errorf("accounts = %d, want the existing Acme reused", n)
	}
	if m := h.metrics(); !strings.Contains(m, `salesbot_commands_total{command="/lead",outcome="ok"} 2`) || !strings.Contains(m, "salesbot_ack_latency_seconds_bucket") {
		t.Errorf("metrics do not count the commands:\n%s", m)
	}
}

func TestNewLeadBadInputIsRejectedInline(t *testing.T) {
	h := setup(t)
	view := h.openLeadModal("U0MARIA", "")
	ack, _ := h.submit("U0MARIA", view, map[string]string{
		"Company": "Acme", "Contact email": "jane@", "Estimated value": "-5", "Expected close date": "someday",
	})
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(ack.Payload, &resp); err != nil {
		t.Fatalf("ack payload %s: %v", ack.Payload, err)
	}
	inputs := map[string]bool{}
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			inputs[in.BlockID] = true
		}
	}
	if resp.Action != "errors" || len(resp.Errors) != 3 {
		t.Fatalf("want errors on three fields, got %s", ack.Payload)
	}
	for block, msg := range resp.Errors {
		if !inputs[block] {
			t.Errorf("error keyed by %q, which is not an input block of the modal", block)
		}
		if msg == "" {
			t.Errorf("empty error for %s", block)
		}
	}
	if !strings.Contains(resp.Errors["contact_email"], "not an email") || !strings.Contains(resp.Errors["value"], "negative") {
		t.Errorf("errors do not say what is wrong: %v", resp.Errors)
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, h.team); n != 0 {
		t.Errorf("deals = %d after a rejected submission", n)
	}
}

func TestNewLeadDeliveredTwiceCreatesOneDeal(t *testing.T) {
	h := setup(t)
	view := h.openLeadModal("U0MARIA", "Globex")
	_, id := h.submit("U0MARIA", view, map[string]string{"Company": "Globex"})
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "D-1") }); err != nil {
		t.Fatal(err)
	}
	again, err := h.fake.Redeliver(h.ctx, id, "timeout")
	if err != nil {
		t.Fatal(err)
	}
	h.ack(again)
	h.svc.bot.WaitHandlers()
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND account_id IN (SELECT id FROM accounts WHERE name = 'Globex')`, h.team); n != 1 {
		t.Errorf("Globex deals = %d, want 1", n)
	}
	confirmations := 0
	for _, m := range h.fake.Messages("DU0MARIA") {
		if strings.Contains(m.Text, "Globex") {
			confirmations++
		}
	}
	if confirmations != 1 {
		t.Errorf("confirmations for Globex = %d, want 1", confirmations)
	}
}

func TestReconnectsAfterDisconnectAndKeepsServing(t *testing.T) {
	h := setup(t)
	if err := h.fake.Disconnect("refresh_requested"); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitConnected(h.ctx); err != nil {
		t.Fatal(err)
	}
	if h.fake.Connects() < 2 {
		t.Errorf("connects = %d, want a reconnect", h.fake.Connects())
	}
	ack, _ := h.slash("U0MARIA", "/salesbot", "help")
	if !strings.Contains(string(ack.Payload), "/lead new") {
		t.Errorf("help after reconnect = %s", ack.Payload)
	}
}

func TestHelpAndUnknownCommands(t *testing.T) {
	h := setup(t)
	tests := []struct {
		command, text, want string
	}{
		{"/salesbot", "help", "`/lead new`"},
		{"/salesbot", "help lead", "/lead new [company]"},
		{"/salesbot", "", "/salesbot help"},
		{"/lead", "frobnicate", "I don't know"},
		{"/lead", "", "/lead new"},
		{"/pipeline", "frobnicate", "I don't know"},
		{"/deal", "frobnicate D-1", "not a deal number"},
	}
	for _, tt := range tests {
		ack, _ := h.slash("U0MARIA", tt.command, tt.text)
		var msg struct {
			ResponseType string `json:"response_type"`
			Text         string `json:"text"`
			Blocks       json.RawMessage
		}
		json.Unmarshal(ack.Payload, &msg)
		if msg.ResponseType != "ephemeral" || !strings.Contains(msg.Text+string(msg.Blocks), tt.want) {
			t.Errorf("%s %s: ack = %s, want an ephemeral message with %q", tt.command, tt.text, ack.Payload, tt.want)
		}
	}
}
