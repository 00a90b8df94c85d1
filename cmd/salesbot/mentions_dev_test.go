package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/pipeline"
	"salesbot/simulator"
)

// In `salesbot dev`, what a person types in a channel of the simulator
// reaches the bot as Slack's message event: once Alex turns mentions on in
// #sales, Sam writing his deal's number there is shown its card, and only
// he is.
func TestDevDealMentionsInTheSimulator(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.Fresh(t)) // serving, no browser needed
	fake := dev.sim.Fake()
	lead, err := dev.svc.sales.CreateLead(ctx, pipeline.NewLead{WorkspaceID: simulator.TeamID, Company: "Hooli",
		OwnerID: "U03SAM", CreatedBy: "U03SAM", IdempotencyKey: "test:hooli"})
	if err != nil {
		t.Fatal(err)
	}
	ref := lead.Deal.Ref()
	say := func(user, text string) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"User": user, "Channel": "C01SALES", "Text": text})
		resp, err := http.Post(dev.sim.URL()+"sim/command", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s typing %q: %s", user, text, resp.Status)
		}
	}
	shownTo := func(user, s string) func(slackfake.Message) bool {
		return func(m slackfake.Message) bool { return m.Ephemeral && m.User == user && strings.Contains(m.Text, s) }
	}

	say("U01ALEX", "/salesbot mentions on")
	if _, err := fake.WaitMessage(ctx, "C01SALES", shownTo("U01ALEX", "Deal mentions are on in this channel")); err != nil {
		t.Fatalf("Alex was not told mentions are on: %v", err)
	}
	say("U03SAM", "any news on "+ref+"?")
	card, err := fake.WaitMessage(ctx, "C01SALES", shownTo("U03SAM", "You mentioned "+ref))
	if err != nil {
		t.Fatalf("Sam was shown no card: %v", err)
	}
	if card.Via != "chat.postEphemeral" || !strings.Contains(blockText(card.Blocks), "Hooli") {
		t.Errorf("Sam's card: %+v", card)
	}
	for _, m := range fake.Messages("C01SALES") {
		if strings.Contains(m.Text, "You mentioned") && m.User != "U03SAM" {
			t.Errorf("someone else was shown Sam's card: %+v", m)
		}
	}
}
